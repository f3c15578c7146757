//go:build !linux

package portfolio

import (
	"iter"
	"os"
)

// syncAll makes the files named (each inside its root) durable, one at a
// time where the system cannot flush a file system at once.
func syncAll(_ *os.Root, files iter.Seq2[*os.Root, string]) error {
	for root, name := range files {
		f, err := root.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
