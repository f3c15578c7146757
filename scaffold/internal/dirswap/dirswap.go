// Package dirswap puts a folder built aside in place of an output folder
// (publish's site, grade's outputs), so that a reader of the output sees
// the old folder or the new one, never a half-written one.
package dirswap

import (
	"errors"
	"io/fs"
	"os"
)

// Replace puts the folder stage at out: a rename when out does not
// exist; else an exchange where the system has one (exchange), so that a
// reader of out sees the old folder or the new one, never none; else two
// renames, the old folder moved back when the second fails. The old
// folder is removed. stage must be on out's file system (beside it).
func Replace(stage, out string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(stage, out)
	}
	if exchange(stage, out) == nil {
		// stage now holds the old folder.
		return os.RemoveAll(stage)
	}
	old := stage + ".old"
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(stage, out); err != nil {
		_ = os.Rename(old, out)
		return err
	}
	return os.RemoveAll(old)
}
