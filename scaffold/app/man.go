package app

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// `pmfolio man` writes the manual page (section 1) from the command tree
// itself, so that it cannot drift from the help. urfave/cli's ToMan was
// tried first: groff accepts it, but it files the page in section 8, puts
// every command in a top-level section, prints options as `-C=""` with
// hyphens rather than minus signs, and has no room for the exit-code table
// or an EXAMPLES section.

func manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the manual page (man(1) format)",
		UsageText: `pmfolio man

Prints pmfolio's manual page: every command and option, the exit codes and
examples.

Examples:
   pmfolio man | man -l -                                   # read it
   pmfolio man > ~/.local/share/man/man1/pmfolio.1          # install it`,
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "man"); err != nil {
				return err
			}
			return writeMan(c.App.Writer, c.App)
		},
	}
}

// writeMan writes a's manual page in roff, for groff's man macros.
func writeMan(w io.Writer, a *cli.App) error {
	m := &roff{}
	m.line(`.\" The manual page of pmfolio, written by 'pmfolio man'.`)
	m.line(fmt.Sprintf(`.TH PMFOLIO 1 "" "%s %s" "User Commands"`, a.Name, a.Version))
	m.line(".SH NAME")
	m.line(m.text(a.Name + " - " + a.Usage))

	usage := splitUsage(a.UsageText)
	m.line(".SH SYNOPSIS")
	m.lines(usage.synopsis)
	m.line(".SH DESCRIPTION")
	m.paragraphs(a.Description, "Exit codes:")
	m.line(".SH OPTIONS")
	m.flags(a.Flags)

	m.line(".SH COMMANDS")
	examples := manCommands(m, a.Commands, a.Name, a.Name, slices.Clone(usage.examples))

	m.line(".SH EXIT STATUS")
	for _, e := range exitCodes {
		m.line(".TP")
		m.line(fmt.Sprint(e.Code))
		m.line(m.text(e.Meaning))
	}
	m.line(".SH EXAMPLES")
	m.line(".nf")
	for _, ex := range examples {
		m.line(m.code(ex))
	}
	m.line(".fi")
	m.line(".SH SEE ALSO")
	m.line(`\fBgit\fR(1)`)
	_, err := io.WriteString(w, m.String())
	return err
}

// manCommands writes a section for each of cmds and, depth first, their
// subcommands; prefix is the full name of their parent ("pmfolio",
// "pmfolio pack"), top the program's. It returns examples with the
// commands' own added, once each.
func manCommands(m *roff, cmds []*cli.Command, top, prefix string, examples []string) []string {
	for _, c := range cmds {
		// pmfolio's own help is hidden from the lists, not from the
		// manual; urfave/cli's help subcommands stay out of it.
		if c.Hidden && c.Name != "help" || c.Name == "help" && prefix != top {
			continue
		}
		full := prefix + " " + c.Name
		u := splitUsage(c.UsageText)
		if len(u.synopsis) == 0 || u.synopsis[0] == "" {
			u.synopsis = []string{strings.TrimSpace(full + " [options] " + c.ArgsUsage)}
		}
		m.line(".SS " + m.arg(u.synopsis[0]))
		if len(u.synopsis) > 1 {
			m.lines(u.synopsis[1:])
			m.line(".PP")
		}
		m.line(m.text(c.Usage))
		for _, block := range u.text {
			m.block(block)
		}
		// --help is everywhere: the top level's options say it once.
		flags := slices.DeleteFunc(slices.Clone(c.Flags), func(f cli.Flag) bool { return f == cli.HelpFlag })
		if visible(flags) {
			m.line(".PP")
			m.line("Options:")
			m.flags(flags)
		}
		for _, ex := range u.examples {
			if !slices.Contains(examples, ex) {
				examples = append(examples, ex)
			}
		}
		examples = manCommands(m, c.Subcommands, top, full, examples)
	}
	return examples
}

// usage is a UsageText taken apart: its synopsis lines (up to the first
// blank line), its other paragraphs and its examples (the lines of an
// "Examples:" block, unindented).
type usage struct {
	synopsis, text, examples []string
}

func splitUsage(s string) usage {
	var u usage
	for i, block := range strings.Split(strings.TrimSpace(s), "\n\n") {
		head, rest, _ := strings.Cut(block, "\n")
		switch {
		case i == 0:
			u.synopsis = strings.Split(block, "\n")
		case head == "Examples:" || head == "Example:":
			for _, l := range strings.Split(rest, "\n") {
				u.examples = append(u.examples, strings.TrimSpace(l))
			}
		default:
			u.text = append(u.text, block)
		}
	}
	// The top-level synopsis names its examples in the same block.
	for i, l := range u.synopsis {
		if l == "Example:" || l == "Examples:" {
			for _, ex := range u.synopsis[i+1:] {
				u.examples = append(u.examples, strings.TrimSpace(ex))
			}
			u.synopsis = u.synopsis[:i]
			break
		}
	}
	return u
}

