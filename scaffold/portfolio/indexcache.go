package portfolio

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
)

// The README index shows, for every kind, how many documents its folder
// holds and the newest few with their front matter. Listing every folder
// and reading those documents on every `new` would make each document cost
// more the bigger the portfolio grows. Instead the last refresh's view of
// each folder is kept in the state folder (never committed: see
// State.IndexCache), and a refresh lists a folder again only when its
// stamp (modification and change times, inode, size) has changed since,
// and reads a document again only when its own stamp has: `new` stats the
// folders, adds its document to its own folder's view, and lists a folder
// only when something else changed it. Like git's index, a stamp no
// older than the view itself is not trusted ("racily clean"): a change
// made in the same clock tick as the view was saved cannot hide behind an
// unchanged stamp.

// indexCacheVersion changes when the view's format does; another version
// is ignored and rebuilt.
const indexCacheVersion = 1

// indexView is the saved view of a portfolio's folders.
type indexView struct {
	Version int                    `json:"version"`
	Dir     string                 `json:"dir"`
	Folders map[string]*folderView `json:"folders"`

	// saved is when the view was written (its file's modification time):
	// stamps from that tick or later are not trusted.
	saved int64
}

// folderView is what the index needs of one folder.
type folderView struct {
	Stamp Stamp `json:"stamp"`
	Count int   `json:"count"`
	// Recent are the newest documents (by name), newest first.
	Recent []recentDoc `json:"recent"`

	// written lists the documents this refresh is about to write into the
	// folder: the folder and they are stamped again once written.
	written []string
	// fresh is set on a view this process listed: two kinds sharing a
	// folder list it once.
	fresh bool
}

// recentDoc is one of a folder's newest documents.
type recentDoc struct {
	Name  string `json:"name"`
	Stamp Stamp  `json:"stamp"`
	// Entry is its front matter; nil when it is not a pmfolio document or
	// cannot be read.
	Entry *Entry `json:"entry,omitempty"`
	// Summary is its summary, the first paragraph of the section
	// SummaryOf names (Entry leaves it out of JSON).
	Summary   string `json:"summary,omitempty"`
	SummaryOf string `json:"summary_of,omitempty"`
}

// Stamp is what tells that a file or folder has not changed: any
// change of its content or, for a folder, of its names moves the times
// (nanoseconds). The README's index cache and check's findings cache
// (through Reader.Stamp) compare them.
type Stamp struct {
	Mtime int64  `json:"m"`
	Ctime int64  `json:"c"`
	Ino   uint64 `json:"i"`
	Size  int64  `json:"s"`
}

// UseIndexCache makes the README refresh keep its view of the portfolio's
// folders in the file at path (see State.IndexCache), and trust it where
// the folders have not changed; SaveIndexCache writes it. Without it,
// every refresh lists every kind's folder.
func (p *Portfolio) UseIndexCache(path string) {
	p.cachePath = path
	p.view = nil
}

