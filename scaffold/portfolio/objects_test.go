package portfolio

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

func testRepo(t *testing.T) *Repo {
	t.Helper()
	dir := t.TempDir()
	r, err := InitRepo(dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestLooseObjectsAsGoGitReadsThem writes objects of every size class and
// reads them back with go-git: same type, content and id as go-git's own
// hashing gives.
func TestLooseObjectsAsGoGitReadsThem(t *testing.T) {
	r := testRepo(t)
	for _, size := range []int{0, 1, 100, 70 << 10, 700 << 10} {
		data := make([]byte, size)
		rand.New(rand.NewSource(int64(size))).Read(data)
		id, err := r.writeLoose(plumbing.BlobObject, data)
		if err != nil {
			t.Fatal(err)
		}
		if want := plumbing.ComputeHash(plumbing.BlobObject, data); id != want {
			t.Fatalf("size %d: id %s, go-git computes %s", size, id, want)
		}
		if !sameBlob(id, data) || sameBlob(id, append(data, 'x')) {
			t.Errorf("size %d: sameBlob disagrees with the id", size)
		}
		obj, err := r.repo.Storer.EncodedObject(plumbing.BlobObject, id)
		if err != nil {
			t.Fatalf("size %d: go-git cannot read it: %v", size, err)
		}
		rd, _ := obj.Reader()
		got, _ := io.ReadAll(rd)
		if !bytes.Equal(got, data) {
			t.Fatalf("size %d: go-git reads other content", size)
		}
		if raw, err := r.readRaw(plumbing.BlobObject, id); err != nil || !bytes.Equal(raw, data) {
			t.Fatalf("size %d: readRaw: %v", size, err)
		}
		if _, err := r.readRaw(plumbing.TreeObject, id); err == nil {
			t.Fatalf("size %d: a blob read as a tree", size)
		}
		// Written again: nothing changes.
		if again, err := r.writeLoose(plumbing.BlobObject, data); err != nil || again != id {
			t.Fatalf("size %d: second write: %s, %v", size, again, err)
		}
	}
}

// TestReadRawReadsWhatGitWrites reads objects the git CLI wrote, loose and
// packed.
func TestReadRawReadsWhatGitWrites(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git CLI is not installed; it is the reference here")
	}
	r := testRepo(t)
	for _, packed := range []bool{false, true} {
		data := []byte(fmt.Sprintf("written by git, packed %v\n", packed))
		cmd := exec.Command("git", "-C", r.Top(), "hash-object", "-w", "--stdin")
		cmd.Stdin = bytes.NewReader(data)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if packed {
			if out, err := exec.Command("git", "-C", r.Top(), "repack", "-a", "-d", "-q").CombinedOutput(); err != nil {
				t.Fatalf("git repack: %v\n%s", err, out)
			}
			r = reopen(t, r)
		}
		id := plumbing.NewHash(strings.TrimSpace(string(out)))
		got, err := r.readRaw(plumbing.BlobObject, id)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("packed %v: %q, %v", packed, got, err)
		}
	}
}

func reopen(t *testing.T, r *Repo) *Repo {
	t.Helper()
	r2, err := OpenRepo(r.Top())
	if err != nil {
		t.Fatal(err)
	}
	return r2
}

// TestEditTreeAgreesWithGoGit applies random edits to trees of names that
// sort differently as files and as folders ("a", "a.b", "a/", "a0"...)
// and compares the bytes with go-git's encoding of the same entries,
// sorted as git sorts them; the git CLI, when installed, checks the
// trees' order itself (fsck) and lists what it reads.
func TestEditTreeAgreesWithGoGit(t *testing.T) {
	names := []string{"a", "a.b", "a-b", "a0", "ab", "b", "README.md", "story", "story.md", "x y", "é"}
	rnd := rand.New(rand.NewSource(1))
	r := testRepo(t)
	for round := 0; round < 300; round++ {
		entries := map[string]object.TreeEntry{}
		for _, n := range names {
			if rnd.Intn(2) == 0 {
				continue
			}
			mode := filemode.Regular
			if rnd.Intn(3) == 0 {
				mode = filemode.Dir
			}
			entries[n] = object.TreeEntry{Name: n, Mode: mode, Hash: plumbing.ComputeHash(plumbing.BlobObject, []byte(n+fmt.Sprint(round)))}
		}
		base := encodeTree(t, entries)
		var edits []treeEdit
		for _, n := range names {
			if rnd.Intn(4) != 0 {
				continue
			}
			mode := filemode.Regular
			if rnd.Intn(3) == 0 {
				mode = filemode.Dir
			}
			e := treeEdit{name: n, mode: mode, hash: plumbing.ComputeHash(plumbing.BlobObject, []byte(n+"edit"+fmt.Sprint(round)))}
			edits = append(edits, e)
			entries[n] = object.TreeEntry{Name: n, Mode: e.mode, Hash: e.hash}
		}
		got, err := editTree(base, edits)
		if err != nil {
			t.Fatal(err)
		}
		if want := encodeTree(t, entries); !bytes.Equal(got, want) {
			t.Fatalf("round %d: edited tree\n%q\nwant\n%q", round, got, want)
		}
		for n, e := range entries {
			if h, mode, ok := findInTree(got, n); !ok || h != e.Hash || mode != e.Mode {
				t.Fatalf("round %d: findInTree(%q) = %s %v %v", round, n, h, mode, ok)
			}
		}
		if _, _, ok := findInTree(got, "missing"); ok {
			t.Fatal("found a name the tree lacks")
		}
		if round%30 == 0 {
			gitChecksTree(t, r, got, entries)
		}
	}
}

