package site

import (
	"errors"
	"io/fs"
	"os"
)

// swap puts the staged site at out: a rename when out does not exist;
// else an exchange where the system has one (exchange), so that a reader
// of out sees the old site or the new one, never none; else two renames.
// The old site is removed.
func swap(stage, out string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(stage, out)
	}
	if exchange(stage, out) == nil {
		// stage now holds the old site.
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
