package check

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// Formats are the report formats Write knows.
var Formats = []string{"text", "json", "junit", "github", "sarif"}

// Output says how to write a report.
type Output struct {
	Format string
	// Path turns a finding's path into the one printed: relative to the
	// working folder for people, to the repository for GitHub and SARIF.
	// nil prints paths as they are.
	Path func(string) string
	// Color colours text output with ANSI escapes.
	Color bool
	// Version is pmfolio's version, for machine formats.
	Version string
	// Now stamps JUnit test suites.
	Now time.Time
	// Strict and MinScore are the policy the report was judged by, so
	// that the text summary can say why the run fails.
	Strict   bool
	MinScore int
	// ScoreBaselined is set when baselined findings lowered the scores.
	ScoreBaselined bool
	// BaselineFile is the baseline the run was judged against, as given.
	BaselineFile string

	// lastIn and lastOut remember the last path turned: a document's
	// findings, a dozen or more, are all on its path.
	lastIn, lastOut string
	remembered      bool
}

func (o *Output) path(p string) string {
	if o.Path == nil {
		return p
	}
	if o.remembered && p == o.lastIn {
		return o.lastOut
	}
	out := o.Path(p)
	o.lastIn, o.lastOut, o.remembered = p, out, true
	return out
}

// Write renders r in o.Format.
func Write(w io.Writer, r *Report, o Output) error {
	switch o.Format {
	case "text", "":
		return writeText(w, r, &o)
	case "json":
		return writeJSON(w, r, &o)
	case "junit":
		return writeJUnit(w, r, &o)
	case "github":
		return writeGitHub(w, r, &o)
	case "sarif":
		return writeSARIF(w, r, &o)
	}
	return fmt.Errorf("unknown format %q (want one of %v)", o.Format, Formats)
}

// ValidFormat reports whether Write knows format.
func ValidFormat(format string) bool { return slices.Contains(Formats, format) }

// groups are the findings as reports show them: one group per document,
// then the plan's, attached to the configuration file or to the document
// they concern.
type group struct {
	path     string
	doc      *Document
	findings []Finding
}

func (r *Report) groups() []group {
	var gs []group
	for i := range r.Documents {
		d := &r.Documents[i]
		gs = append(gs, group{path: d.Path, doc: d, findings: d.Findings})
	}
	if len(r.Plan) > 0 {
		gs = append(gs, group{path: "", findings: r.Plan})
	}
	return gs
}
