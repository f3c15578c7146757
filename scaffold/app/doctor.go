package app

import (
	"fmt"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/doctor"
	"github.com/urfave/cli/v2"
)

const doctorUsage = `pmfolio doctor [--fix]

Checks the configuration, the pack, the git repository and identity, the
git index against HEAD, stale lock files, loose git objects (more than
git's gc.auto, 6700 unless git's configuration says otherwise; 0 never),
operations a crash interrupted, temporary files, drafts, and documents not
committed. Each problem comes with a hint. --fix finishes interrupted
operations, removes stale lock and temporary files, and packs loose git
objects as git gc does (never losing one, even if killed); it never
commits, discards or reverts anything of yours. Without --fix, doctor
changes nothing, and takes no lock.

Exit codes: 0 healthy, 1 problems found, 2 doctor could not run.

Examples:
   pmfolio doctor
   pmfolio doctor --fix`

func doctorCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "doctor",
		Usage:     "check the portfolio's health, and with --fix repair what is safe to repair",
		UsageText: doctorUsage,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "fix", Usage: "finish interrupted operations, remove stale locks and temporary files, pack loose git objects"},
		},
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "doctor [--fix]"); err != nil {
				return err
			}
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			rep, err := doctor.Run(c.Context, f.session(), doctor.Request{Dir: dir, Fix: c.Bool("fix")})
			if err != nil {
				return err
			}
			return printCheckup(f, rep, c.Bool("fix"))
		},
	}
}

// printCheckup prints doctor's report, one line per check; problems make
// the command exit 1.
func printCheckup(f *Factory, rep *doctor.Report, fix bool) error {
	w := f.Streams.Out
	fmt.Fprintf(w, "portfolio %s\n", rep.Top)
	for _, it := range rep.Items {
		switch it.Status {
		case doctor.OK:
			fmt.Fprintf(w, "ok       %s\n", it.Msg)
		case doctor.Fixed:
			fmt.Fprintf(w, "fixed    %s\n", it.Msg)
		case doctor.Problem:
			fmt.Fprintf(w, "problem  %s\n", strings.ReplaceAll(it.Msg, "\n", "\n         "))
			if it.Hint != "" {
				fmt.Fprintf(w, "         hint: %s\n", it.Hint)
			}
		}
	}
	if n := rep.Problems(); n > 0 {
		hint := ""
		if !fix {
			hint = "; 'pmfolio doctor --fix' repairs what is safe to repair"
		}
		fmt.Fprintf(f.Streams.Err, "pmfolio: %d problem(s) found%s\n", n, hint)
		return &quietError{err: &FindingsError{Count: n}}
	}
	fmt.Fprintln(f.Streams.Err, "pmfolio: the portfolio is healthy")
	return nil
}
