package main

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// canExchange reports whether the file system of dir trades two names in
// one step (renameat2's RENAME_EXCHANGE), as pmfolio does when it replaces
// a file where it can: the crash steps between the trade and the removal
// of the old file exist only there.
func canExchange(dir string) bool {
	a, b := filepath.Join(dir, "exchange-a"), filepath.Join(dir, "exchange-b")
	defer os.Remove(a)
	defer os.Remove(b)
	if os.WriteFile(a, nil, 0o644) != nil || os.WriteFile(b, nil, 0o644) != nil {
		return false
	}
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE) == nil
}
