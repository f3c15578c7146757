//go:build unix

package portfolio

import (
	"io/fs"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// fillStat copies the stat data git compares to decide that a file is
// unchanged; without it `git status` re-hashes the file and rewrites the index.
func fillStat(e *index.Entry, fi fs.FileInfo) {
	e.ModifiedAt = fi.ModTime()
	e.Size = uint32(fi.Size())
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		e.CreatedAt = ctime(st)
		e.Dev = uint32(st.Dev)
		e.Inode = uint32(st.Ino)
		e.UID = st.Uid
		e.GID = st.Gid
	}
}

// stampOf is what tells that a file has not changed since.
func stampOf(fi fs.FileInfo) Stamp {
	st := Stamp{Mtime: fi.ModTime().UnixNano(), Ctime: fi.ModTime().UnixNano(), Size: fi.Size()}
	if s, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.Ctime = ctime(s).UnixNano()
		st.Ino = uint64(s.Ino)
	}
	return st
}

// processAlive reports whether a process with pid exists: signal 0 checks
// without sending anything.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
