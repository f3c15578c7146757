package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWrite: the file is made (its folder too), then replaced, and no
// temporary file is left beside it.
func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sub")
	file := filepath.Join(dir, "record")
	for _, data := range []string{"first\n", "second, longer\n"} {
		if err := Write(file, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(file)
		if err != nil || string(got) != data {
			t.Errorf("read back %q (%v), want %q", got, err, data)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%d files in the folder, want the record alone", len(entries))
		}
	}
}

// TestWriteLeavesNothingOnError: a path whose folder is a file fails, and
// writes nothing.
func TestWriteLeavesNothingOnError(t *testing.T) {
	parent := t.TempDir()
	if err := os.WriteFile(filepath.Join(parent, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(filepath.Join(parent, "f", "record"), []byte("x")); err == nil {
		t.Fatal("a file under a file was written")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("%d entries, want f alone", len(entries))
	}
}
