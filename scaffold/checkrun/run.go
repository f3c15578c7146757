package checkrun

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
	"github.com/pmfolio/pmfolio/scaffold/version"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Request asks for a check run. A run reads and never writes: not the
// portfolio, not its .git folder, not its lock; the one exception is the
// findings cache in .git/pmfolio/check-cache (see check's cache.go),
// which NoCache turns off.
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
	// code hosts (GitHub, GitLab) look for files, instead of to Dir.
	RepoPaths bool
	// ScoreBaselined makes baselined findings lower scores too.
	ScoreBaselined bool
	// Kind checks every named document as a document of this kind,
	// whatever its front matter says.
	Kind string
	// StrictPlan makes the 90-day plan's gaps fail, as strict_plan in
	// pmfolio.yaml does.
	StrictPlan bool
	// NoCache neither reads nor writes the findings cache.
	NoCache bool
	// NoInlineConfig ignores the documents' directives, and
	// IgnoreLocalConfig the check: section of each portfolio's
	// pmfolio.yaml: a course grades with its packs' rules, as they are
	// (pmfolio grade sets both). What they would have suppressed is
	// reported like any finding.
	NoInlineConfig, IgnoreLocalConfig bool
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
	// Baseline is the baseline the run was judged against, nil without
	// one.
	Baseline *check.Baseline
	// Exists reports whether a path of the report exists.
	Exists func(string) bool
	// Partial is set when the run checked some documents only: named
	// paths that are not whole portfolios, or --changed-since. A baseline
	// written from it keeps the entries of the documents it did not check.
	Partial bool
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
		if bl, err = ReadBaseline(req.Dir, req.Baseline); err != nil {
			return nil, err
		}
	}
	reps := make([]*check.Report, len(groups))
	for i, g := range groups {
		if reps[i], err = runGroup(ctx, sess, g, req, today); err != nil {
			return nil, err
		}
	}
	res := &Result{Baseline: bl, Partial: req.ChangedSince != ""}
	for _, g := range groups {
		res.Partial = res.Partial || !g.Whole
	}
	base := groups[0].Root
	if len(groups) > 1 {
		base = req.Dir
		for i, g := range groups {
			reps[i].Rebase(func(p string) string { return filepath.ToSlash(portfolio.Display(base, g.Root, p)) })
		}
	}
	res.Exists = func(p string) bool {
		_, err := os.Stat(filepath.Join(base, filepath.FromSlash(p)))
		return err == nil
	}
	res.Report = check.Merge(reps...)
	if !req.Record {
		res.Counts = res.Report.Apply(check.Policy{Strict: req.Strict, Baseline: bl, ScoreBaselined: req.ScoreBaselined, Exists: res.Exists})
	}
	res.Path = displayer(req, base)
	return res, nil
}

// ReadBaseline reads the baseline file (relative to dir); a missing file
// is an error for which errors.Is(err, fs.ErrNotExist) holds.
func ReadBaseline(dir, file string) (*check.Baseline, error) {
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
	if req.Kind != "" {
		inputs = withKind(inputs, req.Kind)
	}
	var ch *changes
	if req.ChangedSince != "" {
		if ch, err = compare(p, sess.Env, req.ChangedSince); err != nil {
			return nil, err
		}
		marked, err := ch.mark(p, inputs)
		if err != nil {
			return nil, err
		}
		inputs = check.Inputs(marked)
	} else {
		// Walk the portfolio while the pack loads and the rules compile,
		// and check documents as they are found.
		var stop func()
		inputs, stop = prefetch(inputs)
		defer stop()
	}
	store := packstore.For(ctx, sess.Env, p)
	reader := p.NewReader()
	defer reader.Close()
	ro := runOptions{loose: g.Loose, strictPlan: req.StrictPlan, kind: req.Kind, cacheDir: cacheDir(req, p.Dir, sess.Env),
		noInline: req.NoInlineConfig, noLocal: req.IgnoreLocalConfig}
	if ch != nil {
		ro.touched = func(path string) bool { return ch.touched[path] }
	}
	ro.stat = stamps(reader, sess.Now())
	checker, err := newChecker(req.Dir, p.Dir, p.Config, store, reader.ReadFile, p.Exists, today, ro)
	if err != nil {
		return nil, err
	}
	// The plan and the links between documents are the whole
	// portfolio's, and run whatever changed: a change elsewhere (a note
	// deleted) can break them.
	rep, err := checker.Run(inputs, g.Whole)
	if err != nil {
		return nil, err
	}
	rep.Partial = ch != nil && !ch.config
	return rep, nil
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
	return newChecker(dir, root, cfg, store, none, nil, sess.Today(), runOptions{})
}

// runOptions are what a run asks of a portfolio's checker besides its
// configuration.
type runOptions struct {
	loose, strictPlan bool
	kind, cacheDir    string
	// stat stamps documents for the findings cache (see stamps).
	stat func(string) (check.Stamp, bool)
	// touched names the files a --changed-since run found changed.
	touched func(string) bool
	// noInline and noLocal grade with the packs' rules as they are.
	noInline, noLocal bool
}

// stampSettle is how long a file must have been left alone for its stamp
// to be trusted: longer than the coarsest clock of a file system (FAT's
// two seconds), so that a change after the file is read cannot leave its
// modification time as it was.
const stampSettle = 3 * time.Second

