//go:build unix

package portfolio

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// folder is an open folder of the portfolio in which writeBatch creates,
// renames and links files by name, one system call each: through os.Root,
// each would walk the path again and register the file with the poller.
// The folder is opened through the portfolio's root, so it is inside it,
// and every name is a single path element.
type folder struct{ f *os.File }

func openFolder(root *os.Root, dir string) (*folder, error) {
	f, err := root.Open(dir)
	if err != nil {
		return nil, err
	}
	return &folder{f}, nil
}

func (d *folder) fd() int { return int(d.f.Fd()) }

func (d *folder) close() error { return d.f.Close() }

func retry(f func() error) error {
	for {
		if err := f(); err != unix.EINTR {
			return err
		}
	}
}

// create writes a new file, not yet durable.
func (d *folder) create(name string, data []byte) error {
	var fd int
	err := retry(func() (err error) {
		fd, err = unix.Openat(d.fd(), name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0o644)
		return err
	})
	if err != nil {
		return &fs.PathError{Op: "create", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

func (d *folder) exists(name string) bool {
	var st unix.Stat_t
	return unix.Fstatat(d.fd(), name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil
}

func (d *folder) rename(from, to string) error {
	return retry(func() error { return unix.Renameat(d.fd(), from, d.fd(), to) })
}

// link gives the file from the name to as well, unless to exists.
func (d *folder) link(from, to string) error {
	err := retry(func() error { return unix.Linkat(d.fd(), from, d.fd(), to, 0) })
	switch {
	case err == nil:
		return d.remove(from)
	case errors.Is(err, unix.EEXIST):
		return &ExistsError{Path: to}
	case d.exists(to):
		return &ExistsError{Path: to}
	}
	// No hard links here: rename, still under the portfolio lock.
	return d.rename(from, to)
}

func (d *folder) remove(name string) error {
	return retry(func() error { return unix.Unlinkat(d.fd(), name, 0) })
}

func (d *folder) sync() error { return syncFile(d.f) }
