package app

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/urfave/cli/v2"
)

func newCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "interview yourself and write a new document",
		ArgsUsage: "KIND",
		UsageText: `pmfolio new [options] KIND

KIND is one of: interview brief prd retro teardown story (or a kind of your pack).

Examples:
   pmfolio new prd                                   # asks each question in the terminal
   pmfolio new story --answers story.yaml            # answers from a file, no prompts
   pmfolio new prd --answers prd.yaml --set status="Launch review"
   pmfolio new interview --dry-run --defaults        # preview without writing
   pmfolio new prd --resume                          # continue an interrupted interview

In a terminal each answer is saved as a draft as it is given (in the git
folder, never in the portfolio): after Ctrl-C or a crash, --resume continues
where you stopped, and the next 'pmfolio new KIND' offers to.`,
		Flags: append(answerFlags(),
			&cli.BoolFlag{Name: "dry-run", Usage: "print the document (stdout) and its path (stderr) without writing anything"},
			&cli.BoolFlag{Name: "no-commit", Usage: "write the document but do not commit it"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing document with the same path"},
			&cli.StringFlag{Name: "track", Usage: "the `TRACK` of this document, core or technical, overriding the portfolio's"},
			&cli.StringFlag{Name: "pack", Usage: "use the template pack `NAME` instead of the portfolio's"},
			&cli.BoolFlag{Name: "editor", Usage: "write long (multi-line) answers in $VISUAL or $EDITOR instead of the terminal"},
			&cli.BoolFlag{Name: "resume", Usage: "continue the latest interrupted interview of KIND from its draft (see 'pmfolio drafts')"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return withHint(usagef("new: %v", errNoKind), "usage: pmfolio new KIND, e.g. pmfolio new prd")
			}
			if err := maxArgs(c, 1, "new [options] KIND"); err != nil {
				return err
			}
			dir, err := e.dir(c)
			if err != nil {
				return err
			}
			return newRun(e, newOptions{
				Dir:      dir,
				Kind:     c.Args().First(),
				Pack:     c.String("pack"),
				Track:    c.String("track"),
				Answers:  readAnswerOptions(c),
				DryRun:   c.Bool("dry-run"),
				NoCommit: c.Bool("no-commit"),
				Force:    c.Bool("force"),
				Editor:   c.Bool("editor"),
				Resume:   c.Bool("resume"),
			})
		},
	}
}

type newOptions struct {
	Dir      string
	Kind     string
	Pack     string
	Track    string
	Answers  answerOptions
	DryRun   bool
	NoCommit bool
	Force    bool
	Editor   bool
	Resume   bool
}

