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