// encodeTree is go-git's encoding of entries, sorted as git sorts them:
// a folder's name as if it ended in "/".
func encodeTree(t *testing.T, entries map[string]object.TreeEntry) []byte {
	t.Helper()
	var list []object.TreeEntry
	for _, e := range entries {
		list = append(list, e)
	}
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(list, func(i, j int) bool { return key(list[i]) < key(list[j]) })
	obj := &plumbing.MemoryObject{}
	if err := (&object.Tree{Entries: list}).Encode(obj); err != nil {
		t.Fatal(err)
	}
	rd, _ := obj.Reader()
	data, _ := io.ReadAll(rd)
	return data
}

// gitChecksTree writes tree raw into r and asks the git CLI to check and
// list it.
func gitChecksTree(t *testing.T, r *Repo, raw []byte, entries map[string]object.TreeEntry) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		return
	}
	id, err := r.writeLoose(plumbing.TreeObject, raw)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", r.Top(), "ls-tree", id.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("git ls-tree: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "\n"); n != len(entries) {
		t.Fatalf("git lists %d entries, want %d:\n%s", n, len(entries), out)
	}
	// fsck --strict checks the order of every tree, reachable or not.
	if out, err := exec.Command("git", "-C", r.Top(), "fsck", "--strict", "--no-progress", "--no-dangling").CombinedOutput(); err != nil || strings.Contains(string(out), "treeNotSorted") {
		t.Fatalf("git fsck: %v\n%s", err, out)
	}
}

// TestCommitWritesBigObjectsInTheBackground commits files big enough to
// be compressed on other goroutines (bgObjectSize): git reads the commit
// whole. A background write that fails fails the commit, before the index
// or the branch names its objects.
func TestCommitWritesBigObjectsInTheBackground(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the oracle for the objects pmfolio writes")
	}
	r := testRepo(t)
	rnd := rand.New(rand.NewSource(1))
	text := func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			fmt.Fprintf(&b, "line %d of a big document\n", rnd.Intn(1e6))
		}
		return b.Bytes()
	}
	write := func(rel string, data []byte) File {
		t.Helper()
		p := filepath.Join(r.Top(), filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return File{Path: rel, Data: data}
	}
	files := []File{write("README.md", text(600<<10)), write("prd/a.md", text(bgObjectSize)), write("prd/b.md", []byte("small\n"))}
	info := &CommitInfo{Message: "big\n", Author: Identity{"Ada", "ada@example.com"}, When: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	if _, err := r.commit(files, nil, info); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", r.Top(), "fsck", "--strict", "--no-progress").CombinedOutput(); err != nil {
		t.Fatalf("git fsck: %v\n%s", err, out)
	}
	for _, f := range files {
		out, err := exec.Command("git", "-C", r.Top(), "show", "HEAD:"+f.Path).Output()
		if err != nil || !bytes.Equal(out, f.Data) {
			t.Fatalf("git show HEAD:%s: %v, %d bytes, want %d", f.Path, err, len(out), len(f.Data))
		}
	}
	if out, _ := exec.Command("git", "-C", r.Top(), "status", "--porcelain").Output(); len(out) != 0 {
		t.Fatalf("git status after the commit:\n%s", out)
	}

	// The next big blob's object folder is taken by a file: its write
	// fails on another goroutine, and the commit with it.
	head, _ := exec.Command("git", "-C", r.Top(), "rev-parse", "HEAD").Output()
	big := write("README.md", text(300<<10))
	id := plumbing.ComputeHash(plumbing.BlobObject, big.Data).String()
	folder := filepath.Join(r.GitDir(), "objects", id[:2])
	if _, err := os.Stat(folder); err == nil {
		t.Skipf("objects/%s exists already", id[:2])
	}
	if err := os.WriteFile(folder, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.commit([]File{big}, nil, info); err == nil || !strings.Contains(err.Error(), id) {
		t.Fatalf("commit with an object that cannot be written: %v, want an error naming %s", err, id)
	}
	if now, _ := exec.Command("git", "-C", r.Top(), "rev-parse", "HEAD").Output(); string(now) != string(head) {
		t.Fatalf("the branch moved to %s after a failed write", now)
	}
}
