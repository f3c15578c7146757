package app

import (
	"fmt"
	"os"
	"testing"
)

// TestMain keeps pmfolio's state (locks, drafts of portfolios without git)
// out of the real home folder: the tests' portfolios are temporary.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pmfolio-state-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_STATE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
