package portfolio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/memory"
	"github.com/pmfolio/pmfolio/scaffold/crash"
)

// Repo is the git repository a portfolio lives in: its own, or an enclosing
// one when the portfolio is a folder of a bigger repository.
type Repo struct {
	repo *git.Repository
	// top is the work tree's root, gitDir its .git folder (absolute).
	top    string
	gitDir string
	// prefix is the portfolio's folder relative to top, slash-separated,
	// "" when the portfolio is the whole work tree.
	prefix string
	// blobMu serialises readBlob: go-git's object store is read by one
	// goroutine at a time.
	blobMu sync.Mutex
	// pack, while a big commit is written, holds its new objects until
	// they are written as one pack file (see packObjects).
	pack *objectPack
	// treeMu guards commitTree and trees: HEAD's trees, decoded once for
	// headBlob (commits' root trees, and trees, by id: neither changes).
	treeMu     sync.Mutex
	commitTree map[plumbing.Hash]plumbing.Hash
	trees      map[plumbing.Hash]*object.Tree
	// bg, while a commit writes its objects, holds the writes it started
	// in the background (see writeLoose).
	bg *bgWrites
	// early holds the writes started before the commit, by the address
	// of their bytes (see writeEarly).
	early map[*byte]*earlyWrite
}

// ErrNoRepo is returned when no git repository encloses the portfolio.
var ErrNoRepo = errors.New("not inside a git repository")

// OpenRepo opens the repository enclosing dir, walking up like git does.
func OpenRepo(dir string) (*Repo, error) {
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, ErrNoRepo
	}
	if err != nil {
		return nil, fmt.Errorf("open git repository: %w", err)
	}
	return newRepo(r, dir)
}

// InitRepo creates a repository at dir whose first branch is branch. The
// repository is built in a temporary folder and renamed into place as
// dir/.git, so that a crash never leaves a half-made .git that git would
// refuse; a leftover temporary folder is removed by the next init or by
// doctor --fix. If another process created dir/.git meanwhile, InitRepo
// opens that one.
func InitRepo(dir, branch string) (*Repo, error) {
	RemoveDeadInits(dir)
	tmp, err := os.MkdirTemp(dir, fmt.Sprintf("%sgit-%d-", tmpPrefix, os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("git init: %w", err)
	}
	defer os.RemoveAll(tmp)
	if _, err := git.PlainInitWithOptions(tmp, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(branch)},
	}); err != nil {
		return nil, fmt.Errorf("git init: %w", err)
	}
	crash.At("git-init")
	// rename(2) fails on an existing, non-empty .git: the first init wins.
	if err := os.Rename(filepath.Join(tmp, ".git"), filepath.Join(dir, ".git")); err != nil {
		if _, serr := os.Stat(filepath.Join(dir, ".git")); serr != nil {
			return nil, fmt.Errorf("git init: %w", err)
		}
	} else if err := syncPath(dir); err != nil {
		return nil, fmt.Errorf("git init: %w", err)
	}
	_ = os.RemoveAll(tmp)
	crash.At("git-installed")
	return OpenRepo(dir)
}

// RemoveDeadInits removes from dir the temporary repositories of inits
// that died before renaming theirs into place, or just after; the pid in
// the name tells a dead one from one still running.
func RemoveDeadInits(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, tmpPrefix+"git-*"))
	for _, m := range matches {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(m), tmpPrefix+"git-"), "-")
		if pid, err := strconv.Atoi(pidText); err == nil && !processAlive(pid) {
			_ = os.RemoveAll(m)
		}
	}
}

func newRepo(r *git.Repository, dir string) (*Repo, error) {
	st, ok := r.Storer.(*filesystem.Storage)
	if !ok {
		return nil, errors.New("git repository is not on disk")
	}
	wt, err := r.Worktree()
	if err != nil {
		return nil, fmt.Errorf("git repository has no work tree (is it bare?): %w", err)
	}
	top, err := filepath.EvalSymlinks(wt.Filesystem.Root())
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, fmt.Errorf("%s is outside the repository at %s", abs, top)
	}
	prefix := filepath.ToSlash(rel)
	if prefix == "." {
		prefix = ""
	}
	return &Repo{repo: r, top: top, gitDir: st.Filesystem().Root(), prefix: prefix}, nil
}

