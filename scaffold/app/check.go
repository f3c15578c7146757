package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/version"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"github.com/urfave/cli/v2"
)

func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check documents against the portfolio standard, for you and for CI",
		ArgsUsage: "[PATH...]",
		UsageText: `pmfolio check [options] [PATH...]

Checks documents (files, or folders of them) against the document standard:
front matter, required sections, placeholders, and the substance each kind
needs (a quantified metric, reasons on non-goals, a STAR result in numbers,
...). Without PATH it checks the whole portfolio, and then also the 90-day
plan and the links between documents. Each finding has a rule id; each
document a score: 100, less 10 per error and 2 per warning.

Rules are configured in pmfolio.yaml:
   check:
     rules:
       - rule: doc/weasel-words      # an id, a glob (story/*) or *
         severity: off               # error, warning, info or off
       - rule: story/*
         paths: [story/drafts/**]    # only these documents
         severity: info
and inside a document with <!-- pmfolio-disable RULE -->, <!-- pmfolio-enable
RULE -->, <!-- pmfolio-disable-next-line RULE --> and
<!-- pmfolio-disable-file RULE -->.

Exit status: 0 nothing fails, 1 findings fail (errors; warnings too with
--strict; a score under --min-score), 2 usage or configuration error.

Examples:
   pmfolio check
   pmfolio check prd/2026-01-26-suggested-matches-for-unmatched-payments.md
   pmfolio check --explain prd/metric-quantified
   pmfolio check --format sarif --output pmfolio.sarif
   pmfolio check --changed-since origin/main --format github --strict
   pmfolio check --write-baseline .pmfolio-baseline.json   # adopt, then:
   pmfolio check --baseline .pmfolio-baseline.json`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "report `FORMAT`: text, json, junit, github or sarif"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output", TakesFile: true},
			&cli.BoolFlag{Name: "strict", Usage: "warnings fail too"},
			&cli.IntFlag{Name: "min-score", Usage: "fail when a document or the portfolio scores under `N` (1-100)"},
			&cli.StringFlag{Name: "baseline", Usage: "findings recorded in `FILE` do not fail; only new ones do", TakesFile: true},
			&cli.StringFlag{Name: "write-baseline", Usage: "record the current errors and warnings in `FILE`, then exit 0", TakesFile: true},
			&cli.StringFlag{Name: "changed-since", Usage: "check only the documents changed since git `REF` (committed or not)"},
			&cli.StringFlag{Name: "explain", Usage: "print why `RULE` matters and how to fix its findings"},
			&cli.BoolFlag{Name: "list-rules", Usage: "list every rule with its severity, kind and track"},
			&cli.StringFlag{Name: "date", Usage: "measure the 90-day plan on `YYYY-MM-DD` instead of today"},
			&cli.StringFlag{Name: "kind", Usage: "check the named files as documents of `KIND`, whatever their front matter says (Markdown written without pmfolio)"},
			&cli.BoolFlag{Name: "strict-plan", Usage: "the 90-day plan's gaps fail (as check: strict_plan: true in pmfolio.yaml)"},
			&cli.BoolFlag{Name: "no-cache", Usage: "check every document again, without reading or writing the findings cache in .git/pmfolio"},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour text output: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always or never"},
		},
		Action: func(c *cli.Context) error {
			dir, err := e.dir(c)
			if err != nil {
				return err
			}
			return checkRun(e, readCheckOptions(c, dir))
		},
	}
}

// readCheckOptions turns check's flags and arguments into options.
func readCheckOptions(c *cli.Context, dir string) checkOptions {
	return checkOptions{
		Dir:           dir,
		Paths:         c.Args().Slice(),
		Format:        c.String("format"),
		Output:        c.String("output"),
		Strict:        c.Bool("strict"),
		MinScore:      c.Int("min-score"),
		Baseline:      c.String("baseline"),
		WriteBaseline: c.String("write-baseline"),
		ChangedSince:  c.String("changed-since"),
		Explain:       c.String("explain"),
		ListRules:     c.Bool("list-rules"),
		Date:          c.String("date"),
		Color:         c.String("color"),
		Kind:          c.String("kind"),
		StrictPlan:    c.Bool("strict-plan"),
		NoCache:       c.Bool("no-cache"),
	}
}

type checkOptions struct {
	Dir           string
	Paths         []string
	Format        string
	Output        string
	Strict        bool
	MinScore      int
	Baseline      string
	WriteBaseline string
	ChangedSince  string
	Explain       string
	ListRules     bool
	Date          string
	Color         string
	Kind          string
	StrictPlan    bool
	NoCache       bool
}

