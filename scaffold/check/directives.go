package check

import (
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// Inline directives, in HTML comments so that they do not render:
//
//	<!-- pmfolio-disable RULE... -->            off from here on
//	<!-- pmfolio-enable RULE... -->             on again
//	<!-- pmfolio-disable-next-line RULE... -->  off for the next line
//	<!-- pmfolio-disable-file RULE... -->       off for the whole file
//
// Without a rule id a directive applies to every rule.

const directivePrefix = "pmfolio-"

var directiveVerbs = []string{"disable", "enable", "disable-next-line", "disable-file"}

// parseDirective reads a comment's text; ok is false for comments that are
// not directives. ids may be empty (every rule).
func parseDirective(text string) (verb string, ids []string, ok bool) {
	fields := strings.Fields(strings.ReplaceAll(text, ",", " "))
	if len(fields) == 0 || !strings.HasPrefix(fields[0], directivePrefix) {
		return "", nil, false
	}
	return strings.TrimPrefix(fields[0], directivePrefix), fields[1:], true
}

// span is a range of lines, inclusive, where a rule ("" for every rule)
// is off, and the directive that turned it off: its text and line.
type span struct {
	rule       string
	from, upto int
	text       string
	line       int
}

type directives []span

// suppressed returns the directive that turns rule off at line, nil when
// none does.
func (ds directives) suppressed(rule string, line int) *span {
	for i, s := range ds {
		if (s.rule == "" || s.rule == rule) && line >= s.from && line <= s.upto {
			return &ds[i]
		}
	}
	return nil
}

// directives turns the document's directive comments into the spans they
// turn rules off in. Malformed directives are skipped here and reported
// by doc/directive.
func directivesOf(d *doc.Document) directives {
	var out directives
	open := map[string]span{}
	for _, cm := range d.Comments {
		verb, ids, ok := parseDirective(cm.Text)
		if !ok || !slices.Contains(directiveVerbs, verb) {
			continue
		}
		if len(ids) == 0 {
			ids = []string{""}
		}
		end := cm.Line + strings.Count(string(d.Body[cm.Start:cm.End]), "\n")
		text := "<!-- " + strings.Join(strings.Fields(cm.Text), " ") + " -->"
		for _, id := range ids {
			switch verb {
			case "disable":
				if _, on := open[id]; !on {
					open[id] = span{rule: id, from: cm.Line, text: text, line: cm.Line}
				}
			case "enable":
				if s, on := open[id]; on {
					s.upto = cm.Line
					out = append(out, s)
					delete(open, id)
				}
			case "disable-next-line":
				out = append(out, span{id, end + 1, end + 1, text, cm.Line})
			case "disable-file":
				out = append(out, span{id, 0, math.MaxInt, text, cm.Line})
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(open)) {
		s := open[id]
		s.upto = math.MaxInt
		out = append(out, s)
	}
	return out
}

// checkDirectives reports directives that would silently do nothing: an
// unknown verb or a rule id no rule has.
func checkDirectives(c *Ctx) {
	for _, cm := range c.Doc.Comments {
		verb, ids, ok := parseDirective(cm.Text)
		if !ok {
			continue
		}
		if !slices.Contains(directiveVerbs, verb) {
			c.report(cm.Line, "unknown directive %q; use pmfolio-disable, pmfolio-enable, pmfolio-disable-next-line or pmfolio-disable-file", directivePrefix+verb)
			continue
		}
		for _, id := range ids {
			if _, known := c.checker.byID[id]; !known {
				c.report(cm.Line, "%s%s names no rule %q; %s'pmfolio check --list-rules' lists them", directivePrefix, verb, id, c.checker.didYouMean(id))
			}
		}
	}
}
