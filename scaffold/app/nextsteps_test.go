package app

import (
	"os/exec"
	"testing"
)

// TestShellQuote asks a real shell to read back what shellQuote wrote.
func TestShellQuote(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to read the quoted paths back")
	}
	for _, s := range []string{"port", "../my port", "it's", "a$b`c`", `back\slash`, "tab\there", "-dash", "ünï", "*"} {
		q := shellQuote(s)
		out, err := exec.Command(sh, "-c", "printf %s "+q).Output()
		if err != nil || string(out) != s {
			t.Errorf("shellQuote(%q) = %s, which sh reads as %q (%v)", s, q, out, err)
		}
	}
	if q := shellQuote("sub/deeper"); q != "sub/deeper" {
		t.Errorf("a plain path is quoted: %s", q)
	}
}
