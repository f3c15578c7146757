package app

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestCompletionScriptNamesTheProgram: the script completes the program
// under the name it was run as (its base name), or pmfolio when that name
// is none a shell could register.
func TestCompletionScriptNamesTheProgram(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		argv0, shell string
		want         []string
	}{
		{"/usr/local/bin/pmf", "bash", []string{"_pmf_complete() {", "\ncomplete -o bashdefault -o default -F _pmf_complete pmf\n", "'pmf completion bash'"}},
		{"pmfolio", "bash", []string{"\ncomplete -o bashdefault -o default -F _pmfolio_complete pmfolio\n", " --generate-bash-completion "}},
		{"./pm-folio", "zsh", []string{"#compdef pm-folio\n", "\n    compdef _pm_folio_complete pm-folio\n", "[[ $funcstack[1] == _pm_folio ]]"}},
		{"bin/pmf", "fish", []string{"function _pmf_complete\n", "\ncomplete -c pmf -f -a '(_pmf_complete)'\n"}},
		{"", "bash", []string{"-F _pmfolio_complete pmfolio\n"}},
		{"/opt/my tools/pm folio", "fish", []string{"complete -c pmfolio "}},
	} {
		var out, errOut bytes.Buffer
		code := MainWith([]string{c.argv0, "completion", c.shell}, testFactory(Streams{In: bytes.NewReader(nil), Out: &out, Err: &errOut}, testEnv(nil)))
		if code != 0 || errOut.Len() > 0 {
			t.Fatalf("%s completion %s: exit %d, %s", c.argv0, c.shell, code, errOut.String())
		}
		for _, w := range c.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s completion %s lacks %q:\n%s", c.argv0, c.shell, w, out.String())
			}
		}
	}
	for args, want := range map[string]string{
		"completion":          "pmfolio: completion: which shell?\nhint: usage: pmfolio completion bash|zsh|fish\n",
		"completion bsh":      "pmfolio: completion: no script for shell \"bsh\"\nhint: did you mean \"bash\" or \"zsh\"?\nhint: usage: pmfolio completion bash|zsh|fish\n",
		"completion bash zsh": "pmfolio: completion: unexpected argument \"zsh\"\nhint: usage: pmfolio completion bash|zsh|fish\n",
	} {
		out, errOut, code := runCLI(t, strings.Fields(args)...)
		if code != ExitUsage || string(errOut) != want || len(out) > 0 {
			t.Errorf("%s: exit %d, %q", args, code, errOut)
		}
	}
}

// TestCompletionRunsNoAction: a completion request is answered by the
// command's completer, never by running it, even when its words would be
// a complete command; after "--" it is not answered at all.
func TestCompletionRunsNoAction(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"-C", dir, "init", "fresh", completionFlag},
		{"-C", dir, "init", "--set", "name=x", "--set", "role=y", "--defaults", "--no-commit", "fresh", completionFlag},
		{"-C", dir, "init", "--", "fresh", completionFlag},
		{"-C", dir, "pack", "new", "fresh", completionFlag},
	} {
		out, errOut, code := runCLI(t, args...)
		if code != 0 || len(errOut) > 0 || len(out) > 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
		t.Errorf("completion wrote %v (%v)", entries, err)
	}
}
