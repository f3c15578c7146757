package pack

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCache(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	files := []File{{Path: ManifestFile, Data: []byte("name: x\n")}, {Path: "a/b.md.tmpl", Data: []byte("b")}}
	digest, err := c.Put(files)
	if err != nil {
		t.Fatal(err)
	}
	if digest != Digest(files) {
		t.Errorf("digest %s, want %s", digest, Digest(files))
	}
	got, ok, err := c.Read(digest, "x")
	if err != nil || !ok || Digest(got) != digest {
		t.Fatalf("read back: %v %v", ok, err)
	}
	// An entry whose bytes changed is not served, and Put heals it.
	entry, _ := c.entry(digest)
	os.WriteFile(filepath.Join(entry, "a", "b.md.tmpl"), []byte("tampered"), 0o644)
	if _, ok, err := c.Read(digest, "x"); ok || err != nil {
		t.Errorf("tampered entry served: %v %v", ok, err)
	}
	if _, err := c.Put(files); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Read(digest, "x"); !ok {
		t.Error("Put did not heal the entry")
	}
	if _, ok, err := c.Read(Digest(nil), "x"); ok || err != nil {
		t.Errorf("missing entry: %v %v", ok, err)
	}
	if _, _, err := c.Read("sha256:../../etc", "x"); err == nil {
		t.Error("a digest that is a path was accepted")
	}
}

func TestCheckFilesRefusesCraftedNames(t *testing.T) {
	for _, name := range []string{"../x", "/abs", "a/.git/config", "a\\b", "con.md", "a//b", ".gitmodules"} {
		err := CheckFiles([]File{{Path: name}}, "src")
		var re *RefusedError
		if !errors.As(err, &re) || re.File != name || re.Pack != "src" {
			t.Errorf("%q: got %v", name, err)
		}
	}
}
