//go:build !unix

package portfolio

import (
	"io"
	"os"
)

// readAt reads name in the open folder d; where there is no openat, by
// path through the folder's name.
func readAt(d *os.File, name, rel string) ([]byte, error) {
	root, err := os.OpenRoot(d.Name())
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// stampAt stamps the regular file name in the open folder d.
func stampAt(d *os.File, name string) (Stamp, bool) {
	root, err := os.OpenRoot(d.Name())
	if err != nil {
		return Stamp{}, false
	}
	defer root.Close()
	fi, err := root.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() {
		return Stamp{}, false
	}
	return stampOf(fi), true
}