func (o checkOptions) validate() error {
	if !check.ValidFormat(o.Format) {
		return withHint(usagef("check: unknown format %q", o.Format), "use one of: %s", strings.Join(check.Formats, ", "))
	}
	switch o.Color {
	case "auto", "always", "never":
	default:
		return withHint(usagef("check: --color %q must be auto, always or never", o.Color), "e.g. --color never")
	}
	if o.Kind != "" && len(o.Paths) == 0 {
		return withHint(usagef("check: --kind needs the files to check"), "name them: pmfolio check --kind prd notes/design.md")
	}
	if o.MinScore < 0 || o.MinScore > 100 {
		return withHint(usagef("check: --min-score %d is not a score", o.MinScore), "scores run from 0 to 100, e.g. --min-score 80")
	}
	return nil
}

func checkRun(e *env, o checkOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	today, err := answerOptions{Date: o.Date}.today()
	if err != nil {
		return err
	}
	p, whole, loose, err := openForCheck(o)
	if err != nil {
		return err
	}
	defer p.Close()
	var inputs iter.Seq2[check.Input, error]
	if !o.ListRules && o.Explain == "" {
		if inputs, err = checkInputs(o, p); err != nil {
			return err
		}
		if o.ChangedSince == "" {
			// Walk the portfolio while the pack loads and the rules
			// compile, and check documents as they are found.
			var stop func()
			inputs, stop = prefetch(inputs)
			defer stop()
		}
	}
	pk, err := resolvePack(p.Config, "")
	if err != nil {
		return err
	}
	reader := p.NewReader()
	defer reader.Close()
	checker, err := newChecker(o, p, reader, pk, today, loose)
	if err != nil {
		return err
	}
	if o.Kind != "" && !slices.Contains(pk.KindOrder, o.Kind) {
		return withHint(usagef("check: --kind %q is not a kind of pack %q", o.Kind, pk.Name), "use one of: %s", strings.Join(pk.KindOrder, ", "))
	}
	switch {
	case o.ListRules:
		return listRules(e.streams.Out, checker)
	case o.Explain != "":
		return explainRule(e.streams.Out, checker, o.Explain)
	}
	if o.ChangedSince != "" {
		if inputs, err = changedInputs(p, o.ChangedSince, inputs); err != nil {
			return err
		}
		whole = false
	}
	if o.Kind != "" {
		inputs = withKind(inputs, o.Kind)
	}
	var bl *check.Baseline
	if o.Baseline != "" {
		data, err := readLimited(abs(o.Dir, o.Baseline))
		if err != nil {
			return withHint(fmt.Errorf("read baseline: %w", err), "write one with --write-baseline FILE")
		}
		if bl, err = check.ReadBaseline(o.Baseline, data); err != nil {
			return withHint(err, "write it again with --write-baseline FILE")
		}
	}
	tuneGC(e.streams)
	rep, err := checker.Run(inputs, whole)
	if err != nil {
		return err
	}
	if o.WriteBaseline != "" {
		return writeBaseline(e, o, rep)
	}
	counts := rep.Apply(check.Policy{Strict: o.Strict, Baseline: bl})

	if err := writeReport(e, o, p, rep); err != nil {
		return err
	}
	var below []string
	if o.MinScore > 0 {
		below = rep.BelowScore(o.MinScore)
	}
	switch {
	case counts.Failing > 0:
		return withHint(&FindingsError{Count: counts.Failing, Reason: fmt.Sprintf("check: %d failing finding(s)", counts.Failing)},
			"'pmfolio check --explain RULE' says why a rule matters and how to fix its findings")
	case len(below) > 0:
		return withHint(&FindingsError{Reason: fmt.Sprintf("check: %d of the scores are under --min-score %d", len(below), o.MinScore)},
			"each error costs 10 points and each warning 2")
	}
	return nil
}

// tuneGC trades memory for speed while checking: parsing allocates short-
// lived trees, and with Go's default of a collection each time the heap
// doubles a check of 10,000 documents spends a fifth of its time
// collecting. Collections are spaced out four times as far, and a soft
// limit keeps the process small all the same. GOGC and GOMEMLIMIT, when
// set, win.
func tuneGC(s Streams) {
	if s.getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if s.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(checkMemoryLimit)
	}
}

// checkMemoryLimit is the soft memory limit of a check run.
const checkMemoryLimit = 96 << 20

// openForCheck opens the portfolio around o.Dir. Outside a portfolio,
// named files are still checked, with the default configuration, as if
// o.Dir were a portfolio; whole is set when the whole portfolio is asked
// for.
func openForCheck(o checkOptions) (p *portfolio.Portfolio, whole, loose bool, err error) {
	p, err = portfolio.Open(o.Dir)
	var nf *portfolio.NotFoundError
	switch {
	case err == nil:
		return p, len(o.Paths) == 0, false, nil
	case !errors.As(err, &nf):
		return nil, false, false, err
	case len(o.Paths) == 0 && o.Explain == "" && !o.ListRules:
		return nil, false, false, withHint(err, "run it inside a portfolio, point at one with -C DIR, or name the files to check: pmfolio check FILE...")
	}
	// Outside a portfolio the files are loose Markdown: no front matter
	// needed, the kind from --kind, the folder or the headings.
	p, err = portfolio.New(o.Dir, &portfolio.Config{Track: "core"})
	return p, false, true, err
}

