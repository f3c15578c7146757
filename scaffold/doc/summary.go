package doc

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// MaxSummary bounds a summary line, in characters.
const MaxSummary = 300

// longSummary is the length over which a summary keeps its first
// sentence only: a front page shows one line per document.
const longSummary = 160

// Summary is the one line that sums a document up on a front page: the
// first paragraph of prose of the section headed heading (any level, case
// ignored), or of the whole body when heading is empty, the section is
// missing or holds no paragraph; its first sentence when it is long, as
// plain text. Lists, tables, quotes, code and label lines (`**Owner:**
// ...`) are not prose. It reads the Markdown line by line, without a
// parser: the README refresh calls it on every `new`.
func Summary(body, heading string) string {
	lines := strings.Split(body, "\n")
	if heading != "" {
		if from, to, ok := sectionLines(lines, heading); ok {
			if s := firstParagraph(lines[from:to]); s != "" {
				return oneLine(s)
			}
		}
	}
	return oneLine(firstParagraph(lines))
}

// sectionLines finds the lines of the section headed heading.
func sectionLines(lines []string, heading string) (from, to int, ok bool) {
	want := strings.TrimSpace(heading)
	fence := ""
	level := 0
	for i, l := range lines {
		if f := fenceOf(l); f != "" {
			if fence == "" {
				fence = f
			} else if strings.HasPrefix(strings.TrimSpace(l), fence) {
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue
		}
		n, text := atxHeading(l)
		if n == 0 {
			continue
		}
		if ok && n <= level {
			return from, i, true
		}
		if !ok && strings.EqualFold(text, want) {
			from, level, ok = i+1, n, true
		}
	}
	return from, len(lines), ok
}

// atxHeading returns the level and text of an ATX heading line, or 0.
func atxHeading(l string) (int, string) {
	t := strings.TrimLeft(l, " ")
	if len(l)-len(t) > 3 {
		return 0, ""
	}
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(t) && t[n] != ' ' && t[n] != '\t') {
		return 0, ""
	}
	text := strings.TrimSpace(t[n:])
	text = strings.TrimSpace(strings.TrimRight(text, "#"))
	return n, text
}

func fenceOf(l string) string {
	t := strings.TrimLeft(l, " ")
	for _, f := range []string{"```", "~~~"} {
		if strings.HasPrefix(t, f) {
			return f
		}
	}
	return ""
}

// firstParagraph returns the first paragraph of prose in lines, joined
// into one line of Markdown.
func firstParagraph(lines []string) string {
	var para []string
	fence := ""
	skipping := false // inside a block that is not prose
	for _, l := range lines {
		if f := fenceOf(l); f != "" || fence != "" {
			if fence == "" {
				fence = f
			} else if strings.HasPrefix(strings.TrimSpace(l), fence) {
				fence = ""
			}
			continue
		}
		t := strings.TrimSpace(l)
		if t == "" {
			if len(para) > 0 {
				break
			}
			skipping = false
			continue
		}
		if len(para) == 0 && (skipping || !prose(t)) {
			skipping = true
			continue
		}
		if len(para) > 0 && !prose(t) && !isLabel(t) {
			break
		}
		para = append(para, t)
	}
	return strings.Join(para, " ")
}

// prose reports whether a paragraph starting with line t is prose.
func prose(t string) bool {
	if n, _ := atxHeading(t); n > 0 {
		return false
	}
	switch {
	case strings.HasPrefix(t, ">"), strings.HasPrefix(t, "|"), strings.HasPrefix(t, "<"),
		strings.HasPrefix(t, "- "), strings.HasPrefix(t, "* "), strings.HasPrefix(t, "+ "),
		strings.HasPrefix(t, "---"), strings.HasPrefix(t, "***"), strings.HasPrefix(t, "!["),
		isLabel(t):
		return false
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')') {
		return false
	}
	return true
}

// isLabel reports whether t is a label line such as `**Owner:** Jordan`.
func isLabel(t string) bool {
	if !strings.HasPrefix(t, "**") {
		return false
	}
	end := strings.Index(t[2:], "**")
	if end < 0 {
		return false
	}
	label := t[2 : 2+end]
	return strings.HasSuffix(label, ":") || strings.HasPrefix(strings.TrimSpace(t[4+end:]), ":")
}

// oneLine turns a paragraph of Markdown into one line of plain text: its
// first sentence when it is long, at most MaxSummary characters.
func oneLine(md string) string {
	s := PlainText(md)
	if utf8.RuneCountInString(s) > longSummary {
		if i := sentenceEnd(s); i > 0 {
			s = s[:i]
		}
	}
	if utf8.RuneCountInString(s) > MaxSummary {
		cut := yamlfile.Clip(s, MaxSummary-1)
		if i := strings.LastIndexByte(cut, ' '); i > MaxSummary/2 {
			cut = cut[:i]
		}
		s = strings.TrimRight(cut, " ,;:") + "…"
	}
	return s
}

// sentenceEnd is the end of the first sentence of s (after its full
// stop), or 0: a stop followed by a space and a capital letter.
func sentenceEnd(s string) int {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '.' && s[i] != '!' && s[i] != '?' {
			continue
		}
		if s[i+1] != ' ' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[i+2:])
		if unicode.IsUpper(r) {
			return i + 1
		}
	}
	return 0
}

// PlainText strips inline Markdown from one line: links and images keep
// their text, emphasis and code marks go, HTML tags and backslash escapes
// are dropped, and whitespace collapses.
func PlainText(md string) string {
	var b strings.Builder
	for i := 0; i < len(md); i++ {
		c := md[i]
		switch {
		case c == '\\' && i+1 < len(md) && strings.IndexByte("\\`*_{}[]()#+-.!|<>~", md[i+1]) >= 0:
			i++
			b.WriteByte(md[i])
		case c == '!' && i+1 < len(md) && md[i+1] == '[':
			// An image: its alt text.
		case c == '[':
			// A link's text stays; its destination goes.
		case c == ']' && i+1 < len(md) && md[i+1] == '(':
			if end := strings.IndexByte(md[i:], ')'); end > 0 {
				i += end
			}
		case c == ']':
		case c == '*', c == '`', c == '~':
		case c == '_' && (i == 0 || i+1 == len(md) || !isWordByte(md[i-1]) || !isWordByte(md[i+1])):
		case c == '<':
			if end := strings.IndexByte(md[i:], '>'); end > 0 {
				i += end
			} else {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
