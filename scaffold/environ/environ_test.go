package environ

import (
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

func TestXDGFolders(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("XDG folders default to HOME on unix")
	}
	home := filepath.FromSlash("/home/ada")
	e := New([]string{"HOME=" + home, "XDG_STATE_HOME=/var/state", "XDG_CACHE_HOME=relative/cache", "XDG_CONFIG_HOME="})
	check := func(name string, f func() (string, error), want string) {
		t.Helper()
		if got, err := f(); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	check("state", e.StateHome, "/var/state")
	if runtime.GOOS != "darwin" {
		// A relative value is ignored, as the XDG specification asks.
		check("cache", e.CacheHome, filepath.Join(home, ".cache"))
	}
	check("config", e.ConfigHome, filepath.Join(home, ".config"))
	if _, err := New(nil).StateHome(); err == nil {
		t.Error("no HOME, no XDG_STATE_HOME: a state folder anyway")
	}
}

func TestGitConfigFiles(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("git's system file is elsewhere on Windows")
	}
	e := FromMap(map[string]string{"HOME": "/h"})
	if got, want := e.GitConfigFiles(), []string{"/etc/gitconfig", "/h/.config/git/config", "/h/.gitconfig"}; !slices.Equal(got, want) {
		t.Errorf("default: %q, want %q", got, want)
	}
	e = FromMap(map[string]string{"HOME": "/h", "GIT_CONFIG_NOSYSTEM": "1", "XDG_CONFIG_HOME": "/x"})
	if got, want := e.GitConfigFiles(), []string{"/x/git/config", "/h/.gitconfig"}; !slices.Equal(got, want) {
		t.Errorf("no system file: %q, want %q", got, want)
	}
	e = FromMap(map[string]string{"HOME": "/h", "GIT_CONFIG_SYSTEM": "/s", "GIT_CONFIG_GLOBAL": "/g"})
	if got, want := e.GitConfigFiles(), []string{"/s", "/g"}; !slices.Equal(got, want) {
		t.Errorf("named files: %q, want %q", got, want)
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	e := New([]string{"CI=false", "NO_COLOR=", "VISUAL=", "EDITOR=nano", "PMFOLIO_LOCK_WAIT=200ms", "A=1", "A=2"})
	switch {
	case e.InCI():
		t.Error("CI=false is not CI")
	case e.NoColor():
		t.Error("an empty NO_COLOR does not count")
	case e.Editor() != "nano":
		t.Errorf("editor %q", e.Editor())
	case e.LockWait(time.Second) != 200*time.Millisecond:
		t.Errorf("lock wait %v", e.LockWait(time.Second))
	case e.Get("A") != "2":
		t.Errorf("the later pair wins: %q", e.Get("A"))
	}
	e = e.With("CI", "true").With("TERM", "dumb").With("PMFOLIO_LOCK_WAIT", "soon")
	if !e.InCI() || !e.NoColor() || e.LockWait(time.Second) != time.Second {
		t.Errorf("CI %v, no colour %v, lock wait %v", e.InCI(), e.NoColor(), e.LockWait(time.Second))
	}
}
