package portfolio

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func testPortfolio(t *testing.T) *Portfolio {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "port")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := New(dir, &Config{Version: 1, Name: "Ada", Role: "PM", Track: "core", Start: "2026-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestWriteNeverOverwritesAndRollsBack(t *testing.T) {
	p := testPortfolio(t)
	if err := p.write([]File{{Path: "prd/a.md", Data: []byte("first")}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	err := p.write([]File{{Path: "prd/b.md", Data: []byte("new")}, {Path: "prd/a.md", Data: []byte("second")}}, nil, nil)
	var ee *ExistsError
	if !errors.As(err, &ee) || ee.Path != "prd/a.md" {
		t.Fatalf("got %v, want ExistsError for prd/a.md", err)
	}
	if data, _ := p.ReadFile("prd/a.md"); string(data) != "first" {
		t.Errorf("prd/a.md is %q", data)
	}
	if p.Exists("prd/b.md") {
		t.Error("the file written before the failure was not rolled back")
	}
	if err := p.write([]File{{Path: "prd/a.md", Data: []byte("second")}}, map[string]bool{"prd/a.md": true}, nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := p.ReadFile("prd/a.md"); string(data) != "second" {
		t.Errorf("replace: prd/a.md is %q", data)
	}
	entries, _ := os.ReadDir(filepath.Join(p.Dir, "prd"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestWriteStaysInsideThePortfolio(t *testing.T) {
	p := testPortfolio(t)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(p.Dir, "link")); err != nil {
		t.Skip("no symlinks here")
	}
	for _, bad := range []string{"../escape.md", "link/escape.md", "/tmp/abs.md"} {
		if err := p.write([]File{{Path: bad, Data: []byte("x")}}, nil, nil); err == nil {
			t.Errorf("wrote %s", bad)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("a write escaped through the symlink: %v", entries)
	}
}

// TestReadmeKeepsOwnerTextAndStaysBounded: the README is the portfolio's
// front page: the person, then the documents best first (pmfolio.yaml's
// order, then newest first) with their kind, date and summary, at most
// RecentPerKind of a kind and a count of the rest; private kinds and
// documents are counted or left out, never linked; the owner's text
// around the markers stays.
func TestReadmeKeepsOwnerTextAndStaysBounded(t *testing.T) {
	p := testPortfolio(t)
	p.Config.Role = "Product Manager"
	p.Config.Profile = &Profile{About: "Engineer turned PM.", Links: []ProfileLink{{Label: "Site", URL: "https://example.com/me"}}}
	p.Config.Publish = &PublishConfig{Order: []string{"story/2026-03-01-s.md"}}
	kinds := []KindInfo{
		{ID: "story", Name: "STAR story", Folder: "story", Month: 3, Target: 5, Summary: "Headline"},
		{ID: "interview", Name: "User interview note", Folder: "interview", Month: 1, Target: 5, Visibility: "private"},
	}
	var files []File
	for i := 0; i < RecentPerKind+3; i++ {
		rel := fmt.Sprintf("story/2026-03-%02d-s.md", i+1)
		doc := fmt.Sprintf("---\nkind: story\ntitle: Story %d\ndate: \"2026-03-%02d\"\nstatus: Draft\n---\n# Story %d\n\n## Headline\n\nI did %d things.\n", i, i+1, i, i)
		files = append(files, File{Path: rel, Data: []byte(doc)})
	}
	files = append(files,
		File{Path: "story/2026-03-31-secret.md", Data: []byte("---\nkind: story\ntitle: Secret\ndate: \"2026-03-31\"\nvisibility: private\n---\n# Secret\n")},
		File{Path: "interview/2026-01-07-ada.md", Data: []byte("---\nkind: interview\ntitle: Ada\ndate: \"2026-01-07\"\n---\n# Ada\n")},
		File{Path: "story/README.md", Data: []byte("# about stories\n")})
	if err := p.write(files, nil, nil); err != nil {
		t.Fatal(err)
	}
	old := "# My portfolio\n\nWritten by me.\n\n" + beginMarker + "\nstale\n" + endMarker + "\n\nFooter by me.\n"
	if err := p.write([]File{{Path: ReadmeFile, Data: []byte(old)}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	pending := Entry{Kind: "story", Title: "Pending | one", Date: "2026-04-01", Status: "Draft", Path: "story/2026-04-01-pending.md", Summary: "Pending summary."}
	out, err := p.Readme(kinds, pending)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		"# My portfolio\n\nWritten by me.\n\n",
		"\n\nFooter by me.\n",
		"**Product Manager**\n\nEngineer turned PM.\n\n[Site](https://example.com/me)\n\n## Work\n",
		"\n### [Story 0](story/2026-03-01-s.md)\n\nSTAR story · 1 March 2026\n\nI did 0 things.\n\n### [Pending \\| one](story/2026-04-01-pending.md)\n\nSTAR story · 1 April 2026\n\nPending summary.\n\n### [Story 12](story/2026-03-13-s.md)\n",
		"\n… and 4 more in [story/](story/)\n",
		"\nAlso in this repository, kept out of the published site: 1 user interview note in [interview/](interview/).\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("README lacks %q:\n%s", want, s)
		}
	}
	for _, not := range []string{"stale", "about stories", "Story 3]", "Secret", "Ada", "Draft", "Track", "90-day"} {
		if strings.Contains(s, not) {
			t.Errorf("README has %q:\n%s", not, s)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for name, c := range map[string]struct{ yaml, want string }{
		"unknown key": {"version: 1\nname: A\ncolour: red\n", `pmfolio.yaml:3: unknown key "colour"`},
		"bad track":   {"version: 1\ntrack: sales\n", `track "sales" must be core or technical`},
		"bad start":   {"version: 1\nstart: soon\n", `start "soon" is not a date`},
		"future":      {"version: 9\n", "newer than this pmfolio understands"},
		"half author": {"version: 1\nauthor: {name: A}\n", "author needs both name and email"},
		"binary":      {"version: 1\nname: \xff\n", "pmfolio.yaml:2: not valid UTF-8"},
	} {
		_, err := ParseConfig("pmfolio.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
	c, err := ParseConfig("pmfolio.yaml", []byte("version: 1\nname: A\n"))
	if err != nil || c.Track != "core" {
		t.Errorf("defaults: %+v %v", c, err)
	}
}

func TestFindRootWalksUp(t *testing.T) {
	p := testPortfolio(t)
	if err := os.WriteFile(filepath.Join(p.Dir, ConfigFile), p.Config.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(p.Dir, "prd", "deeper")
	os.MkdirAll(deep, 0o755)
	got, err := FindRoot(deep)
	if err != nil || got != p.Dir {
		t.Errorf("FindRoot = %q, %v", got, err)
	}
	var nf *NotFoundError
	if _, err := FindRoot(t.TempDir()); !errors.As(err, &nf) {
		t.Errorf("outside: %v", err)
	}
}

// TestReplaceTradesNames replaces files as a rename over them would, by
// exchanging names and removing the old file (replaceWith): the new
// content in place with a new inode, no second name left, no temporary
// file; a folder in the way is refused and kept whole; a file that did
// not exist is created.
func TestReplaceTradesNames(t *testing.T) {
	p := testPortfolio(t)
	if err := p.write([]File{{Path: "prd/a.md", Data: []byte("first")}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(filepath.Join(p.Dir, "prd", "a.md"))
	if err != nil {
		t.Fatal(err)
	}
	replace := map[string]bool{"prd/a.md": true, "prd/new.md": true, "prd/dir.md": true}
	if err := p.write([]File{{Path: "prd/a.md", Data: []byte("second, longer")}, {Path: "prd/new.md", Data: []byte("new")}}, replace, nil); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(filepath.Join(p.Dir, "prd", "a.md"))
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := p.ReadFile("prd/a.md"); string(data) != "second, longer" {
		t.Errorf("prd/a.md is %q", data)
	}
	if data, _ := p.ReadFile("prd/new.md"); string(data) != "new" {
		t.Errorf("prd/new.md is %q", data)
	}
	if os.SameFile(before, after) {
		t.Error("the file was written in place, not replaced")
	}
	if err := os.MkdirAll(filepath.Join(p.Dir, "prd", "dir.md", "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := p.write([]File{{Path: "prd/dir.md", Data: []byte("over a folder")}}, replace, nil); err == nil {
		t.Error("a file replaced a folder")
	}
	if fi, err := os.Stat(filepath.Join(p.Dir, "prd", "dir.md", "inside")); err != nil || !fi.IsDir() {
		t.Errorf("the folder in the way was not kept: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(p.Dir, "prd"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"a.md", "dir.md", "new.md"}; !slices.Equal(names, want) {
		t.Errorf("prd holds %q, want %q", names, want)
	}
}
