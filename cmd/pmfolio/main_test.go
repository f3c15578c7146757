package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/app"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the scripts' expected output files (cmp targets) from actual output")

// TestMain lets scripts run pmfolio in-process: testscript re-executes
// this test binary as the pmfolio command.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pmfolio": func() { os.Exit(app.Main(os.Args, app.OSStreams())) },
	})
}

// TestScripts runs testdata/script/*.txtar: one small end-to-end script per
// behaviour of the CLI.
func TestScripts(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"exits": exits},
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, ".home")
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			// A git identity for pmfolio (via go-git) and for the real git
			// CLI the scripts use to inspect what pmfolio wrote.
			gitconfig := "[user]\n\tname = Test Author\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
			if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
				return err
			}
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("EXAMPLES", examples)
			env.Setenv("CI", "")
			return nil
		},
	})
}

// exits N COMMAND [ARGS...] runs a command and requires exit status N:
// `! exec` cannot tell "findings fail" (1) from "usage error" (2), and CI
// depends on the difference.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not a status", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}
