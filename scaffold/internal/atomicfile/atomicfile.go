// Package atomicfile writes a small file of a cache whole or not at all
// (grade's record of the commits it saw, the pack cache's releases).
package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
)

// Write writes data to path through a hidden temporary file beside it,
// renamed over path: a reader finds the old content or the new, never a
// part. path's folder is made when it is missing. The file is its
// owner's alone (0600, as os.CreateTemp makes it).
func Write(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if err := errors.Join(werr, tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
