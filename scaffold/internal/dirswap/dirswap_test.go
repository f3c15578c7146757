package dirswap

import (
	"os"
	"path/filepath"
	"testing"
)

func folder(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func holds(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Errorf("%s holds %d files, want %d", dir, len(entries), len(want))
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != data {
			t.Errorf("%s: %q (%v), want %q", name, got, err, data)
		}
	}
}

// TestReplace: the staged folder takes out's place, whether out exists
// or not, and neither the staged folder nor the old one is left beside it.
func TestReplace(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	for i, files := range []map[string]string{{"a": "first"}, {"b": "second", "c": "x"}} {
		stage := filepath.Join(parent, ".stage")
		folder(t, stage, files)
		if err := Replace(stage, out); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		holds(t, out, files)
		entries, _ := os.ReadDir(parent)
		if len(entries) != 1 {
			t.Errorf("run %d: %d entries beside the output, want it alone", i, len(entries))
		}
	}
}
