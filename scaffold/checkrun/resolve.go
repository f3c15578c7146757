// Package checkrun runs `pmfolio check` as linters run: on files and
// folders named from any working folder, each held to the portfolio it is
// in, in one report. It resolves the paths (Resolve), loads each
// portfolio's configuration and packs, runs the checker on each, and
// merges the reports with paths as the person named them.
package checkrun

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// Group is one portfolio, or one folder of loose documents, and what to
// check in it.
type Group struct {
	// Root is the folder holding pmfolio.yaml; for loose documents, the
	// folder holding them. It is absolute.
	Root string
	// Loose is set when no folder above the documents holds pmfolio.yaml:
	// they are checked with the default configuration and the default
	// pack, their front matter saying their kind.
	Loose bool
	// Whole is set when the whole portfolio is checked: then the 90-day
	// plan and the links between documents are checked too.
	Whole bool
	// Targets are the files and folders to check, in the order named.
	Targets []Target
}

// Target is one path to check, inside its group.
type Target struct {
	// Arg is the path as the person gave it.
	Arg string
	// Rel is slash-separated and relative to the group's Root; "." is the
	// root itself.
	Rel string
	// Dir is set for a folder: the Markdown files below it are checked.
	Dir bool
}

// Resolve turns check's PATH arguments, relative to cwd, into groups by
// portfolio: each path belongs to the nearest folder above it holding
// pmfolio.yaml, whose configuration then applies to it; a path with none
// above it is a loose document (or folder of them), grouped by its
// folder. Naming a portfolio's own folder checks the whole portfolio.
// Without paths, the portfolio enclosing cwd is checked whole. Groups come
// in the order they are first named. It reads no document.
func Resolve(cwd string, paths []string) ([]*Group, error) {
	if len(paths) == 0 {
		root, err := portfolio.FindRoot(cwd)
		if err != nil {
			return nil, hint.Wrap(err, "run it inside a portfolio, point at one with -C DIR, or name the files to check: pmfolio check FILE...")
		}
		return []*Group{{Root: root, Whole: true, Targets: []Target{{Arg: ".", Rel: ".", Dir: true}}}}, nil
	}
	var groups []*Group
	byRoot := map[string]*Group{}
	for _, arg := range paths {
		t, root, loose, err := locate(cwd, arg)
		if err != nil {
			return nil, err
		}
		g := byRoot[root]
		if g == nil {
			g = &Group{Root: root, Loose: loose}
			byRoot[root] = g
			groups = append(groups, g)
		}
		if t.Rel == "." && !loose {
			g.Whole = true
		}
		g.Targets = append(g.Targets, t)
	}
	return groups, nil
}

// locate finds the group root of one path argument.
func locate(cwd, arg string) (t Target, root string, loose bool, err error) {
	abs := arg
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(cwd, abs)
	}
	abs = filepath.Clean(abs)
	fi, err := os.Stat(abs)
	if err != nil {
		return Target{}, "", false, hint.Wrap(fmt.Errorf("check: %s: no such file or folder", arg), "give paths of documents or folders")
	}
	dir := abs
	if !fi.IsDir() {
		dir = filepath.Dir(abs)
	}
	root, err = portfolio.FindRoot(dir)
	var nf *portfolio.NotFoundError
	switch {
	case errors.As(err, &nf):
		root, loose = dir, true
	case err != nil:
		return Target{}, "", false, err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return Target{}, "", false, fmt.Errorf("check: %s is outside %s", arg, root)
	}
	return Target{Arg: arg, Rel: filepath.ToSlash(rel), Dir: fi.IsDir()}, root, loose, nil
}