// Top is the work tree's root folder.
func (r *Repo) Top() string { return r.top }

// GitDir is the repository's .git folder.
func (r *Repo) GitDir() string { return r.gitDir }

// File is one file pmfolio wrote, to be committed.
type File struct {
	// Path is relative to the portfolio root, slash-separated.
	Path string
	// Data is the file's content in the work tree.
	Data []byte
	// Staged, when not nil, is what is committed instead of Data: the
	// README refreshed inside HEAD's version, when the work tree's version
	// holds the owner's uncommitted edits, which pmfolio keeps but must
	// not commit.
	Staged []byte

	// read, when set, is what the file held when this package read it to
	// make Data, under the transaction's lock (the README): Apply takes
	// it rather than reading and hashing hundreds of kilobytes again.
	read *readFile
}

// readFile is a file's content as read, and its git blob id.
type readFile struct {
	data   []byte
	exists bool
	id     plumbing.Hash
}

// committed is the content Commit records for f.
func (f File) committed() []byte {
	if f.Staged != nil {
		return f.Staged
	}
	return f.Data
}

// commit records exactly files, and the removal of removed, on the
// current branch: it writes their blobs, builds new trees from HEAD's for
// the folders they are in, and stages only their index entries. It never
// walks the work tree, so its cost does not grow with the number of
// documents, and it never stages or commits anything else the user has
// changed. Only a transaction (Tx) commits, so that every commit is
// journaled and locked.
func (r *Repo) commit(files []File, removed []string, c *CommitInfo) (plumbing.Hash, error) {
	headName, parent, err := r.head()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	var baseTree plumbing.Hash
	if !parent.IsZero() {
		head, err := object.GetCommit(r.repo.Storer, parent)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read HEAD commit: %w", err)
		}
		baseTree = head.TreeHash
	}
	if len(files)+len(removed) >= packObjects {
		r.pack = &objectPack{mem: memory.NewStorage()}
		defer func() { r.pack = nil }()
	}
	bg := &bgWrites{}
	r.bg = bg
	defer func() {
		r.bg = nil
		_ = bg.wait() // on an early return too: no write outlives the commit
	}()
	changes := make(map[string]plumbing.Hash, len(files))
	// Entries whose committed content is not the work tree's get no stat
	// data, so that git hashes the file again and sees the difference.
	unlike := map[string]bool{}
	// Files with the same content are one blob, written once: a document
	// nobody edited by hand is its own base.
	written := map[string]plumbing.Hash{}
	for _, f := range files {
		data := f.committed()
		h, ok := written[string(data)]
		if !ok {
			var err error
			if h, err = r.putObject(plumbing.BlobObject, data); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("write blob for %s: %w", f.Path, err)
			}
			written[string(data)] = h
		}
		changes[r.repoPath(f.Path)] = h
		if f.Staged != nil {
			unlike[r.repoPath(f.Path)] = true
		}
	}
	// A zero hash removes the path.
	for _, rel := range removed {
		changes[r.repoPath(rel)] = plumbing.ZeroHash
	}
	idx := r.stage(changes, unlike)
	defer idx.release()
	tree, err := r.updateTree(baseTree, "", changes)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	author := object.Signature{Name: c.Author.Name, Email: c.Author.Email, When: c.When}
	committer := author
	if c.Committer.Complete() {
		committer.Name, committer.Email = c.Committer.Name, c.Committer.Email
	}
	co := &object.Commit{Author: author, Committer: committer, Message: c.Message, TreeHash: tree}
	if !parent.IsZero() {
		co.ParentHashes = []plumbing.Hash{parent}
	}
	obj := &plumbing.MemoryObject{}
	if err := co.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	rd, _ := obj.Reader() // a MemoryObject's reader cannot fail
	raw, err := io.ReadAll(rd)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	hash, err := r.putObject(plumbing.CommitObject, raw)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write commit: %w", err)
	}
	if err := r.writeCommitPack(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write commit: %w", err)
	}
	// Every object is in place before the index or the branch names it.
	if err := bg.wait(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write commit: %w", err)
	}
	crash.At("objects-written")
	// Stage first, then move the branch: if we die in between, the index
	// holds HEAD plus the complete new files, which `git commit` or the
	// next pmfolio run finishes; never an index missing files HEAD has.
	if err := idx.install(); err != nil {
		return plumbing.ZeroHash, err
	}
	crash.At("index-written")
	if err := r.updateRef(headName, parent, hash); err != nil {
		return plumbing.ZeroHash, err
	}
	crash.At("ref-written")
	return hash, nil
}

