//go:build !unix

package portfolio

import (
	"io/fs"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// fillStat copies what the platform offers; git re-hashes the rest.
func fillStat(e *index.Entry, fi fs.FileInfo) {
	e.ModifiedAt = fi.ModTime()
	e.CreatedAt = fi.ModTime()
	e.Size = uint32(fi.Size())
}

// stampOf is what tells that a file has not changed since: here, its
// modification time and size.
func stampOf(fi fs.FileInfo) Stamp {
	return Stamp{Mtime: fi.ModTime().UnixNano(), Ctime: fi.ModTime().UnixNano(), Size: fi.Size()}
}

// processAlive cannot tell here; saying yes never removes what a live
// process uses.
func processAlive(pid int) bool { return true }
