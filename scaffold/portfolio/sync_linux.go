//go:build linux

package portfolio

import (
	"iter"
	"os"

	"golang.org/x/sys/unix"
)

// syncAll makes the files named (each inside its root) durable: on Linux
// one syncfs(2) of the file system the portfolio is on flushes them all.
func syncAll(root *os.Root, _ iter.Seq2[*folder, string]) error {
	d, err := root.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}