func (r *Repo) repoPath(p string) string {
	if r.prefix == "" {
		return p
	}
	return r.prefix + "/" + p
}

// head returns the ref HEAD points at (HEAD itself when detached) and the
// commit it names (zero on an unborn branch).
func (r *Repo) head() (plumbing.ReferenceName, plumbing.Hash, error) {
	ref, err := r.repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return "", plumbing.ZeroHash, fmt.Errorf("read HEAD: %w", err)
	}
	if ref.Type() == plumbing.HashReference {
		return plumbing.HEAD, ref.Hash(), nil
	}
	name := ref.Target()
	target, err := r.repo.Storer.Reference(name)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return name, plumbing.ZeroHash, nil
	}
	if err != nil {
		return "", plumbing.ZeroHash, fmt.Errorf("read %s: %w", name, err)
	}
	return name, target.Hash(), nil
}

// packObjects is how many files a commit changes before its objects are
// written as one pack file rather than a loose file each: like git, which
// keeps a fetch of more than a hundred objects as a pack
// (transfer.unpackLimit), an upgrade of a thousand documents writes one
// file into .git, not thousands.
const packObjects = 100

// objectPack is the objects of a commit on their way to one pack file.
type objectPack struct {
	mem    *memory.Storage
	hashes []plumbing.Hash
}

// writeCommitPack writes the objects held for one pack (if any), as a pack
// file and its index, without deltas; git repacks them as it sees fit.
func (r *Repo) writeCommitPack() error {
	if r.pack == nil || len(r.pack.hashes) == 0 {
		return nil
	}
	pw, ok := r.repo.Storer.(storer.PackfileWriter)
	if !ok {
		for _, h := range r.pack.hashes {
			obj, err := r.pack.mem.EncodedObject(plumbing.AnyObject, h)
			if err != nil {
				return err
			}
			if _, err := r.repo.Storer.SetEncodedObject(obj); err != nil {
				return err
			}
		}
		return nil
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return err
	}
	if err := encodePack(w, r.pack.mem, r.pack.hashes, 0); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// putObject stores data as an object of type t: loose (writeLoose), or,
// while a big commit is written, with the objects that go into its pack.
func (r *Repo) putObject(t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	if r.pack == nil {
		return r.writeLoose(t, data)
	}
	obj := r.pack.mem.NewEncodedObject()
	obj.SetType(t)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := r.pack.mem.SetEncodedObject(obj)
	if err == nil {
		r.pack.hashes = append(r.pack.hashes, h)
	}
	return h, err
}

// updateTree returns the hash of tree base (at dir) with changes applied
// (a zero hash removes a path); only the trees on the changed paths are
// rewritten, as bytes (editTree). A folder left empty is removed: its
// hash is zero.
func (r *Repo) updateTree(base plumbing.Hash, dir string, changes map[string]plumbing.Hash) (plumbing.Hash, error) {
	var raw []byte
	if !base.IsZero() {
		var err error
		if raw, err = r.readRaw(plumbing.TreeObject, base); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read tree %s: %w", dir, err)
		}
	}
	var edits []treeEdit
	subdirs := map[string]map[string]plumbing.Hash{}
	for p, h := range changes {
		rest := strings.TrimPrefix(p, dir)
		first, _, nested := strings.Cut(rest, "/")
		if nested {
			if subdirs[first] == nil {
				subdirs[first] = map[string]plumbing.Hash{}
			}
			subdirs[first][p] = h
		} else {
			edits = append(edits, treeEdit{name: first, mode: filemode.Regular, hash: h})
		}
	}
	for name, sub := range subdirs {
		var subBase plumbing.Hash
		if h, mode, ok := findInTree(raw, name); ok && mode == filemode.Dir {
			subBase = h
		}
		h, err := r.updateTree(subBase, dir+name+"/", sub)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		edits = append(edits, treeEdit{name: name, mode: filemode.Dir, hash: h})
	}
	out, err := editTree(raw, edits)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("tree %s: %w", dir, err)
	}
	if len(out) == 0 && dir != "" {
		return plumbing.ZeroHash, nil
	}
	return r.putObject(plumbing.TreeObject, out)
}

