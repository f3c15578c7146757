//go:build !linux

package portfolio

import (
	"iter"
	"os"
)

// syncAll makes the files named (each in its folder) durable, one at a
// time where the system cannot flush a file system at once.
func syncAll(root *os.Root, files iter.Seq2[*folder, string]) error {
	return syncEach(files)
}
