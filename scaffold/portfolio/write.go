package portfolio

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/crash"
)

// ExistsError is returned instead of overwriting a file.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string { return fmt.Sprintf("%s already exists", e.Path) }

// tmpPrefix marks pmfolio's temporary files, so that a crash's leftovers
// can be recognised and removed.
const tmpPrefix = ".pmfolio-tmp-"

// writeAtomic writes data to name inside root: a temporary file in the same
// folder, renamed (or hard-linked, when it must not replace an existing
// file) into place. A reader, and a process killed at any moment, see the
// old file or the new one, never half of one. os.Root refuses any path
// that leaves the portfolio, through symlinks too. n counts the files of
// one operation, for the crash test's steps.
//
// durable also fsyncs the file before it takes the name, and the folder
// after, so that a power cut cannot leave an empty file in its place
// either. Like git, which fsyncs neither loose objects nor the work tree
// by default, pmfolio asks for that only where the file's content would
// otherwise exist nowhere else (see Tx.Apply): each fsync costs more
// than writing the file.
func writeAtomic(root *os.Root, name string, data []byte, replace bool, n int, durable bool) (err error) {
	dir := path.Dir(name)
	if dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(dir, tmpPrefix+hex.EncodeToString(rnd[:])+"-"+path.Base(name))
	f, err := root.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if durable {
		if err = f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	if err = f.Close(); err != nil {
		return err
	}
	crash.AtN("tmp-written", n)
	if replace {
		err = replaceIn(root, dir, path.Base(tmp), path.Base(name), n)
	} else {
		err = linkNoClobber(root, tmp, name)
	}
	if err != nil {
		return err
	}
	if durable {
		if err := syncDir(root, dir); err != nil {
			return err
		}
	}
	crash.AtN("file-written", n)
	return nil
}

// replaceIn puts the file from in place of the file to, both in the folder
// dir of root, as a rename over it would (see replaceWith).
func replaceIn(root *os.Root, dir, from, to string, n int) error {
	d, err := openFolder(root, dir)
	if err != nil {
		return err
	}
	defer d.close()
	return replaceWith(func() error {
		// A folder in the way: the rename fails on it, as it should,
		// rather than trading names with it.
		if d.isDir(to) {
			return errNoExchange
		}
		return d.exchange(from, to)
	},
		func() error { return d.rename(from, to) },
		func() error { return d.remove(from) }, to, "file-exchanged", n)
}

// replaceWith puts a new file in place of an old one, as a rename over it
// would, without the rename's cost on ext4. Renaming a file over another
// makes ext4 allocate the new file's blocks and start writing it out
// before the rename returns (its auto_da_alloc, a guard for programs that
// never fsync): for the README of a big portfolio (hundreds of kilobytes)
// or a 10,000-document git index (a megabyte), that was a millisecond
// each, on every `new`. So, where the file system can, the two names are
// exchanged in one atomic step (exchange), as a rename would do for a
// reader, and the old file, now under the new one's temporary name, is
// removed (removeOld). git itself writes the work tree without such a
// guard (it removes a file and creates the new one); the index, which git
// renames, starts its writeback itself (see writeIndexLock). Where the
// names cannot be exchanged, or there is no old file, rename renames. A
// crash between the two steps leaves the old content under the temporary
// name, which recovery removes, as it removes a temporary file a crash
// left before the rename; step names that moment for the crash test.
func replaceWith(exchange, rename, removeOld func() error, to, step string, n int) error {
	err := exchange()
	switch {
	case err == nil:
		crash.AtN(step, n)
		if err := removeOld(); err != nil {
			// The old one is a folder, say: trade back, and fail as
			// rename would have.
			_ = exchange()
			return fmt.Errorf("replace %s: %w", to, err)
		}
		return nil
	case errors.Is(err, errNoExchange), errors.Is(err, fs.ErrNotExist):
		return rename()
	}
	return err
}

// remove removes files of the portfolio, as a transaction's last writes.
func (p *Portfolio) remove(rels []string) error {
	return removeFiles(p.root, rels)
}

// removeFiles removes each of rels inside root (one already gone is fine)
// and makes the removal durable.
func removeFiles(root *os.Root, rels []string) error {
	for i, rel := range rels {
		if err := root.Remove(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", rel, err)
		}
		if err := syncDir(root, path.Dir(rel)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		crash.AtN("file-removed", i+1)
	}
	return nil
}

// linkNoClobber moves tmp to name only if name does not exist: link(2)
// fails on an existing target, so two writers cannot both win.
func linkNoClobber(root *os.Root, tmp, name string) error {
	err := root.Link(tmp, name)
	switch {
	case err == nil:
		return root.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return &ExistsError{Path: name}
	}
	// Some file systems have no hard links; fall back to check-then-rename,
	// still under the portfolio lock.
	if _, serr := root.Lstat(name); serr == nil {
		return &ExistsError{Path: name}
	}
	return root.Rename(tmp, name)
}

func syncDir(root *os.Root, dir string) error {
	d, err := root.Open(dir)
	if err != nil {
		return err
	}
	return syncFile(d)
}

// syncPath fsyncs the folder at path, making a rename in it durable.
func syncPath(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	return syncFile(d)
}

func syncFile(d *os.File) error {
	defer d.Close()
	// Some file systems cannot fsync a directory; the rename is still
	// atomic there, just not yet durable.
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) && !strings.Contains(err.Error(), "invalid argument") {
		return err
	}
	return nil
}

// ErrEscapes says a path leads out of the portfolio through a symbolic link.
var ErrEscapes = errors.New("leads out of the portfolio through a symbolic link")

// CheckConfined reports whether writing rel (slash-separated) would stay
// inside the portfolio, before anything is written: every folder on the
// way must resolve inside it. Write is confined by os.Root anyway; asking
// first lets a command refuse with a clear message and write nothing.
func (p *Portfolio) CheckConfined(rel string) error {
	dir := path.Dir(rel)
	if dir == "." {
		return nil
	}
	prefix := ""
	for _, el := range strings.Split(dir, "/") {
		prefix = path.Join(prefix, el)
		fi, err := p.root.Lstat(prefix)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", prefix, err)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		// os.Root follows a link only while it stays inside the root.
		if _, err := p.root.Stat(prefix); err != nil {
			return fmt.Errorf("%s %w", prefix, ErrEscapes)
		}
	}
	return nil
}

// UncommittedError says a file holds changes git does not have.
type UncommittedError struct{ Path string }

func (e *UncommittedError) Error() string {
	return fmt.Sprintf("%s has changes that are not committed", e.Path)
}

// KeepEdits refuses (with an *UncommittedError) to let a change replace a
// file whose content git does not have: the owner's uncommitted edits
// would be lost for good. consumed holds the absolute paths of files the
// operation read its input from (an answers file given with --answers):
// their edits live on in what it writes, so they may be replaced. Without
// a repository, nothing is refused: the caller's --force is the owner's
// only say. The README index needs no check: its refresh keeps the owner's
// text (see ReadmeUpdate).
func (p *Portfolio) KeepEdits(files []File, consumed map[string]bool) error {
	repo, err := p.Repo()
	if errors.Is(err, ErrNoRepo) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, f := range files {
		abs := filepath.Join(p.Dir, filepath.FromSlash(f.Path))
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		if !p.Exists(f.Path) || consumed[abs] {
			continue
		}
		dirty, err := repo.Uncommitted(f.Path)
		if err != nil {
			return err
		}
		if dirty {
			return &UncommittedError{Path: f.Path}
		}
	}
	return nil
}
