package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/app"
)

// TestDemoPortfolioPassesCheck builds the example portfolio, the whole
// 90-day plan from examples/answers, and requires check to find nothing:
// it is what we show people.
func TestDemoPortfolioPassesCheck(t *testing.T) {
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Demo\n\temail = demo@example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, ".state"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	dir := filepath.Join(t.TempDir(), "portfolio")
	var log, out, errOut bytes.Buffer
	s := app.Streams{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
	answers, err := filepath.Abs("../answers")
	if err != nil {
		t.Fatal(err)
	}
	if code := build(dir, answers, &log, s); code != 0 {
		t.Fatalf("exit %d\n%s\n%s\n%s", code, log.String(), out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "14 documents checked · 0 errors · 0 warnings") {
		t.Errorf("check output:\n%s", out.String())
	}
	if _, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command("git", "status", "--porcelain")
		cmd.Dir = dir
		if st, err := cmd.Output(); err != nil || len(st) != 0 {
			t.Errorf("git status: %v\n%s", err, st)
		}
	}
}
