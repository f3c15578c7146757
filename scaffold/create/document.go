package create

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// DocumentRequest asks for a new document: pmfolio new.
type DocumentRequest struct {
	// Dir is the folder the command runs in, inside the portfolio.
	Dir string
	// Kind is the kind of document; Pack the pack to take it from ("" is
	// the portfolio's); Track overrides the portfolio's track.
	Kind, Pack, Track string
	Answers           Answers
	// DryRun renders without writing anything; NoCommit writes without
	// committing; Force replaces an existing document.
	DryRun, NoCommit, Force bool
	// Editor asks long answers in $VISUAL or $EDITOR; Resume continues the
	// latest draft of Kind.
	Editor, Resume bool
	// Samples starts from the pack's sample answers of Kind (for a kind
	// that overrides another, the base's first): Answers win over them.
	Samples bool
}

// DocumentResult is what Document wrote, or would write.
type DocumentResult struct {
	// Path is the document's path relative to the request's folder, as
	// git prints paths.
	Path string
	// Content is the document (for a dry run).
	Content []byte
}

// Document interviews the person (or takes the given answers), renders
// the document, and writes and commits it with its answers file and the
// refreshed README index, in one transaction. A dry run writes nothing.
func Document(ctx context.Context, sess *session.Session, req DocumentRequest) (*DocumentResult, error) {
	pack.Preload()
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	r := &docRun{ctx: ctx, sess: sess, req: req, p: p}
	defer func() { r.tx.Close() }()
	if err := r.prepare(); err != nil {
		return nil, err
	}
	if err := r.interview(); err != nil {
		return nil, r.draft.interrupted(err)
	}
	out, err := r.render()
	if err != nil {
		return nil, err
	}
	res := &DocumentResult{Path: portfolio.Display(req.Dir, p.Dir, out.Path), Content: out.Content}
	if req.DryRun {
		return res, nil
	}
	return res, r.write(out, res.Path)
}

// docRun is one run of Document.
type docRun struct {
	ctx      context.Context
	sess     *session.Session
	req      DocumentRequest
	p        *portfolio.Portfolio
	st       *portfolio.State
	tx       *portfolio.Tx
	store    *packstore.Store
	pk       *pack.Pack
	kind     *pack.Kind
	prompter interview.Prompter
	given    *interview.Given
	draft    *draftSession
	track    string
	today    time.Time
	repo     *portfolio.Repo
	who      portfolio.Identity
	answers  map[string]any
}

// prepare finds everything the interview needs, and everything that can
// fail before anyone answers a question: the pack, the kind, the answers
// given, the draft, the date, the repository and the commit identity.
func (r *docRun) prepare() (err error) {
	if r.st, err = r.sess.State(r.p.Dir); err != nil {
		return err
	}
	r.prompter = r.req.Answers.prompter(r.sess)
	// Without prompts a run takes milliseconds: it holds the lock from the
	// start, so that the folders it reads are the ones it writes into. An
	// interview in a terminal takes minutes: the lock is taken once the
	// answers are in, and the folders are read again then.
	if !r.req.DryRun && r.prompter == nil {
		if r.tx, err = r.sess.Begin(r.ctx, r.st); err != nil {
			return err
		}
	}
	r.p.UseIndexCache(r.st.IndexCache())
	r.store = packstore.For(r.ctx, r.sess.Env, r.p)
	if r.pk, err = r.store.Resolve(r.req.Pack); err != nil {
		return err
	}
	if r.kind, err = r.pk.Kind(r.req.Kind); err != nil {
		return hint.Wrap(err, "usage: pmfolio new KIND")
	}
	var samples []pack.SampleFile
	if r.req.Samples {
		if samples = r.kind.SampleAnswers(); len(samples) == 0 {
			return hint.Wrap(fmt.Errorf("pack %q has no sample answers for kind %q", r.pk.Name, r.kind.ID), "give answers with --answers FILE or --set NAME=VALUE")
		}
	}
	if r.given, err = r.req.Answers.given(r.req.Dir, r.sess.Stdin, samples, r.kind.Questions); err != nil {
		return err
	}
	// The answers file of a document records the day it was first written:
	// rendering it again (new --answers FILE --force) keeps that date.
	date := r.req.Answers.Date
	if rec := r.given.Record; rec != nil {
		if rec.Kind != "" && rec.Kind != r.kind.ID {
			return hint.Wrap(fmt.Errorf("%s holds the answers of a %s, not of a %s", r.given.RecordFile, rec.Kind, r.kind.ID), "pmfolio new %s --answers %s", rec.Kind, r.given.RecordFile)
		}
		if date == "" {
			date = rec.Date
		}
	}
	if r.draft, err = openDraft(r.st, r.kind.ID, date, r.req.Resume, r.prompter, r.given, r.sess.Now(), r.sess.Log); err != nil {
		return err
	}
	if err := r.settleTrack(); err != nil {
		return err
	}
	if r.today, err = r.sess.ParseDate("--date", r.draft.date); err != nil {
		return err
	}
	// A missing repository or identity is found before the interview, not
	// after someone has answered every question.
	if !r.req.NoCommit && !r.req.DryRun {
		r.repo, r.who, err = r.sess.Signer(r.p)
	}
	return err
}

