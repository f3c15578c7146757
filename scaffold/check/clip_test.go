package check

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// clip collapses only the words a message can show: it quotes what
// collapsing the whole text and clipping it would.
func TestClipCollapsesOnlyWhatItShows(t *testing.T) {
	whole := func(s string) string { return yamlfile.Clip(strings.Join(strings.Fields(s), " "), clipMax) }
	parts := []string{"word", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "e\u0301", "👩\u200d💻", "🇫🇷", "製品", "TBD", strings.Repeat("x", 70), "[Your Name],"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.Intn(40); n >= 0; n-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		if got, want := clip(b.String()), whole(b.String()); got != want {
			t.Fatalf("clip(%q) = %q, want %q", b.String(), got, want)
		}
	}
}
