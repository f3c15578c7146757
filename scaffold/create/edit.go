package create

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/merge"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// EditRequest asks to revise a document: pmfolio edit.
type EditRequest struct {
	// Dir is the folder the command runs in; Path the document, relative
	// to it (or absolute).
	Dir, Path string
	// Answers are the answer flags: given answers win over the recorded
	// ones, which are the defaults of the rest. Answers.Date is the day of
	// the revision; the document keeps its own date.
	Answers Answers
	// DryRun prints what would change as a unified diff and writes
	// nothing; NoCommit writes without committing.
	DryRun, NoCommit bool
	// Rename moves the document to the path its new title gives it, and
	// rewrites the links other documents have to it.
	Rename bool
	// Editor asks long answers in $VISUAL or $EDITOR.
	Editor bool
}

// EditResult is what Edit did, or would do.
type EditResult struct {
	// Path is the document as displayed (relative to the request's
	// folder); From its old path when it moved, else "".
	Path, From string
	// Diff is the unified diff of every file a dry run would change.
	Diff []byte
	// Unchanged is set when nothing changed: nothing was written.
	Unchanged bool
	// Conflicts are where both you and the new answers changed the same
	// lines: the document holds conflict markers there.
	Conflicts []merge.Conflict
	// Kept are sections the new rendering no longer has, kept because
	// they hold your text.
	Kept []string
	// Relinked are the documents whose links to the moved one were
	// rewritten, as displayed.
	Relinked []string
}

// Edit renders a document again from its recorded answers, changed by the
// given ones or in the interview, and merges the result with the edits
// made by hand since it was last rendered (the merge's base is the
// rendering recorded beside it). The document keeps its path and its date
// unless it is renamed; the document, its answers and base, the README
// index and, with Rename, the documents that link it are written and
// committed in one transaction ("KIND: revise TITLE").
func Edit(ctx context.Context, sess *session.Session, req EditRequest) (*EditResult, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	r := &editRun{ctx: ctx, sess: sess, req: req, p: p}
	defer func() { r.tx.Close() }()
	if err := r.prepare(); err != nil {
		return nil, err
	}
	if err := r.interview(); err != nil {
		return nil, err
	}
	if err := r.render(); err != nil {
		return nil, err
	}
	return r.write()
}

// editRun is one run of Edit.
type editRun struct {
	ctx      context.Context
	sess     *session.Session
	req      EditRequest
	p        *portfolio.Portfolio
	st       *portfolio.State
	tx       *portfolio.Tx
	store    *packstore.Store
	prompter interview.Prompter
	repo     *portfolio.Repo
	who      portfolio.Identity

	// v is the document being revised; revised the day of this revision.
	v       *revision
	revised time.Time
	given   *interview.Given
	answers map[string]any
	// theirs is the new rendering; to its path (v.rel unless renamed).
	theirs *pack.Output
	to     string
}

// prepare finds the document, what it was rendered from, and everything
// that can fail before a question is asked.
func (r *editRun) prepare() (err error) {
	if r.st, err = r.sess.State(r.p.Dir); err != nil {
		return err
	}
	r.prompter = r.req.Answers.prompter(r.sess)
	if !r.req.DryRun && r.prompter == nil {
		if r.tx, err = r.sess.Begin(r.ctx, r.st); err != nil {
			return err
		}
	}
	rel, yours, err := r.locate()
	if err != nil {
		return err
	}
	r.store = packstore.For(r.ctx, r.sess.Env, r.p)
	if r.v, err = openRevision(r.p, r.store, rel, yours, nil); err != nil {
		return err
	}
	if r.given, err = r.req.Answers.given(r.req.Dir, r.sess.Stdin, nil, r.v.kind.Questions); err != nil {
		return err
	}
	if r.revised, err = r.sess.ParseDate("--date", r.req.Answers.Date); err != nil {
		return err
	}
	if !r.req.NoCommit && !r.req.DryRun {
		r.repo, r.who, err = r.sess.Signer(r.p)
	}
	return err
}

