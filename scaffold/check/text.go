package check

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// byteClass sorts ASCII bytes for countWords: 1 space, 2 letter or digit,
// 0 anything else; bytes of multi-byte runes are decoded instead.
var byteClass = func() (t [utf8.RuneSelf]uint8) {
	for _, c := range " \t\n\r\v\f" {
		t[c] = 1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 2
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = 2, 2
	}
	return t
}()

// countWords counts the words of Markdown source: runs of non-space
// characters holding at least one letter or digit, so that list markers,
// table pipes and rules do not count and a link counts once.
func countWords(s string) int { return countWordsUpTo(s, -1) }

// countWordsUpTo is countWords, stopping at limit words (limit < 0: no
// limit): whether a line has a word, or a section fewer than so many,
// is known from its first words.
func countWordsUpTo(s string, limit int) int {
	n := 0
	for i := 0; i < len(s); {
		// Spaces, then a word up to the next space.
		if c := s[i]; c < utf8.RuneSelf {
			if byteClass[c] == 1 {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		alnum := false
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				k := byteClass[c]
				if k == 1 {
					break
				}
				alnum = alnum || k == 2
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			alnum = alnum || unicode.IsLetter(r) || unicode.IsDigit(r)
			i += size
		}
		if alnum {
			if n++; n == limit {
				return n
			}
		}
	}
	return n
}

// maskComments returns body with every HTML comment blanked to spaces,
// newlines kept, so that directives and notes to self neither count as
// content nor trip a pattern, and offsets and lines stay the same.
func maskComments(body []byte, comments []doc.Comment) []byte {
	if len(comments) == 0 {
		return body
	}
	out := bytes.Clone(body)
	for _, c := range comments {
		for i := c.Start; i < c.End && i < len(out); i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	return out
}

// normalize reduces Markdown prose for comparisons: lower case, emphasis,
// quote and list markers dropped, spaces collapsed.
func normalize(s string) string {
	s = strings.ToLower(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '*', '_', '>', '`', '#', '|':
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, ".")
}

// lineAt returns line n (1-based) of data without its newline, or "".
func lineAt(data []byte, n int) string {
	if n < 1 {
		return ""
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return strings.TrimSpace(string(data))
}

// hasDigit reports whether s holds an ASCII digit.
func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}