func newRun(e *env, o newOptions) error {
	p, err := openPortfolio(o.Dir)
	if err != nil {
		return err
	}
	defer p.Close()
	st, err := portfolio.StateFor(p.Dir)
	if err != nil {
		return err
	}
	prompter := o.Answers.prompter(e.streams)
	var lock *portfolio.Lock
	defer func() { lock.Unlock() }()
	// Without prompts a run takes milliseconds: it holds the lock from the
	// start, so that the folders it reads are the ones it writes into. An
	// interview in a terminal takes minutes: the lock is taken once the
	// answers are in, and the folders are read again then.
	if !o.DryRun && prompter == nil {
		if lock, _, err = e.writeLock(st); err != nil {
			return err
		}
	}
	p.Prefetch()
	pk, err := resolvePack(p.Config, o.Pack)
	if err != nil {
		return err
	}
	kind, err := pk.Kind(o.Kind)
	if err != nil {
		return withHint(usagef("%w", err), "usage: pmfolio new KIND")
	}
	given, err := o.Answers.given(o.Dir, e.streams.In)
	if err != nil {
		return err
	}
	draft, err := openDraft(st, kind.ID, o, prompter, given)
	if err != nil {
		return err
	}
	track := p.Config.Track
	if draft.track != "" {
		track = draft.track
	}
	if o.Track != "" {
		if o.Track != interview.TrackCore && o.Track != interview.TrackTechnical {
			return withHint(usagef("--track %q must be core or technical", o.Track), "e.g. --track technical")
		}
		track = o.Track
	}
	draft.track = track
	if o.Answers.Date == "" {
		o.Answers.Date = draft.date
	}
	today, err := o.Answers.today()
	if err != nil {
		return err
	}
	// A missing repository or identity is found before the interview, not
	// after someone has answered every question.
	var repo *portfolio.Repo
	var who portfolio.Identity
	if !o.NoCommit && !o.DryRun {
		if repo, who, err = commitIdentity(p); err != nil {
			return err
		}
	}
	engine := render.New(today, render.DefaultLimits)
	ctx := pack.Context{Kind: kind.ID, Track: track, Author: p.Config.Name, Role: p.Config.Role, Date: today,
		Pack: pack.PackInfo{Name: pk.Name, Version: pk.Version}}
	iopts := interview.Options{
		Track:       track,
		UseDefaults: o.Answers.Defaults,
		Prompter:    prompter,
		Expand:      expander{engine, ctx},
		Documents:   documentsOf(p, pk),
		Editor:      o.Editor,
	}
	if prompter != nil {
		iopts.OnAnswer = draft.saver(e.streams.Err, kind.Questions, given)
	}
	answers, err := runInterview(kind.ID, kind.Questions, given, iopts)
	if err != nil {
		return draft.interrupted(err)
	}
	out, err := pk.Generate(engine, pack.Input{Kind: kind.ID, Answers: answers, Track: track,
		Author: p.Config.Name, Role: p.Config.Role, Date: today})
	if err != nil {
		return err
	}
	for _, rel := range []string{out.Path, portfolio.AnswersPath(out.Path)} {
		if err := p.CheckConfined(rel); err != nil {
			return withHint(&pack.PathError{Pack: pk.Name, Kind: kind.ID, Path: rel, Err: err}, "nothing was written; a pack's output paths stay inside the portfolio")
		}
	}
	shown := display(o.Dir, p.Dir, out.Path)
	if o.DryRun {
		fmt.Fprintf(e.streams.Err, "pmfolio: would write %s\n", shown)
		_, err := e.streams.Out.Write(out.Content)
		return err
	}
	if lock == nil {
		if lock, _, err = e.writeLock(st); err != nil {
			return draft.kept(err)
		}
		p.Prefetch()
	}
	exists := p.Exists(out.Path)
	if exists && !o.Force {
		return draft.kept(withHint(fmt.Errorf("%s already exists; nothing was written", shown),
			"give the document another title, or add --force to replace it (its old version stays in git history)"))
	}
	sidecar := portfolio.AnswersPath(out.Path)
	header := fmt.Sprintf("Answers pmfolio rendered %s from (pack %s %s, track %s).\nRender it again: pmfolio new %s --answers %s --force", out.Path, pk.Name, pk.Version, track, kind.ID, sidecar)
	files := []portfolio.File{
		{Path: out.Path, Data: out.Content},
		{Path: sidecar, Data: interview.MarshalAnswers(kind.Questions, answers, track, header)},
	}
	if err := keepEdits(p, files, o.Answers.inputs(o.Dir)); err != nil {
		return draft.kept(err)
	}
	readme, err := p.ReadmeUpdate(repo, portfolioKinds(p.Config, pk), portfolio.Entry{Kind: kind.ID, Title: out.Title, Date: out.Front.Date, Status: out.Front.Status, Path: out.Path})
	if err != nil {
		return fmt.Errorf("refresh %s: %w", portfolio.ReadmeFile, err)
	}
	files = append(files, readme)
	change := portfolio.Change{
		What:    "new " + kind.ID,
		Files:   files,
		Replace: map[string]bool{out.Path: o.Force, sidecar: true, portfolio.ReadmeFile: true},
		Draft:   draft.finished(),
	}
	if !o.NoCommit {
		verb := "add"
		if exists {
			verb = "update"
		}
		change.Commit = &portfolio.CommitInfo{Repo: repo, Message: fmt.Sprintf("%s: %s %q\n", kind.ID, verb, out.Title), Author: who, When: time.Now()}
	}
	if err := lock.Apply(p, change); err != nil {
		var ee *portfolio.ExistsError
		var ce *portfolio.CommitError
		switch {
		case errors.As(err, &ee):
			return draft.kept(withHint(fmt.Errorf("%s already exists; nothing was written", display(o.Dir, p.Dir, ee.Path)), "add --force to replace it"))
		case errors.As(err, &ce):
			return withHint(fmt.Errorf("wrote %s but could not commit it: %w", shown, ce.Err),
				"your document is safe on disk; commit it with git")
		}
		return draft.kept(err)
	}
	fmt.Fprintln(e.streams.Out, shown)
	return nil
}

