package app

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files from the current output")

// exampleDates are the days the example documents are dated, so that the
// links between them (brief -> interviews, PRD -> brief, retro -> PRD)
// resolve in a portfolio built from examples/answers.
var exampleDates = map[string]string{
	"interview": "2026-01-09",
	"brief":     "2026-01-21",
	"prd":       "2026-01-26",
	"teardown":  "2026-03-09",
	"story":     "2026-03-16",
	"retro":     "2026-03-26",
}

// TestGoldenDocuments renders examples/answers/<kind>.yaml for every kind
// on both tracks through the real CLI and compares the documents with
// examples/documents/<track>/<kind>.md, the documents we show people.
// Regenerate with: go test ./scaffold/app -run TestGoldenDocuments -update
func TestGoldenDocuments(t *testing.T) {
	t.Parallel()
	examples := examplesDir(t)
	port := newTestPortfolio(t, examples)
	for _, track := range []string{"core", "technical"} {
		for kind, date := range exampleDates {
			t.Run(track+"/"+kind, func(t *testing.T) {
				t.Parallel()
				out, errOut, code := runCLI(t, "-C", port, "new", kind,
					"--answers", filepath.Join(examples, "answers", kind+".yaml"),
					"--track", track, "--date", date, "--dry-run")
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				golden := filepath.Join(examples, "documents", track, kind+".md")
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, out, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(out, want) {
					t.Errorf("%s differs from the rendered document; if the change is intended, run with -update\n%s", golden, firstDiff(want, out))
				}
			})
		}
	}
}

// examplesDir is the absolute path of the repository's examples folder.
func examplesDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// newTestPortfolio creates an uncommitted portfolio from the example init
// answers in a temporary folder.
func newTestPortfolio(t *testing.T, examples string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "port")
	if _, errOut, code := runCLI(t, "init", "--no-commit", "--answers", filepath.Join(examples, "answers", "init.yaml"), "--date", "2026-01-05", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	return dir
}

func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return ""
}
