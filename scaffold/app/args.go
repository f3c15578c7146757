package app

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// permute moves a command's flags in front of its positional arguments.
// urfave/cli v2 stops parsing flags at the first positional argument, so
// `pmfolio new prd --dry-run` would silently treat --dry-run as an
// argument; git and most CLIs accept flags anywhere, and so do we. "--"
// still ends flags.
func permute(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	// Global flags come first, then the command name.
	flags, i := app.Flags, 0
	for i < len(rest) && isFlag(rest[i]) {
		if rest[i] == "--" {
			return args
		}
		n := flagArity(flags, rest[i])
		out = append(out, rest[i:min(i+1+n, len(rest))]...)
		i += 1 + n
	}
	if i >= len(rest) {
		return args
	}
	cmd := app.Command(rest[i])
	if cmd == nil {
		return args
	}
	out = append(out, rest[i])
	rest = rest[i+1:]
	// Descend into subcommands (pack add ...): their names come before
	// any flag of theirs.
	for len(cmd.Subcommands) > 0 && len(rest) > 0 {
		sub := cmd.Command(rest[0])
		if sub == nil {
			break
		}
		out = append(out, rest[0])
		cmd, rest = sub, rest[1:]
	}
	fl, pos, ok := splitFlags(cmd, rest)
	if !ok {
		return append(out, fl...)
	}
	out = append(out, fl...)
	for _, p := range pos {
		if strings.HasPrefix(p, "-") {
			out = append(out, "--")
			break
		}
	}
	return append(out, pos...)
}

// splitFlags separates a command's flags (with their values) from its
// positional arguments. ok is false when the last flag's value is
// missing: the arguments are then left out, so that the parser says so
// instead of taking KIND as the value.
func splitFlags(cmd *cli.Command, rest []string) (fl, pos []string, ok bool) {
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		if a == "--" {
			return fl, append(pos, rest[j+1:]...), true
		}
		if !isFlag(a) {
			pos = append(pos, a)
			continue
		}
		n := flagArity(cmd.Flags, a)
		if j+n >= len(rest) {
			return append(fl, a), nil, false
		}
		fl = append(fl, rest[j:j+1+n]...)
		j += n
	}
	return fl, pos, true
}

func isFlag(a string) bool {
	return len(a) > 1 && a[0] == '-' && a != "-"
}

// flagArity is 1 when the flag takes its value from the next argument.
func flagArity(flags []cli.Flag, a string) int {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") {
		return 0
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				if d, ok := f.(cli.DocGenerationFlag); ok && d.TakesValue() {
					return 1
				}
				return 0
			}
		}
	}
	return 0
}
