package app

import (
	"os"
	"path/filepath"
	"testing"
)

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
