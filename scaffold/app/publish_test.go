package app

import (
	"bytes"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/redact"
)

// The example portfolio (examples.Build: the whole plan, each commit on
// its day) is built once; tests copy it before changing it.
var (
	exampleOnce sync.Once
	exampleDir  string
	exampleErr  string
)

// examplePortfolio returns a fresh copy of the example portfolio.
func examplePortfolio(t *testing.T) string {
	t.Helper()
	exampleOnce.Do(func() {
		exampleDir = filepath.Join(testHome, "example-portfolio")
		var log, out, errOut bytes.Buffer
		run := func(args []string, day string) int {
			f := testFactory(Streams{In: bytes.NewReader(nil), Out: &out, Err: &errOut}, exampleEnv())
			if d, err := time.Parse("2006-01-02", day); err == nil {
				f.Now = func() time.Time { return d.Add(17 * time.Hour) }
			}
			return MainWith(args, f)
		}
		answers := filepath.Join(examplesDirAbs(), "answers")
		if code := examples.Build(exampleDir, answers, &log, run); code != 0 {
			exampleErr = log.String() + errOut.String()
		}
	})
	if exampleErr != "" {
		t.Fatalf("building the example portfolio:\n%s", exampleErr)
	}
	dst := filepath.Join(t.TempDir(), "portfolio")
	copyTree(t, exampleDir, dst)
	return dst
}

// exampleEnv is the environment of the example portfolio's runs: no git
// identity (examples.Build gives its own) and no browser on PATH.
func exampleEnv() *environ.Env { return testEnv(map[string]string{"PATH": ""}) }

