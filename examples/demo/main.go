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
	"time"

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
	dir, code := demo(dir, os.TempDir(), answers, os.Stdout, os.Stderr, run)
	if code != 0 {
		os.Exit(code)
	}
	fmt.Print(nextSteps(dir))
}

// run runs pmfolio on the process's streams and environment. A command of
// the plan runs on its day: its commit is dated then, so that the example
// portfolio's history reads as the plan was lived.
func run(args []string, day string) int {
	f := app.OSFactory(app.OSStreams())
	if t, err := time.Parse("2006-01-02", day); err == nil {
		at := t.Add(17 * time.Hour)
		f.Now = func() time.Time { return at }
	}
	return app.MainWith(args, f)
}

// nextSteps tells the person what to do with the example portfolio:
// publish it (redacted, with the example redact.yaml) and ask for its
// status.
func nextSteps(dir string) string {
	return fmt.Sprintf(`
Your example portfolio is in %[1]s: open %[2]s.

Next:
   pmfolio -C %[1]s publish --redact examples/redact.yaml
      builds its website in %[3]s (open index.html in a browser; add --pdf for
      PDFs); the example redact.yaml replaces the company's name everywhere
   pmfolio -C %[1]s status
      where the plan stands and what to do next
`, dir, filepath.Join(dir, "README.md"), filepath.Join(dir, "site"))
}

// demo builds the example portfolio in dir or, when dir is "", in a new
// folder of tmpRoot, which it removes again if the build fails: a failed
// demo leaves nothing behind. It returns the portfolio's folder and the
// first non-zero exit code.
func demo(dir, tmpRoot, answers string, log, errs io.Writer, run func(args []string, day string) int) (string, int) {
	tmp := ""
	if dir == "" {
		var err error
		if tmp, err = os.MkdirTemp(tmpRoot, "pmfolio-demo-"); err != nil {
			fmt.Fprintln(errs, "demo:", err)
			return "", 2
		}
		dir = filepath.Join(tmp, "portfolio")
	}
	code := examples.Build(dir, answers, log, run)
	if code != 0 && tmp != "" {
		os.RemoveAll(tmp)
		fmt.Fprintf(errs, "demo: failed; removed %s\n", tmp)
	}
	return dir, code
}
