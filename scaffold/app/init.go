package app

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/urfave/cli/v2"
)

func initCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "create a portfolio: configuration, a folder per kind, a README index, a git repository",
		ArgsUsage: "[DIR]",
		UsageText: `pmfolio init [options] [DIR]

Asks for your name, target role, track (core or technical) and the start date
of your 90-day plan. DIR defaults to the current folder; it is created if
needed. Inside an existing git repository the portfolio becomes a folder of
it; otherwise a repository is created.

Examples:
   pmfolio init my-portfolio
   pmfolio init --set name="Ada Lovelace" --set role="Product Manager" --defaults portfolio`,
		Flags: append(answerFlags(),
			&cli.BoolFlag{Name: "no-commit", Usage: "write the portfolio but do not commit it"},
		),
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 1, "init [options] [DIR]"); err != nil {
				return err
			}
			dir, err := e.dir(c)
			if err != nil {
				return err
			}
			return initRun(e, initOptions{
				Base:     dir,
				Target:   c.Args().First(),
				Answers:  readAnswerOptions(c),
				NoCommit: c.Bool("no-commit"),
			})
		},
	}
}

type initOptions struct {
	Base     string
	Target   string
	Answers  answerOptions
	NoCommit bool
}

func initRun(e *env, o initOptions) error {
	target := o.Base
	if o.Target != "" {
		target = o.Target
		if !filepath.IsAbs(target) {
			target = filepath.Join(o.Base, target)
		}
	}
	shown := display(o.Base, target, ".")
	if fi, err := os.Stat(target); err == nil && !fi.IsDir() {
		return withHint(usagef("%s is a file, not a folder", shown), "pmfolio init DIR creates the folder DIR")
	}
	// A second try of an init a crash interrupted goes on to the lock,
	// which finishes it; any other portfolio here is a mistake.
	if !interruptedInit(target) {
		if err := noPortfolioAt(target, shown); err != nil {
			return err
		}
	}
	pk, err := pack.Default()
	if err != nil {
		return err
	}
	if pk.Init == nil {
		return fmt.Errorf("pack %q declares no init questions", pk.Name)
	}
	today, err := o.Answers.today()
	if err != nil {
		return err
	}
	given, err := o.Answers.given(o.Base, e.streams.In)
	if err != nil {
		return err
	}
	engine := render.New(today, render.DefaultLimits)
	answers, err := runInterview("init", pk.Init.Questions, given, interview.Options{
		UseDefaults: o.Answers.Defaults,
		Prompter:    o.Answers.prompter(e.streams),
		Expand:      expander{engine, pack.Context{Date: today, Pack: pack.PackInfo{Name: pk.Name, Version: pk.Version}}},
	})
	if err != nil {
		return err
	}
	cfg := &portfolio.Config{Version: portfolio.ConfigVersion, Track: interview.TrackCore}
	str := func(k string) string { s, _ := answers[k].(string); return strings.TrimSpace(s) }
	cfg.Name, cfg.Role, cfg.Start = str("name"), str("role"), str("start")
	if t := str("track"); t != "" {
		cfg.Track = t
	}
	if err := cfg.Validate(); err != nil {
		return err
	}

	// Everything that can fail without writing is checked first.
	repo, err := portfolio.OpenRepo(existingAncestor(target))
	if err != nil && !errors.Is(err, portfolio.ErrNoRepo) {
		return err
	}
	var who portfolio.Identity
	if !o.NoCommit {
		if who, err = portfolio.ResolveIdentity(cfg, repo); err != nil {
			return withHint(err, "git config --global user.name \"Your Name\" && git config --global user.email you@example.com\nor use --no-commit")
		}
	}

	if err := os.MkdirAll(target, 0o755); err != nil {
		return err
	}
	// The repository comes first, so that the lock and the journal live in
	// it from the start; it appears whole or not at all (see InitRepo).
	if !o.NoCommit && repo == nil {
		if _, err := portfolio.InitRepo(target, portfolio.DefaultBranch()); err != nil {
			return err
		}
	}
	st, err := portfolio.StateFor(target)
	if err != nil {
		return err
	}
	lock, rec, err := e.writeLock(st)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	portfolio.RemoveDeadInits(target)
	// Checked again under the lock: another init may have won the race,
	// or this is a second try of an init a crash interrupted, which the
	// lock has just finished.
	if _, err := os.Stat(filepath.Join(target, portfolio.ConfigFile)); err == nil {
		if rec != nil && rec.Completed && rec.What == "init" {
			fmt.Fprintln(e.streams.Out, shown)
			return nil
		}
		return withHint(usagef("%s is already a portfolio (it has %s); nothing was changed", shown, portfolio.ConfigFile),
			"add documents with 'pmfolio new KIND'")
	}
	p, err := portfolio.New(target, cfg)
	if err != nil {
		return err
	}
	defer p.Close()
	files := []portfolio.File{{Path: portfolio.ConfigFile, Data: cfg.Marshal()}}
	for _, k := range pk.OrderedKinds() {
		f := k.Folder()
		if f == "" || p.Exists(path.Join(f, portfolio.ReadmeFile)) {
			continue
		}
		files = append(files, portfolio.File{Path: path.Join(f, portfolio.ReadmeFile), Data: kindReadme(k)})
	}
	change := portfolio.Change{What: "init", Replace: map[string]bool{portfolio.ReadmeFile: true}}
	if !o.NoCommit {
		if repo, err = portfolio.OpenRepo(target); err != nil {
			return err
		}
		change.Commit = &portfolio.CommitInfo{Repo: repo, Message: fmt.Sprintf("init: portfolio of %s\n", cfg.Name), Author: who, When: time.Now()}
	} else {
		repo = nil
	}
	readme, err := p.ReadmeUpdate(repo, kindInfos(pk))
	if err != nil {
		return err
	}
	change.Files = append(files, readme)
	if err := lock.Apply(p, change); err != nil {
		var ce *portfolio.CommitError
		if errors.As(err, &ce) {
			return withHint(fmt.Errorf("created the portfolio in %s but could not commit it: %w", shown, ce.Err), "commit it with git")
		}
		return err
	}
	fmt.Fprintln(e.streams.Out, shown)
	printNextSteps(e.streams.Err, target, pk)
	return nil
}

