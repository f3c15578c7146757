package portfolio

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"hash/adler32"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

func TestAdler32Combine(t *testing.T) {
	rnd := rand.New(rand.NewSource(7))
	for i := 0; i < 200; i++ {
		data := make([]byte, rnd.Intn(300000))
		rnd.Read(data)
		if i%3 == 0 {
			for j := range data {
				data[j] = 0xff // the sums' largest values
			}
		}
		cut := 0
		if len(data) > 0 {
			cut = rnd.Intn(len(data) + 1)
		}
		a, b := adler32.Checksum(data[:cut]), adler32.Checksum(data[cut:])
		if got, want := adler32Combine(a, b, int64(len(data)-cut)), adler32.Checksum(data); got != want {
			t.Fatalf("%d bytes cut at %d: combined %08x, want %08x", len(data), cut, got, want)
		}
	}
}

// readmeVersions makes versions of a README as `new` does: the index at
// the top changes, the owner's long text below it does not.
func readmeVersions(n int) [][]byte {
	rnd := rand.New(rand.NewSource(3))
	var owner bytes.Buffer
	for owner.Len() < 400<<10 {
		fmt.Fprintf(&owner, "- [note %d](story/2026-01-%02d-note-%d.md)\n", rnd.Intn(1e6), rnd.Intn(28)+1, rnd.Intn(1e6))
	}
	var out [][]byte
	for v := 0; v < n; v++ {
		var b bytes.Buffer
		b.WriteString("# Portfolio\n\n<!-- begin -->\n")
		for i := 0; i < 40+v; i++ {
			fmt.Fprintf(&b, "- document %d of version %d\n", i, v)
		}
		b.WriteString("<!-- end -->\n")
		b.Write(owner.Bytes())
		out = append(out, b.Bytes())
	}
	return out
}

// inflate reads a loose object file with the standard library's zlib,
// which checks the Adler-32: what git's inflate does.
func inflate(t *testing.T, r *Repo, id plumbing.Hash) []byte {
	t.Helper()
	name := id.String()
	raw, err := os.ReadFile(filepath.Join(r.GitDir(), "objects", name[:2], name[2:]))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("object %s: %v", name, err)
	}
	return got
}

// TestTailReusedFromThePreviousObject writes versions of a README, each
// the previous one's successor, and checks that every object is the
// blob's exact zlib stream (the standard library's inflate, go-git and
// the git CLI read it), that from the second version on the owner's text
// is not compressed again but copied from the previous object, and that
// a record that no longer matches (torn, or its object packed away) only
// costs a full compression.
func TestTailReusedFromThePreviousObject(t *testing.T) {
	r := testRepo(t)
	if err := os.MkdirAll(filepath.Join(r.GitDir(), stateFolder), 0o755); err != nil {
		t.Fatal(err)
	}
	versions := readmeVersions(6)
	var prev *readFile
	var ids []plumbing.Hash
	for v, data := range versions {
		switch v {
		case 3:
			// A torn record: ignored.
			rec, _ := os.ReadFile(r.tailPath())
			rec[30] ^= 1
			os.WriteFile(r.tailPath(), rec, 0o644)
		case 5:
			// The previous object is gone from the loose store (git gc
			// packed it): the next one is compressed whole.
			name := ids[4].String()
			os.Remove(filepath.Join(r.GitDir(), "objects", name[:2], name[2:]))
		}
		id, header := objectID(plumbing.BlobObject, data)
		reused, err := r.writeWithTail(id, header, data, prev)
		if err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		if want := plumbing.ComputeHash(plumbing.BlobObject, data); id != want {
			t.Fatalf("version %d: id %s, want %s", v, id, want)
		}
		got := inflate(t, r, id)
		if want := append(append([]byte{}, header...), data...); !bytes.Equal(got, want) {
			t.Fatalf("version %d: the object inflates to other bytes (%d, want %d)", v, len(got), len(want))
		}
		if raw, err := r.readRaw(plumbing.BlobObject, id); err != nil || !bytes.Equal(raw, data) {
			t.Fatalf("version %d: go-git reads it back: %v", v, err)
		}
		rec, _ := os.ReadFile(r.tailPath())
		after, ok := decodeTailSegment(rec)
		if v > 0 && (!ok || after.ID != id) {
			t.Fatalf("version %d: no record of its tail", v)
		}
		if wantReused := v == 2 || v == 4; reused != wantReused {
			t.Errorf("version %d: tail reused %v, want %v", v, reused, wantReused)
		}
		if v > 0 {
			// The segment the record names is the tail, compressed on
			// its own: it inflates without anything before it.
			name := id.String()
			file, _ := os.ReadFile(filepath.Join(r.GitDir(), "objects", name[:2], name[2:]))
			if int64(len(file)) != after.Size {
				t.Fatalf("version %d: record says %d bytes, file has %d", v, after.Size, len(file))
			}
			seg, err := io.ReadAll(flateReader(file[after.Offset : after.Size-4]))
			if err != nil || !bytes.Equal(seg, data[int64(len(data))-after.Tail:]) {
				t.Fatalf("version %d: the tail's segment does not inflate to the tail: %v", v, err)
			}
		}
		ids = append(ids, id)
		prev = &readFile{data: data, exists: true, id: id}
	}
	if _, err := exec.LookPath("git"); err == nil {
		for v, id := range ids[:4] {
			out, err := exec.Command("git", "-C", r.Top(), "cat-file", "blob", id.String()).Output()
			if err != nil || !bytes.Equal(out, versions[v]) {
				t.Fatalf("git cat-file blob of version %d: %v", v, err)
			}
		}
	} else {
		t.Log("git is not installed: only go-git and the standard library read the objects")
	}

	// A tail shorter than minTail, or no previous version: one segment,
	// and the record is left as it was.
	rec, _ := os.ReadFile(r.tailPath())
	small := append([]byte("changed\n"), versions[0][len(versions[0])-100:]...)
	id, header := objectID(plumbing.BlobObject, small)
	if reused, err := r.writeWithTail(id, header, small, prev); err != nil || reused {
		t.Fatal(reused, err)
	}
	if got := inflate(t, r, id); !bytes.Equal(got[len(header):], small) {
		t.Fatal("a small blob inflates to other bytes")
	}
	if now, _ := os.ReadFile(r.tailPath()); !bytes.Equal(now, rec) {
		t.Error("a blob without a long shared tail changed the record")
	}
}

