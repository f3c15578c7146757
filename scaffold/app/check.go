package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/checkrun"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/version"
	"github.com/urfave/cli/v2"
)

const checkUsage = `pmfolio check [options] [PATH...]

Checks documents (files, or folders of them) against the document standard:
front matter, required sections, placeholders, and the substance each kind
needs (a quantified metric, reasons on non-goals, a STAR result in numbers,
...). PATHs may be anywhere, in several portfolios: each is held to the
nearest folder above it with pmfolio.yaml, Markdown outside any portfolio to
the default pack. Without PATH (or naming a portfolio's folder) it checks the
whole portfolio, and then also the 90-day plan and the links between
documents. Each finding has a rule id; each
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
   pmfolio check --baseline .pmfolio-baseline.json
   pmfolio check --baseline .pmfolio-baseline.json --prune-baseline   # drop what was fixed
   pmfolio check -v CONTRIBUTING.md docs/portfolio/prd/x.md   # says why a file is skipped`

func checkCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check documents against the portfolio standard, for you and for CI",
		ArgsUsage: "[PATH...]",
		UsageText: checkUsage,
		Flags:     checkFlags(),
		Action: func(c *cli.Context) error {
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			return checkRun(c, f, readCheckOptions(c, dir))
		},
	}
}

func checkFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "report `FORMAT`: text, json, junit, github or sarif"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output", TakesFile: true},
		&cli.BoolFlag{Name: "strict", Usage: "warnings fail too"},
		&cli.IntFlag{Name: "min-score", Usage: "fail when a document or the portfolio scores under `N` (1-100)"},
		&cli.StringFlag{Name: "baseline", Usage: "findings recorded in `FILE` do not fail and cost no points; only new ones do", TakesFile: true},
		&cli.StringFlag{Name: "write-baseline", Usage: "record the current errors and warnings in `FILE`, then exit 0", TakesFile: true},
		&cli.BoolFlag{Name: "prune-baseline", Usage: "drop from the --baseline file the entries no finding matches any more (and follow renamed documents)"},
		&cli.BoolFlag{Name: "score-baselined", Usage: "findings in the baseline lower the scores too (by default they cost nothing)"},
		&cli.StringFlag{Name: "changed-since", Usage: "check what changed since git `REF` (from the merge base, as git diff REF...HEAD; A...B and A..B too), committed or not, with the documents that depend on it"},
		&cli.StringFlag{Name: "explain", Usage: "print why `RULE` matters and how to fix its findings"},
		&cli.BoolFlag{Name: "list-rules", Usage: "list every rule with its severity, kind and track"},
		&cli.StringFlag{Name: "date", Usage: "measure the plan on `YYYY-MM-DD` instead of today"},
		&cli.BoolFlag{Name: "no-inline-config", Usage: "ignore the documents' <!-- pmfolio-disable --> directives"},
		&cli.BoolFlag{Name: "ignore-local-config", Usage: "ignore the check: rules of the portfolio's pmfolio.yaml: grade with the packs' rules as they are"},
		&cli.StringFlag{Name: "kind", Usage: "check the named files as documents of `KIND`, whatever their front matter says (Markdown written without pmfolio)"},
		&cli.BoolFlag{Name: "strict-plan", Usage: "the plan's gaps fail (as check: strict_plan: true in pmfolio.yaml)"},
		&cli.BoolFlag{Name: "no-cache", Usage: "check every document again, without reading or writing the findings cache in .git/pmfolio"},
		&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour text output: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always or never"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "say on standard error which files were skipped and why, and which baseline entries are stale"},
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
		PruneBaseline: c.Bool("prune-baseline"),
		ScoreBaseline: c.Bool("score-baselined"),
		Verbose:       c.Bool("verbose"),
		NoInline:      c.Bool("no-inline-config"),
		NoLocal:       c.Bool("ignore-local-config"),
	}
}

// checkOptions are check's flags: the request (checkrun.Request) and how
// to print its report.
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
	PruneBaseline bool
	ScoreBaseline bool
	Verbose       bool
	// NoInline and NoLocal grade with the packs' rules only.
	NoInline, NoLocal bool
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
	if o.PruneBaseline && o.Baseline == "" {
		return withHint(usagef("check: --prune-baseline needs the baseline to prune"), "name it: pmfolio check --baseline FILE --prune-baseline")
	}
	if o.WriteBaseline != "" && (o.Baseline != "" || o.PruneBaseline) {
		return withHint(usagef("check: --write-baseline records every finding anew; it takes no --baseline or --prune-baseline"), "write it with --write-baseline FILE, or prune one with --baseline FILE --prune-baseline")
	}
	return nil
}

