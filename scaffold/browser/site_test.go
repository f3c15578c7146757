package browser_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/scaffold/app"
	"github.com/pmfolio/pmfolio/scaffold/browser"
	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// TestPublishedSiteInABrowser opens the example portfolio's published
// site (redacted with examples/redact.yaml, printed with --pdf) from
// file:// in headless Chromium: it follows every link from the home page,
// reads the console of every page (no error, no warning), runs axe-core
// on every page (no serious or critical violation), and checks the PDFs:
// one page or more per document, and no redacted term in their text
// (pdftotext). Debian's chromium-headless-shell and poppler-utils, and
// axe-core from npm, are what it needs; .ci/run installs them. Without
// them it says so and skips.
func TestPublishedSiteInABrowser(t *testing.T) {
	env := environ.New(os.Environ())
	exe, err := browser.Find(env)
	if err != nil {
		t.Skipf("no browser to open the site in: %v (.ci/run installs chromium-headless-shell)", err)
	}
	axe := installAxe(t)
	site, docs := publishExample(t, env)

	b, err := browser.Start(context.Background(), exe, env)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := b.Context()
	var mu sync.Mutex
	var console []string
	listen, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		for m, err := range chromedp.Console(listen) {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, fmt.Sprintf("%s: %s (%s)", m.Type, m.Text, m.URL))
			mu.Unlock()
		}
	}()

	home := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(site, "index.html"))}).String()
	seen := map[string]bool{home: true}
	queue := []string{home}
	followed, pdfLinks, external := 0, 0, map[string]bool{}
	var violations []string
	for len(queue) > 0 {
		page := queue[0]
		queue = queue[1:]
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		if err := chromedp.Do(pctx, chromedp.Navigate(page)); err != nil {
			cancel()
			t.Errorf("open %s: %v", page, err)
			continue
		}
		title, err := chromedp.Run(pctx, chromedp.Title())
		if err != nil || strings.TrimSpace(title) == "" {
			t.Errorf("%s has no title (%v)", page, err)
		}
		links, err := chromedp.Run(pctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('a[href]'), a => a.href)`))
		if err != nil {
			t.Errorf("%s: read links: %v", page, err)
		}
		for _, l := range links {
			u, err := url.Parse(l)
			if err != nil {
				t.Errorf("%s: link %q", page, l)
				continue
			}
			if u.Scheme != "file" {
				external[l] = true
				continue
			}
			followed++
			frag := u.Fragment
			u.Fragment = ""
			target := u.String()
			if _, err := os.Stat(u.Path); err != nil {
				t.Errorf("%s: link %s leads nowhere", page, l)
				continue
			}
			if frag != "" {
				has, err := chromedp.Run(pctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.location.href.split('#')[0] !== %q || document.getElementById(%q) !== null`, target, frag)))
				if err == nil && !has {
					t.Errorf("%s: link %s: no element with id %q", page, l, frag)
				}
			}
			if !strings.HasSuffix(u.Path, ".html") {
				// A PDF downloads rather than opens: that it exists is
				// what a link needs.
				pdfLinks++
				continue
			}
			if !seen[target] {
				seen[target] = true
				queue = append(queue, target)
			}
		}
		violations = append(violations, runAxe(t, pctx, page, axe)...)
		cancel()
	}
	stop()
	t.Logf("pages opened: %d; links followed: %d (%d to PDFs); external links (not followed, no network): %d", len(seen), followed, pdfLinks, len(external))
	if len(seen) != docs+1 {
		t.Errorf("reached %d pages from the home page; the site has %d documents and the home page", len(seen), docs)
	}
	mu.Lock()
	t.Logf("console messages: %d", len(console))
	for _, c := range console {
		t.Errorf("console: %s", c)
	}
	mu.Unlock()
	t.Logf("axe-core: %d violation(s) of any impact on %d pages", len(violations), len(seen))
	for _, v := range violations {
		if strings.HasPrefix(v, "serious") || strings.HasPrefix(v, "critical") {
			t.Errorf("axe: %s", v)
		} else {
			t.Logf("axe (%s)", v)
		}
	}
	checkPDFs(t, site, docs)
}

