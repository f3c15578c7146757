package portfolio

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/pmfolio/pmfolio/scaffold/crash"
)

// batchFiles is how many files a change writes before they are written as
// a batch (see writeBatch) rather than one durable file at a time.
const batchFiles = 16

// writeBatch writes files as writeAtomic writes each, with the same
// guarantees, in fewer steps the disk waits for: every temporary file is
// written first, then those listed in durable are made durable at once
// (the file system flushed once, where it can be), then each is renamed
// (or linked) into place, then each folder with a durable file is made
// durable once. An upgrade of a thousand documents writes three thousand
// files: one flush for all of them instead of two for each is what keeps
// it a few seconds. existed, when it has a file, says whether it exists.
// created lists the files it made that did not exist, for the caller to
// remove on failure.
//
// A file that replaces one git has (not durable) is written last, through
// its folder's spare (see spare): the new content is written into a
// temporary file that then trades names with the old file in one atomic
// step, which leaves the old file under the temporary name, to be written
// over for the next. Each replacement would otherwise create a file and
// free one: on ext4 without a journal, every file created after thousands
// were freed skips past each inode freed in the last minutes, which made
// creating the files most of an upgrade's time.
func writeBatch(root *os.Root, files []File, replace, durable, existed map[string]bool) (created []string, err error) {
	type pending struct {
		f       File
		tmp     string
		dir     *folder
		existed bool
		// trade marks a file written through its folder's spare.
		trade bool
	}
	dirs := map[string]*folder{}
	defer func() {
		for _, d := range dirs {
			d.close()
		}
	}()
	var ps []*pending
	defer func() {
		for _, d := range dirs {
			if d.spare != "" {
				// What it holds is the content of a file replaced (which
				// git has) or being written (which the journal has).
				_ = d.remove(d.spare)
			}
		}
		if err != nil {
			for _, p := range ps {
				if p.tmp != "" {
					_ = p.dir.remove(p.tmp)
				}
			}
		}
	}()
	tmpName := func(f File) string {
		var rnd [6]byte
		_, _ = rand.Read(rnd[:])
		return tmpPrefix + hex.EncodeToString(rnd[:]) + "-" + path.Base(f.Path)
	}
	for i, f := range files {
		name := path.Dir(f.Path)
		d, ok := dirs[name]
		if !ok {
			if err := root.MkdirAll(name, 0o755); err != nil {
				return nil, fmt.Errorf("write %s: %w", f.Path, err)
			}
			if d, err = openFolder(root, name); err != nil {
				return nil, fmt.Errorf("write %s: %w", f.Path, err)
			}
			dirs[name] = d
		}
		p := &pending{f: f, dir: d}
		ps = append(ps, p)
		if replace[f.Path] && !durable[f.Path] && d.tradable(path.Base(f.Path)) {
			p.existed, p.trade = true, true
			continue
		}
		if e, ok := existed[f.Path]; ok {
			p.existed = e
		} else {
			p.existed = d.exists(path.Base(f.Path))
		}
		p.tmp = tmpName(f)
		if err := d.create(p.tmp, f.Data); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.Path, err)
		}
		crash.AtN("tmp-written", i+1)
	}
	var must []*pending
	syncDirs := map[*folder]bool{}
	for _, p := range ps {
		if durable[p.f.Path] {
			must = append(must, p)
			syncDirs[p.dir] = true
		}
	}
	if len(must) > 0 {
		if err := syncAll(root, eachFile(must, func(p *pending) (*folder, string) { return p.dir, p.tmp })); err != nil {
			return nil, err
		}
	}
	for i, p := range ps {
		name := path.Base(p.f.Path)
		switch {
		case p.trade:
			err = p.dir.trade(name, p.f.Data, func() string { return tmpName(p.f) }, i+1)
		case replace[p.f.Path]:
			err = p.dir.rename(p.tmp, name)
		default:
			err = p.dir.link(p.tmp, name)
		}
		if err != nil {
			var ee *ExistsError
			if errors.As(err, &ee) {
				return created, &ExistsError{Path: p.f.Path}
			}
			return created, fmt.Errorf("write %s: %w", p.f.Path, err)
		}
		p.tmp = "" // in place: nothing to clean up
		if !p.existed {
			created = append(created, p.f.Path)
		}
		crash.AtN("file-written", i+1)
	}
	for name, d := range dirs {
		if !syncDirs[d] {
			continue
		}
		if err := d.sync(); err != nil {
			return created, fmt.Errorf("write %s: %w", name, err)
		}
	}
	return created, nil
}

// trade puts data in place of the file name, which exists: written into
// the folder's spare (a new temporary file named by newTmp when it has
// none, or none it may write over), which then trades names with the
// file, the old file becoming the spare; where the file system cannot
// trade names, the new file is renamed over the old. n counts the files
// of the operation, for the crash test.
func (d *folder) trade(name string, data []byte, newTmp func() string, n int) error {
	if d.spare == "" || !d.overwrite(d.spare, data) {
		if d.spare != "" {
			_ = d.remove(d.spare)
		}
		d.spare = ""
		if err := d.newSpare(newTmp(), data); err != nil {
			return err
		}
	}
	crash.AtN("tmp-written", n)
	err := d.exchange(d.spare, name)
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, errNoExchange):
		d.noExchange = true
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	err = d.rename(d.spare, name)
	d.spare = ""
	return err
}

// errNoExchange says a file system cannot trade two names atomically.
var errNoExchange = errors.New("the file system cannot exchange two names")

// eachFile yields, for each pending file, its folder and name.
func eachFile[P any](ps []P, of func(P) (*folder, string)) func(func(*folder, string) bool) {
	return func(yield func(*folder, string) bool) {
		for _, p := range ps {
			if !yield(of(p)) {
				return
			}
		}
	}
}
