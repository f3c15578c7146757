package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/urfave/cli/v2"
)

func doctorCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check the portfolio's health, and with --fix repair what is safe to repair",
		UsageText: `pmfolio doctor [--fix]

Checks the configuration, the pack, the git repository and identity, the
git index against HEAD, stale lock files, operations a crash interrupted,
temporary files, drafts, and documents not committed. Each problem comes
with a hint. --fix finishes interrupted operations and removes stale lock
and temporary files; it never commits, discards or reverts anything of yours.

Exit codes: 0 healthy, 1 problems found, 2 doctor could not run.

Examples:
   pmfolio doctor
   pmfolio doctor --fix`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "fix", Usage: "finish interrupted operations, remove stale locks and temporary files"},
		},
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "doctor [--fix]"); err != nil {
				return err
			}
			dir, err := e.dir(c)
			if err != nil {
				return err
			}
			return doctorRun(e, doctorOptions{Dir: dir, Fix: c.Bool("fix")})
		},
	}
}

type doctorOptions struct {
	Dir string
	Fix bool
}

// staleLockAge is when a git lock file is taken as left by a dead process.
const staleLockAge = time.Minute

// staleDraftAge is when a draft is worth a reminder.
const staleDraftAge = 30 * 24 * time.Hour

// checkup collects doctor's findings and prints them as they come.
type checkup struct {
	w        io.Writer
	problems int
}

func (c *checkup) ok(format string, args ...any) {
	fmt.Fprintf(c.w, "ok       %s\n", fmt.Sprintf(format, args...))
}

func (c *checkup) fixed(format string, args ...any) {
	fmt.Fprintf(c.w, "fixed    %s\n", fmt.Sprintf(format, args...))
}

func (c *checkup) problem(msg, hint string) {
	c.problems++
	fmt.Fprintf(c.w, "problem  %s\n", strings.ReplaceAll(msg, "\n", "\n         "))
	if hint != "" {
		fmt.Fprintf(c.w, "         hint: %s\n", hint)
	}
}

func doctorRun(e *env, o doctorOptions) error {
	top, err := portfolio.FindRoot(o.Dir)
	if err != nil {
		return withHint(err, "run doctor inside a portfolio, or point at one with -C DIR")
	}
	st, err := portfolio.StateFor(top)
	if err != nil {
		return err
	}
	c := &checkup{w: e.streams.Out}
	fmt.Fprintf(c.w, "portfolio %s\n", top)

	// Repairs first, under the lock, so that the checks see the result.
	if o.Fix {
		lock, err := st.Lock(e.lockWait())
		if err != nil {
			return withHint(fmt.Errorf("cannot repair: %w", err), "wait for it to finish, then run 'pmfolio doctor --fix' again")
		}
		defer lock.Unlock()
		rec, err := lock.Recover()
		switch {
		case err != nil:
			c.problem(fmt.Sprintf("interrupted operation: %v", err), "it was moved aside; 'git status' shows what it had written")
		case rec != nil && rec.Completed:
			c.fixed("finished the interrupted '%s': %s", rec.What, strings.Join(rec.Paths, ", "))
		case rec != nil:
			c.problem(fmt.Sprintf("could not finish the interrupted '%s': %s changed since; left as it is", rec.What, strings.Join(rec.Changed, ", ")), "check 'git status'")
		}
	}

	cfg, err := portfolio.ReadConfig(filepath.Join(top, portfolio.ConfigFile))
	if err != nil {
		c.problem(fmt.Sprintf("configuration: %v", err), "fix "+portfolio.ConfigFile+"; 'pmfolio init --help' shows what it holds")
		cfg = &portfolio.Config{Track: doc.TrackCore}
	} else {
		c.ok("configuration %s", portfolio.ConfigFile)
	}
	if pk, err := resolvePack(cfg, ""); err != nil {
		c.problem(fmt.Sprintf("pack: %v", err), fmt.Sprintf("set pack: to a pack that exists in %s, or remove it for the default pack", portfolio.ConfigFile))
	} else {
		c.ok("pack %s %s (%s)", pk.Name, pk.Version, pk.Source)
	}
	if cfg.Pack != "" && cfg.Pack != pack.DefaultName {
		// Only the embedded pack is pinned by pmfolio's version.
		c.ok("pack %q is named in %s", cfg.Pack, portfolio.ConfigFile)
	}

	p, err := portfolio.New(top, cfg)
	if err != nil {
		return err
	}
	defer p.Close()
	repo, err := p.Repo()
	switch {
	case errors.Is(err, portfolio.ErrNoRepo):
		repo = nil
		c.problem("not in a git repository: documents have no history", "run 'git init' here; until then use 'pmfolio new --no-commit'")
	case err != nil:
		repo = nil
		c.problem(fmt.Sprintf("git repository: %v", err), "'git status' says more")
	default:
		c.ok("git repository %s", repo.Top())
		if who, err := portfolio.ResolveIdentity(cfg, repo); err != nil {
			c.problem(err.Error(), `git config --global user.name "Your Name" && git config --global user.email you@example.com`)
		} else {
			c.ok("git identity %s <%s>", who.Name, who.Email)
		}
	}

	doctorState(c, st, o.Fix)
	if repo != nil {
		doctorGit(c, p, repo, o.Fix)
	}
	doctorFiles(c, p, o.Fix)
	doctorDrafts(c, st)

	if c.problems > 0 {
		hint := ""
		if !o.Fix {
			hint = "; 'pmfolio doctor --fix' repairs what is safe to repair"
		}
		fmt.Fprintf(e.streams.Err, "pmfolio: %d problem(s) found%s\n", c.problems, hint)
		return &quietError{err: &FindingsError{Count: c.problems}}
	}
	fmt.Fprintln(e.streams.Err, "pmfolio: the portfolio is healthy")
	return nil
}

