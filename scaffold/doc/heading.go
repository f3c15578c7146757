package doc

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// HeadingKey is the form in which headings and a pack's section names
// and aliases are compared: lower case, without numbering ("1.", "1)",
// "4.1", "Step 2"), emoji and other symbols, punctuation or a
// parenthetical ("(Optional)"), with curly and straight apostrophes
// alike and "&" read as "and".
func HeadingKey(s string) string {
	if i := strings.IndexByte(s, '('); i > 0 {
		if j := strings.IndexByte(s[i:], ')'); j > 0 {
			s = s[:i] + " " + s[i+j+1:]
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	emit := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\'' || r == '\u2019' || r == '\u2018' || r == '`':
			// Apostrophes join: "what's" and "what’s" are "whats".
		case r == '&' || r == '+':
			space = true
			emit('a')
			b.WriteString("nd")
			space = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			emit(r)
		default:
			space = true
		}
	}
	return stripNumbering(b.String())
}

// numberingRE is the numbering that may lead a heading once normalised:
// "1", "4 1", "iv", "step 2", "a" (of "A."), "section 3".
var numberingRE = regexp.MustCompile(`^(?:(?:step|section|part|chapter)\s+)?(?:\d+(?:\s\d+)*|[ivx]+|[a-h])\s`)

func stripNumbering(s string) string {
	if loc := numberingRE.FindStringIndex(s); loc != nil && loc[1] < len(s) {
		// A lone letter is numbering only before more words: "a" of
		// "A. Goals", not "A" (STAR's Action, as a label).
		return s[loc[1]:]
	}
	return s
}
