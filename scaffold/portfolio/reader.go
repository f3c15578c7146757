package portfolio

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"sync"
)

// Reader reads many files of the portfolio, as check does: each folder is
// opened once, through the portfolio's root so that no path escapes it,
// and each file in it with as few system calls as the platform allows.
// Opening every document through os.Root costs a dozen system calls, more
// than parsing it. It is safe for concurrent use.
type Reader struct {
	root *os.Root
	mu   sync.Mutex
	dirs map[string]*os.File
}

// NewReader returns a Reader of p's files; Close it when done.
func (p *Portfolio) NewReader() *Reader {
	return &Reader{root: p.root, dirs: map[string]*os.File{}}
}

// dir returns the open folder rel (slash-separated) of the portfolio.
func (r *Reader) dir(rel string) (*os.File, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f, ok := r.dirs[rel]; ok {
		return f, nil
	}
	f, err := r.root.Open(rel)
	if err != nil {
		return nil, err
	}
	r.dirs[rel] = f
	return f, nil
}

// ReadFile reads the file at rel (slash-separated, relative to the
// portfolio). The fast path refuses a symbolic link; a link is then read
// through the portfolio's root, which follows it as long as it stays
// inside the portfolio (README.md -> index.md) and refuses one that
// leads out.
func (r *Reader) ReadFile(rel string) ([]byte, error) {
	d, err := r.dir(path.Dir(rel))
	if err != nil {
		return nil, err
	}
	data, err := readAt(d, path.Base(rel), rel)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		if fi, lerr := r.root.Lstat(rel); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return r.root.ReadFile(rel)
		}
	}
	return data, err
}

// Stamp returns the stamp of the regular file at rel (not through a
// link), false when there is none.
func (r *Reader) Stamp(rel string) (Stamp, bool) {
	d, err := r.dir(path.Dir(rel))
	if err != nil {
		return Stamp{}, false
	}
	return stampAt(d, path.Base(rel))
}

// Close closes the folders the Reader opened.
func (r *Reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var first error
	for _, f := range r.dirs {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.dirs = map[string]*os.File{}
	return first
}
