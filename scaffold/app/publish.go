package app

import (
	"errors"
	"fmt"

	"github.com/pmfolio/pmfolio/scaffold/site"
	"github.com/urfave/cli/v2"
)

const publishUsage = `pmfolio publish [--out DIR] [--only PATH|GLOB ...] [--include-private] [--redact FILE] [--pdf]

Builds a static website of the portfolio for hiring managers: a home page
presenting you (name, target role, and the profile: section of pmfolio.yaml)
and your documents, best first (publish: order: in pmfolio.yaml, else by
kind in the plan's order), and a page per document. It works opened from a
folder (file://), under a sub-path or at a domain root, needs no JavaScript,
reads well on a phone and prints well.

Private by default: user interview notes (and any document whose front
matter says visibility: private) are left out unless --include-private;
links to documents left out keep only their text. .git, answers files,
drafts and pmfolio.yaml never reach the site.

Redaction: --redact FILE (default: redact.yaml in the portfolio, when
present) lists terms to replace everywhere, file names included:
   terms:
     - term: Acme Corp          # any case, with possessives
       replace: Company A
     - pattern: '\bProject [A-Z]\w+'
       replace: the project
After building, every output file is checked for every term; a term that
survived stops the build (exit 1) and removes the output.

The site is built aside, then swapped into DIR (default: site/ in the
portfolio, which init adds to .gitignore); pmfolio never commits it. --pdf
also prints portfolio.pdf and one PDF per document with headless Chromium
(found on PATH, or PMFOLIO_CHROME).

Examples:
   pmfolio publish
   pmfolio publish --out ../jordan-portfolio-site --pdf
   pmfolio publish --only 'prd/*' --only 'story/*'`

func publishCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "publish",
		Usage:     "build a website (and PDFs) of the portfolio for hiring managers",
		UsageText: publishUsage,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "build the site in `DIR` (default: site/ in the portfolio)", TakesFile: true},
			&cli.StringSliceFlag{Name: "only", Usage: "publish only these documents: `PATH|GLOB`, repeatable"},
			&cli.BoolFlag{Name: "include-private", Usage: "publish private documents too (interview notes, visibility: private)"},
			&cli.StringFlag{Name: "redact", Usage: "redact the terms listed in `FILE` (default: redact.yaml when present)", TakesFile: true},
			&cli.BoolFlag{Name: "pdf", Usage: "also print portfolio.pdf and one PDF per document (needs Chromium)"},
		},
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "publish [--out DIR] [--only PATH|GLOB ...] [--include-private] [--redact FILE] [--pdf]"); err != nil {
				return err
			}
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			req := site.Request{Dir: dir, Out: c.String("out"), Only: c.StringSlice("only"), IncludePrivate: c.Bool("include-private"),
				Redact: c.String("redact"), PDF: c.Bool("pdf")}
			res, err := site.Build(c.Context, f.session(), req)
			return publishDone(f, res, err)
		},
	}
}

// publishDone prints what publish built: the home page on stdout, the
// rest on stderr; a leak fails as findings do (exit 1).
func publishDone(f *Factory, res *site.Result, err error) error {
	var le *site.LeakError
	if errors.As(err, &le) {
		return withHint(&FindingsError{Reason: "publish: " + le.Error()},
			"redact.yaml replaces these terms, but a spelling it does not know remains (split by formatting, encoded, or in a pattern's blind spot); reword it in the document or add the spelling")
	}
	if res == nil {
		return err
	}
	w := f.Streams.Err
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "pmfolio: warning: left out %v\n", s)
	}
	fmt.Fprintf(w, "pmfolio: published %d document(s)", res.Documents)
	if res.Private > 0 {
		fmt.Fprintf(w, "; left out %d private one(s) (--include-private publishes them)", res.Private)
	}
	if res.Redaction != "" {
		fmt.Fprintf(w, "; redacted with %s, leak check passed", res.Redaction)
	}
	fmt.Fprintln(w)
	if len(res.PDFs) > 0 {
		fmt.Fprintf(w, "pmfolio: printed %d PDF(s), the whole portfolio in %s/portfolio.pdf\n", len(res.PDFs), res.Out)
	}
	if res.Ignore != "" {
		fmt.Fprintf(w, "pmfolio: note: git does not ignore %s; pmfolio never commits it\nhint: add the line %s to the portfolio's .gitignore\n", res.Out, res.Ignore)
	}
	fmt.Fprintln(f.Streams.Out, res.Index)
	return err
}
