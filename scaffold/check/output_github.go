package check

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"sync"
)

// writeGitHub prints GitHub Actions workflow commands: an annotation per
// finding (::error, ::warning, ::notice) that GitHub shows on the file and
// line in a pull request, then a notice with the totals.
func writeGitHub(w io.Writer, r *Report, o *Output) error {
	bw := bufio.NewWriter(w)
	r.each(func(f *Finding) {
		cmd := "notice"
		switch {
		case f.Baselined:
		case f.Severity == Error:
			cmd = "error"
		case f.Severity == Warning:
			cmd = "warning"
		}
		props := "file=" + ghProperty(o.path(f.Path))
		if f.Line > 0 {
			props += fmt.Sprintf(",line=%d", f.Line)
		}
		props += ",title=" + ghProperty(f.Rule)
		msg := f.Message
		if f.Framework != "" {
			msg += " (" + f.Framework + ")"
		}
		if f.Baselined {
			msg += " [in baseline]"
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", cmd, props, ghData(msg))
	})
	if r.Progress != nil {
		fmt.Fprintf(bw, "::notice title=pmfolio %s::%s\n", r.planName(), ghData(strings.TrimSpace(progressText(r.Progress))))
	}
	c := r.Counts()
	fmt.Fprintf(bw, "::notice title=pmfolio check::%s\n", ghData(fmt.Sprintf("%s, %s, %s, %d failing; score %d/100",
		describe(c.Documents, "document", "documents"), describe(c.Errors, "error", "errors"), describe(c.Warnings, "warning", "warnings"), c.Failing, r.Score)))
	return bw.Flush()
}

// ghEscapers escape workflow commands' messages and property values, as
// the actions toolkit escapes: made once, on first use, they are used for
// every finding.
var ghEscapers = sync.OnceValues(func() (data, property *strings.Replacer) {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A"),
		strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
})

// ghData escapes a workflow command's message.
func ghData(s string) string {
	data, _ := ghEscapers()
	return data.Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	_, property := ghEscapers()
	return property.Replace(s)
}

// GitHubError prints a workflow command that annotates the run with an
// error: check itself failed (exit 2), which the job's annotations would
// otherwise not show. hint is the error's hint line, "" when none.
func GitHubError(w io.Writer, msg, hint string) error {
	if hint != "" {
		msg += "\nhint: " + hint
	}
	_, err := fmt.Fprintf(w, "::error title=pmfolio check::%s\n", ghData(msg))
	return err
}

// summaryRows bounds the tables of the step summary: GitHub takes 1 MiB
// per step, and a person reads the first few hundred rows at most.
const summaryRows = 200

// WriteGitHubSummary writes the report as the Markdown GitHub Actions
// shows on a run's summary page ($GITHUB_STEP_SUMMARY): the counts and
// the verdict, the documents with findings and their scores, the findings
// (GitHub shows only so many annotations per step; the summary has them
// all, up to summaryRows), and the 90-day plan's progress.
func WriteGitHubSummary(w io.Writer, r *Report, o Output) error {
	bw := bufio.NewWriter(w)
	c := r.Counts()
	verdict := "nothing fails"
	if c.Failing > 0 {
		verdict = "**" + describe(c.Failing, "finding fails", "findings fail") + "**"
	}
	parts := []string{verdict, describe(c.Documents, "document", "documents") + " checked", describe(c.Errors, "error", "errors"), describe(c.Warnings, "warning", "warnings")}
	if c.Baselined > 0 {
		parts = append(parts, fmt.Sprintf("%d in the baseline", c.Baselined))
	}
	if c.Stale > 0 {
		parts = append(parts, describe(c.Stale, "stale baseline entry", "stale baseline entries"))
	}
	scoreName := "score"
	if r.Whole && !r.Partial {
		scoreName = "portfolio score"
	}
	parts = append(parts, fmt.Sprintf("%s %d/100", scoreName, r.Score))
	fmt.Fprintf(bw, "## pmfolio check\n\n%s\n\n", strings.Join(parts, " · "))

	var docs []*Document
	for i := range r.Documents {
		if len(r.Documents[i].Findings) > 0 {
			docs = append(docs, &r.Documents[i])
		}
	}
	if len(docs) > 0 {
		fmt.Fprintf(bw, "| document | kind | score | errors | warnings |\n|---|---|--:|--:|--:|\n")
		for i, d := range docs {
			if i == summaryRows {
				fmt.Fprintf(bw, "\n…and %d more documents with findings: the job's log has them all.\n", len(docs)-i)
				break
			}
			e, wn := 0, 0
			for _, f := range d.Findings {
				switch f.Severity {
				case Error:
					e++
				case Warning:
					wn++
				}
			}
			fmt.Fprintf(bw, "| %s | %s | %d | %d | %d |\n", mdCode(o.path(d.Path)), mdCell(d.Kind), d.Score, e, wn)
		}
		bw.WriteString("\n")
	}
	n := c.Errors + c.Warnings + c.Infos
	if n > 0 {
		fmt.Fprintf(bw, "<details><summary>%s</summary>\n\n| file | line | severity | rule | message |\n|---|--:|---|---|---|\n", describe(n, "finding", "findings"))
		rows := 0
		r.each(func(f *Finding) {
			if rows++; rows > summaryRows {
				return
			}
			sev := f.Severity.String()
			if f.Baselined {
				sev += " (in baseline)"
			}
			fmt.Fprintf(bw, "| %s | %d | %s | `%s` | %s |\n", mdCode(o.path(f.Path)), f.Line, sev, f.Rule, mdCell(f.Message))
		})
		if rows > summaryRows {
			fmt.Fprintf(bw, "\n…and %d more findings: the job's log has them all.\n", rows-summaryRows)
		}
		bw.WriteString("\n</details>\n\n")
	}
	if r.Progress != nil {
		fmt.Fprintf(bw, "### 90-day plan\n\n```\n%s```\n\n", progressText(r.Progress))
	}
	if n > 0 {
		bw.WriteString("Why a rule matters and how to fix its findings: `pmfolio check --explain RULE`.\n")
	}
	return bw.Flush()
}

// mdCell makes text safe in a Markdown table cell: one line, pipes
// escaped, HTML not interpreted.
func mdCell(s string) string { return cellEscaper.Replace(s) }

// cellEscaper and codeEscaper are made once: a Replacer builds its tables
// on first use, and the summary escapes every cell of every finding.
var (
	cellEscaper = strings.NewReplacer("|", `\|`, "\r", " ", "\n", " ", "<", "&lt;", ">", "&gt;")
	codeEscaper = strings.NewReplacer("`", "'", "|", `\|`, "\n", " ")
)

// mdCode is a path as code in a table cell.
func mdCode(s string) string {
	return "`" + codeEscaper.Replace(s) + "`"
}
