//go:build unix

package portfolio

import (
	"io/fs"
	"os"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// listFolder lists the folder rel of root, sorted by name. A folder
// opened through an os.Root stats every entry as it lists it
// (os.newUnixDirent), a system call per document; the same folder read
// through a second descriptor of it takes each entry's type from the
// listing itself, as os.ReadDir does. The folder is still opened through
// the root: it is inside the portfolio.
func listFolder(root *os.Root, rel string) ([]fs.DirEntry, error) {
	f, err := root.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var derr error
	if err := sc.Control(func(raw uintptr) { fd, derr = unix.Dup(int(raw)) }); err != nil {
		return nil, err
	}
	if derr != nil {
		return nil, &fs.PathError{Op: "readdir", Path: rel, Err: derr}
	}
	unix.CloseOnExec(fd)
	d := os.NewFile(uintptr(fd), rel)
	defer d.Close()
	entries, err := d.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}
