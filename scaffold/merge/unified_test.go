package merge

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnifiedAgainstDiffAndPatch: Unified is what diff -u writes where
// the diff is unambiguous, and patch turns a into b with it, always.
func TestUnifiedAgainstDiffAndPatch(t *testing.T) {
	for _, tool := range []string{"diff", "patch"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: it is the oracle of the unified diff", tool)
		}
	}
	t.Parallel()
	dir := t.TempDir()
	aFile, bFile := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, tc := range []struct {
		name     string
		distinct int
	}{{"distinct lines", 100000}, {"markdown-like lines", -2000}} {
		g := newGenerator(11, tc.distinct)
		same, compared := 0, 0
		cases := 150
		for i := 0; i < cases; i++ {
			a := strings.Join(g.text(1+g.r.IntN(40)), "")
			b := strings.Join(g.edit(splitLines(a), 5), "")
			if i%7 == 0 {
				b = strings.TrimSuffix(b, "\n") // no newline at the end
			}
			got := string(Unified("a", "b", []byte(a), []byte(b)))
			if a == b {
				if got != "" {
					t.Fatalf("a diff between equal texts: %q", got)
				}
				continue
			}
			compared++
			for f, s := range map[string]string{aFile: a, bFile: b} {
				if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, _ := exec.Command("diff", "-u", "--label", "a", "--label", "b", aFile, bFile).Output()
			if got == string(want) {
				same++
			} else if tc.distinct > 0 {
				t.Fatalf("case %d differs from diff -u:\n%s\nwant:\n%s", i, got, want)
			}
			cmd := exec.Command("patch", "-s", "-o", "-", aFile)
			cmd.Stdin = strings.NewReader(got)
			out, err := cmd.Output()
			if err != nil || string(out) != b {
				t.Fatalf("case %d: patch with the diff gave %q (%v), want %q\ndiff:\n%s", i, out, err, b, got)
			}
		}
		t.Logf("%s: %d diffs applied by patch, %d identical to diff -u", tc.name, compared, same)
	}
}
