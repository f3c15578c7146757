//go:build !unix

package portfolio

import (
	"iter"
	"os"
)

// syncEach fsyncs each file named, in its folder.
func syncEach(files iter.Seq2[*folder, string]) error {
	for d, name := range files {
		f, err := d.root.OpenFile(name, os.O_WRONLY, 0)
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
