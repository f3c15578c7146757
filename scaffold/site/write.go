package site

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/internal/dirswap"
)

// run builds the site aside, checks it for leaks and swaps it in.
func (b *build) run() (err error) {
	parent := filepath.Dir(b.out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	// Beside the output, so that the swap is a rename on one file system;
	// hidden, so that nothing reads it as part of the portfolio.
	b.stage, err = os.MkdirTemp(parent, "."+filepath.Base(b.out)+".pmfolio-")
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer func() {
		if b.stage != "" {
			os.RemoveAll(b.stage)
		}
	}()
	if err := os.Chmod(b.stage, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(b.stage)
	if err != nil {
		return err
	}
	defer root.Close()
	if isSite(b.out) {
		if b.parent, err = os.OpenRoot(parent); err == nil {
			defer b.parent.Close()
			if b.prev, err = os.OpenRoot(b.out); err == nil {
				defer b.prev.Close()
			}
		}
	}
	if err := b.writeDocuments(root); err != nil {
		return err
	}
	if b.req.PDF {
		b.printPDFs(root)
	}
	if err := b.writeIndex(root); err != nil {
		return err
	}
	if err := b.leakCheck(); err != nil {
		return err
	}
	if err := b.ctx.Err(); err != nil {
		return err
	}
	if err := dirswap.Replace(b.stage, b.out); err != nil {
		return fmt.Errorf("publish: put the site in place: %w", err)
	}
	b.stage = ""
	b.checkIgnored()
	return nil
}

// cards are the documents as the home page lists them; href links each.
func (b *build) cards(href func(d *document) string) []cardView {
	out := make([]cardView, 0, len(b.sel.docs))
	for _, d := range b.sel.docs {
		out = append(out, cardView{Href: href(d), Title: d.title, Kind: b.red.Text(d.kind.Name), Summary: d.summary, Date: dateOf(d.date)})
	}
	return out
}

// writeDocuments renders every document's page, on every core: a page
// is parsed, rendered, written and leak-checked apart from the others.
func (b *build) writeDocuments(root *os.Root) error {
	pages := pageOf(b.sel.docs, b.red)
	profile := profileOf(b.p.Config, b.red)
	work := make(chan int)
	errs := make(chan error, len(b.sel.docs))
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(b.sel.docs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := b.writeDocument(root, i, pages, profile); err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := range b.sel.docs {
		if b.ctx.Err() != nil || len(errs) > 0 {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := b.ctx.Err(); err != nil {
		return err
	}
	return <-errs
}

// writeDocument renders and writes the page of the i-th document.
func (b *build) writeDocument(root *os.Root, i int, pages map[string]*document, profile profileView) error {
	d := b.sel.docs[i]
	link := docLinker(d.src, pages, b.red.Slug, func(t *document, frag string) string {
		h := ""
		if t != nil && t != d {
			h = relPath(d.out, t.out)
		}
		if frag != "" {
			h += "#" + frag
		}
		if h == "" {
			h = path.Base(d.out)
		}
		return h
	})
	body, err := renderBody(d.body, link, "")
	if err != nil {
		return fmt.Errorf("publish: %s: %w", d.src, err)
	}
	view := map[string]any{
		"Title": d.title + " — " + profile.Name,
		"Name":  profile.Name,
		"Home":  relPath(d.out, "index.html"),
		"Doc":   b.docView(d, "", body),
	}
	if i > 0 {
		prev := b.sel.docs[i-1]
		view["Prev"] = cardView{Href: relPath(d.out, prev.out), Title: prev.title}
	}
	if i+1 < len(b.sel.docs) {
		next := b.sel.docs[i+1]
		view["Next"] = cardView{Href: relPath(d.out, next.out), Title: next.title}
	}
	page, err := execute("document", view)
	if err != nil {
		return err
	}
	return b.put(root, d.out, page)
}

func (b *build) docView(d *document, id string, body []byte) docView {
	return docView{ID: id, Kind: b.red.Text(d.kind.Name), Title: d.title, Author: b.red.Text(d.front.Author),
		Date: dateOf(d.date), Body: template.HTML(body)}
}

// writeIndex writes the home page.
func (b *build) writeIndex(root *os.Root) error {
	profile := profileOf(b.p.Config, b.red)
	title := profile.Name
	if profile.Role != "" {
		title += " — " + profile.Role
	}
	view := map[string]any{
		"Title":   title,
		"Profile": profile,
		"Cards":   b.cards(func(d *document) string { return d.out }),
	}
	if _, err := root.Stat(portfolioPDF); err == nil {
		view["PDF"] = portfolioPDF
	}
	page, err := execute("index", view)
	if err != nil {
		return err
	}
	return b.put(root, "index.html", page)
}

// put writes a file of the site and checks it for leaks as it goes: the
// leak check sees every byte the site is made of, without reading the
// site back.
func (b *build) put(root *os.Root, rel string, data []byte) error {
	if b.red != nil {
		if leaks := b.red.Scan(rel, data); len(leaks) > 0 {
			b.mu.Lock()
			for _, l := range leaks {
				l.File = filepath.Join(b.res.Out, filepath.FromSlash(rel))
				b.leaks = append(b.leaks, l)
			}
			b.mu.Unlock()
		}
	}
	if dir := path.Dir(rel); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	if b.unchanged(rel, data) {
		return nil
	}
	if err := root.WriteFile(rel, data, 0o644); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// unchanged gives the staged site the file rel of the site published
// before, when it holds data already: a second name (a hard link) for the
// same file, not a new file. Publishing again after a change rewrites
// only the pages that changed, as make would: creating a thousand files,
// and removing the thousand they replace, was most of a publish on ext4,
// which skips every inode freed in the last minutes when it makes a new
// one. The old site's file is never written to (publish builds every site
// aside), so sharing it is safe; false, and nothing done, when rel is not
// a regular file there or holds something else.
func (b *build) unchanged(rel string, data []byte) bool {
	if b.prev == nil {
		return false
	}
	fi, err := b.prev.Lstat(rel)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	old, err := b.prev.ReadFile(rel)
	if err != nil || string(old) != string(data) {
		return false
	}
	name := func(dir string) string { return filepath.Join(filepath.Base(dir), filepath.FromSlash(rel)) }
	return b.parent.Link(name(b.out), name(b.stage)) == nil
}

// leakCheck fails the build when a file of the staged site holds a
// redacted term: it removes the staged site, and the site already
// published (built from the same portfolio, it holds the same words).
func (b *build) leakCheck() error {
	if len(b.leaks) == 0 {
		return nil
	}
	sort.Slice(b.leaks, func(i, j int) bool {
		if b.leaks[i].File != b.leaks[j].File {
			return b.leaks[i].File < b.leaks[j].File
		}
		return b.leaks[i].Rule < b.leaks[j].Rule
	})
	if isSite(b.out) {
		if err := os.RemoveAll(b.out); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return &LeakError{Leaks: b.leaks, Out: b.res.Out}
}

// checkIgnored records the .gitignore line the site lacks, when it is in
// the portfolio's git work tree and git does not ignore it.
func (b *build) checkIgnored() {
	repo, err := b.p.Repo()
	if err != nil {
		return
	}
	ignored, rel, err := repo.Ignored(b.out, true)
	if err != nil || ignored || rel == "" {
		return
	}
	if r, err := filepath.Rel(b.p.Dir, b.out); err == nil && filepath.IsLocal(r) {
		rel = filepath.ToSlash(r)
	}
	b.res.Ignore = "/" + strings.TrimSuffix(rel, "/") + "/"
}
