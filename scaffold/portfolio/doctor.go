package portfolio

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// This file holds the checks behind `pmfolio doctor`. Unlike `new`, they
// may read every document and the whole index: doctor is run by a person
// who wants to know, not on every write.

// StaleLocks lists git lock files (the index's, HEAD's, the branch's)
// older than age at now: git holds them for milliseconds, so an old one
// was left by a process that died, and blocks every git command until
// removed.
func (r *Repo) StaleLocks(now time.Time, age time.Duration) []string {
	locks := []string{filepath.Join(r.gitDir, "index.lock"), filepath.Join(r.gitDir, "HEAD.lock")}
	if name, _, err := r.head(); err == nil && name != plumbing.HEAD {
		locks = append(locks, filepath.Join(r.gitDir, filepath.FromSlash(string(name))+".lock"))
	}
	var out []string
	for _, l := range locks {
		if fi, err := os.Stat(l); err == nil && now.Sub(fi.ModTime()) > age {
			out = append(out, l)
		}
	}
	return out
}

// headFiles maps every file of HEAD's tree inside the portfolio
// (portfolio-relative) to its blob.
func (r *Repo) headFiles() (map[string]plumbing.Hash, error) {
	out := map[string]plumbing.Hash{}
	_, parent, err := r.head()
	if err != nil || parent.IsZero() {
		return out, err
	}
	c, err := r.repo.CommitObject(parent)
	if err != nil {
		return nil, fmt.Errorf("read HEAD commit: %w", err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read HEAD tree: %w", err)
	}
	err = t.Files().ForEach(func(f *object.File) error {
		if rel, ok := r.relPath(f.Name); ok {
			out[rel] = f.Hash
		}
		return nil
	})
	return out, err
}

// relPath turns a repository path into a portfolio-relative one; ok is
// false outside the portfolio.
func (r *Repo) relPath(p string) (string, bool) {
	if r.prefix == "" {
		return p, true
	}
	return strings.CutPrefix(p, r.prefix+"/")
}

// Owned reports whether rel is a file pmfolio writes: its configuration,
// the README index, answers, bases, and Markdown documents in folders.
func Owned(rel string) bool {
	switch {
	case rel == ConfigFile, rel == ReadmeFile, strings.HasPrefix(rel, AnswersDir+"/"), strings.HasPrefix(rel, BaseDir+"/"):
		return true
	}
	return strings.HasSuffix(rel, ".md") && strings.Contains(rel, "/") && !strings.HasPrefix(rel, ".")
}

// IndexProblems compares the git index with HEAD for the files pmfolio
// writes: an entry staged but not committed (what a commit interrupted
// between the index and the branch leaves, when no journal finishes it),
// and an entry whose object is missing from the repository.
func (r *Repo) IndexProblems() ([]string, error) {
	idx, err := r.repo.Storer.Index()
	if err != nil {
		return nil, fmt.Errorf("read the git index: %w", err)
	}
	head, err := r.headFiles()
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, e := range idx.Entries {
		rel, ok := r.relPath(e.Name)
		if !ok || !Owned(rel) {
			continue
		}
		seen[rel] = true
		if _, err := r.repo.Storer.EncodedObject(plumbing.BlobObject, e.Hash); err != nil {
			out = append(out, fmt.Sprintf("%s: the index names object %s, which the repository does not have", rel, short(e.Hash)))
			continue
		}
		if h, ok := head[rel]; !ok || h != e.Hash {
			out = append(out, fmt.Sprintf("%s: staged but not committed", rel))
		}
	}
	for rel := range head {
		if Owned(rel) && !seen[rel] {
			out = append(out, fmt.Sprintf("%s: removed from the index but not from HEAD", rel))
		}
	}
	sort.Strings(out)
	return out, nil
}

// NotCommitted lists the documents, answers and bases in the work tree that
// HEAD does not have as they are: new ones, and edited ones.
func (p *Portfolio) NotCommitted(r *Repo) ([]string, error) {
	head, err := r.headFiles()
	if err != nil {
		return nil, err
	}
	var out []string
	check := func(rel string) error {
		data, err := p.root.ReadFile(rel)
		if err != nil {
			return nil
		}
		h, ok := head[rel]
		switch {
		case !ok:
			out = append(out, rel+" (new)")
		case !sameBlob(h, data):
			out = append(out, rel+" (edited)")
		}
		return nil
	}
	if err := p.walkDocs(".", check); err != nil {
		return nil, err
	}
	for _, dir := range []string{AnswersDir, BaseDir} {
		err = fs.WalkDir(p.root.FS(), dir, func(rel string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			if err != nil || d.IsDir() || IsInternal(path.Base(rel)) {
				return err
			}
			return check(rel)
		})
		if err != nil {
			break
		}
	}
	sort.Strings(out)
	return out, err
}

// TempFiles lists pmfolio's temporary files and folders in the portfolio:
// what a crash during a write leaves.
func (p *Portfolio) TempFiles() ([]string, error) {
	var out []string
	err := fs.WalkDir(p.root.FS(), ".", func(rel string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return fs.SkipDir
		}
		if strings.HasPrefix(d.Name(), tmpPrefix) {
			out = append(out, rel)
			if d.IsDir() {
				return fs.SkipDir
			}
		}
		return nil
	})
	return out, err
}

// RemoveTemp removes a temporary file or folder TempFiles found in p. It
// is a transaction's: holding the lock, no pmfolio is writing that file.
func (tx *Tx) RemoveTemp(p *Portfolio, rel string) error {
	if !strings.HasPrefix(path.Base(rel), tmpPrefix) {
		return fmt.Errorf("%s is not a temporary file of pmfolio", rel)
	}
	return p.root.RemoveAll(rel)
}

// RemoveStaleLock removes a git lock file StaleLocks found in r: one left
// by a git or pmfolio process that died. It is a transaction's: holding
// the lock, no pmfolio is committing.
func (tx *Tx) RemoveStaleLock(r *Repo, now time.Time, age time.Duration, file string) error {
	if !slices.Contains(r.StaleLocks(now, age), file) {
		return fmt.Errorf("%s is not a stale git lock file", file)
	}
	return os.Remove(file)
}