// loadView reads the saved view, or starts an empty one.
func (p *Portfolio) loadView() *indexView {
	if p.view != nil {
		return p.view
	}
	v := &indexView{Version: indexCacheVersion, Dir: p.Dir, Folders: map[string]*folderView{}}
	p.view = v
	if p.cachePath == "" {
		return v
	}
	f, err := os.Open(p.cachePath)
	if err != nil {
		return v
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() > 1<<20 {
		return v
	}
	data := make([]byte, fi.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return v
	}
	saved := &indexView{}
	// A view cut short by a crash, or of another version or portfolio, is
	// simply rebuilt.
	if json.Unmarshal(data, saved) != nil || saved.Version != indexCacheVersion || saved.Dir != p.Dir || saved.Folders == nil {
		return v
	}
	saved.saved = stampOf(fi).Mtime
	p.view = saved
	return saved
}

// trusted reports whether stamp st, equal to the saved one, proves that
// nothing changed: it must predate the view's own saving.
func (v *indexView) trusted(st Stamp) bool {
	return st.Mtime < v.saved && st.Ctime < v.saved
}

// folder returns the view of folder with pending (documents about to be
// written into it) counted in: as saved when the folder has not changed
// since, the pending documents added to it; listed again when it has (or
// there is no saved view).
func (p *Portfolio) folder(folder string, n int, pending []Entry) (*folderView, error) {
	if folder == "" {
		return &folderView{}, nil
	}
	v := p.loadView()
	var mine []string
	for _, e := range pending {
		if path.Dir(e.Path) == folder {
			mine = append(mine, path.Base(e.Path))
		}
	}
	old := v.Folders[folder]
	if old != nil && old.fresh {
		return old, nil
	}
	fi, err := p.root.Lstat(folder)
	switch {
	case errors.Is(err, fs.ErrNotExist) && len(mine) == 0:
		delete(v.Folders, folder)
		return &folderView{}, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	var st Stamp
	if fi != nil {
		st = stampOf(fi)
	}
	if old != nil && old.Stamp == st && v.trusted(st) {
		if len(mine) == 0 {
			return old, nil
		}
		// Unchanged since it was listed: it holds what it held then and
		// the documents about to be written.
		count := old.Count
		names := make([]string, 0, len(old.Recent)+len(mine))
		for _, d := range old.Recent {
			names = append(names, d.Name)
		}
		for _, m := range mine {
			if !p.Exists(path.Join(folder, m)) {
				count++ // else it replaces one counted already
			}
			if !slices.Contains(names, m) {
				names = append(names, m)
			}
		}
		sort.Sort(sort.Reverse(sort.StringSlice(names)))
		fv := &folderView{Stamp: st, Count: count, Recent: recent(names[:min(n, len(names))], old), written: mine, fresh: true}
		v.Folders[folder] = fv
		return fv, nil
	}
	// The stamp is taken before listing: a change while the names are
	// read shows as a changed stamp next time.
	count, names, err := p.recentNames(folder, n, pending)
	if err != nil {
		return nil, err
	}
	fv := &folderView{Stamp: st, Count: count, Recent: recent(names, old), written: mine, fresh: true}
	v.Folders[folder] = fv
	return fv, nil
}

// recent makes the recent documents of names, keeping what old read of
// those it had.
func recent(names []string, old *folderView) []recentDoc {
	out := make([]recentDoc, len(names))
	for i, name := range names {
		out[i] = recentDoc{Name: name}
		if old == nil {
			continue
		}
		for _, o := range old.Recent {
			if o.Name == name {
				out[i] = o
			}
		}
	}
	return out
}

// entry returns the front matter and summary (the first paragraph of the
// section summary names) of one of fv's recent documents: from pending,
// from the view when the document has not changed, else read.
func (p *Portfolio) entry(folder, summary string, d *recentDoc, pending map[string]Entry) (Entry, bool) {
	rel := path.Join(folder, d.Name)
	if e, ok := pending[rel]; ok {
		d.Entry, d.Summary, d.SummaryOf = &e, e.Summary, summary
		return e, true
	}
	fi, err := p.root.Lstat(rel)
	if err != nil {
		d.Entry, d.Stamp = nil, Stamp{}
		return Entry{}, false
	}
	st := stampOf(fi)
	if st == d.Stamp && d.SummaryOf == summary && p.view.trusted(st) {
		if d.Entry == nil {
			return Entry{}, false
		}
		e := *d.Entry
		e.Summary = d.Summary
		return e, true
	}
	d.Stamp, d.SummaryOf = st, summary
	e, ok, err := p.readCard(rel, summary)
	if err != nil || !ok {
		d.Entry, d.Summary = nil, ""
		return Entry{}, false
	}
	d.Entry, d.Summary = &e, e.Summary
	return e, true
}

// SaveIndexCache writes the README refresh's view of the folders to the
// file UseIndexCache named, once the documents it counted are written: the
// folders written into, and those documents, are stamped as they are now.
// It is a cache: a failure to write it costs the next refresh a listing,
// nothing else, so it is not reported; and it is written in place, not
// renamed, as a view cut short by a crash is simply ignored.
func (p *Portfolio) SaveIndexCache() {
	v := p.view
	if v == nil || p.cachePath == "" {
		return
	}
	for folder, fv := range v.Folders {
		if len(fv.written) == 0 {
			continue
		}
		if fi, err := p.root.Lstat(folder); err == nil {
			fv.Stamp = stampOf(fi)
		}
		for i := range fv.Recent {
			for _, name := range fv.written {
				if fv.Recent[i].Name != name {
					continue
				}
				if fi, err := p.root.Lstat(path.Join(folder, name)); err == nil {
					fv.Recent[i].Stamp = stampOf(fi)
				}
			}
		}
		fv.written = nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return
	}
	f, err := os.OpenFile(p.cachePath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	if _, err := f.WriteAt(data, 0); err == nil {
		_ = f.Truncate(int64(len(data)))
	}
}
