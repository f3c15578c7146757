package doc

import (
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Contact is contact details found in text: an e-mail address or a phone
// number, at Text[Start:End].
type Contact struct {
	Kind       string // "e-mail address" or "phone number"
	Start, End int
}

// The kinds of Contact.
const (
	Email = "e-mail address"
	Phone = "phone number"
)

// emailRE is compiled on first use: pmfolio's packages do no work before
// main.
var emailRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
})

// ContactDetails finds e-mail addresses and phone numbers in text, in
// order: what an anonymised interview note must not hold. check reports
// them in documents; the interview refuses them where a question asks for
// a role or a description.
func ContactDetails(text string) []Contact {
	var out []Contact
	for off := 0; ; {
		i := strings.IndexByte(text[off:], '@')
		if i < 0 {
			break
		}
		at := off + i
		from := strings.LastIndexAny(text[:at], " \t\n<([\"'") + 1
		to := at + strings.IndexAny(text[at:]+" ", " \t\n>)]\"'")
		if m := emailRE().FindStringIndex(text[from:to]); m != nil {
			out = append(out, Contact{Kind: Email, Start: from + m[0], End: from + m[1]})
		}
		off = to
		if off <= at {
			off = at + 1
		}
	}
	for _, p := range phoneNumbers(text) {
		out = append(out, Contact{Kind: Phone, Start: p[0], End: p[1]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// phoneNumbers finds runs of digit groups joined by single separators
// (space, dot, hyphen, slash, parentheses) that read as a phone number:
// with a leading +, 8 to 15 digits; without, at least three groups and 9
// to 15 digits. A pattern for phone numbers either matches ISO dates and
// figures ("2026-01-14", "1,100") or costs a full scan of every document;
// this finds digit runs once and judges each.
func phoneNumbers(text string) [][2]int {
	var out [][2]int
	isDigit := func(b byte) bool { return '0' <= b && b <= '9' }
	for i := 0; i < len(text); {
		if !isDigit(text[i]) && !(text[i] == '+' || text[i] == '(') {
			i++
			continue
		}
		if i > 0 && (isDigit(text[i-1]) || isLetter(text[i-1])) {
			i++
			continue
		}
		start, j := i, i
		plus := text[j] == '+'
		if plus {
			j++
		}
		digits, groups := 0, 0
		for j < len(text) {
			k := j
			if text[k] == '(' {
				k++
			}
			n := 0
			for k < len(text) && isDigit(text[k]) {
				k++
				n++
			}
			if n == 0 {
				break
			}
			if k < len(text) && text[k] == ')' {
				k++
			}
			digits += n
			groups++
			j = k
			// A single separator, then a digit or '(', continues the number.
			if j+1 < len(text) && strings.IndexByte(" .-/", text[j]) >= 0 && (isDigit(text[j+1]) || text[j+1] == '(') {
				j++
				continue
			}
			break
		}
		end := j
		if end < len(text) && (isLetter(text[end]) || text[end] == '%' || text[end] == ',') {
			// 12-week, 2,500 or 15%: a figure, not a number to call.
			i = end + 1
			continue
		}
		if (plus && digits >= 8 && digits <= 15) || (!plus && groups >= 3 && digits >= 9 && digits <= 15) {
			out = append(out, [2]int{start, end})
		}
		if end <= i {
			end = i + 1
		}
		i = end
	}
	return out
}

func isLetter(b byte) bool {
	return ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z')
}