// settleTrack takes the track from --track, else the draft, else the
// answers file's record, else the portfolio.
func (r *docRun) settleTrack() error {
	r.track = r.p.Config.Track
	if rec := r.given.Record; rec != nil && rec.Track != "" {
		r.track = rec.Track
	}
	if r.draft.track != "" {
		r.track = r.draft.track
	}
	if t := r.req.Track; t != "" {
		if err := doc.ValidateTrack(t, false); err != nil {
			return hint.Wrap(fmt.Errorf("--%v", err), "e.g. --track technical")
		}
		r.track = t
	}
	r.draft.track = r.track
	return nil
}

func (r *docRun) context() pack.Context {
	c := r.p.Config
	return pack.Context{Kind: r.kind.ID, Track: r.track, Author: c.Name, Role: c.Role, Date: r.today,
		Pack: pack.PackInfo{Name: r.pk.Name, Version: r.pk.Version}}
}

func (r *docRun) interview() (err error) {
	engine := render.New(r.today, render.DefaultLimits)
	c := r.p.Config
	o := interview.Options{
		Track:       r.track,
		UseDefaults: r.req.Answers.Defaults,
		Prompter:    r.prompter,
		Expand:      expander{engine, r.context()},
		Documents:   documentsOf(r.p, r.pk),
		Editor:      r.req.Editor,
		Review:      r.prompter != nil,
		Retry:       r.draft.given,
	}
	if !r.req.Force {
		o.Check = titleTaken(r.p, r.pk, r.kind, pack.Input{Kind: r.kind.ID, Track: r.track, Author: c.Name, Role: c.Role, Date: r.today}, "")
	}
	if r.prompter != nil {
		o.OnAnswer = r.draft.saver(r.sess.Log, r.kind.Questions, r.given)
	}
	r.answers, err = runInterview(r.kind.ID, r.kind.ID+r.packFlag(), r.kind.Questions, r.given, o)
	return err
}

func (r *docRun) render() (*pack.Output, error) {
	c := r.p.Config
	out, err := r.pk.Generate(engine(r.p, r.today, r.kind.Questions, r.answers), pack.Input{Kind: r.kind.ID, Answers: r.answers, Track: r.track,
		Author: c.Name, Role: c.Role, Date: r.today})
	if err != nil {
		return nil, err
	}
	for _, rel := range []string{out.Path, portfolio.AnswersPath(out.Path), portfolio.BasePath(out.Path)} {
		if err := r.p.CheckConfined(rel); err != nil {
			return nil, hint.Wrap(&pack.PathError{Pack: r.pk.Name, Kind: r.kind.ID, Path: rel, Err: err}, "nothing was written; a pack's output paths stay inside the portfolio")
		}
	}
	return out, nil
}

