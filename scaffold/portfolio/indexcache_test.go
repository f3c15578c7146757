package portfolio

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var cacheKinds = []KindInfo{
	{ID: "story", Name: "STAR story", Folder: "story", Month: 3, Target: 5},
	{ID: "prd", Name: "PRD", Folder: "prd", Month: 2, Target: 1},
}

func storyDoc(title, date string) []byte {
	return fmt.Appendf(nil, "---\nkind: story\ntitle: %s\ndate: \"%s\"\nstatus: Draft\n---\n# %s\n", title, date, title)
}

// refresh refreshes the README of p as new does: the index cache at cache,
// pending written, the cache saved.
func refresh(t *testing.T, p *Portfolio, cache string, pending ...Entry) string {
	t.Helper()
	p.UseIndexCache(cache)
	out, err := p.Readme(cacheKinds, pending...)
	if err != nil {
		t.Fatal(err)
	}
	var files []File
	for _, e := range pending {
		files = append(files, File{Path: e.Path, Data: storyDoc(e.Title, e.Date)})
	}
	if err := p.write(files, nil, nil); err != nil {
		t.Fatal(err)
	}
	p.SaveIndexCache()
	return string(out)
}

// age makes the saved view look written a while after everything it
// describes, as it is when the next command runs: stamps from the tick it
// was saved in are not trusted.
func age(t *testing.T, cache string) {
	t.Helper()
	later := time.Now().Add(24 * time.Hour)
	if err := os.Chtimes(cache, later, later); err != nil {
		t.Fatal(err)
	}
}

var clockTicks = 0

// tick moves the modification time of paths (under dir) on, as the
// passing of time does for a change made after the view was saved: the
// test runs faster than the file system's clock ticks.
func tick(t *testing.T, dir string, paths ...string) {
	t.Helper()
	clockTicks++
	when := time.Now().Add(time.Duration(clockTicks) * time.Minute)
	for _, p := range paths {
		if err := os.Chtimes(filepath.Join(dir, p), when, when); err != nil {
			t.Fatal(err)
		}
	}
}

func pending(title, date string) Entry {
	return Entry{Kind: "story", Title: title, Date: date, Status: "Draft", Path: "story/" + date + "-" + strings.ToLower(title) + ".md"}
}

