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
