//go:build unix

package portfolio

import (
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// readAt reads name in the open folder d with openat, fstat, read and
// close: an *os.File would add registering with the poller and undoing it.
// O_NOFOLLOW refuses a symbolic link, which could point out of the
// portfolio. rel names the file in errors.
func readAt(d *os.File, name, rel string) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Openat(int(d.Fd()), name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: rel, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: rel, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, &fs.PathError{Op: "read", Path: rel, Err: fmt.Errorf("not a regular file")}
	}
	// The size fstat gave: a document changed while it is checked is
	// read as it was then, without a last read to find the end.
	buf := make([]byte, st.Size)
	for off := 0; off < len(buf); {
		n, err := unix.Read(fd, buf[off:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: rel, Err: err}
		}
		if n == 0 {
			return buf[:off], nil
		}
		off += n
	}
	return buf, nil
}

// stampAt stamps the regular file name in the open folder d.
func stampAt(d *os.File, name string) (Stamp, bool) {
	var st unix.Stat_t
	if unix.Fstatat(int(d.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return Stamp{}, false
	}
	return Stamp{Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano(), Ino: uint64(st.Ino), Size: st.Size}, true
}
