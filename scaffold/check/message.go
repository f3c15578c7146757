package check

import (
	"fmt"
	"strconv"
	"sync"
)

// message is fmt.Sprintf(format, args...) for the verbs findings' messages
// use: %s and %q of a string, %d of an int, and %%. A run of 10,000
// documents formats a hundred thousand messages, and fmt's reflection and
// strconv's quoting of every rune were a tenth of the time spent on
// rules. Any other verb, flag or argument type goes to fmt.Sprintf, so the
// result is always what fmt would print.
func message(format string, args ...any) string {
	var buf []byte
	return formatMessage(&buf, format, args, nil)
}

// formatMessage is message, formatting in *scratch (kept for the next
// message) so that the message is the one allocation, or none when in
// (which may be nil) already holds it.
func formatMessage(scratch *[]byte, format string, args []any, in *interner) string {
	buf := (*scratch)[:0]
	defer func() { *scratch = buf }()
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			buf = append(buf, c)
			continue
		}
		if i+1 == len(format) {
			return fmt.Sprintf(format, args...)
		}
		i++
		verb := format[i]
		if verb == '%' {
			buf = append(buf, '%')
			continue
		}
		if next == len(args) {
			return fmt.Sprintf(format, args...)
		}
		a := args[next]
		next++
		switch verb {
		case 's', 'q':
			s, ok := a.(string)
			if !ok {
				return fmt.Sprintf(format, args...)
			}
			if verb == 's' {
				buf = append(buf, s...)
			} else {
				buf = appendQuoted(buf, s)
			}
		case 'd':
			n, ok := a.(int)
			if !ok {
				return fmt.Sprintf(format, args...)
			}
			buf = strconv.AppendInt(buf, int64(n), 10)
		default:
			return fmt.Sprintf(format, args...)
		}
	}
	if next != len(args) {
		return fmt.Sprintf(format, args...)
	}
	return in.string(buf)
}

// interner hands out one copy of each finding message it has seen, up to
// maxInterned of them. A report holds every finding until it is written,
// and the messages were a third of what a run over 10,000 unfilled
// templates kept alive: the same guidance left in the same sections of
// many documents reads the same. The garbage collector marks what is
// live at each cycle, and a cycle comes sooner the less room the memory
// limit leaves, so a smaller live heap is fewer and shorter cycles.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

// maxInterned bounds the table: past it, a message not in it is copied
// as it would be without one (messages that differ from document to
// document need no table, and must not grow it without bound).
const maxInterned = 1 << 14

// string is string(b), the table's copy when it has one. A nil
// interner copies.
func (in *interner) string(b []byte) string {
	if in == nil {
		return string(b)
	}
	in.mu.Lock()
	s, ok := in.m[string(b)]
	full := len(in.m) >= maxInterned
	in.mu.Unlock()
	if ok {
		return s
	}
	s = string(b)
	if !full {
		in.mu.Lock()
		if in.m == nil {
			in.m = make(map[string]string)
		}
		in.m[s] = s
		in.mu.Unlock()
	}
	return s
}

// appendQuoted is strconv.AppendQuote, at once for printable ASCII that
// needs no escape.
func appendQuoted(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return strconv.AppendQuote(buf, s)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