// locate finds the document the request names, inside the portfolio, and
// reads it.
func (r *editRun) locate() (string, []byte, error) {
	abs := r.req.Path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(r.req.Dir, abs)
	}
	rel, err := filepath.Rel(r.p.Dir, abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", nil, hint.Wrap(fmt.Errorf("%s is not a document of the portfolio at %s", r.req.Path, r.p.Dir), "give the path of a document, e.g. pmfolio edit prd/2026-01-26-checkout.md; 'pmfolio list' shows them")
	}
	rel = filepath.ToSlash(rel)
	if portfolio.IsInternal(rel) || !strings.HasSuffix(rel, ".md") {
		return "", nil, hint.Wrap(fmt.Errorf("%s is not a document: pmfolio edits the Markdown documents it wrote", r.req.Path), "'pmfolio list' shows the documents")
	}
	yours, err := r.p.ReadFile(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, hint.Wrap(fmt.Errorf("%s does not exist", r.req.Path), "'pmfolio list' shows the documents")
	}
	return rel, yours, err
}

// interview asks the questions again, the recorded answers as defaults
// (without a terminal, as answers), the given ones winning.
func (r *editRun) interview() (err error) {
	v := r.v
	defaults, err := v.defaults()
	if err != nil {
		return err
	}
	o := interview.Options{
		Track:       v.rec.Track,
		UseDefaults: r.req.Answers.Defaults,
		Prompter:    r.prompter,
		Expand:      v.expander(),
		Documents:   documentsOf(r.p, v.pk),
		Editor:      r.req.Editor,
		Defaults:    defaults,
		Review:      r.prompter != nil,
	}
	if r.req.Rename {
		o.Check = titleTaken(r.p, v.pk, v.kind, v.input(nil), v.rel)
	}
	r.answers, err = runInterview(v.kind.ID, v.kind.ID, v.kind.Questions, r.given, o)
	return err
}

// render renders the document from the new answers and settles its path.
func (r *editRun) render() (err error) {
	v := r.v
	if r.theirs, err = v.render(r.answers); err != nil {
		return err
	}
	r.to = v.rel
	if r.req.Rename && r.theirs.Path != v.rel {
		r.to = r.theirs.Path
		for _, rel := range []string{r.to, portfolio.AnswersPath(r.to), portfolio.BasePath(r.to)} {
			if err := r.p.CheckConfined(rel); err != nil {
				return hint.Wrap(&pack.PathError{Pack: v.pk.Name, Kind: v.kind.ID, Path: rel, Err: err}, "nothing was written; a pack's output paths stay inside the portfolio")
			}
		}
		if r.p.Exists(r.to) {
			return hint.Wrap(fmt.Errorf("%s already exists; nothing was written", r.display(r.to)), "give the document another title, or leave out --rename to keep its path")
		}
	}
	return nil
}

func (r *editRun) display(rel string) string { return portfolio.Display(r.req.Dir, r.p.Dir, rel) }

// write merges and writes the document, or, for a dry run, says what it
// would write.
func (r *editRun) write() (*EditResult, error) {
	v := r.v
	labels := merge.Labels{Yours: "yours", Base: "base (as rendered before)", Theirs: "new answers"}
	if v.behind() {
		labels.Base = fmt.Sprintf("base (pack v%s)", v.rec.Version)
		labels.Theirs = fmt.Sprintf("new answers, pack v%s", v.pk.Version)
	}
	m, err := v.merge(r.theirs, labels)
	if err != nil {
		return nil, err
	}
	res := &EditResult{Path: r.display(r.to), Conflicts: m.Conflicts, Kept: m.Kept}
	if r.to != v.rel {
		res.From = r.display(v.rel)
	}
	// A revision that changes nothing is none: the day of the revision
	// alone is no reason to write.
	commits := !r.req.NoCommit && !r.req.DryRun
	own, remove := v.files(r.to, m.Content, r.theirs, r.answers, "", commits)
	if r.to == v.rel && unchanged(r.p, own, remove) {
		res.Unchanged = true
		return res, nil
	}
	own, remove = v.files(r.to, m.Content, r.theirs, r.answers, r.revised.Format("2006-01-02"), commits)
	ch, err := r.change(own, remove)
	if err != nil {
		return nil, err
	}
	for _, f := range ch.Files[len(own):] {
		if f.Path != portfolio.ReadmeFile && !portfolio.IsInternal(f.Path) {
			res.Relinked = append(res.Relinked, r.display(f.Path))
		}
	}
	if r.req.DryRun {
		res.Diff = diffOf(r.p, ch, map[string]string{r.to: v.rel})
		return res, nil
	}
	return res, r.apply(ch)
}

