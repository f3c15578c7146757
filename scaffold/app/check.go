package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/checkrun"
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
   pmfolio check --baseline .pmfolio-baseline.json`

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
		&cli.StringFlag{Name: "baseline", Usage: "findings recorded in `FILE` do not fail; only new ones do", TakesFile: true},
		&cli.StringFlag{Name: "write-baseline", Usage: "record the current errors and warnings in `FILE`, then exit 0", TakesFile: true},
		&cli.StringFlag{Name: "changed-since", Usage: "check only the documents changed since git `REF` (committed or not)"},
		&cli.StringFlag{Name: "explain", Usage: "print why `RULE` matters and how to fix its findings"},
		&cli.BoolFlag{Name: "list-rules", Usage: "list every rule with its severity, kind and track"},
		&cli.StringFlag{Name: "date", Usage: "measure the plan on `YYYY-MM-DD` instead of today"},
		&cli.BoolFlag{Name: "no-inline-config", Usage: "ignore the documents' <!-- pmfolio-disable --> directives"},
		&cli.BoolFlag{Name: "ignore-local-config", Usage: "ignore the check: rules of the portfolio's pmfolio.yaml: grade with the packs' rules as they are"},
		&cli.StringFlag{Name: "kind", Usage: "check the named files as documents of `KIND`, whatever their front matter says (Markdown written without pmfolio)"},
		&cli.BoolFlag{Name: "strict-plan", Usage: "the plan's gaps fail (as check: strict_plan: true in pmfolio.yaml)"},
		&cli.BoolFlag{Name: "no-cache", Usage: "check every document again, without reading or writing the findings cache in .git/pmfolio"},
		&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour text output: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always or never"},
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
		RepoPaths:    o.Format == "github" || o.Format == "sarif",
		Kind:         o.Kind,
		StrictPlan:   o.StrictPlan,
		NoCache:      o.NoCache,

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
		return writeBaseline(f, o, res.Report)
	}
	if err := writeReport(f, o, res); err != nil {
		return err
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

func writeBaseline(f *Factory, o checkOptions, rep *check.Report) error {
	var b bytes.Buffer
	if err := rep.WriteBaseline(&b); err != nil {
		return err
	}
	if err := os.WriteFile(abs(o.Dir, o.WriteBaseline), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	c := rep.Counts()
	fmt.Fprintf(f.Streams.Err, "pmfolio: wrote %d finding(s) to %s; check with --baseline %s to fail only on new ones\n", c.Errors+c.Warnings, o.WriteBaseline, o.WriteBaseline)
	return nil
}

// writeReport writes the report where and how o says.
func writeReport(f *Factory, o checkOptions, res *checkrun.Result) error {
	color := o.Color == "always" || (o.Color == "auto" && o.Output == "" && f.Streams.OutTerminal && !f.Env.NoColor())
	out := check.Output{
		Format:   o.Format,
		Path:     res.Path,
		Color:    color,
		Version:  version.String(),
		Now:      f.Now(),
		Strict:   o.Strict,
		MinScore: o.MinScore,
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