// publishExample builds the example portfolio and publishes it redacted,
// with PDFs; it returns the site's folder and how many documents it has.
func publishExample(t *testing.T, env *environ.Env) (string, int) {
	t.Helper()
	repo, _ := filepath.Abs("../..")
	dir := filepath.Join(t.TempDir(), "portfolio")
	home := t.TempDir()
	env = env.With("HOME", home).With("XDG_CONFIG_HOME", filepath.Join(home, ".config")).
		With("XDG_STATE_HOME", filepath.Join(home, ".state")).With("XDG_CACHE_HOME", filepath.Join(home, ".cache")).With("GIT_CONFIG_NOSYSTEM", "1")
	var log, out, errOut bytes.Buffer
	run := func(args []string, day string) int {
		f := &app.Factory{Streams: app.Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Env: env, Now: time.Now}
		if d, err := time.Parse("2006-01-02", day); err == nil {
			f.Now = func() time.Time { return d.Add(17 * time.Hour) }
		}
		return app.MainWith(args, f)
	}
	if code := examples.Build(dir, filepath.Join(repo, "examples", "answers"), &log, run); code != 0 {
		t.Fatalf("example portfolio: exit %d\n%s%s", code, log.String(), errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"pmfolio", "-C", dir, "publish", "--redact", filepath.Join(repo, "examples", "redact.yaml"), "--pdf"}, ""); code != 0 {
		t.Fatalf("publish: exit %d\n%s", code, errOut.String())
	}
	m := regexp.MustCompile(`published (\d+) document`).FindStringSubmatch(errOut.String())
	if m == nil {
		t.Fatalf("publish said:\n%s", errOut.String())
	}
	var n int
	fmt.Sscan(m[1], &n)
	return filepath.Join(dir, "site"), n
}

// installAxe installs axe-core with npm into a temporary folder and
// returns its script; it skips the test when npm cannot.
func installAxe(t *testing.T) string {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed: axe-core cannot be installed (.ci/run installs npm)")
	}
	dir := t.TempDir()
	cmd := exec.Command(npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", dir, "axe-core@4")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("npm install axe-core failed (no registry?): %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Skipf("axe-core installed without axe.min.js: %v", err)
	}
	return string(data)
}

// runAxe runs axe-core on the open page and returns its violations as
// "impact id (n nodes): help".
func runAxe(t *testing.T, ctx context.Context, page, axe string) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Errorf("%s: load axe-core: %v", page, err)
		return nil
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document).then(r => JSON.stringify({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length}))}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("%s: run axe-core: %v", page, err)
		return nil
	}
	var res struct {
		Passes     int
		Violations []struct {
			ID, Impact, Help string
			Nodes            int
		}
	}
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatal(err)
	}
	if res.Passes < 5 {
		t.Errorf("%s: axe-core passed only %d rules: did it run?", page, res.Passes)
	}
	var out []string
	for _, v := range res.Violations {
		out = append(out, fmt.Sprintf("%s %s (%d nodes): %s, on %s", v.Impact, v.ID, v.Nodes, v.Help, filepath.Base(page)))
	}
	return out
}

// checkPDFs: portfolio.pdf has a page or more per document (and the home
// page), every document has its own PDF, and no PDF's text holds a
// redacted term.
func checkPDFs(t *testing.T, site string, docs int) {
	t.Helper()
	pdfs, _ := filepath.Glob(filepath.Join(site, "*", "*.pdf"))
	if len(pdfs) != docs {
		t.Errorf("%d document PDFs for %d documents", len(pdfs), docs)
	}
	all := filepath.Join(site, "portfolio.pdf")
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: the PDFs' text is not checked (.ci/run installs it)")
	}
	pages := map[string]int{}
	for _, p := range append(pdfs, all) {
		out, err := exec.Command("pdfinfo", p).Output()
		if err != nil {
			t.Errorf("pdfinfo %s: %v", p, err)
			continue
		}
		m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
		if m == nil {
			t.Errorf("pdfinfo %s:\n%s", p, out)
			continue
		}
		var n int
		fmt.Sscan(string(m[1]), &n)
		pages[filepath.Base(p)] = n
		if n < 1 {
			t.Errorf("%s has no page", p)
		}
		text, err := exec.Command("pdftotext", p, "-").Output()
		if err != nil {
			t.Errorf("pdftotext %s: %v", p, err)
		}
		for _, term := range []string{"tallyfin", "project lantern"} {
			if strings.Contains(strings.ToLower(string(text)), term) {
				t.Errorf("%s's text holds %q", p, term)
			}
		}
	}
	if pages["portfolio.pdf"] < docs+1 {
		t.Errorf("portfolio.pdf has %d pages for %d documents and the home page", pages["portfolio.pdf"], docs)
	}
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, fmt.Sprintf("%s %d", n, pages[n]))
	}
	sort.Strings(names)
	t.Logf("PDF pages: %s", strings.Join(names, ", "))
}
