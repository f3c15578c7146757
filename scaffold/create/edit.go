package create

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/merge"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/render"
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
	pk       *pack.Pack
	kind     *pack.Kind
	prompter interview.Prompter
	repo     *portfolio.Repo
	who      portfolio.Identity

	// rel is the document's path, yours its content, rec its record.
	rel   string
	yours []byte
	rec   interview.Record
	// date is the document's date (it keeps it); revised the day of this
	// revision.
	date, revised time.Time
	recorded      map[string]any
	given         *interview.Given
	answers       map[string]any
	// theirs is the new rendering; to its path (rel unless renamed).
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
	if err := r.locate(); err != nil {
		return err
	}
	if err := r.readRecord(); err != nil {
		return err
	}
	r.store = packstore.For(r.ctx, r.sess.Env, r.p)
	if r.pk, err = r.store.Resolve(r.rec.Pack); err != nil {
		return err
	}
	if r.kind, err = r.pk.Kind(r.rec.Kind); err != nil {
		return hint.Wrap(err, "the document's kind comes from %s", portfolio.AnswersPath(r.rel))
	}
	r.recorded = coerceRecorded(r.kind.Questions, r.given.Values)
	if r.given, err = r.req.Answers.given(r.req.Dir, r.sess.Stdin); err != nil {
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

// locate finds the document the request names, inside the portfolio.
func (r *editRun) locate() error {
	abs := r.req.Path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(r.req.Dir, abs)
	}
	rel, err := filepath.Rel(r.p.Dir, abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return hint.Wrap(fmt.Errorf("%s is not a document of the portfolio at %s", r.req.Path, r.p.Dir), "give the path of a document, e.g. pmfolio edit prd/2026-01-26-checkout.md; 'pmfolio list' shows them")
	}
	r.rel = filepath.ToSlash(rel)
	if portfolio.IsInternal(r.rel) || !strings.HasSuffix(r.rel, ".md") {
		return hint.Wrap(fmt.Errorf("%s is not a document: pmfolio edits the Markdown documents it wrote", r.req.Path), "'pmfolio list' shows the documents")
	}
	r.yours, err = r.p.ReadFile(r.rel)
	if errors.Is(err, fs.ErrNotExist) {
		return hint.Wrap(fmt.Errorf("%s does not exist", r.req.Path), "'pmfolio list' shows the documents")
	}
	return err
}

// readRecord reads the document's answers and how it was rendered: the
// answers file's record, else (a document written before pmfolio kept
// one) its front matter.
func (r *editRun) readRecord() error {
	sidecar := portfolio.AnswersPath(r.rel)
	data, err := r.p.ReadFile(sidecar)
	if errors.Is(err, fs.ErrNotExist) {
		return hint.Wrap(fmt.Errorf("%s has no recorded answers (%s): pmfolio did not write it, or its answers were removed", r.req.Path, sidecar),
			"write it again with 'pmfolio new KIND --answers FILE --force', or edit it by hand")
	}
	if err != nil {
		return err
	}
	r.given = interview.NewGiven()
	if err := r.given.LoadFile(sidecar, data); err != nil {
		return hint.Wrap(err, "an answers file maps question names to answers; fix it, or restore it with git")
	}
	fm, _, _, _, ferr := doc.ParseFrontMatter(r.yours)
	if r.given.Record != nil {
		r.rec = *r.given.Record
	} else if ferr == nil {
		r.rec = interview.Record{Kind: fm.Kind, Date: fm.Date, Track: fm.Track, Pack: fm.Pack.Name, Version: fm.Pack.Version}
	}
	if r.rec.Kind == "" || r.rec.Date == "" {
		return hint.Wrap(fmt.Errorf("%s records neither the document's kind nor its date, and its front matter cannot say", sidecar), "write it again with 'pmfolio new KIND --answers %s --force'", sidecar)
	}
	if r.rec.Track == "" {
		r.rec.Track = r.p.Config.Track
	}
	if r.date, err = time.Parse("2006-01-02", r.rec.Date); err != nil {
		return fmt.Errorf("%s: the recorded date %q is not a date", sidecar, r.rec.Date)
	}
	return nil
}

// coerceRecorded turns recorded answers into the questions' types, leaving
// out those no question takes any more: they are defaults, not orders.
func coerceRecorded(qs []interview.Question, values map[string]any) map[string]any {
	out := make(map[string]any, len(values))
	for i := range qs {
		q := &qs[i]
		raw, ok := values[q.Name]
		if !ok {
			continue
		}
		if v, err := q.Coerce(raw); err == nil {
			out[q.Name] = v
		}
	}
	return out
}

