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

	"github.com/pmfolio/pmfolio/scaffold/environ"
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
	if inertCompletion(args) {
		return ExitOK
	}
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
	tuneGC(f.Env)
	a := newApp(f)
	err := a.RunContext(ctx, runArgs(a, args))
	if err != nil {
		annotateFailure(s.Out, args, err)
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

` + exitCodeTable(),
		UsageText: `pmfolio [-C DIR] COMMAND [options] [arguments]
pmfolio help COMMAND [SUBCOMMAND]     a command's options and examples

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
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return withHint(usagef("%w", flagError(err, c.App.Flags)), "run 'pmfolio --help' for usage")
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "C", Usage: "run as if pmfolio was started in `DIR`", TakesFile: true},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return unknownCommand(c, "")
			}
			return cli.ShowAppHelp(c)
		},
	}
	a.Commands = commands(f)
	for _, c := range a.Commands {
		setUsageError(c, c.Name)
	}
	prepareHelp(a)
	enableCompletion(a, f)
	return a
}

// commands are pmfolio's commands, each built from the shared factory.
func commands(f *Factory) []*cli.Command {
	return []*cli.Command{
		initCommand(f),
		newCommand(f),
		editCommand(f),
		upgradeCommand(f),
		listCommand(f),
		questionsCommand(f),
		packCommand(f),
		checkCommand(f),
		gradeCommand(f),
		publishCommand(f),
		statusCommand(f),
		draftsCommand(f),
		doctorCommand(f),
		completionCommand(),
		manCommand(),
		helpCommand(),
	}
}

// setUsageError makes every command report flag errors as usage errors
// (exit 2) with a pointer to its help, instead of printing the help.
// name is the command's full name ("pack add").
func setUsageError(c *cli.Command, name string) {
	c.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
		return withHint(usagef("%s: %w", name, flagError(err, c.Flags)), "run 'pmfolio %s --help' for usage", name)
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
	if c.NArg() > n && n == 0 && hasSubcommands(c.Command) {
		return unknownCommand(c, commandName(c))
	}
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

// tuneGC trades memory for speed: a command is a short-lived process
// whose work is parsing (pack.yaml, templates, documents), which allocates
// short-lived trees, and with Go's default of a collection each time the
// heap doubles, `new` spends a quarter of its CPU time collecting and a
// check of 10,000 documents a fifth of its time. Collections are spaced
// out four times as far, and a soft limit keeps the process small all the
// same. GOGC and GOMEMLIMIT, when set, win.
func tuneGC(env *environ.Env) {
	if env.Get("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if env.Get("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

// memoryLimit is the soft memory limit of a run.
const memoryLimit = 96 << 20