// request is the check run the options ask for.
func (o checkOptions) request() checkrun.Request {
	return checkrun.Request{
		Dir:          o.Dir,
		Paths:        o.Paths,
		Date:         o.Date,
		ChangedSince: o.ChangedSince,
		Strict:       o.Strict,
		Baseline:     o.Baseline,
		Record:       o.WriteBaseline != "",
		// Machine formats are read by code hosts and CI, which resolve
		// paths from the repository's root; text is for the person
		// running it, as linters print paths.
		RepoPaths:      o.Format != "text",
		Kind:           o.Kind,
		StrictPlan:     o.StrictPlan,
		NoCache:        o.NoCache,
		ScoreBaselined: o.ScoreBaseline,

		NoInlineConfig:    o.NoInline,
		IgnoreLocalConfig: o.NoLocal,
	}
}

func checkRun(c *cli.Context, f *Factory, o checkOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	if o.ListRules || o.Explain != "" {
		checker, err := checkrun.Rules(c.Context, f.session(), o.Dir)
		if err != nil {
			return err
		}
		if o.ListRules {
			return listRules(f.Streams.Out, checker)
		}
		return explainRule(f.Streams.Out, checker, o.Explain)
	}
	res, err := checkrun.Run(c.Context, f.session(), o.request())
	if err != nil {
		return err
	}
	if o.WriteBaseline != "" {
		return writeBaseline(f, o, res)
	}
	if err := writeReport(f, o, res); err != nil {
		return err
	}
	if o.PruneBaseline {
		if err := pruneBaseline(f, o, res); err != nil {
			return err
		}
	}
	return verdict(o, res)
}

// verdict is check's exit status: findings that fail, or scores under
// --min-score.
func verdict(o checkOptions, res *checkrun.Result) error {
	var below []string
	if o.MinScore > 0 {
		below = res.Report.BelowScore(o.MinScore)
	}
	switch {
	case res.Counts.Failing > 0:
		return withHint(&FindingsError{Count: res.Counts.Failing, Reason: fmt.Sprintf("check: %d failing finding(s)", res.Counts.Failing)},
			"'pmfolio check --explain RULE' says why a rule matters and how to fix its findings")
	case len(below) > 0:
		return withHint(&FindingsError{Reason: fmt.Sprintf("check: %d of the scores are under --min-score %d", len(below), o.MinScore)},
			"each error costs 10 points and each warning 2")
	}
	return nil
}

func abs(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// writeBaseline records the run's findings in the --write-baseline file.
// A run that checked some documents only keeps the file's entries of the
// others (those still there), so that a baseline is never cut short
// without a word.
func writeBaseline(f *Factory, o checkOptions, res *checkrun.Result) error {
	rep := res.Report
	var keep []check.BaselineEntry
	partial := res.Partial
	if partial {
		old, err := checkrun.ReadBaseline(o.Dir, o.WriteBaseline)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(f.Streams.Err, "pmfolio: warning: %s holds the findings of the %s this run checked only\n", o.WriteBaseline, describe(len(rep.Documents), "document", "documents"))
			fmt.Fprintf(f.Streams.Err, "hint: write it from the whole portfolio (no PATH, no --changed-since) to record the others'\n")
		case err != nil:
			return withHint(fmt.Errorf("check: --write-baseline: %w", err), "the run checked some documents only and would keep the others' entries from it; fix or remove %s first", o.WriteBaseline)
		default:
			keep = rep.Keep(old, res.Exists)
		}
	}
	var b bytes.Buffer
	if err := rep.WriteBaseline(&b, keep...); err != nil {
		return err
	}
	if err := os.WriteFile(abs(o.Dir, o.WriteBaseline), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	c := rep.Counts()
	kept := ""
	if len(keep) > 0 {
		kept = fmt.Sprintf(" and kept %d of documents this run did not check", len(keep))
	}
	fmt.Fprintf(f.Streams.Err, "pmfolio: wrote %d finding(s) to %s%s; check with --baseline %s to fail only on new ones\n", c.Errors+c.Warnings, o.WriteBaseline, kept, o.WriteBaseline)
	return nil
}

// pruneBaseline rewrites the --baseline file without its stale entries,
// and with the entries that matched a renamed document at its new path.
func pruneBaseline(f *Factory, o checkOptions, res *checkrun.Result) error {
	stale := len(res.Report.Stale())
	var b bytes.Buffer
	if err := res.Report.WritePruned(&b, res.Baseline); err != nil {
		return err
	}
	file := abs(o.Dir, o.Baseline)
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, b.Bytes()) {
		fmt.Fprintf(f.Streams.Err, "pmfolio: %s has no stale entry\n", o.Baseline)
		return nil
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("prune baseline: %w", err)
	}
	moved := ""
	if n := res.Report.Moved(); n > 0 {
		moved = fmt.Sprintf(", and moved %s to the documents' new paths", describe(n, "entry", "entries"))
	}
	fmt.Fprintf(f.Streams.Err, "pmfolio: pruned %s from %s%s\n", describe(stale, "stale entry", "stale entries"), o.Baseline, moved)
	return nil
}