func (r *editRun) input() pack.Input {
	c := r.p.Config
	return pack.Input{Kind: r.kind.ID, Track: r.rec.Track, Author: c.Name, Role: c.Role, Date: r.date, Answers: r.answers}
}

// interview asks the questions again, the recorded answers as defaults
// (without a terminal, as answers), the given ones winning.
func (r *editRun) interview() (err error) {
	in := r.input()
	ctx := pack.Context{Kind: r.kind.ID, Track: r.rec.Track, Author: in.Author, Role: in.Role, Date: r.date,
		Pack: pack.PackInfo{Name: r.pk.Name, Version: r.pk.Version}}
	o := interview.Options{
		Track:       r.rec.Track,
		UseDefaults: r.req.Answers.Defaults,
		Prompter:    r.prompter,
		Expand:      expander{render.New(r.date, render.DefaultLimits), ctx},
		Documents:   documentsOf(r.p, r.pk),
		Editor:      r.req.Editor,
		Defaults:    r.recorded,
		Review:      r.prompter != nil,
	}
	if r.req.Rename {
		o.Check = titleTaken(r.p, r.pk, r.kind, in, r.rel)
	}
	r.answers, err = runInterview(r.kind.ID, r.kind.Questions, r.given, o)
	return err
}

// render renders the document from the new answers and settles its path.
func (r *editRun) render() (err error) {
	if r.theirs, err = r.pk.Generate(engine(r.p, r.date, r.kind.Questions, r.answers), r.input()); err != nil {
		return err
	}
	r.to = r.rel
	if r.req.Rename && r.theirs.Path != r.rel {
		r.to = r.theirs.Path
		for _, rel := range []string{r.to, portfolio.AnswersPath(r.to), portfolio.BasePath(r.to)} {
			if err := r.p.CheckConfined(rel); err != nil {
				return hint.Wrap(&pack.PathError{Pack: r.pk.Name, Kind: r.kind.ID, Path: rel, Err: err}, "nothing was written; a pack's output paths stay inside the portfolio")
			}
		}
		if r.p.Exists(r.to) {
			return hint.Wrap(fmt.Errorf("%s already exists; nothing was written", r.display(r.to)), "give the document another title, or leave out --rename to keep its path")
		}
	}
	return nil
}

func (r *editRun) display(rel string) string { return portfolio.Display(r.req.Dir, r.p.Dir, rel) }

// base is the document as it was rendered last: the base recorded beside
// it, else (a document written before pmfolio kept one) its recorded
// answers rendered again.
func (r *editRun) base() ([]byte, error) {
	name := r.rec.Base
	if name == "" {
		name = portfolio.BasePath(r.rel)
	}
	data, err := r.p.ReadFile(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return data, err
	}
	answers, err := interview.Run(r.kind.Questions, interview.Options{Track: r.rec.Track, Given: r.recorded, UseDefaults: true,
		Expand: expander{render.New(r.date, render.DefaultLimits), pack.Context{Kind: r.kind.ID, Track: r.rec.Track, Date: r.date}}})
	if err != nil {
		return nil, hint.Wrap(fmt.Errorf("%s: no base to merge your edits with, and its recorded answers cannot render it: %v", r.req.Path, err),
			"replace it with 'pmfolio new %s --answers %s --force' (its old version stays in git history)", r.kind.ID, portfolio.AnswersPath(r.rel))
	}
	in := r.input()
	in.Answers = answers
	out, err := r.pk.Generate(engine(r.p, r.date, r.kind.Questions, answers), in)
	if err != nil {
		return nil, err
	}
	return out.Content, nil
}

