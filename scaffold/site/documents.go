package site

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/redact"
)

// document is one document of the portfolio on its way to a page.
type document struct {
	// src is its path in the portfolio; out its page's path in the site.
	src, out string
	kind     portfolio.KindInfo
	front    *doc.FrontMatter
	// title, body and summary are redacted; body is the Markdown after
	// the front matter.
	title, body, summary string
	date                 string
}

// selection is what the portfolio offers for publishing.
type selection struct {
	docs []*document
	// private counts documents left out as private; skipped are files
	// that are not documents pmfolio can read, with why.
	private int
	skipped []error
}

// selectDocuments reads the portfolio's documents and keeps those the
// request publishes, redacted, best first.
func selectDocuments(p *portfolio.Portfolio, kinds []portfolio.KindInfo, req *Request, only []string, red *redact.Redactor, outRel string) (*selection, error) {
	byID := map[string]portfolio.KindInfo{}
	for _, k := range kinds {
		byID[k.ID] = k
	}
	sel := &selection{}
	for rel, err := range p.Markdown(".") {
		if err != nil {
			return nil, err
		}
		if outRel != "" && (rel == outRel || strings.HasPrefix(rel, outRel+"/")) {
			continue
		}
		if len(only) > 0 && !matchAny(only, rel) {
			continue
		}
		d, err := readDocument(p, rel, byID)
		if err != nil {
			var se *skipError
			if errors.As(err, &se) {
				sel.skipped = append(sel.skipped, err)
				continue
			}
			return nil, err
		}
		if d == nil {
			continue
		}
		if doc.IsPrivate(d.front.Visibility, d.kind.Visibility) && !req.IncludePrivate {
			sel.private++
			continue
		}
		d.redact(red)
		sel.docs = append(sel.docs, d)
	}
	order(sel.docs, kinds, p.Config.Order())
	assignPages(sel.docs, red)
	return sel, nil
}

// skipError is a file publish leaves out, with why: its front matter
// cannot be read.
type skipError struct{ err error }

func (e *skipError) Error() string { return e.err.Error() }
func (e *skipError) Unwrap() error { return e.err }

// readDocument reads the document at rel; nil for Markdown that is not a
// pmfolio document (no front matter, or no kind: a folder's README).
func readDocument(p *portfolio.Portfolio, rel string, kinds map[string]portfolio.KindInfo) (*document, error) {
	data, err := p.ReadFile(rel)
	if err != nil {
		return nil, err
	}
	fm, _, body, _, err := doc.ParseFrontMatter(data)
	if errors.Is(err, doc.ErrNoFrontMatter) {
		return nil, nil
	}
	if err != nil {
		return nil, &skipError{fmt.Errorf("%s: %w", rel, err)}
	}
	if fm.Kind == "" {
		return nil, nil
	}
	// A misspelt visibility must not publish what was meant to stay
	// private: it stops the build.
	if err := doc.ValidateVisibility(fm.Visibility); err != nil {
		return nil, hint.Wrap(fmt.Errorf("%s: front matter: %v; nothing was published", rel, err), "write visibility: public or visibility: private")
	}
	k, ok := kinds[fm.Kind]
	if !ok {
		k = portfolio.KindInfo{ID: fm.Kind, Name: humanKind(fm.Kind), Month: 99}
	}
	return &document{src: rel, kind: k, front: fm, body: string(body), date: fm.Date}, nil
}

// redact redacts what the document shows: its body, title and summary.
func (d *document) redact(red *redact.Redactor) {
	d.body = red.Text(d.body)
	d.title = red.Text(strings.TrimSpace(d.front.Title))
	if d.title == "" {
		if t := firstHeading(d.body); t != "" {
			d.title = t
		} else {
			d.title = red.Text(strings.TrimSuffix(path.Base(d.src), ".md"))
		}
	}
	d.summary = doc.Summary(d.body, d.kind.Summary)
}

// firstHeading is the plain text of the body's first H1, or "".
func firstHeading(body string) string {
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "# ") {
			return doc.PlainText(strings.TrimSpace(l[2:]))
		}
	}
	return ""
}

func humanKind(id string) string {
	s := strings.ReplaceAll(id, "-", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func matchAny(globs []string, rel string) bool {
	for _, g := range globs {
		if g == rel || strings.HasPrefix(rel, strings.TrimSuffix(g, "/")+"/") {
			return true
		}
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}

// order sorts documents best first: those pmfolio.yaml's publish order
// names, in its order; then the rest by kind in the plan's order (month,
// then the pack's order), newest first.
func order(docs []*document, kinds []portfolio.KindInfo, preferred []string) {
	rank := map[string]int{}
	for i, k := range kinds {
		month := k.Month
		if month <= 0 {
			month = 98
		}
		rank[k.ID] = month*1000 + i
	}
	pref := func(d *document) int {
		for i, g := range preferred {
			if matchAny([]string{g}, d.src) {
				return i
			}
		}
		return len(preferred)
	}
	sort.SliceStable(docs, func(i, j int) bool {
		a, b := docs[i], docs[j]
		if pa, pb := pref(a), pref(b); pa != pb {
			return pa < pb
		}
		ra, okA := rank[a.kind.ID]
		rb, okB := rank[b.kind.ID]
		if !okA {
			ra = 1 << 30
		}
		if !okB {
			rb = 1 << 30
		}
		if ra != rb {
			return ra < rb
		}
		if a.date != b.date {
			return a.date > b.date
		}
		return a.src < b.src
	})
}

// assignPages gives each document its page's path: its folder, redacted,
// and its date and title as a slug, so that nothing redaction missed in a
// file name (a pattern cannot see a slug) reaches the site.
func assignPages(docs []*document, red *redact.Redactor) {
	taken := map[string]bool{"index.html": true}
	for _, d := range docs {
		dir := red.Slug(path.Dir(d.src))
		name := pack.Slug(d.title)
		if name == "" {
			name = "document"
		}
		if len(d.date) == len("2006-01-02") && !strings.HasPrefix(name, d.date) {
			name = d.date + "-" + name
		}
		base := path.Join(dir, name)
		out := base + ".html"
		for n := 2; taken[out]; n++ {
			out = fmt.Sprintf("%s-%d.html", base, n)
		}
		taken[out] = true
		d.out = out
	}
}

// pageOf maps the portfolio's paths, redacted as links to them are, to
// the pages of the published documents.
func pageOf(docs []*document, red *redact.Redactor) map[string]*document {
	m := make(map[string]*document, len(docs))
	for _, d := range docs {
		m[red.Slug(d.src)] = d
	}
	return m
}
