//go:build unix

package app

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestPublishAgainRewritesChangedPages: publishing again after one
// document changed gives the site a fresh build would, where every page
// that did not change is the file published before (a second name for
// it, see site's unchanged) and the changed page is a new file; the old
// site is gone, so no file keeps a second name.
func TestPublishAgainRewritesChangedPages(t *testing.T) {
	t.Parallel()
	dir := examplePortfolio(t)
	publish := func(out string) {
		t.Helper()
		if _, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish", "--out", out); code != 0 {
			t.Fatalf("publish --out %s: exit %d\n%s", out, code, stderr)
		}
	}
	inodes := func(out string) map[string]uint64 {
		t.Helper()
		got := map[string]uint64{}
		for name := range siteFiles(t, filepath.Join(dir, out)) {
			fi, err := os.Lstat(filepath.Join(dir, out, filepath.FromSlash(name)))
			if err != nil {
				t.Fatal(err)
			}
			st := fi.Sys().(*syscall.Stat_t)
			if st.Nlink != 1 {
				t.Errorf("%s/%s has %d names, want 1", out, name, st.Nlink)
			}
			got[name] = st.Ino
		}
		return got
	}
	publish("site")
	before := inodes("site")
	retro := filepath.Join(dir, "retro", "2026-03-26-suggested-matches-launch-retrospective.md")
	data, err := os.ReadFile(retro)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(data), "\n## ", "\nA line written since.\n\n## ", 1)
	if changed == string(data) {
		t.Fatal("the retro has no section to write above")
	}
	if err := os.WriteFile(retro, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	publish("site")
	publish("fresh")
	again, fresh := siteFiles(t, filepath.Join(dir, "site")), siteFiles(t, filepath.Join(dir, "fresh"))
	if len(again) != len(fresh) {
		t.Errorf("published again: %d files, a fresh build %d", len(again), len(fresh))
	}
	for name, data := range fresh {
		if !bytes.Equal(again[name], data) {
			t.Errorf("%s differs from a fresh build's\n%s", name, firstDiff(data, again[name]))
		}
	}
	if !strings.Contains(string(again["retro/2026-03-26-suggested-matches-launch-retrospective.html"]), "A line written since.") {
		t.Error("the changed retro's page does not show the change")
	}
	after := inodes("site")
	for name, ino := range after {
		same := before[name] == ino
		if want := name != "retro/2026-03-26-suggested-matches-launch-retrospective.html"; same != want {
			t.Errorf("%s: kept the file published before: %v, want %v", name, same, want)
		}
	}
	if entries, _ := os.ReadDir(dir); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return strings.HasPrefix(e.Name(), ".site") }) {
		t.Error("the old site was left beside the new one")
	}
}