func newChecker(o checkOptions, p *portfolio.Portfolio, reader *portfolio.Reader, pk *pack.Pack, today time.Time, loose bool) (*check.Checker, error) {
	cfg := p.Config
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
	strict := o.StrictPlan || (cfg.Check != nil && cfg.Check.StrictPlan)
	c, err := check.New(packcheck.Spec(pk), check.Options{
		StrictPlan: strict,
		Loose:      loose,
		CacheDir:   cacheDir(o, p),
		CacheKey:   version.String(),
		Read:       reader.ReadFile,
		Exists:     p.Exists,
		Track:      cfg.Track,
		Overrides:  overrides,
		ConfigFile: portfolio.ConfigFile,
		Start:      start,
		Today:      today,
		// A document made with a course's pack is held to that pack.
		Pack: func(name string) (*check.Spec, error) {
			other, err := resolvePack(p.Config, name)
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
		ce.File = display(o.Dir, p.Dir, ce.File)
		return nil, withHint(ce, "fix the check: section of %s", portfolio.ConfigFile)
	}
	return c, err
}

func abs(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// checkInputs turns PATH arguments into the documents to check: a file is
// checked as given, a folder for the Markdown below it (without PATH, the
// whole portfolio). Arguments are validated at once; folders are walked as
// the sequence is read.
func checkInputs(o checkOptions, p *portfolio.Portfolio) (iter.Seq2[check.Input, error], error) {
	if len(o.Paths) == 0 {
		return walkInputs(p, "."), nil
	}
	type arg struct {
		rel string
		dir bool
	}
	var args []arg
	for _, a := range o.Paths {
		full := abs(o.Dir, a)
		rel, err := filepath.Rel(p.Dir, full)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, withHint(usagef("check: %s is outside the portfolio at %s", a, p.Dir), "check it from its own folder, or with -C DIR")
		}
		fi, err := os.Stat(full)
		if err != nil {
			return nil, withHint(usagef("check: %s: no such file or folder", a), "give paths of documents or folders")
		}
		args = append(args, arg{filepath.ToSlash(rel), fi.IsDir()})
	}
	return func(yield func(check.Input, error) bool) {
		seen := map[string]bool{}
		for _, a := range args {
			if !a.dir {
				if !seen[a.rel] {
					seen[a.rel] = true
					if !yield(check.Input{Path: a.rel, Explicit: true}, nil) {
						return
					}
				}
				continue
			}
			for in, err := range walkInputs(p, a.rel) {
				if err != nil {
					yield(in, err)
					return
				}
				if !seen[in.Path] {
					seen[in.Path] = true
					if !yield(in, nil) {
						return
					}
				}
			}
		}
	}, nil
}

// walkInputs yields the Markdown files below dir as inputs.
func walkInputs(p *portfolio.Portfolio, dir string) iter.Seq2[check.Input, error] {
	return func(yield func(check.Input, error) bool) {
		for rel, err := range p.Markdown(dir) {
			if !yield(check.Input{Path: rel}, err) || err != nil {
				return
			}
		}
	}
}

// prefetch reads seq in a goroutine into a buffer, so that finding the
// inputs overlaps whatever the caller does before reading them. stop ends
// the goroutine when the inputs are not read to the end.
func prefetch(seq iter.Seq2[check.Input, error]) (_ iter.Seq2[check.Input, error], stop func()) {
	type item struct {
		in  check.Input
		err error
	}
	ch := make(chan item, 4096)
	done := make(chan struct{})
	stop = sync.OnceFunc(func() { close(done) })
	go func() {
		defer close(ch)
		for in, err := range seq {
			select {
			case ch <- item{in, err}:
			case <-done:
				return
			}
		}
	}()
	return func(yield func(check.Input, error) bool) {
		defer stop()
		for it := range ch {
			if !yield(it.in, it.err) {
				return
			}
		}
	}, stop
}

func changedInputs(p *portfolio.Portfolio, ref string, inputs iter.Seq2[check.Input, error]) (iter.Seq2[check.Input, error], error) {
	repo, err := p.Repo()
	if errors.Is(err, portfolio.ErrNoRepo) {
		return nil, withHint(fmt.Errorf("check: --changed-since needs a git repository; %s is not in one", p.Dir), "drop --changed-since to check every document")
	}
	if err != nil {
		return nil, err
	}
	var paths []string
	explicit := map[string]bool{}
	for in, err := range inputs {
		if err != nil {
			return nil, err
		}
		paths = append(paths, in.Path)
		explicit[in.Path] = in.Explicit
	}
	changed, err := repo.ChangedSince(ref, paths, p.ReadFile)
	if err != nil {
		return nil, withHint(usagef("check: --changed-since: %v", err), "give a branch, tag or commit, e.g. --changed-since origin/main")
	}
	out := make([]check.Input, len(changed))
	for i, c := range changed {
		out[i] = check.Input{Path: c, Explicit: explicit[c]}
	}
	return check.Inputs(out), nil
}

func writeBaseline(e *env, o checkOptions, rep *check.Report) error {
	var b bytes.Buffer
	if err := rep.WriteBaseline(&b); err != nil {
		return err
	}
	if err := os.WriteFile(abs(o.Dir, o.WriteBaseline), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	c := rep.Counts()
	fmt.Fprintf(e.streams.Err, "pmfolio: wrote %d finding(s) to %s; check with --baseline %s to fail only on new ones\n", c.Errors+c.Warnings, o.WriteBaseline, o.WriteBaseline)
	return nil
}

// writeReport writes the report where and how o says. GitHub and SARIF
// paths are relative to the repository root, where their consumers look
// for files; the others are relative to the folder pmfolio runs in.
func writeReport(e *env, o checkOptions, p *portfolio.Portfolio, rep *check.Report) error {
	base, root := o.Dir, p.Dir
	if o.Format == "github" || o.Format == "sarif" {
		if repo, err := p.Repo(); err == nil {
			// The repository's top is a resolved path; resolve ours alike.
			if r, err := filepath.EvalSymlinks(p.Dir); err == nil {
				base, root = repo.Top(), r
			}
		}
	}
	color := o.Color == "always" || (o.Color == "auto" && o.Output == "" && e.streams.OutTerminal &&
		e.streams.getenv("NO_COLOR") == "" && e.streams.getenv("TERM") != "dumb")
	out := check.Output{
		Format:   o.Format,
		Path:     func(rel string) string { return filepath.ToSlash(display(base, root, rel)) },
		Color:    color,
		Version:  version.String(),
		Now:      time.Now(),
		Strict:   o.Strict,
		MinScore: o.MinScore,
	}
	if o.Output == "" {
		return check.Write(e.streams.Out, rep, out)
	}
	var b bytes.Buffer
	if err := check.Write(&b, rep, out); err != nil {
		return err
	}
	if err := os.WriteFile(abs(o.Dir, o.Output), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func listRules(w io.Writer, c *check.Checker) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tKIND\tTRACK\tWHAT IT WANTS")
	for _, r := range c.Rules() {
		kind, track := r.Kind, r.Track
		switch {
		case r.Portfolio:
			kind = "(portfolio)"
		case kind == "":
			kind = "(every)"
		}
		if track == "" || track == "both" {
			track = "both"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, kind, track, r.Message)
	}
	return tw.Flush()
}

func explainRule(w io.Writer, c *check.Checker, id string) error {
	r, err := c.Lookup(id)
	var ue *check.UnknownRuleError
	if errors.As(err, &ue) {
		hint := "'pmfolio check --list-rules' lists every rule"
		if len(ue.Similar) > 0 {
			hint = "did you mean " + strings.Join(ue.Similar, ", ") + "?\n" + hint
		}
		return withHint(usagef("check: --explain: %v", err), "%s", hint)
	}
	if err != nil {
		return err
	}
	scope := "every document"
	switch {
	case r.Portfolio:
		scope = "the whole portfolio"
	case r.Kind != "":
		scope = r.Kind + " documents"
	}
	if r.Track != "" && r.Track != "both" {
		scope += ", " + r.Track + " track"
	}
	fmt.Fprintf(w, "%s: %s\n\n", r.ID, r.Message)
	fmt.Fprintf(w, "severity:    %s\napplies to:  %s\nframework:   %s\ndeclared by: %s\n\n", r.Severity, scope, r.Framework, r.Origin)
	fmt.Fprintln(w, strings.TrimSpace(r.Explain))
	fmt.Fprintf(w, "\nTurn it off or change its severity in pmfolio.yaml (check: rules:), or in a\ndocument with <!-- pmfolio-disable-next-line %s -->.\n", r.ID)
	return nil
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

// cacheDir is where check keeps its findings cache: the repository's
// .git/pmfolio/check-cache, which git never commits. Outside a git
// repository, or with --no-cache, there is none: check writes nothing.
func cacheDir(o checkOptions, p *portfolio.Portfolio) string {
	if o.NoCache {
		return ""
	}
	st, err := portfolio.StateFor(p.Dir)
	if err != nil || !st.InRepo {
		return ""
	}
	return filepath.Join(st.Dir, "check-cache")
}
