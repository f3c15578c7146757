package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestMalformedInput runs every case in testdata/malformed: a txtar file
// whose comment gives the arguments (run with -C in a fresh portfolio),
// the expected exit code and a regular expression the output must match
// (stderr: or stdout:), and whose files are put into the portfolio first.
// Whatever the input, pmfolio must fail with that message, never with a
// stack trace, and leave the portfolio as it was.
func TestMalformedInput(t *testing.T) {
	t.Parallel()
	examples := examplesDir(t)
	cases, err := filepath.Glob("testdata/malformed/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Fatalf("%d malformed inputs; the issue asks for at least 30", len(cases))
	}
	for _, file := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			spec := map[string]string{}
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				if k, v, ok := strings.Cut(line, ": "); ok {
					spec[k] = v
				}
			}
			code, err := strconv.Atoi(spec["code"])
			if err != nil || spec["args"] == "" {
				t.Fatalf("%s: needs args: and code: lines", file)
			}
			port := newTestPortfolio(t, examples)
			for _, f := range ar.Files {
				p := filepath.Join(port, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshotNames(t, port)
			args := strings.Fields(spec["args"])
			if args[0] != "-C" {
				args = append([]string{"-C", port}, args...)
			}
			stdout, stderr, got := runCLI(t, args...)
			if got != code {
				t.Errorf("exit code %d, want %d\nstderr: %s", got, code, stderr)
			}
			for stream, out := range map[string][]byte{"stderr": stderr, "stdout": stdout} {
				if re := spec[stream]; re != "" && !regexp.MustCompile("(?m)"+re).Match(out) {
					t.Errorf("%s does not match %q:\n%s", stream, re, out)
				}
			}
			if strings.Contains(string(stderr), "goroutine ") || strings.Contains(string(stderr), "internal error") {
				t.Errorf("a crash instead of a message:\n%s", stderr)
			}
			if after := snapshotNames(t, port); after != before {
				t.Errorf("the portfolio changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}