func examplesDirAbs() string {
	dir, _ := filepath.Abs("../../examples")
	return dir
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// siteFiles reads every file of a built site, by slash path.
func siteFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	hrefRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	idRE   = regexp.MustCompile(`\bid="([^"]*)"`)
	tagRE  = regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>`)
)

// checkLinks: every relative link of every page names a file of the site
// (an explicit index.html for the home page) and, with a fragment, an id
// of that page; nothing is linked by an absolute path, which breaks under
// a sub-path and from file://.
func checkLinks(t *testing.T, files map[string][]byte) (followed int) {
	t.Helper()
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range hrefRE.FindAllSubmatch(data, -1) {
			href := string(m[1])
			u, err := url.Parse(href)
			if err != nil {
				t.Errorf("%s: link %q does not parse", name, href)
				continue
			}
			if u.Scheme == "https" || u.Scheme == "http" || u.Scheme == "mailto" {
				continue
			}
			if u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") || strings.HasSuffix(u.Path, "/") {
				t.Errorf("%s: link %q is not relative to the page", name, href)
				continue
			}
			target := name
			if u.Path != "" {
				target = path.Join(path.Dir(name), u.Path)
			}
			page, ok := files[target]
			if !ok {
				t.Errorf("%s: link %q leads to %s, which the site lacks", name, href, target)
				continue
			}
			followed++
			if u.Fragment != "" && !slices.ContainsFunc(idRE.FindAllSubmatch(page, -1), func(id [][]byte) bool { return string(id[1]) == u.Fragment }) {
				t.Errorf("%s: link %q: %s has no id %q", name, href, target, u.Fragment)
			}
		}
	}
	return followed
}

// TestPublishExample publishes the example portfolio with the example
// redact.yaml and holds the site to its golden files: a home page with the
// person and the public documents, a page per document; every link
// resolves; no interview note, answers file, configuration or git file,
// and no tool jargon; the employer's name is nowhere, file names
// included. Regenerate with -update.
func TestPublishExample(t *testing.T) {
	t.Parallel()
	dir := examplePortfolio(t)
	copyTree(t, filepath.Join(examplesDirAbs(), "redact.yaml"), filepath.Join(dir, "redact.yaml"))
	stdout, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := strings.TrimSpace(string(stdout)); got != filepath.Join("site", "index.html") {
		t.Errorf("stdout %q, want the home page", got)
	}
	for _, want := range []string{"published 9 document(s); left out 5 private one(s)", "redacted with redact.yaml, leak check passed"} {
		if !strings.Contains(string(stderr), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(string(stderr), ".gitignore") {
		t.Errorf("init's .gitignore ignores the site, but publish says otherwise:\n%s", stderr)
	}
	files := siteFiles(t, filepath.Join(dir, "site"))
	golden := filepath.Join("testdata", "publish")
	if *update {
		os.RemoveAll(golden)
		for name, data := range files {
			p := filepath.Join(golden, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := siteFiles(t, golden)
	for name := range want {
		if _, ok := files[name]; !ok {
			t.Errorf("the site lacks %s (run with -update if intended)", name)
		}
	}
	for name, data := range files {
		w, ok := want[name]
		if !ok {
			t.Errorf("the site has %s, which the golden files lack (run with -update if intended)", name)
		} else if !bytes.Equal(w, data) {
			t.Errorf("%s differs from its golden file (run with -update if intended)\n%s", name, firstDiff(w, data))
		}
	}
	if n := checkLinks(t, files); n < 30 {
		t.Errorf("followed only %d links", n)
	}
	red, err := redact.Load(filepath.Join(dir, "redact.yaml"), "redact.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if strings.HasPrefix(name, "interview/") || !strings.HasSuffix(name, ".html") {
			t.Errorf("published %s", name)
		}
		for _, l := range red.Scan(name, data) {
			t.Errorf("leak: %v", l)
		}
		text := tagRE.ReplaceAllString(string(data), " ")
		for _, jargon := range []string{"pmfolio", "Track:", "track: ", "default pack", "90-day plan"} {
			if strings.Contains(text, jargon) {
				t.Errorf("%s shows %q", name, jargon)
			}
		}
		if m := regexp.MustCompile(`(?i)\bscore:?\s*\d|\d+/100`).FindString(text); m != "" {
			t.Errorf("%s shows a score: %q", name, m)
		}
		// Front matter is a small header, never YAML or a status.
		for _, m := range regexp.MustCompile(`<p class="meta">(.*?)</p>`).FindAllStringSubmatch(string(data), -1) {
			for _, status := range []string{"Draft", "Final", "review", "Launched", "kind:"} {
				if strings.Contains(m[1], status) {
					t.Errorf("%s: header %q shows %q", name, m[1], status)
				}
			}
		}
	}
}

// TestPublishLeakCheck: a term redaction cannot see (split by markup)
// fails the build with exit 1, naming the term and the file; nothing is
// published, and a site published before is removed too.
func TestPublishLeakCheck(t *testing.T) {
	t.Parallel()
	dir := examplePortfolio(t)
	if _, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish", "--redact", filepath.Join(examplesDirAbs(), "redact.yaml")); code != 0 {
		t.Fatalf("first publish: exit %d\n%s", code, stderr)
	}
	story := filepath.Join(dir, "story", "2026-03-16-wrong-match-spike-in-the-beta.md")
	data, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	planted := bytes.Replace(data, []byte("## Situation\n\n"), []byte("## Situation\n\nAt Tally**fin**, it began. "), 1)
	if err := os.WriteFile(story, planted, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish", "--redact", filepath.Join(examplesDirAbs(), "redact.yaml"))
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	want := `site/story/2026-03-16-wrong-match-spike-in-the-beta.html: "Tallyfin" survived redaction (split by markup)`
	if !strings.Contains(string(stderr), want) || !strings.Contains(string(stderr), "nothing was published and site was removed") {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if entries, _ := os.ReadDir(dir); slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return strings.Contains(e.Name(), "site") }) {
		t.Errorf("a site, or its staging folder, is left: %v", entries)
	}
}

// TestPublishPrivacy: private documents stay out unless asked for, and a
// document's own visibility wins over its kind's; a link to a document
// left out keeps only its text; a misspelt visibility stops the build
// before anything is written.
func TestPublishPrivacy(t *testing.T) {
	t.Parallel()
	dir := examplePortfolio(t)
	prd := filepath.Join(dir, "prd", "2026-01-26-suggested-matches-for-unmatched-payments.md")
	data, _ := os.ReadFile(prd)
	if err := os.WriteFile(prd, bytes.Replace(data, []byte("track: core\n"), []byte("track: core\nvisibility: private\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish", "--out", out); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	files := siteFiles(t, out)
	checkLinks(t, files)
	for name, data := range files {
		if strings.HasPrefix(name, "prd/") || strings.HasPrefix(name, "interview/") {
			t.Errorf("published private %s", name)
		}
		if regexp.MustCompile(`href="[^"]*suggested-matches-for-unmatched-payments`).Match(data) {
			t.Errorf("%s links the private PRD", name)
		}
	}
	retro := files["retro/2026-03-26-suggested-matches-launch-retrospective.html"]
	// The link's text is the PRD's title (links show titles).
	if !bytes.Contains(retro, []byte("Suggested matches for unmatched payments")) {
		t.Errorf("the retro lost the text of its link to the PRD")
	}
	if _, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish", "--out", out, "--include-private"); code != 0 {
		t.Fatalf("--include-private: exit %d\n%s", code, stderr)
	}
	files = siteFiles(t, out)
	if _, ok := files["interview/2026-01-09-ar-specialist-midsize-distributor.html"]; !ok {
		t.Errorf("--include-private left out the interviews: %v", slices.Sorted(mapKeys(files)))
	}
	checkLinks(t, files)
	if err := os.WriteFile(prd, bytes.Replace(data, []byte("track: core\n"), []byte("track: core\nvisibility: privat\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, out)
	_, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish", "--out", out)
	if code != ExitUsage || !strings.Contains(string(stderr), `prd/2026-01-26-suggested-matches-for-unmatched-payments.md: front matter: visibility "privat" must be public or private; nothing was published`) {
		t.Errorf("a misspelt visibility: exit %d\n%s", code, stderr)
	}
	if diff := treeDiff(before, treeState(t, out), nil); len(diff) > 0 {
		t.Errorf("a refused publish changed the site: %v", diff)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestPublishRefusals: publish never replaces a folder it did not build,
// nor the portfolio; without a browser --pdf exits 2 with the install
// hint, and the site is still built.
func TestPublishRefusals(t *testing.T) {
	t.Parallel()
	dir := examplePortfolio(t)
	mine := filepath.Join(t.TempDir(), "mine")
	if err := os.MkdirAll(mine, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{mine, dir, filepath.Dir(dir), filepath.Join(dir, ".git", "site"), filepath.Join(dir, "prd")} {
		_, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish", "--out", out)
		if code != ExitUsage || !strings.Contains(string(stderr), "refusing to build the site in") || !strings.Contains(string(stderr), "hint: ") {
			t.Errorf("--out %s: exit %d\n%s", out, code, stderr)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(mine, "notes.txt")); string(data) != "mine" {
		t.Error("publish changed a folder it did not build")
	}
	_, stderr, code := runEnv(t, exampleEnv(), "-C", dir, "publish", "--pdf")
	if code != ExitUsage || !strings.Contains(string(stderr), "no Chromium or Chrome browser found") || !strings.Contains(string(stderr), "hint: install Chromium") {
		t.Errorf("--pdf without a browser: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "site", "index.html")); err != nil {
		t.Errorf("--pdf without a browser built no site: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "site", "portfolio.pdf")); err == nil {
		t.Error("a PDF without a browser")
	}
}
