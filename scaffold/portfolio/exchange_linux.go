package portfolio

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange trades the names from and to in one atomic step
// (renameat2's RENAME_EXCHANGE): a reader sees either file under either
// name, never neither. errNoExchange when the file system cannot.
func (d *folder) exchange(from, to string) error {
	err := retry(func() error { return unix.Renameat2(d.fd(), from, d.fd(), to, unix.RENAME_EXCHANGE) })
	if noExchange(err) {
		return errNoExchange
	}
	return err
}

// exchangePaths is exchange for two paths.
func exchangePaths(from, to string) error {
	err := retry(func() error { return unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_EXCHANGE) })
	if noExchange(err) {
		return errNoExchange
	}
	return err
}

// noExchange reports whether renameat2 said it cannot exchange names here:
// the file system does not support it, the kernel is too old, or a
// sandbox refuses the call (a real permission problem fails the rename
// that follows just the same).
func noExchange(err error) bool {
	return errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EPERM)
}

// startWriteback starts writing f's dirty pages out, without waiting: what
// ext4 does for a file renamed over another (auto_da_alloc), for a file
// that trades names instead (see writeIndexLock).
func startWriteback(f *os.File) {
	_ = unix.SyncFileRange(int(f.Fd()), 0, 0, unix.SYNC_FILE_RANGE_WRITE)
}
