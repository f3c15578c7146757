package check

import (
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// message prints what fmt.Sprintf prints, for every verb, flag and
// argument.
func TestMessageIsSprintf(t *testing.T) {
	formats := []string{"%s", "%q", "%d", "%%", "%v", "%5d", "%-3s", "%.1f", "%x", "%", "plain ", " (", "): ", "%!"}
	args := []any{"text", "", "quote \" and \\", "tab\tnew\nline", "é 製 🚀", "\x7f\x00", 0, -12, 1 << 40, 1.5, errors.New("an error"), Error, []string{"a"}, nil, int64(3)}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		for n := r.Intn(6); n >= 0; n-- {
			b.WriteString(formats[r.Intn(len(formats))])
		}
		var as []any
		for n := r.Intn(4); n > 0; n-- {
			as = append(as, args[r.Intn(len(args))])
		}
		if got, want := message(b.String(), as...), fmt.Sprintf(b.String(), as...); got != want {
			t.Fatalf("message(%q, %#v) = %q, want %q", b.String(), as, got, want)
		}
	}
}
