package app

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestManPage: `pmfolio man` documents every command and flag, the
// exit-code table and examples, and groff's man macros accept it without
// a single warning.
func TestManPage(t *testing.T) {
	t.Parallel()
	page, errOut, code := runCLI(t, "man")
	if code != 0 || len(errOut) > 0 {
		t.Fatalf("man: exit %d, %s", code, errOut)
	}
	s := string(page)
	for _, want := range []string{".TH PMFOLIO 1 ", "\n.SH NAME\npmfolio \\- interview yourself", "\n.SH SYNOPSIS\n", "\n.SH DESCRIPTION\n",
		"\n.SH OPTIONS\n", "\n.SH COMMANDS\n", "\n.SH EXIT STATUS\n", "\n.SH EXAMPLES\n", "\npmfolio new prd \\-\\-resume "} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, e := range exitCodes {
		if !strings.Contains(s, fmt.Sprintf("\n.TP\n%d\n%s\n", e.Code, (&roff{}).text(e.Meaning))) {
			t.Errorf("exit code %d is not in the table", e.Code)
		}
	}
	a := newApp(testFactory(Streams{}, testEnv(nil)))
	var walk func(cmds []*cli.Command, prefix string)
	walk = func(cmds []*cli.Command, prefix string) {
		for _, c := range cmds {
			full := prefix + " " + c.Name
			if !strings.Contains(s, "\n.SS \""+strings.ReplaceAll(full, "-", `\-`)) {
				t.Errorf("no section for %q", full)
			}
			for _, f := range c.Flags {
				if !strings.Contains(s, `\fB`+strings.ReplaceAll(dashed(f.Names()[0]), "-", `\-`)+`\fR`) {
					t.Errorf("%s: flag %s is not documented", full, f.Names()[0])
				}
			}
			walk(c.Subcommands, full)
		}
	}
	walk(a.Commands, "pmfolio")
	for _, f := range a.Flags {
		if !strings.Contains(s, `\fB`+strings.ReplaceAll(dashed(f.Names()[0]), "-", `\-`)+`\fR`) {
			t.Errorf("global flag %s is not documented", f.Names()[0])
		}
	}

	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff is not installed (.ci/run installs it): the page is not linted")
	}
	cmd := exec.Command(groff, "-man", "-ww", "-z")
	cmd.Stdin = bytes.NewReader(page)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww -z: %v\n%s", err, out)
	}
}

// TestManEscapes renders escaped text with groff and reads it back: what
// roff would take for a request, an escape or a character it cannot
// type prints as written.
func TestManEscapes(t *testing.T) {
	t.Parallel()
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff is not installed (.ci/run installs it): escapes are not rendered")
	}
	m := &roff{}
	in := []string{".starts with a dot", "'starts with a quote", `a \fB backslash \n`, "use --dry-run or -C DIR, well-made", "em — dash, ünïcödé"}
	page := ".TH T 1\n.SH S\n"
	for _, l := range in {
		page += ".PP\n" + m.text(l) + "\n.PP\n" + m.code(l) + "\n"
	}
	cmd := exec.Command(groff, "-man", "-ww", "-Tutf8", "-P-cbou")
	cmd.Stdin = strings.NewReader(page)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil || errOut.Len() > 0 {
		t.Fatalf("groff: %v\n%s", err, errOut.String())
	}
	// Hyphens and minus signs may come out as Unicode dashes.
	got := strings.NewReplacer("\u2010", "-", "\u2212", "-").Replace(out.String())
	for _, l := range in {
		if n := strings.Count(got, l); n != 2 {
			t.Errorf("%q printed %d times, want 2 (text and code):\n%s", l, n, got)
		}
	}
}