// pendingIndex is the new index being written into index.lock on its own
// goroutine while the commit makes its trees and commit object: the index
// names the blobs, not the trees, and writing a 10,000-entry index (a
// megabyte, hashed) was a millisecond of `new` on one core while the other
// had little to do. It takes the index's place (install) only once every
// object is in place.
type pendingIndex struct {
	done chan struct{}
	lock *gitLock
	err  error
}

// stage starts writing the index with the entries of the changed paths
// replaced (those of removed paths, whose hash is zero, removed), holding
// git's own index.lock so that a concurrent git command cannot
// interleave. Only those entries are touched: see spliceIndex. changes
// and unlike must not change until install or release.
func (r *Repo) stage(changes map[string]plumbing.Hash, unlike map[string]bool) *pendingIndex {
	p := &pendingIndex{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.lock, p.err = r.writeIndexLock(changes, unlike)
	}()
	return p
}

// install renames the new index into place.
func (p *pendingIndex) install() error {
	<-p.done
	if p.err != nil {
		return p.err
	}
	return p.lock.install("index-locked")
}

// release removes index.lock unless install put it in place.
func (p *pendingIndex) release() {
	<-p.done
	if p.lock != nil {
		p.lock.release()
	}
}

// writeIndexLock writes the new index into index.lock, which it returns.
func (r *Repo) writeIndexLock(changes map[string]plumbing.Hash, unlike map[string]bool) (_ *gitLock, err error) {
	file := filepath.Join(r.gitDir, "index")
	lock, err := acquireLock(file)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.release()
		}
	}()
	// Holding index.lock, nobody that follows git's protocol replaces the
	// index while it is mapped; one that truncates it in place would make
	// reading the mapping fault, which becomes this error, not a crash.
	data, unmap, err := mapFile(file)
	if err != nil {
		return nil, fmt.Errorf("read git index: %w", err)
	}
	defer unmap()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if f, ok := r.(interface{ Addr() uintptr }); ok {
				err = fmt.Errorf("read git index: it changed while pmfolio read it (fault at %#x); run the command again", f.Addr())
				return
			}
			panic(r)
		}
	}()
	entries := make([]*index.Entry, 0, len(changes))
	drop := map[string]bool{}
	for p, h := range changes {
		if h.IsZero() {
			drop[p] = true
			continue
		}
		fi, err := os.Lstat(filepath.Join(r.top, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		e := &index.Entry{Name: p, Hash: h, Mode: filemode.Regular}
		if unlike[p] {
			e.Size = uint32(fi.Size())
		} else {
			fillStat(e, fi)
		}
		entries = append(entries, e)
	}
	// Like git (core.fsync leaves the index out by default), the index is
	// not fsynced: it is a cache of the work tree that git can rebuild, the
	// rename is atomic against a crash of the process, and syncing megabytes
	// on every document would cost more than the rest of the commit.
	//
	// It takes the old index's place by trading names (see replaceWith),
	// not by a rename over it: on ext4, renaming over a file makes the
	// rename itself allocate the new file's blocks and start writing it
	// out (auto_da_alloc), about a millisecond for the megabyte of a
	// 10,000-document index, on the command's critical path. That is what
	// keeps git's index whole through a power cut, so the same writeback is
	// started here (startWriteback), on this goroutine, beside the trees.
	lock.exchanged = "index-exchanged"
	err = lock.write(func(w io.Writer) error {
		if err := writeSplicedIndex(w, data, entries, drop); err != nil {
			return fmt.Errorf("update git index: %w", err)
		}
		return nil
	}, false)
	if err != nil {
		return nil, err // released above
	}
	return lock, nil
}

// updateRef moves ref from old to new the way git does: write ref.lock,
// check nobody moved the ref meanwhile, rename over the ref.
func (r *Repo) updateRef(name plumbing.ReferenceName, old, new plumbing.Hash) error {
	file := filepath.Join(r.gitDir, filepath.FromSlash(string(name)))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	lock, err := acquireLock(file)
	if err != nil {
		return err
	}
	defer lock.release()
	_, cur, err := r.head()
	if err != nil {
		return err
	}
	if cur != old {
		return fmt.Errorf("%s moved from %s to %s while pmfolio was committing; nothing was lost, run the command again", name.Short(), short(old), short(cur))
	}
	// Like git (core.fsync leaves references out by default), the branch
	// is not fsynced: the rename is atomic against a crash of the process.
	return lock.commit([]byte(new.String()+"\n"), false, "ref-locked")
}

func short(h plumbing.Hash) string {
	if h.IsZero() {
		return "nothing"
	}
	return h.String()[:7]
}

// gitLock is git's lock-file protocol: create NAME.lock exclusively, write
// the new content into it, rename it over NAME.
type gitLock struct {
	target string
	f      *os.File
	done   bool
	// exchanged, when set, makes install trade names with the target
	// rather than rename over it; it names the crash step between.
	exchanged string
}

// LockedError says a git lock file exists: another git or pmfolio is
// writing, or one crashed.
type LockedError struct{ Path string }

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s exists: another git process seems to be running; if none is, remove the file", e.Path)
}

