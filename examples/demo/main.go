// Command demo builds a complete example portfolio from examples/answers:
// init, then the whole 90-day plan, each document committed, then list and
// check. It runs the real pmfolio CLI in-process.
//
//	go run ./examples/demo [DIR]
//
// Without DIR it creates a new temporary folder (removed again if the demo
// fails): a DIR inside an existing git repository (this one, say) would
// make the portfolio a folder of that repository, as pmfolio init does.
// The example portfolio signs its commits with its example author, so the
// demo runs on a machine without a git identity.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/scaffold/app"
)

func main() {
	answers, err := filepath.Abs(filepath.Join("examples", "answers"))
	if err == nil {
		_, err = os.Stat(answers)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo: run me from the repository root: go run ./examples/demo [DIR]")
		os.Exit(2)
	}
	dir := ""
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	run := func(args []string) int { return app.Main(args, app.OSStreams()) }
	dir, code := demo(dir, os.TempDir(), answers, os.Stdout, os.Stderr, run)
	if code != 0 {
		os.Exit(code)
	}
	fmt.Printf("\nYour example portfolio is in %s: open %s.\n", dir, filepath.Join(dir, "README.md"))
}

// demo builds the example portfolio in dir or, when dir is "", in a new
// folder of tmpRoot, which it removes again if the build fails: a failed
// demo leaves nothing behind. It returns the portfolio's folder and the
// first non-zero exit code.
func demo(dir, tmpRoot, answers string, log, errs io.Writer, run func([]string) int) (string, int) {
	tmp := ""
	if dir == "" {
		var err error
		if tmp, err = os.MkdirTemp(tmpRoot, "pmfolio-demo-"); err != nil {
			fmt.Fprintln(errs, "demo:", err)
			return "", 2
		}
		dir = filepath.Join(tmp, "portfolio")
	}
	code := build(dir, answers, log, run)
	if code != 0 && tmp != "" {
		os.RemoveAll(tmp)
		fmt.Fprintf(errs, "demo: failed; removed %s\n", tmp)
	}
	return dir, code
}

// build creates the portfolio in dir from the answers folder, echoing each
// command to log, running each with run, and returns the first non-zero
// exit code.
func build(dir, answers string, log io.Writer, run func(args []string) int) int {
	cmds := [][]string{{"init", "--answers", filepath.Join(answers, "init.yaml"), "--set", "email=" + examples.Email, "--date", examples.Start, dir}}
	for _, st := range examples.Steps {
		cmds = append(cmds, []string{"-C", dir, "new", st.Kind, "--answers", filepath.Join(answers, st.File), "--date", st.Date})
	}
	// The plan's months are judged as of the week after the last document.
	cmds = append(cmds, []string{"-C", dir, "list"}, []string{"-C", dir, "check", "--date", "2026-04-06"})
	for _, args := range cmds {
		fmt.Fprintf(log, "$ pmfolio %s\n", strings.Join(args, " "))
		if code := run(append([]string{"pmfolio"}, args...)); code != 0 {
			return code
		}
	}
	return 0
}
