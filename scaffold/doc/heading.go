package doc

import (
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

// stripNumbering drops the numbering that may lead a heading once
// normalised: "1", "4 1", "iv", "step 2", "section 3", or a lone letter
// "a" (of "A. Goals") before more words, never the whole heading ("A",
// STAR's Action as a label).
func stripNumbering(s string) string {
	rest := s
	if first, r, ok := strings.Cut(rest, " "); ok && (first == "step" || first == "section" || first == "part" || first == "chapter") {
		rest = r
	}
	n := 0
	for {
		first, r, ok := strings.Cut(rest, " ")
		if !ok || !(isDigits(first) || (n == 0 && (isRoman(first) || (len(first) == 1 && first[0] >= 'a' && first[0] <= 'h')))) {
			break
		}
		rest, n = r, n+1
		if !isDigits(first) {
			break
		}
	}
	if n == 0 || rest == "" {
		return s
	}
	return rest
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isRoman(s string) bool {
	return s != "" && strings.Trim(s, "ivx") == ""
}
