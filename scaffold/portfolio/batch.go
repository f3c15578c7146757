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
// written first, then all of them are made durable at once (the file
// system flushed once, where it can be), then each is renamed (or linked)
// into place, then each folder they are in is made durable once. An
// upgrade of a thousand documents writes three thousand files: one flush
// for all of them instead of two for each is what keeps it a few seconds.
// created lists the files it made that did not exist, for the caller to
// remove on failure.
func writeBatch(root *os.Root, files []File, replace map[string]bool) (created []string, err error) {
	type pending struct {
		f        File
		dir, tmp string
		sub      *os.Root
		existed  bool
	}
	subs := map[string]*os.Root{}
	defer func() {
		for _, s := range subs {
			s.Close()
		}
	}()
	var ps []*pending
	defer func() {
		if err != nil {
			for _, p := range ps {
				if p.tmp != "" {
					_ = p.sub.Remove(p.tmp)
				}
			}
		}
	}()
	var rnd [6]byte
	for i, f := range files {
		dir := path.Dir(f.Path)
		sub, ok := subs[dir]
		if !ok {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("write %s: %w", f.Path, err)
			}
			if sub, err = root.OpenRoot(dir); err != nil {
				return nil, fmt.Errorf("write %s: %w", f.Path, err)
			}
			subs[dir] = sub
		}
		_, _ = rand.Read(rnd[:])
		p := &pending{f: f, dir: dir, sub: sub, tmp: tmpPrefix + hex.EncodeToString(rnd[:]) + "-" + path.Base(f.Path)}
		_, lerr := sub.Lstat(path.Base(f.Path))
		p.existed = lerr == nil
		if err := writeFile(sub, p.tmp, f.Data); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.Path, err)
		}
		ps = append(ps, p)
		crash.AtN("tmp-written", i+1)
	}
	if err := syncAll(root, func(yield func(*os.Root, string) bool) {
		for _, p := range ps {
			if !yield(p.sub, p.tmp) {
				return
			}
		}
	}); err != nil {
		return nil, err
	}
	for i, p := range ps {
		name := path.Base(p.f.Path)
		if replace[p.f.Path] {
			err = p.sub.Rename(p.tmp, name)
		} else {
			err = linkNoClobber(p.sub, p.tmp, name)
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
	for dir, sub := range subs {
		if err := syncDir(sub, "."); err != nil {
			return created, fmt.Errorf("write %s: %w", dir, err)
		}
	}
	return created, nil
}

// writeFile writes a new file (not yet durable) inside root.
func writeFile(root *os.Root, name string, data []byte) error {
	f, err := root.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