func visible(flags []cli.Flag) bool {
	for _, f := range flags {
		if v, ok := f.(cli.VisibleFlag); !ok || v.IsVisible() {
			return true
		}
	}
	return false
}

// roff builds a page for groff's man macros. Text is escaped so that it
// prints as written: backslashes, minus signs in options (\-, for
// copy and paste), characters beyond ASCII (\[uXXXX]), and a dot or quote
// that would begin a request.
type roff struct {
	strings.Builder
}

func (m *roff) line(s string) {
	m.WriteString(s)
	m.WriteByte('\n')
}

// lines writes each line as is, one to an output line.
func (m *roff) lines(ls []string) {
	m.line(".nf")
	for _, l := range ls {
		m.line(m.code(strings.TrimSpace(l)))
	}
	m.line(".fi")
}

// paragraphs writes the blocks of s, up to the one starting with stop.
func (m *roff) paragraphs(s, stop string) {
	for _, block := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if stop != "" && strings.HasPrefix(block, stop) {
			return
		}
		m.block(block)
	}
}

// block writes a paragraph, or a literal block when its lines are
// indented (a list of commands, a YAML sample).
func (m *roff) block(block string) {
	m.line(".PP")
	lines := strings.Split(block, "\n")
	literal := false
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, " ") {
			literal = true
		}
	}
	if !literal {
		for _, l := range lines {
			m.line(m.text(l))
		}
		return
	}
	m.line(".nf")
	for _, l := range lines {
		m.line(m.code(l))
	}
	m.line(".fi")
}

// flags writes one tagged paragraph per visible flag: its names with the
// placeholder of its value, then its usage and default.
func (m *roff) flags(flags []cli.Flag) {
	for _, f := range flags {
		if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		d, _ := f.(cli.DocGenerationFlag)
		placeholder, text := "", ""
		if d != nil {
			placeholder, text = unquoteUsage(d.GetUsage())
			if d.TakesValue() && placeholder == "" {
				placeholder = "VALUE"
			}
			if !d.TakesValue() {
				placeholder = ""
			}
			if def := d.GetDefaultText(); def == "" && d.TakesValue() {
				if v := d.GetValue(); v != "" && v != "[]" {
					text += fmt.Sprintf(" (default: %s)", v)
				}
			}
		}
		var names []string
		for _, n := range f.Names() {
			name := `\fB` + m.code(dashed(n)) + `\fR`
			if placeholder != "" {
				name += ` \fI` + m.code(placeholder) + `\fR`
			}
			names = append(names, name)
		}
		m.line(".TP")
		m.line(strings.Join(names, ", "))
		m.line(m.text(text))
	}
}

// unquoteUsage takes a flag's placeholder out of its usage, as
// urfave/cli's help does (unexported there): the first `word` in
// backquotes.
func unquoteUsage(usage string) (placeholder, text string) {
	before, rest, ok := strings.Cut(usage, "`")
	if !ok {
		return "", usage
	}
	name, after, ok := strings.Cut(rest, "`")
	if !ok {
		return "", usage
	}
	return name, before + name + after
}

// escape makes s print as written: backslashes and characters beyond
// ASCII become escapes.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r > 0x7e || r < ' ' && r != '\t':
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// startOfLine keeps a line from being read as a request.
func startOfLine(s string) string {
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		return `\&` + s
	}
	return s
}

// code is literal text: every hyphen is a minus sign.
func (m *roff) code(s string) string {
	return startOfLine(strings.ReplaceAll(escape(s), "-", `\-`))
}

// text is prose: hyphens in words stay hyphens, those of an option
// (--dry-run, -C) are minus signs.
func (m *roff) text(s string) string {
	words := strings.Split(escape(s), " ")
	for i, w := range words {
		if strings.HasPrefix(strings.TrimLeft(w, `('"`), "-") {
			words[i] = strings.ReplaceAll(w, "-", `\-`)
		}
	}
	return startOfLine(strings.Join(words, " "))
}

// arg is text as a macro's argument, quoted.
func (m *roff) arg(s string) string {
	return `"` + strings.ReplaceAll(m.code(s), `"`, `\(dq`) + `"`
}
