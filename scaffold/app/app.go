// Package app is pmfolio's command line: one file per command, each turning
// flags into a request and calling one use case in the package that owns
// it (create, packstore, checkrun, doctor, catalog), then printing the
// result; the exit codes (errors.go) and the factory every command shares
// (factory.go). It is the only package that imports urfave/cli.
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/pmfolio/pmfolio/scaffold/version"
	"github.com/urfave/cli/v2"
)

// Main runs pmfolio with args (args[0] is the program name) on the
// process's environment, clock and terminal, and returns the process exit
// code.
func Main(args []string, s Streams) int { return MainWith(args, OSFactory(s)) }

// MainWith runs pmfolio with args and what f gives it: tests run the real
// command line in-process with a fake environment, clock and prompter.
// Deferred cleanup has run by the time it returns, which is why exit codes
// are not left to urfave/cli (it calls os.Exit itself). SIGINT and SIGTERM
// cancel the run's context: fetches and long loops stop, and pmfolio exits
// 130; a second signal ends the process at once.
func MainWith(args []string, f *Factory) (code int) {
	s := f.Streams
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(s.Err, "pmfolio: internal error: %v\n", r)
			fmt.Fprintf(s.Err, "hint: this is a bug; please report it with the command you ran\n")
			if f.Env.Debug() {
				fmt.Fprintf(s.Err, "%s", debug.Stack())
			}
			code = ExitUsage
		}
	}()
	parent := f.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	a := newApp(f)
	err := a.RunContext(ctx, permute(a, args))
	if err != nil {
		report(s.Err, err)
	}
	return ExitCode(err)
}

func newApp(f *Factory) *cli.App {
	s := f.Streams
	a := &cli.App{
		Name:    "pmfolio",
		Usage:   "interview yourself into a product management portfolio",
		Version: version.String(),
		Description: `pmfolio interviews you question by question, renders your answers into
well-structured Markdown documents (user interviews, opportunity briefs, PRDs,
launch retrospectives, teardowns, STAR stories) and keeps them in a
git-versioned portfolio.

Exit codes: 0 ok, 1 check found failing findings, 2 usage or input error,
130 interrupted.`,
		UsageText: `pmfolio [-C DIR] COMMAND [options] [arguments]

Example:
   pmfolio init my-portfolio && cd my-portfolio
   pmfolio new prd
   pmfolio list`,
		Reader:                    s.In,
		Writer:                    s.Out,
		ErrWriter:                 s.Err,
		HideHelpCommand:           true,
		DisableSliceFlagSeparator: true,
		Suggest:                   true,
		// Errors come back from Run; Main maps them to exit codes after
		// cleanup. urfave/cli would otherwise os.Exit on a cli.Exit error.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return withHint(usagef("%v", err), "run 'pmfolio --help' for usage")
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "C", Usage: "run as if pmfolio was started in `DIR`", TakesFile: true},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return withHint(usagef("unknown command %q", c.Args().First()), "run 'pmfolio --help' to see the commands")
			}
			return cli.ShowAppHelp(c)
		},
	}
	a.Commands = []*cli.Command{
		initCommand(f),
		newCommand(f),
		editCommand(f),
		listCommand(f),
		questionsCommand(f),
		packCommand(f),
		checkCommand(f),
		draftsCommand(f),
		doctorCommand(f),
	}
	for _, c := range a.Commands {
		setUsageError(c, c.Name)
	}
	return a
}

// setUsageError makes every command report flag errors as usage errors
// (exit 2) with a pointer to its help, instead of printing the help.
// name is the command's full name ("pack add").
func setUsageError(c *cli.Command, name string) {
	c.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
		return withHint(usagef("%s: %v", name, err), "run 'pmfolio %s --help' for usage", name)
	}
	for _, sub := range c.Subcommands {
		setUsageError(sub, name+" "+sub.Name)
	}
}

// dir is the folder the command runs in: -C DIR, or the current one.
func (f *Factory) dir(c *cli.Context) (string, error) {
	d := c.String("C")
	if d == "" {
		d = "."
	}
	abs, err := filepath.Abs(d)
	if err != nil {
		return "", err
	}
	return abs, nil
}

// maxArgs rejects extra positional arguments instead of ignoring them.
func maxArgs(c *cli.Context, n int, usage string) error {
	if c.NArg() > n {
		return withHint(usagef("%s: unexpected argument %q", commandName(c), c.Args().Get(n)), "usage: pmfolio %s", usage)
	}
	return nil
}

// commandName is the command's full name without the program's: "new",
// "pack add".
func commandName(c *cli.Context) string {
	if _, name, ok := strings.Cut(c.Command.HelpName, " "); ok {
		return name
	}
	return c.Command.Name
}

var errNoKind = errors.New("which kind of document?")