func TestSharedTail(t *testing.T) {
	a := bytes.Repeat([]byte("abcdefgh"), 5000)
	for _, c := range []struct {
		a, b []byte
		want int
	}{
		{a, a, len(a)},
		{a, append([]byte("x"), a...), len(a)},
		{append([]byte("x"), a...), append([]byte("y"), a...), len(a)},
		{a, append(append([]byte{}, a...), 'z'), 0},
		{nil, a, 0},
		{[]byte("one tail"), []byte("two tail"), 5},
	} {
		if got := sharedTail(c.a, c.b); got != c.want {
			t.Errorf("sharedTail(%d bytes, %d bytes) = %d, want %d", len(c.a), len(c.b), got, c.want)
		}
	}
}

func flateReader(b []byte) io.Reader { return flate.NewReader(bytes.NewReader(b)) }

// TestReadmeRefreshReusesTheTail commits README refreshes through the
// transaction, as `new` does (the file carrying the README it was made
// from, as ReadmeUpdate hands it over), under a long text of the owner's:
// each commit is what the git CLI reads back and what the work tree
// holds, the record names HEAD's README, and from the second refresh on,
// the README's object copies the owner's text compressed from the one
// before.
func TestReadmeRefreshReusesTheTail(t *testing.T) {
	p, apply, git := txRepo(t)
	versions := readmeVersions(5)
	if err := os.WriteFile(filepath.Join(p.Dir, ReadmeFile), versions[0], 0o644); err != nil {
		t.Fatal(err)
	}
	apply(Change{What: "owner's README", Files: []File{{Path: ReadmeFile, Data: versions[0]}}, Replace: map[string]bool{ReadmeFile: true}})
	reused := tailsReused.Load()
	for i, data := range versions[1:] {
		prev := versions[i]
		rel := fmt.Sprintf("story/2026-03-0%d-story.md", i+1)
		readme := File{Path: ReadmeFile, Data: data, read: &readFile{data: prev, exists: true, id: blobID(prev)}}
		apply(Change{What: "new story", Files: []File{{Path: rel, Data: []byte("# Story\n")}, readme}, Replace: map[string]bool{ReadmeFile: true}})
		head := strings.TrimSpace(git("rev-parse", "HEAD:"+ReadmeFile))
		if got := git("show", "HEAD:"+ReadmeFile); got != string(data) {
			t.Fatalf("refresh %d: HEAD's README is not the work tree's", i)
		}
		rec, _ := os.ReadFile(filepath.Join(p.Dir, ".git", stateFolder, tailFile))
		if seg, ok := decodeTailSegment(rec); !ok || seg.ID.String() != head {
			t.Fatalf("refresh %d: the record names %s, HEAD's README is %s", i, seg.ID, head)
		}
	}
	// The first refresh writes the tail on its own; the three after it
	// copy it.
	if n := tailsReused.Load() - reused; n != 3 {
		t.Errorf("%d refreshes copied the tail, want 3", n)
	}
	git("fsck", "--strict", "--no-progress")
	if out := git("status", "--porcelain"); out != "" {
		t.Errorf("git status after the refreshes:\n%s", out)
	}
}
