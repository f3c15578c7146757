package app

import (
	"slices"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"github.com/urfave/cli/v2"
)

// `pmfolio help COMMAND [SUBCOMMAND]` prints what `pmfolio COMMAND
// [SUBCOMMAND] --help` prints. urfave/cli's own help command is turned off
// (HideHelpCommand): it would add "help, h" to every list of commands and
// answer an unknown topic with exit 3. This one is hidden from the lists
// (the top help names it once, in its usage) and answers an unknown
// command as any usage error: exit 2, with a suggestion.

func helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show a command's help",
		ArgsUsage: "[COMMAND [SUBCOMMAND]]",
		UsageText: `pmfolio help [COMMAND [SUBCOMMAND]]

Examples:
   pmfolio help new
   pmfolio help pack add`,
		Hidden: true,
		Action: func(c *cli.Context) error {
			if !c.Args().Present() {
				return cli.ShowAppHelp(c)
			}
			path := c.Args().Slice()
			if _, err := findCommand(c.App.Commands, path); err != nil {
				return err
			}
			// The same run as `pmfolio PATH --help`: urfave/cli readies a
			// command's help (its full name, its list of subcommands) only
			// on the way to running it.
			return c.App.RunContext(c.Context, append(append([]string{c.App.Name}, path...), "--help"))
		},
	}
}

// findCommand follows path (["pack", "add"]) down the command tree.
func findCommand(cmds []*cli.Command, path []string) (*cli.Command, error) {
	var cmd *cli.Command
	for i, name := range path {
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(name) {
				next = c
			}
		}
		if next == nil {
			help := strings.Join(append([]string{"pmfolio"}, path[:i]...), " ") + " --help"
			return nil, withHint(&suggestedError{usagef("help: unknown command %q", strings.Join(path[:i+1], " ")), yamlfile.Similar(name, commandNames(cmds))},
				"run '%s' to see the commands", help)
		}
		cmd, cmds = next, next.Subcommands
	}
	return cmd, nil
}

// prepareHelp gives the top level its --help flag, which urfave/cli
// leaves out when the app has a command called help.
func prepareHelp(a *cli.App) {
	if !slices.Contains(a.Flags, cli.HelpFlag) {
		a.Flags = append(a.Flags, cli.HelpFlag)
	}
}
