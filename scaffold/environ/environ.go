// Package environ is pmfolio's view of the process environment: a snapshot
// taken once, when the program starts, and passed down to whatever needs a
// variable. Nothing else in pmfolio reads the environment, so that tests
// inject one (and run in parallel) instead of changing the process's.
package environ

import (
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Env is an immutable set of environment variables.
type Env struct {
	vars map[string]string
}

// New returns the environment of KEY=VALUE pairs, as os.Environ lists
// them; a later pair wins over an earlier one with the same key.
func New(kv []string) *Env {
	e := &Env{vars: make(map[string]string, len(kv))}
	for _, p := range kv {
		if k, v, ok := strings.Cut(p, "="); ok && k != "" {
			e.vars[k] = v
		}
	}
	return e
}

// FromMap returns the environment holding m, for tests.
func FromMap(m map[string]string) *Env {
	e := &Env{vars: make(map[string]string, len(m))}
	for k, v := range m {
		e.vars[k] = v
	}
	return e
}

// With returns a copy of e with k set to v.
func (e *Env) With(k, v string) *Env {
	out := FromMap(e.vars)
	out.vars[k] = v
	return out
}

// Get returns the value of k, "" when unset. A nil Env is empty.
func (e *Env) Get(k string) string {
	if e == nil {
		return ""
	}
	return e.vars[k]
}

// Lookup returns the value of k and whether it is set.
func (e *Env) Lookup(k string) (string, bool) {
	if e == nil {
		return "", false
	}
	v, ok := e.vars[k]
	return v, ok
}

// InCI reports a CI environment by the CI variable every major CI system
// sets.
func (e *Env) InCI() bool {
	switch e.Get("CI") {
	case "", "0", "false", "FALSE", "False":
		return false
	}
	return true
}

// NoColor reports that output must not be coloured: NO_COLOR is set to
// anything (no-color.org), or the terminal is dumb.
func (e *Env) NoColor() bool {
	return e.Get("NO_COLOR") != "" || e.Get("TERM") == "dumb"
}

// GitHubStepSummary is the file GitHub Actions shows as the step's
// summary ($GITHUB_STEP_SUMMARY), "" outside GitHub Actions.
func (e *Env) GitHubStepSummary() string { return e.Get("GITHUB_STEP_SUMMARY") }

// Debug reports PMFOLIO_DEBUG: internal errors print their stack.
func (e *Env) Debug() bool { return e.Get("PMFOLIO_DEBUG") != "" }

// Editor is the command that edits long answers: $VISUAL, else $EDITOR.
func (e *Env) Editor() string {
	if v := e.Get("VISUAL"); v != "" {
		return v
	}
	return e.Get("EDITOR")
}

// LockWait is how long to wait for another pmfolio writing the same
// portfolio: PMFOLIO_LOCK_WAIT (a Go duration such as 200ms, which tests
// use to shorten it), else def.
func (e *Env) LockWait(def time.Duration) time.Duration {
	if d, err := time.ParseDuration(e.Get("PMFOLIO_LOCK_WAIT")); err == nil && d >= 0 {
		return d
	}
	return def
}

// ErrNoHome says the environment names no home folder.
var ErrNoHome = errors.New("no home folder: HOME is not set")

// Home is the user's home folder.
func (e *Env) Home() (string, error) {
	h := e.Get("HOME")
	if h == "" && runtime.GOOS == "windows" {
		h = e.Get("USERPROFILE")
	}
	if h == "" {
		return "", ErrNoHome
	}
	return h, nil
}

// xdg returns the absolute value of an XDG base directory variable, or
// the fallback below home. The XDG specification asks that a relative
// value be ignored: it would depend on the folder pmfolio runs in.
func (e *Env) xdg(name string, fallback ...string) (string, error) {
	if v := e.Get(name); filepath.IsAbs(v) {
		return v, nil
	}
	return e.underHome(fallback...)
}

func (e *Env) underHome(elem ...string) (string, error) {
	home, err := e.Home()
	if err != nil {
		return "", err
	}
	return filepath.Join(append([]string{home}, elem...)...), nil
}

// StateHome is $XDG_STATE_HOME, by default ~/.local/state.
func (e *Env) StateHome() (string, error) { return e.xdg("XDG_STATE_HOME", ".local", "state") }

// ConfigHome is $XDG_CONFIG_HOME, by default ~/.config.
func (e *Env) ConfigHome() (string, error) { return e.xdg("XDG_CONFIG_HOME", ".config") }

// CacheHome is $XDG_CACHE_HOME when set (on every system, as the XDG
// specification asks), else the system's user cache folder: ~/.cache,
// ~/Library/Caches on macOS, %LocalAppData% on Windows.
func (e *Env) CacheHome() (string, error) {
	if v := e.Get("XDG_CACHE_HOME"); filepath.IsAbs(v) {
		return v, nil
	}
	switch runtime.GOOS {
	case "windows":
		if v := e.Get("LocalAppData"); v != "" {
			return v, nil
		}
		return "", errors.New("no cache folder: %LocalAppData% is not set")
	case "darwin", "ios":
		return e.underHome("Library", "Caches")
	}
	return e.underHome(".cache")
}

// GitConfigFiles are git's system and global configuration files, in the
// order git reads them (later ones win): $GIT_CONFIG_SYSTEM or
// /etc/gitconfig unless GIT_CONFIG_NOSYSTEM is set, then $GIT_CONFIG_GLOBAL
// or $XDG_CONFIG_HOME/git/config and ~/.gitconfig. Files that do not exist
// are the caller's to skip.
func (e *Env) GitConfigFiles() []string {
	var out []string
	if nosys := e.Get("GIT_CONFIG_NOSYSTEM"); nosys == "" || nosys == "0" || strings.EqualFold(nosys, "false") {
		sys := e.Get("GIT_CONFIG_SYSTEM")
		if sys == "" && runtime.GOOS != "windows" {
			sys = "/etc/gitconfig"
		}
		if sys != "" {
			out = append(out, sys)
		}
	}
	if g, ok := e.Lookup("GIT_CONFIG_GLOBAL"); ok {
		if g != "" {
			out = append(out, g)
		}
		return out
	}
	if xdg, err := e.ConfigHome(); err == nil {
		out = append(out, filepath.Join(xdg, "git", "config"))
	}
	if home, err := e.Home(); err == nil {
		out = append(out, filepath.Join(home, ".gitconfig"))
	}
	return out
}
