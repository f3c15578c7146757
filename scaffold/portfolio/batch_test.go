//go:build unix

package portfolio

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestBatchTradesNamesSafely writes a batch that replaces files git has
// (through the folders' spares, see trade) among new files, a file
// another name links, a symbolic link and a file of another mode, and
// checks every file's content and mode, that the other link still holds
// the old text, that a new file never replaces one, and that no
// temporary file is left behind.
func TestBatchTradesNamesSafely(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, data string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	var files []File
	replace := map[string]bool{}
	want := map[string]string{}
	for i := range 30 {
		rel := fmt.Sprintf("%s/doc-%02d.md", []string{"prd", "story"}[i%2], i)
		mode := os.FileMode(0o644)
		if i%7 == 3 {
			mode = 0o600 // the owner's own mode: the file gets a new file's
		}
		// Old contents longer and shorter than the new, so a spare
		// written over must be cut to length.
		write(rel, strings.Repeat(fmt.Sprintf("old %d\n", i), 1+i%4*20), mode)
		data := strings.Repeat(fmt.Sprintf("new %d\n", i), 1+(3-i%4)*15)
		files = append(files, File{Path: rel, Data: []byte(data)})
		replace[rel], want[rel] = true, data
	}
	// Another name links prd/doc-04.md: trading would hand the next file's
	// content to it.
	if err := os.Link(filepath.Join(dir, "prd/doc-04.md"), filepath.Join(dir, "elsewhere.md")); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	linked, _ := os.ReadFile(filepath.Join(dir, "elsewhere.md"))
	// A symbolic link replaced by a file, as rename replaces it.
	if err := os.Symlink("doc-00.md", filepath.Join(dir, "prd/link.md")); err != nil {
		t.Fatal(err)
	}
	files = append(files, File{Path: "prd/link.md", Data: []byte("was a link\n")})
	replace["prd/link.md"], want["prd/link.md"] = true, "was a link\n"
	for i := range 3 {
		rel := fmt.Sprintf("story/new-%d.md", i)
		files = append(files, File{Path: rel, Data: []byte("brand new\n")})
		want[rel] = "brand new\n"
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	created, err := writeBatch(root, files, replace, map[string]bool{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 3 {
		t.Errorf("created %v, want the 3 new files", created)
	}
	probe := filepath.Join(dir, "probe")
	if err := os.WriteFile(probe, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	newMode := mustStat(t, probe).Mode().Perm()
	for rel, data := range want {
		got, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil || string(got) != data {
			t.Errorf("%s holds %.40q (%v), want %.40q", rel, got, err, data)
			continue
		}
		fi := mustStat(t, filepath.Join(dir, rel))
		if !fi.Mode().IsRegular() {
			t.Errorf("%s is %v, want a regular file", rel, fi.Mode())
		}
		if fi.Mode().Perm() != newMode {
			t.Errorf("%s has mode %v, want a new file's %v", rel, fi.Mode().Perm(), newMode)
		}
		if n := fi.Sys().(*syscall.Stat_t).Nlink; n != 1 {
			t.Errorf("%s has %d links, want 1", rel, n)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "elsewhere.md")); string(got) != string(linked) {
		t.Errorf("the other link to prd/doc-04.md changed: %.40q", got)
	}
	for _, sub := range []string{"prd", "story"} {
		ents, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), tmpPrefix) {
				t.Errorf("temporary file %s/%s left behind", sub, e.Name())
			}
		}
	}
	// A new file never replaces one: the batch fails with an
	// *ExistsError and leaves the file as it was.
	_, err = writeBatch(root, []File{{Path: "prd/doc-00.md", Data: []byte("clobber")}}, map[string]bool{}, map[string]bool{}, nil)
	if _, ok := err.(*ExistsError); !ok {
		t.Errorf("writing over prd/doc-00.md without replace: %v, want an ExistsError", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "prd/doc-00.md")); string(got) != want["prd/doc-00.md"] {
		t.Errorf("prd/doc-00.md was overwritten: %.40q", got)
	}
}

func mustStat(t *testing.T, name string) os.FileInfo {
	t.Helper()
	fi, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}
