package site

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/browser"
)

// portfolioPDF is the whole portfolio as one PDF, at the site's root.
const portfolioPDF = "portfolio.pdf"

// printPage is the page portfolio.pdf is printed from, in the staged site
// only: the home page and every document, each from a new page.
const printPage = ".print.html"

// printPDFs prints each document's page and the whole portfolio to PDF in
// headless Chromium. Without a browser, or when printing fails, the site
// is still built: the error is kept for the end of the run.
func (b *build) printPDFs(root *os.Root) {
	exe, err := browser.Find(b.sess.Env)
	if err != nil {
		b.pdfErr = fmt.Errorf("publish --pdf: %w; the site was built without PDFs", err)
		return
	}
	if err := b.writePrintPage(root); err != nil {
		b.pdfErr = err
		return
	}
	defer root.Remove(printPage)
	br, err := browser.Start(b.ctx, exe, b.sess.Env)
	if err != nil {
		b.pdfErr = fmt.Errorf("publish --pdf: %w; the site was built without PDFs", err)
		return
	}
	defer br.Close()
	jobs := [][2]string{{printPage, portfolioPDF}}
	for _, d := range b.sel.docs {
		jobs = append(jobs, [2]string{d.out, strings.TrimSuffix(d.out, ".html") + ".pdf"})
	}
	for _, j := range jobs {
		if err := b.ctx.Err(); err != nil {
			b.pdfErr = err
			return
		}
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(b.stage, filepath.FromSlash(j[0])))}
		pdf, err := br.PDF(u.String())
		if err == nil {
			err = b.put(root, j[1], pdf)
		}
		if err != nil {
			b.pdfErr = fmt.Errorf("publish --pdf: %s: %w", path.Base(j[1]), err)
			return
		}
		b.res.PDFs = append(b.res.PDFs, j[1])
	}
}

// writePrintPage writes the page portfolio.pdf is printed from: the home
// page's profile and list, then every document, with ids and links made
// unique to the one page.
func (b *build) writePrintPage(root *os.Root) error {
	anchor := map[*document]string{}
	for i, d := range b.sel.docs {
		anchor[d] = fmt.Sprintf("d%d", i+1)
	}
	pages := pageOf(b.sel.docs, b.red)
	var docs []docView
	for _, d := range b.sel.docs {
		prefix := anchor[d] + "-"
		link := docLinker(d.src, pages, b.red.Slug, func(t *document, frag string) string {
			if t == nil {
				t = d
			}
			if frag == "" {
				return "#" + anchor[t]
			}
			return "#" + anchor[t] + "-" + frag
		})
		body, err := renderBody(d.body, link, prefix)
		if err != nil {
			return fmt.Errorf("publish: %s: %w", d.src, err)
		}
		docs = append(docs, b.docView(d, anchor[d], body))
	}
	profile := profileOf(b.p.Config, b.red)
	page, err := execute("print", map[string]any{
		"Title":   profile.Name,
		"Profile": profile,
		"Cards":   b.cards(func(d *document) string { return "#" + anchor[d] }),
		"Docs":    docs,
	})
	if err != nil {
		return err
	}
	return b.put(root, printPage, page)
}
