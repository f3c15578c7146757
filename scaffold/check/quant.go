package check

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The standard's quantities. A NUMBER is a figure with an optional unit
// (12%, 3.5x, 200 ms, 40 users, $10k); a TIMEFRAME is "within/by/over/after
// N days|weeks|months|quarters", a quarter (Q3), a date, or "N-day".
//
// They are read from words rather than with regular expressions: one
// expression for every form of timeframe costs about 100 ns per byte in
// Go's regexp, on every line of every metric of every document, while a
// pass over the words costs a few.

type tokenKind uint8

const (
	word   tokenKind = iota // letters, then letters or digits: "day", "q3", "p95"
	number                  // digits, with inner . or ,: "1,500", "3.5"
	punct                   // any other character: "-", "%", "→"
)

type token struct {
	kind       tokenKind
	text       string // lower case for words
	start, end int
}

func tokenize(s string) []token {
	return tokenizeInto(nil, s)
}

// tokenizeInto appends the tokens of s to out.
func tokenizeInto(out []token, s string) []token {
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case unicode.IsSpace(r):
			i += size
		case unicode.IsLetter(r):
			j := i + size
			for j < len(s) {
				r2, n := rune(s[j]), 1
				if r2 >= utf8.RuneSelf {
					r2, n = utf8.DecodeRuneInString(s[j:])
				}
				if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) {
					break
				}
				j += n
			}
			out = append(out, token{word, strings.ToLower(s[i:j]), i, j})
			i = j
		case '0' <= r && r <= '9':
			j := i + 1
			for j < len(s) && (isDigitByte(s[j]) || ((s[j] == '.' || s[j] == ',') && j+1 < len(s) && isDigitByte(s[j+1]))) {
				j++
			}
			out = append(out, token{number, s[i:j], i, j})
			i = j
		default:
			out = append(out, token{punct, s[i : i+size], i, i + size})
			i += size
		}
	}
	return out
}

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

var (
	timeframeLead = []string{"within", "by", "over", "after", "in", "for", "during"}
	periods       = []string{"day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year", "years", "sprint", "sprints", "hour", "hours"}
	months        = []string{"january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun", "july", "jul", "august", "aug", "september", "sept", "sep", "october", "oct", "november", "nov", "december", "dec"}
)

// quarterWord is Q1-Q4 or H1-H2 (quarters and halves), optionally with a
// year glued on: "q3", "h1", "q3fy26".
func quarterWord(w string) bool {
	if len(w) < 2 || (w[0] != 'q' && w[0] != 'h') || w[1] < '1' || w[1] > '4' {
		return false
	}
	return len(w) == 2 || (len(w) > 2 && !isDigitByte(w[2]))
}

// tokens is a tokenized text with the lookups the grammar needs.
type tokens []token

func (t tokens) is(i int, k tokenKind, set ...string) bool {
	if i < 0 || i >= len(t) || t[i].kind != k {
		return false
	}
	return len(set) == 0 || oneOf(t[i].text, set...)
}

// adjacent reports that tokens i and i+1 touch, with no space between.
func (t tokens) adjacent(i int) bool {
	return i+1 < len(t) && t[i].end == t[i+1].start
}

func (t tokens) digits(i, min, max int) bool {
	return t.is(i, number) && len(t[i].text) >= min && len(t[i].text) <= max && !strings.ContainsAny(t[i].text, ".,")
}

// date returns the index after a date starting at token i, or -1: an ISO
// date, "2 January 2026", "Jan 2, 2026" or "March 2026".
func (t tokens) date(i int) int {
	switch {
	case t.digits(i, 4, 4) && t.adjacent(i) && t.is(i+1, punct, "-") && t.adjacent(i+1) && t.digits(i+2, 2, 2) &&
		t.adjacent(i+2) && t.is(i+3, punct, "-") && t.adjacent(i+3) && t.digits(i+4, 2, 2):
		return i + 5
	case t.digits(i, 1, 2) && t.is(i+1, word, months...):
		j := t.skipPunct(i+2, ".", ",")
		if t.digits(j, 4, 4) {
			return j + 1
		}
	case t.is(i, word, months...):
		j := t.skipPunct(i+1, ".")
		if t.digits(j, 4, 4) {
			return j + 1
		}
		if t.digits(j, 1, 2) {
			k := j + 1
			if t.adjacent(j) && t.is(k, word, "st", "nd", "rd", "th") {
				k++
			}
			k = t.skipPunct(k, ",")
			if t.digits(k, 4, 4) {
				return k + 1
			}
		}
	}
	return -1
}

