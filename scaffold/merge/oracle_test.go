package merge

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitMerge runs `git merge-file -p --diff3`, the oracle (tests only: the
// product never runs git), on three texts and returns its output and the
// number of conflicts (its exit code).
func gitMerge(t *testing.T, dir, base, yours, theirs string) (string, int) {
	t.Helper()
	files := make([]string, 3)
	for i, text := range []string{yours, base, theirs} {
		files[i] = filepath.Join(dir, fmt.Sprintf("f%d", i))
		if err := os.WriteFile(files[i], []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("git", "merge-file", "-p", "--diff3", "-L", "yours", "-L", "base", "-L", "theirs", files[0], files[1], files[2])
	out, err := cmd.Output()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.ExitCode() > 0 && ee.ExitCode() < 127:
		return string(out), ee.ExitCode()
	case err != nil:
		t.Fatalf("git merge-file: %v", err)
	}
	return string(out), 0
}

// needGit skips a test that needs the git command line as its oracle.
func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the merge's oracle (git merge-file) cannot run")
	}
}

// generator makes random documents and random edits of them.
type generator struct {
	r *rand.Rand
	// vocab is the pool lines are drawn from: a small pool repeats lines
	// (as blank lines and list markers repeat in Markdown), a big one
	// almost never does.
	vocab []string
}

// newGenerator draws from distinct lines; a negative distinct makes
// Markdown-like text: -distinct sentences, and blank lines between them
// about one line in three, as between a document's paragraphs.
func newGenerator(seed uint64, distinct int) *generator {
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for i := 0; i < max(distinct, -distinct); i++ {
		g.vocab = append(g.vocab, fmt.Sprintf("line %d\n", i))
	}
	if distinct < 0 {
		for i := len(g.vocab) / 2; i > 0; i-- {
			g.vocab = append(g.vocab, "\n")
		}
	}
	return g
}

func (g *generator) line() string { return g.vocab[g.r.IntN(len(g.vocab))] }

func (g *generator) text(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.line()
	}
	return out
}

// edit applies up to k random edits (insert, delete, replace a run of
// lines) to lines.
func (g *generator) edit(lines []string, k int) []string {
	out := append([]string(nil), lines...)
	for e := g.r.IntN(k + 1); e > 0; e-- {
		at := g.r.IntN(len(out) + 1)
		n := 1 + g.r.IntN(3)
		switch g.r.IntN(3) {
		case 0: // insert
			out = append(out[:at], append(g.text(n), out[at:]...)...)
		case 1: // delete
			end := min(at+n, len(out))
			out = append(out[:at], out[end:]...)
		default: // replace
			end := min(at+n, len(out))
			out = append(out[:at], append(g.text(n), out[end:]...)...)
		}
	}
	return out
}