// doctorState checks the lock and the journal.
func doctorState(c *checkup, st *portfolio.State, fix bool) {
	if !fix {
		// Peek: take the lock without waiting and give it back.
		if l, err := st.Lock(0); err != nil {
			c.problem(err.Error(), "wait for it to finish; if no pmfolio is running, the lock is released already")
		} else {
			l.Unlock()
		}
	}
	in, err := st.Interrupted()
	switch {
	case err != nil:
		c.problem(err.Error(), "'pmfolio doctor --fix' moves it aside")
	case in != nil:
		c.problem(fmt.Sprintf("interrupted operation: '%s' of %s, writing %s", in.What, in.Since.Format("2006-01-02 15:04"), strings.Join(in.Paths, ", ")),
			"'pmfolio doctor --fix', or the next pmfolio command that writes, finishes it")
	default:
		c.ok("no interrupted operation")
	}
}

// doctorGit checks git's lock files and the index against HEAD.
func doctorGit(c *checkup, p *portfolio.Portfolio, repo *portfolio.Repo, fix bool) {
	stale := repo.StaleLocks(staleLockAge)
	for _, l := range stale {
		if fix {
			if err := os.Remove(l); err == nil {
				c.fixed("removed the stale git lock %s", l)
				continue
			}
		}
		c.problem(fmt.Sprintf("stale git lock %s: git commands fail while it exists", l), "if no git command is running, 'pmfolio doctor --fix' removes it")
	}
	if len(stale) == 0 {
		c.ok("no stale git lock")
	}
	if probs, err := repo.IndexProblems(); err != nil {
		c.problem(err.Error(), "'git status' says more")
	} else if len(probs) > 0 {
		c.problem("the git index differs from HEAD:\n"+strings.Join(probs, "\n"), "commit them with 'git commit', or unstage them with 'git restore --staged FILE'")
	} else {
		c.ok("git index matches HEAD for pmfolio's files")
	}
	if docs, err := p.NotCommitted(repo); err != nil {
		c.problem(err.Error(), "")
	} else if len(docs) > 0 {
		c.problem("not committed:\n"+strings.Join(docs, "\n"), "commit them: git add FILE && git commit")
	} else {
		c.ok("every document is committed")
	}
}

// doctorFiles checks temporary files and documents that cannot be read.
func doctorFiles(c *checkup, p *portfolio.Portfolio, fix bool) {
	tmps, err := p.TempFiles()
	if err != nil {
		c.problem(err.Error(), "")
	}
	for _, t := range tmps {
		if fix {
			if err := p.RemoveTemp(t); err == nil {
				c.fixed("removed the temporary file %s", t)
				continue
			}
		}
		c.problem(fmt.Sprintf("temporary file %s, left by an interrupted write", t), "'pmfolio doctor --fix' removes it")
	}
	if len(tmps) == 0 && err == nil {
		c.ok("no temporary file")
	}
	_, broken, err := p.List()
	if err != nil {
		c.problem(err.Error(), "")
	}
	for _, b := range broken {
		c.problem(fmt.Sprintf("cannot read %v", b), "fix the front matter at the top of the file")
	}
}

// doctorDrafts checks drafts that cannot be read or were forgotten.
func doctorDrafts(c *checkup, st *portfolio.State) {
	list, err := st.Drafts("")
	if err != nil {
		c.problem(err.Error(), "")
		return
	}
	for _, d := range list {
		if _, err := readDraft(d); err != nil {
			c.problem(fmt.Sprintf("draft %s cannot be read: %v", d.ID, err), "pmfolio drafts discard "+d.ID)
			continue
		}
		if age := time.Since(d.Updated); age > staleDraftAge {
			c.problem(fmt.Sprintf("draft %s was left %d days ago", d.ID, int(age.Hours()/24)),
				fmt.Sprintf("continue it with 'pmfolio new %s --resume', or 'pmfolio drafts discard %s'", d.Kind, d.ID))
		}
	}
	if len(list) > 0 {
		c.ok("%d draft(s); 'pmfolio drafts' lists them", len(list))
	}
}
