//go:build !unix

package portfolio

import (
	"io/fs"
	"os"
)

// listFolder lists the folder rel of root, sorted by name.
func listFolder(root *os.Root, rel string) ([]fs.DirEntry, error) {
	return fs.ReadDir(root.FS(), rel)
}
