package checkrun

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Request asks for a check run. A run reads and never writes: not the
// portfolio, not its .git folder, not its lock.
type Request struct {
	// Dir is the folder the command runs in; Paths, relative to it, are
	// the files and folders to check (none: the whole portfolio).
	Dir   string
	Paths []string
	// Date measures the 90-day plan on YYYY-MM-DD instead of today.
	Date string
	// ChangedSince checks only the documents changed since this git ref.
	ChangedSince string
	// Strict makes warnings fail; Baseline (a file relative to Dir) lists
	// findings that do not.
	Strict   bool
	Baseline string
	// Record asks for every finding, judged by no policy, for a new
	// baseline.
	Record bool
	// RepoPaths prints paths relative to the git repository's top, where
	// GitHub and SARIF consumers look for files, instead of to Dir.
	RepoPaths bool
}

// Result is a check run's report.
type Result struct {
	// Report's paths are relative to the portfolio when the run checked
	// one, else to Dir: the paths baselines record.
	Report *check.Report
	// Counts are the findings as the request's policy judges them.
	Counts check.Counts
	// Path turns a report path into the one to print.
	Path func(string) string
}

// Run checks the documents req names, each against its portfolio's
// configuration and packs, and the 90-day plan of each portfolio checked
// whole.
func Run(ctx context.Context, sess *session.Session, req Request) (*Result, error) {
	today, err := sess.ParseDate("--date", req.Date)
	if err != nil {
		return nil, err
	}
	groups, err := Resolve(req.Dir, req.Paths)
	if err != nil {
		return nil, err
	}
	var bl *check.Baseline
	if req.Baseline != "" && !req.Record {
		if bl, err = readBaseline(req.Dir, req.Baseline); err != nil {
			return nil, err
		}
	}
	reps := make([]*check.Report, len(groups))
	for i, g := range groups {
		if reps[i], err = runGroup(ctx, sess, g, req, today); err != nil {
			return nil, err
		}
	}
	res := &Result{}
	base := groups[0].Root
	if len(groups) > 1 {
		base = req.Dir
		for i, g := range groups {
			reps[i].Rebase(func(p string) string { return filepath.ToSlash(portfolio.Display(base, g.Root, p)) })
		}
	}
	res.Report = check.Merge(reps...)
	if !req.Record {
		res.Counts = res.Report.Apply(check.Policy{Strict: req.Strict, Baseline: bl})
	}
	res.Path = displayer(req, base)
	return res, nil
}

func readBaseline(dir, file string) (*check.Baseline, error) {
	p := file
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	data, err := yamlfile.ReadFile(p, file, check.MaxBaselineSize)
	if err != nil {
		return nil, hint.Wrap(fmt.Errorf("read baseline: %w", err), "write one with --write-baseline FILE")
	}
	bl, err := check.ReadBaseline(file, data)
	return bl, hint.Wrap(err, "write it again with --write-baseline FILE")
}

// displayer prints a path of the report (relative to base) relative to
// the folder the command runs in, as linters do, or to the top of the git
// repository holding it.
func displayer(req Request, base string) func(string) string {
	from, root := req.Dir, base
	if req.RepoPaths {
		if repo, err := portfolio.OpenRepo(base); err == nil {
			// The repository's top is a resolved path; resolve ours alike.
			if r, err := filepath.EvalSymlinks(base); err == nil {
				from, root = repo.Top(), r
			}
		}
	}
	return func(p string) string { return filepath.ToSlash(portfolio.Display(from, root, p)) }
}

// runGroup checks one group's documents.
func runGroup(ctx context.Context, sess *session.Session, g *Group, req Request, today time.Time) (*check.Report, error) {
	p, err := openGroup(g)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	inputs := cancellable(ctx, g.inputs(p))
	if req.ChangedSince == "" {
		// Walk the portfolio while the pack loads and the rules compile,
		// and check documents as they are found.
		var stop func()
		inputs, stop = prefetch(inputs)
		defer stop()
	}
	store := packstore.For(ctx, sess.Env, p)
	reader := p.NewReader()
	defer reader.Close()
	checker, err := newChecker(req.Dir, p.Dir, p.Config, store, reader.ReadFile, p.Exists, today)
	if err != nil {
		return nil, err
	}
	whole := g.Whole
	if req.ChangedSince != "" {
		if inputs, err = changedInputs(p, req.ChangedSince, inputs); err != nil {
			return nil, err
		}
		whole = false
	}
	return checker.Run(inputs, whole)
}

// openGroup opens a group's portfolio, or its folder of loose documents
// as a portfolio with the default configuration. It creates nothing.
func openGroup(g *Group) (*portfolio.Portfolio, error) {
	if g.Loose {
		return portfolio.New(g.Root, &portfolio.Config{Track: doc.TrackCore})
	}
	return portfolio.Open(g.Root)
}

// Rules returns the checker of the portfolio at dir (the default
// configuration and pack outside one), for listing and explaining its
// rules. It reads no document.
func Rules(ctx context.Context, sess *session.Session, dir string) (*check.Checker, error) {
	cfg, root := &portfolio.Config{Track: doc.TrackCore}, dir
	p, err := portfolio.Open(dir)
	var nf *portfolio.NotFoundError
	switch {
	case err == nil:
		defer p.Close()
		cfg, root = p.Config, p.Dir
	case !errors.As(err, &nf):
		return nil, err
	}
	store := packstore.New(ctx, sess.Env, cfg, root)
	none := func(string) ([]byte, error) { return nil, errors.New("rules only") }
	return newChecker(dir, root, cfg, store, none, nil, sess.Today())
}

// newChecker makes the checker of one portfolio: its pack's rules and
// pmfolio's own, its configuration's overrides, and the packs its
// documents name.
func newChecker(dir, root string, cfg *portfolio.Config, store *packstore.Store, read func(string) ([]byte, error), exists func(string) bool, today time.Time) (*check.Checker, error) {
	pk, err := store.Resolve("")
	if err != nil {
		return nil, err
	}
	var overrides []check.Override
	if cfg.Check != nil {
		for _, r := range cfg.Check.Rules {
			sev, err := check.ParseSeverity(r.Severity)
			if err != nil {
				return nil, err
			}
			overrides = append(overrides, check.Override{Rule: r.Rule, Paths: r.Paths, Severity: sev, Line: r.Line})
		}
	}
	var start time.Time
	if cfg.Start != "" {
		// Validated when the configuration was read.
		start, _ = time.Parse("2006-01-02", cfg.Start)
	}
	c, err := check.New(packcheck.Spec(pk), check.Options{
		Read:       read,
		Exists:     exists,
		Track:      cfg.Track,
		Overrides:  overrides,
		ConfigFile: portfolio.ConfigFile,
		Start:      start,
		Today:      today,
		// A document made with a course's pack is held to that pack.
		Pack: func(name string) (*check.Spec, error) {
			other, err := store.Resolve(name)
			if errors.Is(err, pack.ErrUnknownPack) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			spec := packcheck.Spec(other)
			return &spec, nil
		},
	})
	var ce *yamlfile.Error
	if errors.As(err, &ce) {
		ce.File = portfolio.Display(dir, root, ce.File)
		return nil, hint.Wrap(ce, "fix the check: section of %s", portfolio.ConfigFile)
	}
	return c, err
}
