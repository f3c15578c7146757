package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestShellQuote asks a real shell to read back what shellQuote wrote.
func TestShellQuote(t *testing.T) {
	t.Parallel()
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

func TestCdPath(t *testing.T) {
	wd := filepath.Join(t.TempDir(), "a", "b", "c")
	if err := os.MkdirAll(wd, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(wd)
	wd, _ = os.Getwd()
	for dir, want := range map[string]string{
		wd:                                   "",
		filepath.Join(wd, "port"):            "port",
		filepath.Join(wd, "my port"):         "'my port'",
		filepath.Join(wd, "-x"):              "./-x",
		filepath.Join(filepath.Dir(wd), "x"): "../x",
		"/":                                  "/", // shorter than ../../../../..
	} {
		if got := cdPath(dir); got != want {
			t.Errorf("cdPath(%q) from %s = %q, want %q", dir, wd, got, want)
		}
	}
}
