package portfolio

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange trades the names from and to in one atomic step
// (renameat2's RENAME_EXCHANGE): a reader sees either file under either
// name, never neither. errNoExchange when the file system cannot.
func (d *folder) exchange(from, to string) error {
	err := retry(func() error { return unix.Renameat2(d.fd(), from, d.fd(), to, unix.RENAME_EXCHANGE) })
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) {
		return errNoExchange
	}
	return err
}

// exchangePaths is exchange for two paths.
func exchangePaths(from, to string) error {
	err := retry(func() error { return unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_EXCHANGE) })
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) {
		return errNoExchange
	}
	return err
}
