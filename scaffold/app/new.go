package app

import (
	"errors"
	"fmt"
	"path/filepath"
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
   pmfolio new interview --dry-run --defaults        # preview without writing`,
		Flags: append(answerFlags(),
			&cli.BoolFlag{Name: "dry-run", Usage: "print the document (stdout) and its path (stderr) without writing anything"},
			&cli.BoolFlag{Name: "no-commit", Usage: "write the document but do not commit it"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing document with the same path"},
			&cli.StringFlag{Name: "track", Usage: "`core` or `technical`, overriding the portfolio's track for this document"},
			&cli.StringFlag{Name: "pack", Usage: "use the template pack `NAME` instead of the portfolio's"},
			&cli.BoolFlag{Name: "editor", Usage: "write long (multi-line) answers in $VISUAL or $EDITOR instead of the terminal"},
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
}

func newRun(e *env, o newOptions) error {
	p, err := openPortfolio(o.Dir)
	if err != nil {
		return err
	}
	defer p.Close()
	p.Prefetch()
	pk, err := resolvePack(p.Config, o.Pack)
	if err != nil {
		return err
	}
	kind, err := pk.Kind(o.Kind)
	if err != nil {
		return withHint(usagef("%v", err), "usage: pmfolio new KIND")
	}
	track := p.Config.Track
	if o.Track != "" {
		if o.Track != interview.TrackCore && o.Track != interview.TrackTechnical {
			return withHint(usagef("--track %q must be core or technical", o.Track), "e.g. --track technical")
		}
		track = o.Track
	}
	today, err := o.Answers.today()
	if err != nil {
		return err
	}
	given, err := o.Answers.given(o.Dir, e.streams.In)
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
	answers, err := runInterview(kind.ID, kind.Questions, given, interview.Options{
		Track:       track,
		UseDefaults: o.Answers.Defaults,
		Prompter:    o.Answers.prompter(e.streams),
		Expand:      expander{engine, ctx},
		Documents:   documentsOf(p, pk),
		Editor:      o.Editor,
	})
	if err != nil {
		return err
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
	exists := p.Exists(out.Path)
	if exists && !o.Force {
		return withHint(fmt.Errorf("%s already exists; nothing was written", shown),
			"give the document another title, or add --force to replace it (its old version stays in git history)")
	}
	sidecar := portfolio.AnswersPath(out.Path)
	header := fmt.Sprintf("Answers pmfolio rendered %s from (pack %s %s, track %s).\nRender it again: pmfolio new %s --answers %s --force", out.Path, pk.Name, pk.Version, track, kind.ID, sidecar)
	readme, err := p.Readme(kindInfos(pk), portfolio.Entry{Kind: kind.ID, Title: out.Title, Date: out.Front.Date, Status: out.Front.Status, Path: out.Path})
	if err != nil {
		return fmt.Errorf("refresh %s: %w", portfolio.ReadmeFile, err)
	}
	files := []portfolio.File{
		{Path: out.Path, Data: out.Content},
		{Path: sidecar, Data: interview.MarshalAnswers(kind.Questions, answers, track, header)},
		{Path: portfolio.ReadmeFile, Data: readme},
	}
	replace := map[string]bool{out.Path: o.Force, sidecar: true, portfolio.ReadmeFile: true}
	if err := p.Write(files, replace); err != nil {
		var ee *portfolio.ExistsError
		if errors.As(err, &ee) {
			return withHint(fmt.Errorf("%s already exists; nothing was written", display(o.Dir, p.Dir, ee.Path)), "add --force to replace it")
		}
		return err
	}
	if !o.NoCommit {
		verb := "add"
		if exists {
			verb = "update"
		}
		msg := fmt.Sprintf("%s: %s %q\n", kind.ID, verb, out.Title)
		if _, err := repo.Commit(files, msg, who, time.Now()); err != nil {
			return withHint(fmt.Errorf("wrote %s but could not commit it: %w", shown, err),
				"your document is safe on disk; commit it with git, or run the command again with --force")
		}
	}
	fmt.Fprintln(e.streams.Out, shown)
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
