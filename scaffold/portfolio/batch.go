package portfolio

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
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
func writeBatch(root *os.Root, files []File, replace, durable, existed map[string]bool) (created []string, err error) {
	type pending struct {
		f       File
		tmp     string
		dir     *folder
		existed bool
	}
	dirs := map[string]*folder{}
	defer func() {
		for _, d := range dirs {
			d.close()
		}
	}()
	var ps []*pending
	defer func() {
		if err != nil {
			for _, p := range ps {
				if p.tmp != "" {
					_ = p.dir.remove(p.tmp)
				}
			}
		}
	}()
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
		var rnd [6]byte
		_, _ = rand.Read(rnd[:])
		p := &pending{f: f, dir: d, tmp: tmpPrefix + hex.EncodeToString(rnd[:]) + "-" + path.Base(f.Path)}
		if e, ok := existed[f.Path]; ok {
			p.existed = e
		} else {
			p.existed = d.exists(path.Base(f.Path))
		}
		ps = append(ps, p)
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
		if replace[p.f.Path] {
			err = p.dir.rename(p.tmp, name)
		} else {
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