// describe is how a count of things reads: "1 entry", "3 entries".
func describe(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// writeReport writes the report where and how o says.
func writeReport(f *Factory, o checkOptions, res *checkrun.Result) error {
	color := o.Color == "always" || (o.Color == "auto" && o.Output == "" && f.Streams.OutTerminal && !f.Env.NoColor())
	out := check.Output{
		Format:         o.Format,
		Path:           res.Path,
		Color:          color,
		Version:        version.String(),
		Now:            f.Now(),
		Strict:         o.Strict,
		MinScore:       o.MinScore,
		ScoreBaselined: o.ScoreBaseline,
		BaselineFile:   o.Baseline,
	}
	if o.Verbose {
		if err := check.WriteVerbose(f.Streams.Err, res.Report, out); err != nil {
			return err
		}
	}
	if o.Format == "github" {
		writeStepSummary(f, res.Report, out)
	}
	if o.Output == "" {
		return check.Write(f.Streams.Out, res.Report, out)
	}
	var b bytes.Buffer
	if err := check.Write(&b, res.Report, out); err != nil {
		return err
	}
	if err := os.WriteFile(abs(o.Dir, o.Output), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// writeStepSummary appends the report's Markdown summary to the file
// GitHub Actions names in $GITHUB_STEP_SUMMARY, when it names one: the
// annotations GitHub shows are limited per step, the summary is not. A
// summary that cannot be written is worth a warning, not the run.
func writeStepSummary(f *Factory, rep *check.Report, out check.Output) {
	file := f.Env.GitHubStepSummary()
	if file == "" {
		return
	}
	var b bytes.Buffer
	if err := check.WriteGitHubSummary(&b, rep, out); err != nil {
		fmt.Fprintf(f.Streams.Err, "pmfolio: warning: step summary: %v\n", err)
		return
	}
	w, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		_, err = w.Write(b.Bytes())
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(f.Streams.Err, "pmfolio: warning: could not write the step summary to %s: %v\n", file, err)
	}
}

// annotateFailure prints, for a check run with --format github that
// failed itself (exit 2: a bad flag, configuration or ref), the error as
// a workflow command, so that the run's page shows why rather than only
// a red step. args are the command line, as Main got it.
func annotateFailure(w io.Writer, args []string, err error) {
	if ExitCode(err) != ExitUsage || !githubFormat(args) {
		return
	}
	var q *quietError
	if errors.As(err, &q) {
		return
	}
	_ = check.GitHubError(w, "pmfolio: "+strings.TrimSpace(err.Error()), hint.Of(err))
}

// githubFormat reports whether args run check with --format github, read
// from the raw arguments: the error may be that the flags do not parse.
func githubFormat(args []string) bool {
	isCheck := false
	for i, a := range args {
		switch {
		case a == "check":
			isCheck = true
		case !isCheck:
		case a == "--format=github", a == "-f=github", a == "-format=github":
			return true
		case (a == "--format" || a == "-f" || a == "-format") && i+1 < len(args) && args[i+1] == "github":
			return true
		}
	}
	return false
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
		return withHint(usagef("check: --explain: %w", err), "'pmfolio check --list-rules' lists every rule")
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