// stamps returns check's Stat for the files reader reads: a document's
// stamp, unless it changed less than stampSettle before now, the time the
// run started (git's "racily clean" files: such a file is read, and
// stamped on a later run).
func stamps(reader *portfolio.Reader, now time.Time) func(string) (check.Stamp, bool) {
	settled := now.Add(-stampSettle).UnixNano()
	return func(path string) (check.Stamp, bool) {
		st, ok := reader.Stamp(path)
		if !ok || st.Mtime >= settled || st.Ctime >= settled {
			return check.Stamp{}, false
		}
		return check.Stamp(st), true
	}
}

// withKind gives every input the kind --kind names.
func withKind(seq iter.Seq2[check.Input, error], kind string) iter.Seq2[check.Input, error] {
	return func(yield func(check.Input, error) bool) {
		for in, err := range seq {
			in.Kind = kind
			if !yield(in, err) {
				return
			}
		}
	}
}

// cacheDir is where check keeps its findings cache for the portfolio at
// root: its repository's .git/pmfolio/check-cache, which git never
// commits. Outside a git repository, or with NoCache, there is none and
// the run writes nothing.
func cacheDir(req Request, root string, env *environ.Env) string {
	if req.NoCache {
		return ""
	}
	st, err := portfolio.StateFor(root, env)
	if err != nil || !st.InRepo {
		return ""
	}
	return filepath.Join(st.Dir, "check-cache")
}

// newChecker makes the checker of one portfolio: its pack's rules and
// pmfolio's own, its configuration's overrides, and the packs its
// documents name.
func newChecker(dir, root string, cfg *portfolio.Config, store *packstore.Store, read func(string) ([]byte, error), exists func(string) bool, today time.Time, ro runOptions) (*check.Checker, error) {
	pk, err := store.Resolve("")
	if err != nil {
		return nil, err
	}
	if ro.kind != "" && !slices.Contains(pk.KindOrder, ro.kind) {
		return nil, hint.Wrap(fmt.Errorf("check: --kind %q is not a kind of pack %q", ro.kind, pk.Name), "use one of: %s", strings.Join(pk.KindOrder, ", "))
	}
	var overrides []check.Override
	if cfg.Check != nil && !ro.noLocal {
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
	looseFolder := ""
	if ro.loose {
		// Loose documents' paths are relative to their folder, whose name
		// may say their kind.
		looseFolder = root
	}
	c, err := check.New(packcheck.Spec(pk), check.Options{
		StrictPlan:     ro.strictPlan || (cfg.Check != nil && cfg.Check.StrictPlan && !ro.noLocal),
		Loose:          ro.loose,
		LooseFolder:    looseFolder,
		CacheDir:       ro.cacheDir,
		Touched:        ro.touched,
		Stat:           ro.stat,
		CacheKey:       version.String(),
		Read:           read,
		Exists:         exists,
		Track:          cfg.Track,
		Overrides:      overrides,
		ConfigFile:     portfolio.ConfigFile,
		Start:          start,
		Today:          today,
		NoInlineConfig: ro.noInline,
		// A document is held to the pack, and the version, it came from.
		Pack: func(name, version string) (*check.DocPack, error) {
			return docPack(store, packstore.Recorded{Name: name, Version: version})
		},
	})
	var ce *yamlfile.Error
	if errors.As(err, &ce) {
		ce.File = portfolio.Display(dir, root, ce.File)
		return nil, hint.Wrap(ce, "fix the check: section of %s", portfolio.ConfigFile)
	}
	return c, err
}

// docPack says what check holds a document rendered with rec to, and
// how that version stands against the portfolio's pin.
func docPack(store *packstore.Store, rec packstore.Recorded) (*check.DocPack, error) {
	h, err := store.Hold(rec)
	if err != nil {
		return nil, err
	}
	if h.Unknown != nil {
		return &check.DocPack{Unknown: true, Reason: h.Unknown.Error(),
			Hint: fmt.Sprintf("pin it (pmfolio pack add SOURCE@v%s), or render the document again with a pack the portfolio pins", rec.Version)}, nil
	}
	spec := packcheck.Spec(h.Pack)
	dp := &check.DocPack{Spec: &spec}
	if !h.Behind() {
		return dp, nil
	}
	dp.Pinned = h.Pinned.Version
	dp.Upgrade = "pmfolio upgrade " + rec.Name
	dp.Changes = map[string][]string{}
	if h.Unavailable == nil {
		for _, c := range pack.Compare(h.Pack, h.Pinned).Changes() {
			dp.Changes[c.Kind] = append(dp.Changes[c.Kind], c.Text)
		}
		return dp, nil
	}
	var ue *packstore.UnavailableError
	dp.Unavailable = h.Unavailable.Error()
	if errors.As(h.Unavailable, &ue) {
		dp.Unavailable = ue.Reason
	}
	// Held to the pin, the document is read through the migrations: only
	// they say what changed, and a section renamed since counts under the
	// heading the document's version gave it.
	for i := range spec.Kinds {
		k := &spec.Kinds[i]
		for _, r := range pack.ComposeKind(h.Migrations, k.ID).RenameSections {
			dp.Changes[k.ID] = append(dp.Changes[k.ID], fmt.Sprintf("section %q renamed %q", r.From, r.To))
			for j := range k.Sections {
				if strings.EqualFold(strings.TrimSpace(k.Sections[j].Heading), strings.TrimSpace(r.To)) {
					k.Sections[j].Aliases = append(slices.Clone(k.Sections[j].Aliases), r.From)
				}
			}
		}
	}
	return dp, nil
}