// noPortfolioAt refuses to create a portfolio where there is one, or
// inside one.
func noPortfolioAt(target, shown string) error {
	if _, err := os.Stat(filepath.Join(target, portfolio.ConfigFile)); err == nil {
		return withHint(usagef("%s is already a portfolio (it has %s); nothing was changed", shown, portfolio.ConfigFile),
			"add documents with 'pmfolio new KIND'")
	}
	if enclosing, err := portfolio.FindRoot(existingAncestor(target)); err == nil {
		return withHint(usagef("%s is inside the portfolio at %s; nothing was changed", shown, enclosing),
			"portfolios do not nest; add documents with 'pmfolio -C %s new KIND'", enclosing)
	}
	return nil
}

// interruptedInit reports whether a crash interrupted an init of target.
func interruptedInit(target string) bool {
	st, err := portfolio.StateFor(target)
	if err != nil {
		return false
	}
	in, err := st.Interrupted()
	return err == nil && in != nil && in.What == "init"
}

// existingAncestor is the nearest folder of p that exists, for finding an
// enclosing repository or portfolio before p is created.
func existingAncestor(p string) string {
	for d := p; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return d
		}
	}
}

// kindReadme explains a kind's folder, so that the folder exists in git
// from the start and says what belongs in it.
func kindReadme(k *pack.Kind) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", k.Name)
	if k.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(k.Description))
	}
	if k.Month > 0 {
		fmt.Fprintf(&b, "Month %d of the 90-day plan", k.Month)
		if k.Target > 0 {
			fmt.Fprintf(&b, "; the plan asks for %d", k.Target)
		}
		b.WriteString(".\n\n")
	}
	fmt.Fprintf(&b, "Write one with `pmfolio new %s`.\n", k.ID)
	return []byte(b.String())
}