// write writes and commits the document, its answers and the README.
func (r *docRun) write(out *pack.Output, shown string) (err error) {
	if r.tx == nil {
		if r.tx, err = r.sess.Begin(r.ctx, r.st); err != nil {
			return r.draft.kept(err)
		}
	}
	exists := r.p.Exists(out.Path)
	if exists && !r.req.Force {
		return r.draft.kept(hint.Wrap(fmt.Errorf("%s already exists; nothing was written", shown),
			"give the document another title (--set title=\"...\"), revise that one with 'pmfolio edit %s', or add --force to replace it (its old version stays in git history)", shown))
	}
	ch, err := r.change(out, exists)
	if err != nil {
		return r.draft.kept(err)
	}
	if err := CheckWrite(r.ctx, r.sess, r.p, r.store, r.req.Dir, ch); err != nil {
		return r.draft.kept(err)
	}
	err = r.tx.Apply(r.p, *ch)
	if err == nil {
		r.p.SaveIndexCache()
	}
	var ee *portfolio.ExistsError
	var ce *portfolio.CommitError
	switch {
	case errors.As(err, &ee):
		return r.draft.kept(hint.Wrap(fmt.Errorf("%s already exists; nothing was written", portfolio.Display(r.req.Dir, r.p.Dir, ee.Path)), "give the document another title (--set title=\"...\"), or add --force to replace it"))
	case errors.As(err, &ce):
		return hint.Wrap(fmt.Errorf("wrote %s but could not commit it: %w", shown, ce.Err), "your document is safe on disk; commit it with git")
	}
	return r.draft.kept(err)
}

// change is the transaction's change: the document, its answers file and
// base, and the README index, committed unless NoCommit.
func (r *docRun) change(out *pack.Output, exists bool) (*portfolio.Change, error) {
	pin, _ := r.store.Pin(r.pk.Name)
	rec := record(pin, r.pk, r.kind.ID, r.track, r.today)
	own, remove := renderedFiles(r.p, rec, r.kind.Questions, r.answers, out, out.Path, out.Content, !r.req.NoCommit)
	files := append([]portfolio.File{{Path: out.Path, Data: out.Content}}, own...)
	err := r.p.KeepEdits(files, r.req.Answers.inputs(r.req.Dir))
	var ue *portfolio.UncommittedError
	if errors.As(err, &ue) {
		return nil, hint.Wrap(fmt.Errorf("%s; replacing it would lose them, so nothing was written", err),
			"commit them first (its old version then stays in git history), or give the document another title")
	}
	if err != nil {
		return nil, err
	}
	// The front page's summary of the new document, from what was just
	// rendered rather than read back.
	_, body, _, _ := doc.SplitFrontMatter(out.Content)
	entry := portfolio.Entry{Kind: r.kind.ID, Title: out.Title, Date: out.Front.Date, Status: out.Front.Status, Path: out.Path,
		Visibility: out.Front.Visibility, Summary: doc.Summary(string(body), r.kind.Summary)}
	readme, err := r.p.ReadmeUpdate(r.repo, r.store.IndexKinds(r.pk), entry)
	if err != nil {
		return nil, fmt.Errorf("refresh %s: %w", portfolio.ReadmeFile, err)
	}
	ch := &portfolio.Change{
		What:  "new " + r.kind.ID,
		Files: append(files, readme),
		Replace: map[string]bool{out.Path: r.req.Force, portfolio.AnswersPath(out.Path): true, portfolio.BasePath(out.Path): true,
			portfolio.ReadmeFile: true},
		Remove: remove,
		Draft:  r.draft.finished(),
	}
	if !r.req.NoCommit {
		verb := "add"
		if exists {
			verb = "update"
		}
		if ch.Commit, err = r.sess.Commit(r.repo, r.who, fmt.Sprintf("%s: %s %q\n", r.kind.ID, verb, out.Title)); err != nil {
			return nil, err
		}
	}
	return ch, nil
}

// packFlag is " --pack NAME" when the document's pack is not the
// portfolio's, so that the commands hints name run with the same pack.
func (r *docRun) packFlag() string { return packFlag(r.p, r.pk.Name) }

// packFlag is " --pack NAME" when the pack called name is not the
// portfolio's own.
func packFlag(p *portfolio.Portfolio, name string) string {
	own := p.Config.Pack
	if own == "" {
		own = pack.DefaultName
	}
	if name == own {
		return ""
	}
	return " --pack " + name
}

// documentsOf offers a portfolio's documents of a kind as choices.
func documentsOf(p *portfolio.Portfolio, pk *pack.Pack) func(string) []string {
	return func(kind string) []string {
		k, err := pk.Kind(kind)
		if err != nil {
			return nil
		}
		docs, _ := p.Documents(k.Folder())
		return docs
	}
}
