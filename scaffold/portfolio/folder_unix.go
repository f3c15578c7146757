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
type folder struct {
	f *os.File
	// spare is a temporary file of writeBatch's to write the next
	// replacement into (see trade), "" when there is none; mode is the
	// mode the folder's new files get.
	spare string
	mode  uint32
	// noExchange is set once the file system refused to exchange names.
	noExchange bool
}

func openFolder(root *os.Root, dir string) (*folder, error) {
	f, err := root.Open(dir)
	if err != nil {
		return nil, err
	}
	return &folder{f: f}, nil
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

// isDir reports whether name is a folder (not through a link).
func (d *folder) isDir(name string) bool {
	var st unix.Stat_t
	return unix.Fstatat(d.fd(), name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR
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

// tradable reports whether the file name may be replaced by trading names
// with the folder's spare: a regular file that no other name links (the
// spare is written over once it has traded, so a second link would see
// the next file's content).
func (d *folder) tradable(name string) bool {
	if d.noExchange {
		return false
	}
	var st unix.Stat_t
	return unix.Fstatat(d.fd(), name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFREG && st.Nlink == 1
}

// overwrite writes data over the temporary file name, the file a trade
// left there, with the mode new files get: false, nothing written, when
// it cannot be reused (not a regular file any more, linked elsewhere,
// someone else's) or the write fails.
func (d *folder) overwrite(name string, data []byte) bool {
	if d.mode == 0 {
		return false
	}
	fd, err := unix.Openat(d.fd(), name, unix.O_WRONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink != 1 || st.Uid != uint32(os.Geteuid()) {
		return false
	}
	if uint32(st.Mode)&0o7777 != d.mode && unix.Fchmod(fd, d.mode) != nil {
		return false
	}
	// Written first and cut to length after: a file emptied and written
	// again is flushed to disk as it closes (ext4's auto_da_alloc).
	for off := 0; off < len(data); {
		n, err := unix.Pwrite(fd, data[off:], int64(off))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return false
		}
		off += n
	}
	return unix.Ftruncate(fd, int64(len(data))) == nil
}

// newSpare creates the folder's spare, holding data, and learns the mode
// the folder's new files get.
func (d *folder) newSpare(name string, data []byte) error {
	if err := d.create(name, data); err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Fstatat(d.fd(), name, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil {
		d.mode = uint32(st.Mode) & 0o7777
	}
	d.spare = name
	return nil
}
