//go:build unix

package portfolio

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps the file at name into memory to be read, pages populated
// in one system call: reading a git index of megabytes into fresh memory
// costs a page fault per 4 KB, which on some machines costs more than the
// rest of a commit. A missing file reads as empty. Call unmap when done;
// the mapping must not be read after.
func mapFile(name string) (data []byte, unmap func(), err error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() == 0 || int64(int(fi.Size())) != fi.Size() {
		data, err := os.ReadFile(name)
		return data, func() {}, err
	}
	data, err = unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED|mapPopulate)
	if err != nil {
		// Some file systems cannot map files: read it instead.
		data, err := os.ReadFile(name)
		return data, func() {}, err
	}
	return data, func() { _ = unix.Munmap(data) }, nil
}
