package checkrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mkfile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// describe renders groups as "root[loose|whole] target,target" lines,
// roots relative to base.
func describe(base string, gs []*Group) string {
	var lines []string
	for _, g := range gs {
		root, _ := filepath.Rel(base, g.Root)
		line := filepath.ToSlash(root)
		if g.Loose {
			line += "[loose]"
		}
		if g.Whole {
			line += "[whole]"
		}
		var ts []string
		for _, tg := range g.Targets {
			s := tg.Rel
			if tg.Dir {
				s += "/"
			}
			ts = append(ts, s)
		}
		lines = append(lines, line+" "+strings.Join(ts, ","))
	}
	return strings.Join(lines, "\n")
}

// TestResolve: paths become groups by the nearest folder above them that
// holds pmfolio.yaml, in the order first named; paths without one are
// loose documents grouped by their folder; naming a portfolio's folder
// asks for the whole portfolio.
func TestResolve(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	mkfile(t, filepath.Join(base, "a", "pmfolio.yaml"), "version: 1\n")
	mkfile(t, filepath.Join(base, "a", "prd", "x.md"), "x")
	mkfile(t, filepath.Join(base, "a", "sub", "pmfolio.yaml"), "version: 1\n")
	mkfile(t, filepath.Join(base, "a", "sub", "story", "y.md"), "y")
	mkfile(t, filepath.Join(base, "notes", "n.md"), "n")
	mkfile(t, filepath.Join(base, "notes", "deep", "m.md"), "m")
	cwd := filepath.Join(base, "a", "prd")

	for _, tc := range []struct {
		paths []string
		want  string
	}{
		{nil, "a[whole] ./"},
		{[]string{"x.md", "../sub/story", "../../notes/n.md", "x.md"}, "a prd/x.md,prd/x.md\na/sub story/\nnotes[loose] n.md"},
		{[]string{"..", filepath.Join(base, "notes"), "../../notes/deep/m.md"}, "a[whole] ./\nnotes[loose] ./\nnotes/deep[loose] m.md"},
		{[]string{"../sub"}, "a/sub[whole] ./"},
	} {
		gs, err := Resolve(cwd, tc.paths)
		if err != nil {
			t.Errorf("%q: %v", tc.paths, err)
			continue
		}
		if got := describe(base, gs); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.paths, got, tc.want)
		}
	}
	if _, err := Resolve(cwd, []string{"nothing.md"}); err == nil || !strings.Contains(err.Error(), "check: nothing.md: no such file or folder") {
		t.Errorf("a missing path: %v", err)
	}
	if _, err := Resolve(filepath.Join(base, "notes"), nil); err == nil || !strings.Contains(err.Error(), "no portfolio here") {
		t.Errorf("no path outside a portfolio: %v", err)
	}
}