// write merges and writes the document, or, for a dry run, says what it
// would write.
func (r *editRun) write() (*EditResult, error) {
	base, err := r.base()
	if err != nil {
		return nil, err
	}
	labels := merge.Labels{Yours: "yours", Base: "base (as rendered before)", Theirs: "new answers"}
	if r.rec.Version != "" && r.rec.Version != r.pk.Version {
		labels.Base = fmt.Sprintf("base (pack v%s)", r.rec.Version)
		labels.Theirs = fmt.Sprintf("new answers, pack v%s", r.pk.Version)
	}
	m := merge.Documents(base, r.yours, r.theirs.Content, labels)
	res := &EditResult{Path: r.display(r.to), Conflicts: m.Conflicts, Kept: m.Kept}
	if r.to != r.rel {
		res.From = r.display(r.rel)
	}
	rec := record(r.store, r.pk, r.kind.ID, r.rec.Track, r.date, r.to)
	// A revision that changes nothing is none: the day of the revision
	// alone is no reason to write.
	rec.Revised = r.rec.Revised
	own := append([]portfolio.File{{Path: r.to, Data: m.Content}}, renderedFiles(rec, r.kind.Questions, r.answers, r.theirs, r.to)...)
	if r.to == r.rel && r.unchanged(own) {
		res.Unchanged = true
		return res, nil
	}
	rec.Revised = r.revised.Format("2006-01-02")
	own = append(own[:1], renderedFiles(rec, r.kind.Questions, r.answers, r.theirs, r.to)...)
	ch, err := r.change(own)
	if err != nil {
		return nil, err
	}
	for _, f := range ch.Files[len(own):] {
		if f.Path != portfolio.ReadmeFile && !portfolio.IsInternal(f.Path) {
			res.Relinked = append(res.Relinked, r.display(f.Path))
		}
	}
	if r.req.DryRun {
		res.Diff = r.diff(ch)
		return res, nil
	}
	return res, r.apply(ch)
}

// unchanged reports whether files are as they are on disk.
func (r *editRun) unchanged(files []portfolio.File) bool {
	for _, f := range files {
		old, err := r.p.ReadFile(f.Path)
		if err != nil || string(old) != string(f.Data) {
			return false
		}
	}
	return true
}

// change is the transaction's change: the document's own files (merged,
// answers, base), the README index, and with a rename the documents that
// link it; the old paths removed.
func (r *editRun) change(files []portfolio.File) (*portfolio.Change, error) {
	ch := &portfolio.Change{What: "edit " + r.rel, Replace: map[string]bool{}}
	pending := []portfolio.Entry{{Kind: r.kind.ID, Title: r.theirs.Title, Date: r.theirs.Front.Date, Status: r.theirs.Front.Status, Path: r.to}}
	if r.to != r.rel {
		relinked, err := relink(r.p, r.rel, r.to, r.theirs.Title)
		if err != nil {
			return nil, err
		}
		files = append(files, relinked...)
		ch.Remove = []string{r.rel, portfolio.AnswersPath(r.rel), portfolio.BasePath(r.rel)}
		pending = append(pending, portfolio.Entry{Path: r.rel, Gone: true})
	}
	readme, err := r.p.ReadmeUpdate(r.repo, r.store.IndexKinds(r.pk), pending...)
	if err != nil {
		return nil, fmt.Errorf("refresh %s: %w", portfolio.ReadmeFile, err)
	}
	ch.Files = append(files, readme)
	for _, f := range ch.Files {
		ch.Replace[f.Path] = true
	}
	if !r.req.NoCommit && !r.req.DryRun {
		msg := fmt.Sprintf("%s: revise %q\n", r.kind.ID, r.theirs.Title)
		if r.to != r.rel {
			msg += fmt.Sprintf("\nMoved from %s.\n", r.rel)
		}
		if ch.Commit, err = r.sess.Commit(r.repo, r.who, msg); err != nil {
			return nil, err
		}
	}
	return ch, nil
}

// diff is the unified diff of every file the change writes or removes,
// pmfolio's own bookkeeping left out.
func (r *editRun) diff(ch *portfolio.Change) []byte {
	var out []byte
	for _, f := range ch.Files {
		if portfolio.IsInternal(f.Path) || f.Path == portfolio.ReadmeFile {
			continue
		}
		from := f.Path
		if f.Path == r.to {
			from = r.rel
		}
		old, _ := r.p.ReadFile(from)
		out = append(out, merge.Unified("a/"+from, "b/"+f.Path, old, f.Data)...)
	}
	return out
}

// apply writes and commits the change.
func (r *editRun) apply(ch *portfolio.Change) (err error) {
	if r.tx == nil {
		if r.tx, err = r.sess.Begin(r.ctx, r.st); err != nil {
			return err
		}
	}
	err = r.tx.Apply(r.p, *ch)
	var ce *portfolio.CommitError
	if errors.As(err, &ce) {
		return hint.Wrap(fmt.Errorf("wrote %s but could not commit it: %w", r.display(r.to), ce.Err), "your document is safe on disk; commit it with git")
	}
	return err
}
