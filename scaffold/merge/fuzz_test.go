package merge

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// FuzzDocuments: no input makes the merge panic; merging a document with
// itself gives it back; when only one side changed there is no conflict,
// and when only yours changed the result is yours; the conflicts the
// result reports are where its markers are.
func FuzzDocuments(f *testing.F) {
	a := page("Draft", "Goals", "Ship it.", "Risks", "None.")
	b := page("Launched", "Goals", "Ship it by June.", "Mine", "x", "Risks", "None.")
	c := page("Draft", "Risks", "Churn.", "Goals", "Ship it.\n\n```\n## Fake\n```", "New", "y")
	f.Add(a, b, c)
	f.Add(a, c, b)
	f.Add("", "# T\n", "---\nk: v\n---")
	f.Add("---\nk: [1, 2]\n---\n", "---\r\nk: 1\r\n---\r\nbody\r\n", "\xef\xbb\xbf---\nk: 2\n...\n## A\n## A\n")
	f.Add("# T\nS\n===\n## B\n", "# T\n## B\n\n", "## B\n# T\n")
	docs, _ := filepath.Glob("../../examples/documents/*/*.md")
	for i := 0; i+2 < len(docs); i += 3 {
		x, _ := os.ReadFile(docs[i])
		y, _ := os.ReadFile(docs[i+1])
		z, _ := os.ReadFile(docs[i+2])
		f.Add(string(x), string(y), string(z))
	}
	f.Fuzz(func(t *testing.T, base, yours, theirs string) {
		if len(base)+len(yours)+len(theirs) > 1<<16 {
			return
		}
		res := Documents([]byte(base), []byte(yours), []byte(theirs), labels)
		for _, x := range []string{base, yours, theirs} {
			if got := Documents([]byte(x), []byte(x), []byte(x), labels); string(got.Content) != x || len(got.Conflicts) > 0 {
				t.Fatalf("merging %q with itself gave %q", x, got.Content)
			}
		}
		if got := Documents([]byte(base), []byte(yours), []byte(base), labels); string(got.Content) != yours || len(got.Conflicts) > 0 {
			t.Fatalf("only yours changed: got %q, want %q", got.Content, yours)
		}
		if got := Documents([]byte(base), []byte(base), []byte(theirs), labels); len(got.Conflicts) > 0 {
			t.Fatalf("only theirs changed, yet conflicts: %q", got.Content)
		}
		if got := Documents([]byte(base), []byte(yours), []byte(yours), labels); string(got.Content) != yours || len(got.Conflicts) > 0 {
			t.Fatalf("both made the same change: got %q, want %q", got.Content, yours)
		}
		if !strings.Contains(base+yours+theirs, "<<<<<<<") && !strings.Contains(base+yours+theirs, "=======") {
			if got := doc.ConflictMarkers(res.Content); len(got) != len(res.Conflicts) {
				t.Fatalf("%d conflicts reported, markers found at %v in %q", len(res.Conflicts), got, res.Content)
			}
		}
		if len(res.Conflicts) == 0 && bytes.Contains(res.Content, []byte("<<<<<<< yours")) && !strings.Contains(base+yours+theirs, "<<<<<<< yours") {
			t.Fatalf("markers without a conflict: %q", res.Content)
		}
	})
}

// FuzzLines: merging lines with themselves gives them back, and a change
// on one side only is taken whole, without a conflict.
func FuzzLines(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nB\nc\n", "a\nb\nC\n")
	f.Add("", "x\n", "y")
	f.Add("a\n\nb\n\n", "a\n\nx\n\nb\n\n", "\n\n")
	f.Fuzz(func(t *testing.T, base, yours, theirs string) {
		b, y, th := splitLines(base), splitLines(yours), splitLines(theirs)
		same := func(got []string, want string, n int) {
			t.Helper()
			if strings.Join(got, "") != want || n != 0 {
				t.Fatalf("got %q with %d conflicts, want %q", strings.Join(got, ""), n, want)
			}
		}
		got, n := Lines(b, b, b, labels)
		same(got, base, n)
		got, n = Lines(b, y, b, labels)
		same(got, yours, n)
		got, n = Lines(b, b, th, labels)
		same(got, theirs, n)
		got, n = Lines(b, y, y, labels)
		same(got, yours, n)
	})
}
