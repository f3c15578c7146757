package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// commandPaths lists every command of the tree as its path of names:
// [init] [new] ... [pack add] ...
func commandPaths(cmds []*cli.Command, prefix []string) [][]string {
	var out [][]string
	for _, c := range cmds {
		p := append(append([]string(nil), prefix...), c.Name)
		out = append(out, p)
		out = append(out, commandPaths(c.Subcommands, p)...)
	}
	return out
}

// TestHelpCommand: `pmfolio help CMD...` prints what `pmfolio CMD... --help`
// prints, for every command, and exits 0; an unknown command is a usage
// error with a suggestion.
func TestHelpCommand(t *testing.T) {
	t.Parallel()
	paths := commandPaths(newApp(testFactory(Streams{}, testEnv(nil))).Commands, nil)
	if len(paths) < 15 {
		t.Fatalf("only %d commands: %v", len(paths), paths)
	}
	paths = append(paths, nil) // the top level
	for _, p := range paths {
		name := strings.Join(p, " ")
		viaFlag, errOut, code := runCLI(t, append(append([]string(nil), p...), "--help")...)
		if code != 0 || len(errOut) > 0 {
			t.Errorf("%s --help: exit %d, %s", name, code, errOut)
		}
		viaHelp, errOut, code := runCLI(t, append([]string{"help"}, p...)...)
		if code != 0 || len(errOut) > 0 {
			t.Errorf("help %s: exit %d, %s", name, code, errOut)
		}
		// urfave/cli answers `help --help` with the top help, as `help`.
		if name != "help" && !bytes.Equal(viaFlag, viaHelp) {
			t.Errorf("help %s differs from %s --help:\n%s", name, name, firstDiff(viaFlag, viaHelp))
		}
		if want := strings.TrimSpace("pmfolio " + name); !bytes.Contains(viaHelp, []byte("NAME:\n   "+want)) {
			t.Errorf("help %s does not name %q:\n%s", name, want, viaHelp)
		}
	}

	for _, c := range []struct {
		args       []string
		msg, hints string
	}{
		{[]string{"help", "chek"}, `pmfolio: help: unknown command "chek"`, `hint: did you mean "check"?` + "\nhint: run 'pmfolio --help' to see the commands"},
		{[]string{"help", "pack", "ad"}, `pmfolio: help: unknown command "pack ad"`, `hint: did you mean "add"?` + "\nhint: run 'pmfolio pack --help' to see the commands"},
		{[]string{"help", "nosuch"}, `pmfolio: help: unknown command "nosuch"`, "hint: run 'pmfolio --help' to see the commands"},
		{[]string{"help", "new", "prd"}, `pmfolio: help: unknown command "new prd"`, "hint: run 'pmfolio new --help' to see the commands"},
	} {
		out, errOut, code := runCLI(t, c.args...)
		if want := c.msg + "\n" + c.hints + "\n"; code != ExitUsage || string(errOut) != want || len(out) > 0 {
			t.Errorf("%v: exit %d\n%s\nwant exit 2\n%s", c.args, code, errOut, want)
		}
	}
}

// TestHelpHasNoStrayBackquote: urfave/cli takes the first `word` of a
// flag's usage as its placeholder and prints any other backquote as is.
func TestHelpHasNoStrayBackquote(t *testing.T) {
	t.Parallel()
	for _, p := range append(commandPaths(newApp(testFactory(Streams{}, testEnv(nil))).Commands, nil), nil) {
		out, _, code := runCLI(t, append(p, "--help")...)
		if code != 0 {
			t.Errorf("%v --help: exit %d", p, code)
		}
		for i, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "`") {
				t.Errorf("pmfolio %s --help, line %d: %s", strings.Join(p, " "), i+1, line)
			}
		}
	}
}
