package portfolio

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// Ignored reports whether git ignores the path abs (a folder when dir is
// set) of the repository's work tree, by the .gitignore files on its way
// from the top of the work tree and .git/info/exclude; rel is abs relative
// to the top, "" when abs is outside the work tree. It reads those few
// files only, not the whole tree.
func (r *Repo) Ignored(abs string, dir bool) (ignored bool, rel string, err error) {
	top, err := filepath.EvalSymlinks(r.top)
	if err != nil {
		return false, "", err
	}
	target := abs
	if t, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		target = filepath.Join(t, filepath.Base(abs))
	}
	relOS, err := filepath.Rel(top, target)
	if err != nil || !filepath.IsLocal(relOS) {
		return false, "", nil
	}
	rel = filepath.ToSlash(relOS)
	parts := strings.Split(rel, "/")
	var patterns []gitignore.Pattern
	patterns = append(patterns, readIgnore(filepath.Join(r.gitDir, "info", "exclude"), nil)...)
	for i := 0; i < len(parts); i++ {
		domain := slices.Clone(parts[:i])
		file := filepath.Join(top, filepath.FromSlash(strings.Join(domain, "/")), ".gitignore")
		patterns = append(patterns, readIgnore(file, domain)...)
	}
	m := gitignore.NewMatcher(patterns)
	// A folder inside an ignored folder is ignored too.
	for i := 1; i <= len(parts); i++ {
		if m.Match(parts[:i], i < len(parts) || dir) {
			return true, rel, nil
		}
	}
	return false, rel, nil
}

func readIgnore(file string, domain []string) []gitignore.Pattern {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var out []gitignore.Pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, gitignore.ParsePattern(line, domain))
	}
	return out
}