func (t tokens) skipPunct(i int, set ...string) int {
	for t.is(i, punct, set...) {
		i++
	}
	return i
}

// timeframe returns the index after a timeframe starting at token i, or -1.
func (t tokens) timeframe(i int) int {
	if j := t.date(i); j >= 0 {
		return j
	}
	switch {
	case t.is(i, word, timeframeLead...):
		j := i + 1
		if t.is(j, word, "the") {
			j++
		}
		if t.is(j, word, "first", "next", "last") {
			j++
		}
		if t.is(j, number) {
			k := j + 1
			if t.is(k, word, "business", "working", "calendar") {
				k++
			}
			if t.is(k, word, periods...) {
				return k + 1
			}
		}
		if t.is(i, word, "by", "in") {
			return t.byMonth(i)
		}
	case t.is(i, word, "before", "until"):
		return t.byMonth(i)
	case t.is(i, number) && t.adjacent(i) && t.is(i+1, punct, "-") && t.adjacent(i+1) && t.is(i+2, word, periods...):
		return i + 3
	case t.is(i, word) && quarterWord(t[i].text):
		if len(t[i].text) == 2 && (t.digits(i+1, 4, 4) || t.digits(i+1, 2, 2)) {
			return i + 2
		}
		return i + 1
	}
	return -1
}

// byMonth reads "by March", "before the end of June".
func (t tokens) byMonth(i int) int {
	j := i + 1
	if t.is(j, word, "the") {
		j++
	}
	if t.is(j, word, "end") && t.is(j+1, word, "of") {
		j += 2
	}
	if t.is(j, word, months...) {
		return j + 1
	}
	return -1
}

// quantity is what a piece of text states.
type quantity struct {
	// numbers counts the NUMBERs that are not part of a timeframe: "75%
	// within 30 days" is one number, so that a target and a window are
	// not mistaken for a baseline and a target.
	numbers   int
	timeframe bool
	// change is a move from one number to another: "from 9% to 1.4%",
	// "62% → 71%", "3.0 -> 1.8 days".
	change bool
}

// tokenPool recycles token buffers: quantities are read from every metric
// line of every document.
var tokenPool = sync.Pool{New: func() any { return new([]token) }}

func quantify(s string) quantity {
	buf := tokenPool.Get().(*[]token)
	defer func() { *buf = (*buf)[:0]; tokenPool.Put(buf) }()
	*buf = tokenizeInto((*buf)[:0], s)
	var q quantity
	t := tokens(*buf)
	for i := 0; i < len(t); {
		if j := t.timeframe(i); j > i {
			q.timeframe = true
			i = j
			continue
		}
		if t[i].kind == number {
			q.numbers++
			if t.changeAt(i) {
				q.change = true
			}
		} else if t.is(i, word, "from") && t.fromTo(i) {
			q.change = true
		}
		i++
	}
	return q
}

// fromTo reads "from [about] N ... to [about] N" within a few words.
func (t tokens) fromTo(i int) bool {
	j := i + 1
	if t.is(j, word, "about", "around") || t.is(j, punct, "~", "$", "€", "£") {
		j++
	}
	if !t.is(j, number) {
		return false
	}
	for k := j + 1; k < len(t) && k <= j+4; k++ {
		if t.is(k, word, "to") {
			l := k + 1
			for t.is(l, word, "about", "around") || t.is(l, punct, "~", "$", "€", "£") {
				l++
			}
			return t.is(l, number)
		}
	}
	return false
}

// changeAt reads "N → M", "N -> M" or "N => M" starting at number i, with
// a unit or two between.
func (t tokens) changeAt(i int) bool {
	for k := i + 1; k < len(t) && k <= i+4; k++ {
		arrow := t.is(k, punct, "→") || ((t.is(k, punct, "-") || t.is(k, punct, "=")) && t.adjacent(k) && t.is(k+1, punct, ">"))
		if !arrow {
			if t[k].kind == number {
				return false
			}
			continue
		}
		l := k + 1
		if !t.is(k, punct, "→") {
			l++
		}
		for t.is(l, punct, "~", "$", "€", "£") {
			l++
		}
		return t.is(l, number)
	}
	return false
}

// hasTimeframe reports whether s states a TIMEFRAME.
func hasTimeframe(s string) bool { return quantify(s).timeframe }

// hasDate reports whether s holds a calendar date.
func hasDate(s string) bool {
	t := tokens(tokenize(s))
	for i := range t {
		if t.date(i) >= 0 {
			return true
		}
	}
	return false
}
