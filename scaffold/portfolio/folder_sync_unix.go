//go:build unix && !linux

package portfolio

import (
	"iter"

	"golang.org/x/sys/unix"
)

// syncEach fsyncs each file named, in its folder.
func syncEach(files iter.Seq2[*folder, string]) error {
	for d, name := range files {
		fd, err := unix.Openat(d.fd(), name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
		if err != nil {
			return err
		}
		err = unix.Fsync(fd)
		unix.Close(fd)
		if err != nil {
			return err
		}
	}
	return nil
}
