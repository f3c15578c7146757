package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// These tests keep the layering the README's layout section describes, by
// reading the sources with go/parser: a convention nobody checks drifts.

// goFile is one non-test Go file of the module.
type goFile struct {
	rel  string // slash-separated, relative to the module root
	pkg  string // its folder
	file *ast.File
	fset *token.FileSet
}

// moduleFiles parses every non-test Go file of the module.
func moduleFiles(t *testing.T) []goFile {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var out []goFile
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		out = append(out, goFile{rel: rel, pkg: filepath.ToSlash(filepath.Dir(rel)), file: f, fset: fset})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 50 {
		t.Fatalf("found only %d Go files under %s", len(out), root)
	}
	return out
}

// imports maps the names a file gives its imports to their paths.
func imports(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := p[strings.LastIndexByte(p, '/')+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		out[name] = p
	}
	return out
}

// TestEnvironmentAndClockReadOnce: the environment and the wall clock are
// read in one place, app's factory (OSFactory), and passed down; nothing in
// scaffold/ reads them itself, not even through os.UserHomeDir and the
// like, which read HOME. The crash hook is the one documented exception:
// PMFOLIO_CRASH_AT kills the process at a named step deep inside a write,
// for the crash test only, and must work in any build whatever the
// command.
func TestEnvironmentAndClockReadOnce(t *testing.T) {
	t.Parallel()
	banned := map[string][]string{
		"os":   {"Getenv", "LookupEnv", "Environ", "ExpandEnv", "UserHomeDir", "UserCacheDir", "UserConfigDir"},
		"time": {"Now", "Since", "Until"},
	}
	allowed := map[string][]string{
		"scaffold/app/factory.go": {"os.Environ", "time.Now"},
		"scaffold/crash/crash.go": {"os.Getenv"},
	}
	seen := map[string]bool{}
	for _, gf := range moduleFiles(t) {
		if !strings.HasPrefix(gf.rel, "scaffold/") {
			continue
		}
		names := imports(gf.file)
		ast.Inspect(gf.file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			for pkg, funcs := range banned {
				if names[id.Name] != pkg || !slices.Contains(funcs, sel.Sel.Name) {
					continue
				}
				use := pkg + "." + sel.Sel.Name
				if slices.Contains(allowed[gf.rel], use) {
					seen[gf.rel+" "+use] = true
					continue
				}
				t.Errorf("%s: %s: read it through the factory (app.Factory: Env, Now) instead", gf.fset.Position(sel.Pos()), use)
			}
			return true
		})
	}
	for file, uses := range allowed {
		for _, use := range uses {
			if !seen[file+" "+use] {
				t.Errorf("%s no longer uses %s: take it off the allowed list", file, use)
			}
		}
	}
}

// TestOneImporterPerLibrary: one package wraps each outside library with a
// say in pmfolio's shape, so that replacing it touches one folder.
func TestOneImporterPerLibrary(t *testing.T) {
	t.Parallel()
	owners := map[string][]string{
		"github.com/urfave/cli":         {"scaffold/app"},
		"github.com/AlecAivazis/survey": {"scaffold/interview"},
		"github.com/Masterminds/sprig":  {"scaffold/render"},
		"github.com/go-git/go-git":      {"scaffold/portfolio", "scaffold/gitfetch"},
		"github.com/chromedp":           {"scaffold/browser"},
		"github.com/sergi/go-diff":      {"scaffold/merge"},
	}
	found := map[string]bool{}
	for _, gf := range moduleFiles(t) {
		for _, p := range imports(gf.file) {
			for lib, pkgs := range owners {
				if !strings.HasPrefix(p, lib) {
					continue
				}
				found[lib] = true
				if !slices.Contains(pkgs, gf.pkg) {
					t.Errorf("%s imports %s; only %s may", gf.rel, p, strings.Join(pkgs, " and "))
				}
			}
		}
	}
	for lib := range owners {
		if !found[lib] {
			t.Errorf("nothing imports %s any more: update this test", lib)
		}
	}
}

// maxFuncLines is how long a function of app may be: app turns flags into
// requests and prints results; behaviour longer than this belongs in the
// use-case package that owns it.
const maxFuncLines = 60

// TestAppFunctionsAreShort: no function of scaffold/app is over
// maxFuncLines lines.
func TestAppFunctionsAreShort(t *testing.T) {
	t.Parallel()
	n := 0
	for _, gf := range moduleFiles(t) {
		if gf.pkg != "scaffold/app" {
			continue
		}
		for _, d := range gf.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			n++
			start, end := gf.fset.Position(fd.Pos()), gf.fset.Position(fd.End())
			if lines := end.Line - start.Line + 1; lines > maxFuncLines {
				t.Errorf("%s: %s is %d lines; move its behaviour out of app, or split it (at most %d)", start, fd.Name.Name, lines, maxFuncLines)
			}
		}
	}
	if n < 20 {
		t.Fatalf("found only %d functions in scaffold/app", n)
	}
}
