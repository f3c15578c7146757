package shellquote

import (
	"os/exec"
	"testing"
)

// TestQuote asks a real shell to read back what Quote wrote.
func TestQuote(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to read the quoted paths back")
	}
	for _, s := range []string{"port", "../my port", "it's", "a$b`c`", `back\slash`, "tab\there", "-dash", "ünï", "*"} {
		q := Quote(s)
		out, err := exec.Command(sh, "-c", "printf %s "+q).Output()
		if err != nil || string(out) != s {
			t.Errorf("Quote(%q) = %s, which sh reads as %q (%v)", s, q, out, err)
		}
	}
	if q := Quote("sub/deeper"); q != "sub/deeper" {
		t.Errorf("a plain path is quoted: %s", q)
	}
}