// change is the transaction's change: the document's own files (merged,
// answers, base), the README index, and with a rename the documents that
// link it; the old paths removed.
func (r *editRun) change(files []portfolio.File, remove []string) (*portfolio.Change, error) {
	v := r.v
	ch := &portfolio.Change{What: "edit " + v.rel, Replace: map[string]bool{}, Remove: remove}
	pending := []portfolio.Entry{entryOf(r.theirs, r.to)}
	if r.to != v.rel {
		relinked, err := relink(r.p, v.rel, r.to, r.theirs.Title)
		if err != nil {
			return nil, err
		}
		files = append(files, relinked...)
		ch.Remove = append(ch.Remove, v.rel, portfolio.AnswersPath(v.rel), portfolio.BasePath(v.rel))
		pending = append(pending, portfolio.Entry{Path: v.rel, Gone: true})
	}
	readme, err := r.p.ReadmeUpdate(r.repo, r.store.IndexKinds(v.pk), pending...)
	if err != nil {
		return nil, fmt.Errorf("refresh %s: %w", portfolio.ReadmeFile, err)
	}
	ch.Files = append(files, readme)
	for _, f := range ch.Files {
		ch.Replace[f.Path] = true
	}
	if !r.req.NoCommit && !r.req.DryRun {
		msg := fmt.Sprintf("%s: revise %q\n", v.kind.ID, r.theirs.Title)
		if r.to != v.rel {
			msg += fmt.Sprintf("\nMoved from %s.\n", v.rel)
		}
		if ch.Commit, err = r.sess.Commit(r.repo, r.who, msg); err != nil {
			return nil, err
		}
	}
	return ch, nil
}

// entryOf is the README index's entry of a document rendered at rel.
func entryOf(out *pack.Output, rel string) portfolio.Entry {
	return portfolio.Entry{Kind: out.Front.Kind, Title: out.Title, Date: out.Front.Date, Status: out.Front.Status, Path: rel}
}

// diffOf is the unified diff of every file ch writes, pmfolio's own
// bookkeeping left out; from maps a file's new path to its old one.
func diffOf(p *portfolio.Portfolio, ch *portfolio.Change, from map[string]string) []byte {
	var out []byte
	for _, f := range ch.Files {
		if portfolio.IsInternal(f.Path) || f.Path == portfolio.ReadmeFile {
			continue
		}
		old := f.Path
		if o, ok := from[f.Path]; ok {
			old = o
		}
		data, _ := p.ReadFile(old)
		out = append(out, merge.Unified("a/"+old, "b/"+f.Path, data, f.Data)...)
	}
	return out
}

// apply writes and commits the change, once CheckWrite (check.on_write)
// lets it.
func (r *editRun) apply(ch *portfolio.Change) (err error) {
	if r.tx == nil {
		if r.tx, err = r.sess.Begin(r.ctx, r.st); err != nil {
			return err
		}
	}
	if err := CheckWrite(r.ctx, r.sess, r.p, r.store, r.req.Dir, ch); err != nil {
		return err
	}
	err = r.tx.Apply(r.p, *ch)
	var ce *portfolio.CommitError
	if errors.As(err, &ce) {
		return hint.Wrap(fmt.Errorf("wrote %s but could not commit it: %w", r.display(r.to), ce.Err), "your document is safe on disk; commit it with git")
	}
	return err
}
