//go:build !unix

package portfolio

import (
	"errors"
	"io/fs"
	"os"
)

// mapFile reads the file at name; a missing file reads as empty.
func mapFile(name string) (data []byte, unmap func(), err error) {
	data, err = os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, func() {}, nil
	}
	return data, func() {}, err
}
