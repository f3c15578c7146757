package check

import (
	"fmt"
	"strconv"
)

// message is fmt.Sprintf(format, args...) for the verbs findings' messages
// use: %s and %q of a string, %d of an int, and %%. A run of 10,000
// documents formats a hundred thousand messages, and fmt's reflection and
// strconv's quoting of every rune were a tenth of the time spent on
// rules. Any other verb, flag or argument type goes to fmt.Sprintf, so the
// result is always what fmt would print.
func message(format string, args ...any) string {
	var buf []byte
	return formatMessage(&buf, format, args)
}

// formatMessage is message, formatting in *scratch (kept for the next
// message) so that the message is the one allocation.
func formatMessage(scratch *[]byte, format string, args []any) string {
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
	return string(buf)
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