// TestLinesAgainstGit compares Lines with git merge-file on generated
// cases: random texts, each side edited at random (inserted, deleted and
// replaced runs of lines).
//
// Where a line diff is unambiguous (lines that do not repeat), the merges
// must be the same byte for byte. Where lines repeat (blank lines between
// paragraphs, or a handful of lines over and over), two shortest diffs can
// align the repeats differently; git's xdiff breaks those ties its own
// way. Then the clean merges must still be identical, and only the extent
// of a conflict's hunk may differ, in a bounded share of the cases.
func TestLinesAgainstGit(t *testing.T) {
	needGit(t)
	t.Parallel()
	dir := t.TempDir()
	cases := 500
	if testing.Short() {
		cases = 100
	}
	for _, tc := range []struct {
		name     string
		distinct int
		// minSame is the share of merges that must be git's byte for
		// byte, minVerdict the share that must agree on whether there
		// is a conflict.
		minSame, minVerdict float64
	}{
		{"distinct lines", 100000, 1, 1},
		{"markdown-like lines", -2000, 0.9, 0.99},
		{"repeated lines", 6, 0.85, 0.98},
	} {
		g := newGenerator(uint64(tc.distinct+3000), tc.distinct)
		var same, verdict, conflicts, clean int
		for i := 0; i < cases; i++ {
			base := g.text(1 + g.r.IntN(30))
			yours, theirs := g.edit(base, 4), g.edit(base, 4)
			lines, n := Lines(base, yours, theirs, Labels{"yours", "base", "theirs"})
			got := strings.Join(lines, "")
			want, wn := gitMerge(t, dir, strings.Join(base, ""), strings.Join(yours, ""), strings.Join(theirs, ""))
			if n > 0 {
				conflicts++
			}
			if (n > 0) == (wn > 0) {
				verdict++
			}
			if got == want && n == wn {
				same++
			}
			if n == 0 && wn == 0 {
				clean++
			}
			if (n == 0 && wn == 0 && got != want) || (tc.minSame == 1 && got != want) {
				t.Fatalf("%s, case %d: merge differs from git merge-file\nbase:\n%s\nyours:\n%s\ntheirs:\n%s\ngot (%d conflicts):\n%s\ngit (%d conflicts):\n%s",
					tc.name, i, strings.Join(base, ""), strings.Join(yours, ""), strings.Join(theirs, ""), n, got, wn, want)
			}
		}
		t.Logf("%s: %d generated cases (%d with conflicts, %d clean in both): %d identical to git merge-file, %d agree on whether there is a conflict, every clean merge identical",
			tc.name, cases, conflicts, clean, same, verdict)
		if float64(same) < tc.minSame*float64(cases) || float64(verdict) < tc.minVerdict*float64(cases) {
			t.Errorf("%s: %d of %d merges are git's, %d agree on conflicts", tc.name, same, cases, verdict)
		}
		if conflicts < cases/10 || clean < cases/10 {
			t.Errorf("%s: %d of %d cases conflict; the generator should make both kinds", tc.name, conflicts, cases)
		}
	}
}

// TestDocumentsAgainstGit compares Documents with git merge-file on whole
// generated documents: front matter, a title and sections of distinct
// lines, each side editing lines inside sections at random but never the
// lines at a section's edges. There, no change of one section touches
// another's, so a whole-file merge and a section-aware one must agree.
func TestDocumentsAgainstGit(t *testing.T) {
	needGit(t)
	t.Parallel()
	dir := t.TempDir()
	cases := 300
	if testing.Short() {
		cases = 60
	}
	g := newGenerator(7, 100000)
	conflicts := 0
	for i := 0; i < cases; i++ {
		nsec := 1 + g.r.IntN(6)
		base := make([][]string, nsec)
		for s := range base {
			// A heading, a blank line, the interior, a closing line and a
			// blank line; only the interior is edited.
			base[s] = g.text(1 + g.r.IntN(8))
		}
		side := func() string {
			var b strings.Builder
			b.WriteString("---\nkind: prd\ntitle: T\n---\n# T\n\n")
			for s, lines := range base {
				fmt.Fprintf(&b, "## Section %d\n\n", s)
				b.WriteString(strings.Join(g.edit(lines, 2), ""))
				fmt.Fprintf(&b, "End of section %d.\n\n", s)
			}
			return b.String()
		}
		var o strings.Builder
		o.WriteString("---\nkind: prd\ntitle: T\n---\n# T\n\n")
		for s, lines := range base {
			fmt.Fprintf(&o, "## Section %d\n\n%sEnd of section %d.\n\n", s, strings.Join(lines, ""), s)
		}
		b, y, th := o.String(), side(), side()
		res := Documents([]byte(b), []byte(y), []byte(th), Labels{"yours", "base", "theirs"})
		want, wn := gitMerge(t, dir, b, y, th)
		if string(res.Content) != want || len(res.Conflicts) != wn {
			t.Fatalf("case %d: merge differs from git merge-file\nbase:\n%s\nyours:\n%s\ntheirs:\n%s\ngot (%d conflicts):\n%s\ngit (%d conflicts):\n%s",
				i, b, y, th, len(res.Conflicts), res.Content, wn, want)
		}
		if wn > 0 {
			conflicts++
		}
		checkMarkers(t, res)
	}
	t.Logf("%d generated documents identical to git merge-file, %d of them with conflicts", cases, conflicts)
}