// tamper changes the saved count of folder: if a refresh shows it, the
// refresh trusted the view instead of listing the folder.
func tamper(t *testing.T, cache, folder string, count int) {
	t.Helper()
	data, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	v := &indexView{}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
	v.Folders[folder].Count = count
	fi, _ := os.Stat(cache)
	data, _ = json.Marshal(v)
	if err := os.WriteFile(cache, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Chtimes(cache, fi.ModTime(), fi.ModTime())
}

func TestIndexCacheListsOnlyWhatChanged(t *testing.T) {
	p := testPortfolio(t)
	cache := filepath.Join(t.TempDir(), "readme-index.json")
	prd := "---\nkind: prd\ntitle: Faster invoices\ndate: \"2026-02-01\"\nstatus: Draft\n---\n# PRD\n"
	if err := p.write([]File{{Path: "prd/2026-02-01-faster-invoices.md", Data: []byte(prd)}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	refresh(t, p, cache, pending("One", "2026-03-01"))
	age(t, cache)

	// An unchanged folder is not listed again: a count tampered with in
	// the view shows.
	tamper(t, cache, "prd", 7)
	out := refresh(t, p, cache, pending("Two", "2026-03-02"))
	if !strings.Contains(out, "… and 6 more in [prd/](prd/)") {
		t.Errorf("the unchanged prd folder was listed again, or its view not used:\n%s", out)
	}
	if !strings.Contains(out, "[Two](story/2026-03-02-two.md)") || strings.Contains(out, "more in [story/]") {
		t.Errorf("the story folder's new document is missing:\n%s", out)
	}

	// A document added, and one edited in place, in a folder no command
	// writes into: both show at the next refresh.
	age(t, cache)
	tamper(t, cache, "prd", 7)
	later := "---\nkind: prd\ntitle: Second PRD\ndate: \"2026-02-09\"\nstatus: Draft\n---\n# PRD\n"
	if err := os.WriteFile(filepath.Join(p.Dir, "prd", "2026-02-09-second.md"), []byte(later), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(prd, "title: Faster invoices", "title: Faster invoices, edited", 1)
	if err := os.WriteFile(filepath.Join(p.Dir, "prd", "2026-02-01-faster-invoices.md"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	tick(t, p.Dir, "prd", "prd/2026-02-01-faster-invoices.md", "prd/2026-02-09-second.md")
	out = refresh(t, p, cache, pending("Three", "2026-03-03"))
	for _, want := range []string{"[Second PRD](prd/2026-02-09-second.md)", "[Faster invoices, edited](prd/2026-02-01-faster-invoices.md)"} {
		if !strings.Contains(out, want) {
			t.Errorf("README lacks %q after changes by hand:\n%s", want, out)
		}
	}
	if strings.Contains(out, "more in [prd/]") {
		t.Errorf("the prd folder was not listed again:\n%s", out)
	}

	// A document's title edited in place in an unchanged folder.
	age(t, cache)
	retitled := strings.Replace(later, "title: Second PRD", "title: Second PRD, renamed", 1)
	if err := os.WriteFile(filepath.Join(p.Dir, "prd", "2026-02-09-second.md"), []byte(retitled), 0o644); err != nil {
		t.Fatal(err)
	}
	tick(t, p.Dir, "prd/2026-02-09-second.md")
	out = refresh(t, p, cache, pending("Four", "2026-03-04"))
	if !strings.Contains(out, "[Second PRD, renamed](prd/2026-02-09-second.md)") {
		t.Errorf("an edited document's title is stale:\n%s", out)
	}

	// A document removed by hand.
	age(t, cache)
	if err := os.Remove(filepath.Join(p.Dir, "prd", "2026-02-09-second.md")); err != nil {
		t.Fatal(err)
	}
	tick(t, p.Dir, "prd")
	out = refresh(t, p, cache, pending("Five", "2026-03-05"))
	if strings.Contains(out, "Second PRD") || strings.Contains(out, "more in [prd/]") {
		t.Errorf("a removed document is still listed:\n%s", out)
	}
	for _, title := range []string{"One", "Two", "Three", "Four", "Five"} {
		if !strings.Contains(out, "["+title+"](story/") {
			t.Errorf("story %s is missing:\n%s", title, out)
		}
	}
}

// TestIndexCacheAddsToTheFolderWrittenInto checks that the folder a
// document is written into is not listed either when it has not changed:
// the new document is added to its view (a count tampered with in the view
// shows, plus one), and a document it replaces is not counted twice.
func TestIndexCacheAddsToTheFolderWrittenInto(t *testing.T) {
	p := testPortfolio(t)
	cache := filepath.Join(t.TempDir(), "readme-index.json")
	refresh(t, p, cache, pending("One", "2026-03-01"))
	age(t, cache)
	tamper(t, cache, "story", 40)
	out := refresh(t, p, cache, pending("Two", "2026-03-02"))
	if !strings.Contains(out, "… and 39 more in [story/](story/)") || strings.Index(out, "[Two](story/2026-03-02-two.md)") > strings.Index(out, "[One](story/2026-03-01-one.md)") {
		t.Errorf("the story folder was listed, or its view not used:\n%s", out)
	}
	age(t, cache)
	p.UseIndexCache(cache)
	again, err := p.Readme(cacheKinds, pending("Two", "2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(again), "… and 39 more in [story/](story/)") {
		t.Errorf("a document written again is counted twice:\n%s", again)
	}
	// Changed by hand: listed, and right again.
	if err := os.WriteFile(filepath.Join(p.Dir, "story", "2026-03-05-by-hand.md"), storyDoc("By hand", "2026-03-05"), 0o644); err != nil {
		t.Fatal(err)
	}
	tick(t, p.Dir, "story")
	out = refresh(t, p, cache, pending("Three", "2026-03-03"))
	if strings.Contains(out, "more in [story/]") || !strings.Contains(out, "[By hand](story/2026-03-05-by-hand.md)") || !strings.Contains(out, "[Three](story/2026-03-03-three.md)") {
		t.Errorf("a folder changed by hand was not listed again:\n%s", out)
	}
}

func TestIndexCacheDistrustsRacyAndBrokenViews(t *testing.T) {
	p := testPortfolio(t)
	cache := filepath.Join(t.TempDir(), "readme-index.json")
	prd := "---\nkind: prd\ntitle: Faster invoices\ndate: \"2026-02-01\"\nstatus: Draft\n---\n# PRD\n"
	if err := p.write([]File{{Path: "prd/2026-02-01-faster-invoices.md", Data: []byte(prd)}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	refresh(t, p, cache, pending("One", "2026-03-01"))

	// Saved in the same tick as the folder last changed: a change in that
	// tick could hide behind the stamp, so the folder is listed.
	fi, err := os.Stat(filepath.Join(p.Dir, "prd"))
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, cache, "prd", 7)
	if err := os.Chtimes(cache, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	out := refresh(t, p, cache, pending("Two", "2026-03-02"))
	if strings.Contains(out, "more in [prd/]") {
		t.Errorf("a racily clean folder was trusted:\n%s", out)
	}

	// A view cut short by a crash, or of another portfolio, is rebuilt.
	for _, bad := range []string{`{"version":1,"dir":`, `{"version":1,"dir":"/elsewhere","folders":{"prd":{"count":7}}}`, "\x00\x00"} {
		if err := os.WriteFile(cache, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		age(t, cache)
		out = refresh(t, p, cache)
		if strings.Contains(out, "more in") || !strings.Contains(out, "[Faster invoices](prd/") || !strings.Contains(out, "[Two](story/") {
			t.Errorf("view %q: README:\n%s", bad, out)
		}
	}
	// And it is whole again afterwards.
	data, _ := os.ReadFile(cache)
	if err := json.Unmarshal(data, &indexView{}); err != nil {
		t.Errorf("the rebuilt view does not parse: %v\n%s", err, data)
	}
}
