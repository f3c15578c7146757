package app

import (
	"errors"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"github.com/urfave/cli/v2"
)

// A typo gets a "did you mean" hint wherever a name is looked up: an error
// that knows what the user may have meant says so through Suggestions
// (pack.UnknownKindError, check.UnknownRuleError, suggestedError for
// commands and flags), and report prints it. The guessing itself is
// yamlfile.Similar, shared by every layer.

// suggester is an error that knows the names the user may have meant.
type suggester interface{ Suggestions() []string }

// didYouMean is the hint line for err's suggestions, or "".
func didYouMean(err error) string {
	var s suggester
	if errors.As(err, &s) {
		return yamlfile.DidYouMean(s.Suggestions())
	}
	return ""
}

// suggestedError is an error about a name, with the names the user may
// have meant.
type suggestedError struct {
	err     error
	similar []string
}

func (e *suggestedError) Error() string         { return e.err.Error() }
func (e *suggestedError) Unwrap() error         { return e.err }
func (e *suggestedError) Suggestions() []string { return e.similar }

// commandNames are the names a user may give for commands, the hidden
// ones (help) included.
func commandNames(cmds []*cli.Command) []string {
	var names []string
	for _, c := range cmds {
		names = append(names, c.Names()...)
	}
	return names
}

// unknownCommand is the usage error for an argument that names none of
// c's commands: parent is "" at the top, else the command's full name
// ("pack"). The hint points at the help that lists the commands.
func unknownCommand(c *cli.Context, parent string) error {
	name := c.Args().First()
	cmds := c.App.Commands
	prefix, help := "", "pmfolio --help"
	if parent != "" {
		cmds = c.Command.Subcommands
		prefix, help = parent+": ", "pmfolio "+parent+" --help"
	}
	return withHint(&suggestedError{usagef("%sunknown command %q", prefix, name), yamlfile.Similar(name, commandNames(cmds))},
		"run '%s' to see the commands", help)
}

// hasSubcommands reports whether c has commands of its own, besides the
// help command urfave/cli gives every command.
func hasSubcommands(c *cli.Command) bool {
	for _, sub := range c.Subcommands {
		if sub.Name != "help" {
			return true
		}
	}
	return false
}

// flagError adds to a flag parsing error the flags the user may have
// meant, when the flag is one flags do not define.
func flagError(err error, flags []cli.Flag) error {
	// The message comes from Go's flag package, which has no error type.
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return err
	}
	names := []string{"help", "h"}
	for _, f := range flags {
		if v, ok := f.(cli.VisibleFlag); !ok || v.IsVisible() {
			names = append(names, f.Names()...)
		}
	}
	similar := yamlfile.Similar(strings.TrimPrefix(name, "-"), names)
	for i, s := range similar {
		similar[i] = dashed(s)
	}
	return &suggestedError{err, similar}
}

// dashed is a flag's name as typed: -C, --dry-run.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