func acquireLock(target string) (*gitLock, error) {
	name := target + ".lock"
	var f *os.File
	var err error
	// git holds index.lock for milliseconds; wait briefly before giving up.
	for i := 0; i < 50; i++ {
		f, err = os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if errors.Is(err, fs.ErrExist) {
		return nil, &LockedError{Path: name}
	}
	if err != nil {
		return nil, err
	}
	return &gitLock{target: target, f: f}, nil
}

// commit writes data into the lock file and renames it over the target,
// as git does; step names the crash-test step between the two.
func (l *gitLock) commit(data []byte, durable bool, step string) error {
	if err := l.write(func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, durable); err != nil {
		return err
	}
	return l.install(step)
}

// write writes the lock file's content and closes it.
func (l *gitLock) write(write func(io.Writer) error, durable bool) error {
	if err := write(l.f); err != nil {
		return err
	}
	switch {
	case durable:
		if err := l.f.Sync(); err != nil {
			return err
		}
	case l.exchanged != "":
		startWriteback(l.f)
	}
	return l.f.Close()
}

// install puts the written lock file in the target's place: renamed over
// it, or, when l.exchanged names the crash step between the two, by
// trading names and removing the old content (see writeIndexLock); step
// names the crash-test step before.
func (l *gitLock) install(step string) error {
	crash.At(step)
	lock := l.f.Name()
	if l.exchanged == "" {
		if err := os.Rename(lock, l.target); err != nil {
			return err
		}
	} else if err := replaceWith(func() error { return exchangePaths(lock, l.target) },
		func() error { return os.Rename(lock, l.target) },
		func() error { return os.Remove(lock) },
		l.target, l.exchanged, 1); err != nil {
		return err
	}
	l.done = true
	return nil
}

func (l *gitLock) release() {
	if !l.done {
		l.f.Close()
		os.Remove(l.f.Name())
	}
}
