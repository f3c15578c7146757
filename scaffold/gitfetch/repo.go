package gitfetch

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Repo is a repository read at its commits, without a work tree: a mirror,
// or a clone on this machine. Close it when done.
type Repo struct {
	repo *git.Repository
	path string
	// st keeps the packs open; nil when go-git opened the repository its
	// own way (a work tree whose .git is a file).
	st *filesystem.Storage
}

// ErrNotRepository says a path holds no git repository.
var ErrNotRepository = errors.New("not a git repository")

// OpenRepo opens the repository at path (bare, or a work tree's .git).
// Its packs stay open while it is read, and when it has packs, its loose
// objects are listed once: go-git would otherwise open a pack again for
// every object, and look for each object as a loose file first, which is
// most of the time a commit's documents take to read. A repository with
// no pack (a student's, committed and pushed as is) has every object
// loose: listing its object folders first (go-git's ExclusiveAccess) is
// only more system calls, a tenth of grading a cohort of 300. Nothing
// writes the repository while pmfolio reads it (a mirror is fetched
// before, a local repository is the course's copy).
func OpenRepo(path string) (*Repo, error) {
	gitDir := ""
	if fi, err := os.Stat(filepath.Join(path, ".git")); err == nil && fi.IsDir() {
		gitDir = filepath.Join(path, ".git")
	} else if fi, err := os.Stat(filepath.Join(path, "objects")); err == nil && fi.IsDir() {
		gitDir = path
	}
	if gitDir != "" {
		st := filesystem.NewStorageWithOptions(osfs.New(gitDir, osfs.WithBoundOS()), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true, ExclusiveAccess: hasPacks(gitDir)})
		repo, err := git.Open(st, nil)
		if err == nil {
			return &Repo{repo: repo, path: path, st: st}, nil
		}
		st.Close()
	}
	repo, err := git.PlainOpen(path)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%s: %w", path, ErrNotRepository)
	}
	if err != nil {
		return nil, fmt.Errorf("open git repository %s: %w", path, err)
	}
	return &Repo{repo: repo, path: path}, nil
}

// hasPacks reports whether the repository at gitDir keeps objects in packs.
func hasPacks(gitDir string) bool {
	entries, err := os.ReadDir(filepath.Join(gitDir, "objects", "pack"))
	if err != nil {
		return true // unknown: list the loose objects, as before
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".pack") {
			return true
		}
	}
	return false
}

// Close lets go of the repository's open files.
func (r *Repo) Close() error {
	if r == nil || r.st == nil {
		return nil
	}
	return r.st.Close()
}

// Commit is one commit of a history: its hash and when it was committed,
// as its committer's clock said (git's committer date).
type Commit struct {
	Hash string
	When time.Time
}

// History is the default branch of a repository: its name (without
// refs/heads/), its tip, and its commits.
type History struct {
	Branch string
	Head   Commit
	// Commits are listed as git log lists them by committer date, newest
	// first: the order git rev-list --before walks, so that the last
	// commit at or before a time is the first listed at or before it.
	Commits []Commit
}

// History reads the default branch, what HEAD names. A repository
// without a commit is ErrEmpty.
func (r *Repo) History() (*History, error) {
	branch, commits, err := r.history()
	if err != nil {
		return nil, err
	}
	h := &History{Branch: branch, Commits: commits}
	if ref, err := r.repo.Head(); err == nil {
		for _, c := range commits {
			if c.Hash == ref.Hash().String() {
				h.Head = c
			}
		}
	}
	return h, nil
}

