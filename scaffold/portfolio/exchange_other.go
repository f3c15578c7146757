//go:build unix && !linux

package portfolio

import "os"

// exchange reports that this build cannot trade two names atomically:
// writeBatch renames instead.
func (d *folder) exchange(string, string) error { return errNoExchange }

func exchangePaths(string, string) error { return errNoExchange }

// startWriteback has nothing to do where names are never exchanged.
func startWriteback(*os.File) {}
