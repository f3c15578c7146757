package interview

import (
	"regexp"
	"strings"
	"sync"
)

// NoneYet answers a question that links another document (choices_from)
// when that document is not written yet: the template says the link is to
// come, and check warns rather than errors.
const NoneYet = "none yet"

// isNoneYet reports whether an answer to a choices_from question is NoneYet.
func isNoneYet(s string) bool { return strings.EqualFold(strings.TrimSpace(s), NoneYet) }

var listItemRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(?:[-*+•]|\d+[.)])\s`) })

// Paragraphs turns text typed line by line in the terminal into Markdown
// that keeps those lines: each line becomes a paragraph, except list items
// (-, *, +, • or 1.), which stay one list, and indented lines, which
// continue the line above. In Markdown a single line break joins two lines
// into one run-on paragraph, and nobody typing at a prompt means that.
func Paragraphs(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	var b strings.Builder
	prevItem, prevBlank := false, true
	for i, l := range lines {
		blank := strings.TrimSpace(l) == ""
		item := listItemRE().MatchString(l)
		cont := !blank && !item && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t"))
		if i > 0 {
			b.WriteByte('\n')
			// A paragraph break between two lines, unless they are items
			// of one list, one continues the other, or there is one.
			if !blank && !prevBlank && !cont && !(item && prevItem) {
				b.WriteByte('\n')
			}
		}
		b.WriteString(l)
		if !blank {
			prevItem = item || (prevItem && cont)
		}
		prevBlank = blank
	}
	return b.String()
}