func (r *Repo) history() (branch string, commits []Commit, err error) {
	head, err := r.repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return "", nil, ErrEmpty
	}
	name := head.Name()
	if head.Type() == plumbing.SymbolicReference {
		name = head.Target()
	}
	ref, err := r.repo.Reference(name, true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return "", nil, ErrEmpty
	}
	if err != nil {
		return "", nil, err
	}
	iter, err := r.repo.Log(&git.LogOptions{From: ref.Hash(), Order: git.LogOrderCommitterTime})
	if err != nil {
		return "", nil, err
	}
	defer iter.Close()
	err = iter.ForEach(func(c *object.Commit) error {
		commits = append(commits, Commit{Hash: c.Hash.String(), When: c.Committer.When})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return strings.TrimPrefix(name.String(), "refs/heads/"), commits, nil
}

// Tree is the tree of one commit, indexed on first use.
type Tree struct {
	s     storer.EncodedObjectStorer
	root  *object.Tree
	files map[string]treeEntry
	dirs  map[string]bool
	paths []string
}

type treeEntry struct {
	hash plumbing.Hash
	mode filemode.FileMode
}

// Tree returns the tree of commit hash.
func (r *Repo) Tree(hash string) (*Tree, error) {
	c, err := commitOf(r.repo.Storer, plumbing.NewHash(hash))
	if err != nil {
		return nil, fmt.Errorf("%s: commit %s: %w", r.path, hash, err)
	}
	root, err := c.Tree()
	if err != nil {
		return nil, err
	}
	return &Tree{s: r.repo.Storer, root: root}, nil
}

// index lists every path of the tree once: folders whose names start
// with a dot are left out, as git's own data (.github) is not the
// portfolio's.
func (t *Tree) index() error {
	if t.files != nil {
		return nil
	}
	t.files, t.dirs = map[string]treeEntry{}, map[string]bool{"": true}
	var walk func(tr *object.Tree, dir string, depth int) error
	walk = func(tr *object.Tree, dir string, depth int) error {
		if depth > 32 {
			return fmt.Errorf("%s: folders nested too deep", dir)
		}
		for _, e := range tr.Entries {
			if e.Name == "" || e.Name == "." || e.Name == ".." || strings.ContainsAny(e.Name, "/\x00") {
				continue // git never writes such names; a crafted tree can
			}
			p := path.Join(dir, e.Name)
			switch e.Mode {
			case filemode.Dir:
				if strings.HasPrefix(e.Name, ".") {
					continue
				}
				sub, err := object.GetTree(t.s, e.Hash)
				if err != nil {
					return err
				}
				t.dirs[p] = true
				if err := walk(sub, p, depth+1); err != nil {
					return err
				}
			case filemode.Regular, filemode.Executable, filemode.Deprecated:
				t.files[p] = treeEntry{hash: e.Hash, mode: e.Mode}
				t.paths = append(t.paths, p)
			}
			// Links and submodules are not read: they lead out of the
			// repository.
		}
		return nil
	}
	if err := walk(t.root, "", 0); err != nil {
		return err
	}
	sort.Strings(t.paths)
	return nil
}

// Files lists the regular files below dir ("" for the whole tree),
// slash-separated and sorted.
func (t *Tree) Files(dir string) ([]string, error) {
	if err := t.index(); err != nil {
		return nil, err
	}
	if dir == "" || dir == "." {
		return t.paths, nil
	}
	var out []string
	prefix := strings.TrimSuffix(dir, "/") + "/"
	for _, p := range t.paths {
		if strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Exists reports whether the tree has a file or folder at p.
func (t *Tree) Exists(p string) bool {
	if t.index() != nil {
		return false
	}
	p = path.Clean(p)
	if p == "." {
		p = ""
	}
	_, ok := t.files[p]
	return ok || t.dirs[p]
}

// Blob is the hash of the file at p, "" when there is none.
func (t *Tree) Blob(p string) string {
	if t.index() != nil {
		return ""
	}
	if e, ok := t.files[p]; ok {
		return e.hash.String()
	}
	return ""
}

// Read returns the file at p, refusing one over limit bytes (a
// *yamlfile.TooBigError) before reading it.
func (t *Tree) Read(p string, limit int64) ([]byte, error) {
	if err := t.index(); err != nil {
		return nil, err
	}
	e, ok := t.files[p]
	if !ok {
		return nil, fmt.Errorf("%s: %w", p, errNoFile)
	}
	b, err := object.GetBlob(t.s, e.hash)
	if err != nil {
		return nil, err
	}
	if b.Size > limit {
		return nil, &yamlfile.TooBigError{File: p, Limit: limit}
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return yamlfile.ReadAll(rd, p, limit)
}

var errNoFile = errors.New("no such file in the commit")
