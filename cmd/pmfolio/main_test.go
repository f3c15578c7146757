package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pmfolio/pmfolio/examples"
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
	// A course's pack in two releases (testdata/course/README.md).
	course, err := filepath.Abs("testdata/course")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"snapshot": snapshot, "nosecret": noSecret, "exits": exits, "mkfiles": mkfiles, "grow": grow, "copytree": copyTree, "bootcamp": bootcamp,
			"examplefolio": exampleFolio,
		},
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
			env.Setenv("COURSE", course)
			env.Setenv("CI", "")
			return nil
		},
	})
}

// snapshot save|check DIR FILE records a folder's exact state (names,
// modes, contents, link targets) in FILE, or checks that it is unchanged:
// the sentinel folder beside a portfolio that an attack must not touch.
func snapshot(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 || (args[0] != "save" && args[0] != "check") {
		ts.Fatalf("usage: snapshot save|check DIR FILE")
	}
	sum, err := treeHash(ts.MkAbs(args[1]))
	ts.Check(err)
	file := ts.MkAbs(args[2])
	if args[0] == "save" {
		ts.Check(os.WriteFile(file, []byte(sum), 0o644))
		return
	}
	want, err := os.ReadFile(file)
	ts.Check(err)
	if string(want) != sum {
		ts.Fatalf("%s changed", args[1])
	}
}

func treeHash(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%v\x00", rel, info.Mode())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00", target)
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(data)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// nosecret SECRET DIR... fails if SECRET appears in any file below the
// folders, links not followed: a pack must never get a secret out.
func noSecret(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: nosecret SECRET DIR...")
	}
	secret := []byte(args[0])
	for _, dir := range args[1:] {
		err := filepath.WalkDir(ts.MkAbs(dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if bytes.Contains(data, secret) {
				return fmt.Errorf("%s holds the secret", p)
			}
			return nil
		})
		ts.Check(err)
	}
}

// exits N COMMAND ARGS... runs a command like exec and checks its exit
// status is N: the exit-code table promises 1 for findings and 2 for input
// that pmfolio refuses, and `! exec` cannot tell them apart. It also appends
// the command's output to $WORK/outputs.log, so that a script can check
// that nothing it printed leaked a secret (nosecret).
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N COMMAND ARGS...")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	log, err := os.OpenFile(filepath.Join(ts.Getenv("WORK"), "outputs.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	ts.Check(err)
	defer log.Close()
	for _, stream := range []string{"stdout", "stderr"} {
		_, err := log.WriteString(ts.ReadFile(stream))
		ts.Check(err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// mkfiles DIR COUNT SIZE writes COUNT files of SIZE bytes in DIR, for packs
// over the size and count limits without megabytes in the scripts.
func mkfiles(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: mkfiles DIR COUNT SIZE")
	}
	count, err := strconv.Atoi(args[1])
	ts.Check(err)
	size, err := strconv.Atoi(args[2])
	ts.Check(err)
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o755))
	for i := range count {
		ts.Check(os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.md", i)), bytes.Repeat([]byte("x"), size), 0o644))
	}
}

// copytree SRC DST copies the files below folder SRC into folder DST,
// replacing files of the same name and keeping the others: a course
// author's working copy moving to its next release.
func copyTree(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: copytree SRC DST")
	}
	src, dst := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	ts.Check(err)
}

// grow FILE SIZE appends newlines to FILE until it is SIZE bytes: trailing
// blank lines, which YAML (block scalars included) and JSON ignore, make a
// valid input as big as a test needs.
func grow(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: grow FILE SIZE")
	}
	size, err := strconv.Atoi(args[1])
	ts.Check(err)
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_WRONLY|os.O_APPEND, 0)
	ts.Check(err)
	defer f.Close()
	fi, err := f.Stat()
	ts.Check(err)
	if pad := size - int(fi.Size()); pad > 0 {
		_, err = f.Write(bytes.Repeat([]byte("\n"), pad))
		ts.Check(err)
	}
}

// examplefolio DIR builds the example portfolio in DIR, as go run
// ./examples/demo does (examples.Build): init, then every document of the
// 90-day plan from examples/answers, each committed. DIR inside a git
// repository becomes a folder of it.
func exampleFolio(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: examplefolio DIR")
	}
	answers := filepath.Join(ts.Getenv("EXAMPLES"), "answers")
	var log bytes.Buffer
	code := examples.Build(args[0], answers, &log, func(args []string, _ string) int {
		if err := ts.Exec(args[0], args[1:]...); err != nil {
			ts.Logf("%s", ts.ReadFile("stderr"))
			return 1
		}
		return 0
	})
	if code != 0 {
		ts.Fatalf("the example portfolio:\n%s", log.String())
	}
}
