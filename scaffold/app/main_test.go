package app

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// testHome is the home folder of in-process runs: pmfolio's state (locks,
// drafts of portfolios without git) and pack cache go there, out of the
// real home folder. It has no git configuration: no identity.
var testHome string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pmfolio-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testHome = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testNow is the clock of in-process runs.
var testNow = time.Date(2026, 4, 6, 9, 30, 0, 0, time.UTC)

// testEnv is the environment of in-process runs, with vars added: a
// private home, state and cache folder, no system git configuration, not
// in CI. The process's own environment is never read.
func testEnv(vars map[string]string) *environ.Env {
	m := map[string]string{
		"HOME":                testHome,
		"XDG_STATE_HOME":      filepath.Join(testHome, "state"),
		"XDG_CACHE_HOME":      filepath.Join(testHome, "cache"),
		"XDG_CONFIG_HOME":     filepath.Join(testHome, "config"),
		"GIT_CONFIG_NOSYSTEM": "1",
	}
	for k, v := range vars {
		m[k] = v
	}
	return environ.FromMap(m)
}

// testFactory runs pmfolio on s with env, the test clock, and the
// terminal prompter when s has a terminal.
func testFactory(s Streams, env *environ.Env) *Factory {
	return &Factory{Streams: s, Env: env, Now: func() time.Time { return testNow }, Prompter: TerminalPrompter(s, env)}
}

// runCLI runs pmfolio in-process without a terminal, in testEnv.
func runCLI(t *testing.T, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	return runEnv(t, testEnv(nil), args...)
}

// runEnv runs pmfolio in-process without a terminal, in env.
func runEnv(t *testing.T, env *environ.Env, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = MainWith(append([]string{"pmfolio"}, args...), testFactory(Streams{In: bytes.NewReader(nil), Out: &out, Err: &errOut}, env))
	return out.Bytes(), errOut.Bytes(), code
}

// snapshotNames lists a folder's files, for comparing before and after.
func snapshotNames(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		names = append(names, fmt.Sprintf("%s:%d:%d", p, fi.Size(), fi.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, "\n")
}