// keepEdits refuses to replace a file whose content git does not have:
// the owner's uncommitted edits would be lost for good. The README is not
// checked: its refresh keeps the owner's text (see ReadmeUpdate). An
// answers file given with --answers may be replaced: its edits are this
// run's input, and live on in what it writes.
func keepEdits(p *portfolio.Portfolio, files []portfolio.File, inputs map[string]bool) error {
	repo, err := p.Repo()
	if errors.Is(err, portfolio.ErrNoRepo) {
		// Without git, --force is the owner's only say.
		return nil
	}
	if err != nil {
		return err
	}
	for _, f := range files {
		abs := filepath.Join(p.Dir, filepath.FromSlash(f.Path))
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		if !p.Exists(f.Path) || inputs[abs] {
			continue
		}
		dirty, err := repo.Uncommitted(f.Path)
		if err != nil {
			return err
		}
		if dirty {
			return withHint(fmt.Errorf("%s has changes that are not committed; replacing it would lose them, so nothing was written", f.Path),
				"commit them first (its old version then stays in git history), or give the document another title")
		}
	}
	return nil
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

// openPortfolio finds the portfolio enclosing dir, with a hint when none does.
func openPortfolio(dir string) (*portfolio.Portfolio, error) {
	p, err := portfolio.Open(dir)
	var nf *portfolio.NotFoundError
	if errors.As(err, &nf) {
		return nil, withHint(err, "create one with 'pmfolio init DIR', or point at one with -C DIR")
	}
	return p, err
}

// commitIdentity opens the repository and finds who signs commits, before
// anything is written, so that a missing identity costs nothing.
func commitIdentity(p *portfolio.Portfolio) (*portfolio.Repo, portfolio.Identity, error) {
	repo, err := p.Repo()
	if errors.Is(err, portfolio.ErrNoRepo) {
		return nil, portfolio.Identity{}, withHint(fmt.Errorf("%s is not in a git repository", p.Dir), "use --no-commit, or create one with 'git init'")
	}
	if err != nil {
		return nil, portfolio.Identity{}, err
	}
	who, err := portfolio.ResolveIdentity(p.Config, repo)
	if err != nil {
		return nil, who, withHint(err, "git config --global user.name \"Your Name\" && git config --global user.email you@example.com\nor add author: {name: ..., email: ...} to pmfolio.yaml, or use --no-commit")
	}
	return repo, who, nil
}

// display is how a portfolio path is printed: relative to the folder the
// command runs in (-C DIR or the current one), as git prints paths.
func display(base, root, rel string) string {
	abs := filepath.Join(root, filepath.FromSlash(rel))
	if r, err := filepath.Rel(base, abs); err == nil {
		return r
	}
	return abs
}

func kindInfos(pk *pack.Pack) []portfolio.KindInfo {
	var out []portfolio.KindInfo
	for _, k := range pk.OrderedKinds() {
		out = append(out, portfolio.KindInfo{ID: k.ID, Name: k.Name, Folder: k.Folder(), Month: k.Month, Target: k.Target})
	}
	return out
}

// portfolioKinds are the kinds the README index lists: the portfolio's
// pack's, then those only the pack in use (pk) or another pinned pack has,
// so that a course's extra kind stays in the index whichever pack the
// next document comes from. A pinned pack that cannot be loaded now only
// leaves its kinds out of the index.
func portfolioKinds(cfg *portfolio.Config, pk *pack.Pack) []portfolio.KindInfo {
	var out []portfolio.KindInfo
	seen := map[string]bool{}
	add := func(p *pack.Pack) {
		for _, k := range kindInfos(p) {
			if !seen[k.ID] {
				seen[k.ID] = true
				out = append(out, k)
			}
		}
	}
	if own, err := resolvePack(cfg, ""); err == nil {
		add(own)
	}
	add(pk)
	names := slices.Sorted(maps.Keys(cfg.Packs))
	for _, name := range names {
		if name == pk.Name || name == cfg.Pack {
			continue
		}
		if p, err := resolvePack(cfg, name); err == nil {
			add(p)
		}
	}
	return out
}
