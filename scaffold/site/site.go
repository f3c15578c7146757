// Package site builds the portfolio's website: `pmfolio publish`. A home
// page presents the person (pmfolio.yaml's name, role and profile) and the
// documents as a showcase, best first; each document gets a page rendered
// from its Markdown. Pages use relative links only, with explicit
// index.html, one embedded stylesheet and no JavaScript, so that the site
// works from file://, from a sub-path and at a domain root alike.
//
// Publishing reads the portfolio and writes only the output folder: the
// site is built aside, checked, then swapped in. Private documents (a
// kind's default, such as user interview notes, or a document's own
// `visibility: private`) stay out unless asked for; links to documents
// that are not published keep only their text. Redaction (package redact)
// applies to everything a page shows and to file names, and a leak check
// over every byte of the output stops the build when a term survived.
package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/redact"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// Request asks for the site of the portfolio enclosing Dir.
type Request struct {
	// Dir is the folder the command runs in.
	Dir string
	// Out is the folder to build the site in, relative to Dir; "" is the
	// portfolio's (publish: out: in pmfolio.yaml, else site/).
	Out string
	// Only limits the site to these documents: paths (relative to Dir)
	// or globs (relative to the portfolio), or folders.
	Only []string
	// IncludePrivate publishes private documents too.
	IncludePrivate bool
	// Redact is the redaction file, relative to Dir; "" is redact.yaml in
	// the portfolio when it has one.
	Redact string
	// PDF also prints the site to PDF: portfolio.pdf and one per document.
	PDF bool
}

// Result is the site Build made.
type Result struct {
	// Out is the site's folder, shown relative to the request's Dir, and
	// Index its home page.
	Out, Index string
	// Documents is how many documents the site shows; Private how many
	// were left out as private.
	Documents, Private int
	// Skipped are files left out because they cannot be read as
	// documents.
	Skipped []error
	// Redaction is the redaction file applied, shown relative to Dir; ""
	// for none.
	Redaction string
	// PDFs are the PDF files printed, relative to Out.
	PDFs []string
	// Ignore, when set, is the line the portfolio's .gitignore lacks: the
	// site is in the git work tree and git does not ignore it.
	Ignore string
}

// LeakError says the leak check found redacted terms in the output; the
// output was removed.
type LeakError struct {
	Leaks []redact.Leak
	// Out is the output folder, as shown.
	Out string
}

func (e *LeakError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the leak check found %d redacted term(s) in the site; nothing was published and %s was removed", len(e.Leaks), e.Out)
	for _, l := range e.Leaks {
		fmt.Fprintf(&b, "\n  %s", l.Error())
	}
	return b.String()
}

// Build publishes the portfolio enclosing req.Dir.
func Build(ctx context.Context, sess *session.Session, req Request) (*Result, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	b := &build{ctx: ctx, sess: sess, req: req, p: p, res: &Result{}}
	if err := b.prepare(); err != nil {
		return nil, err
	}
	if err := b.run(); err != nil {
		return nil, err
	}
	return b.res, b.pdfErr
}

// build is one run of Build.
type build struct {
	ctx   context.Context
	sess  *session.Session
	req   Request
	p     *portfolio.Portfolio
	res   *Result
	out   string // absolute
	stage string // absolute, beside out
	red   *redact.Redactor
	kinds []portfolio.KindInfo
	sel   *selection
	// pdfErr is why the PDFs could not be printed: the site is still
	// built, and Build returns it last.
	pdfErr error
	// leaks are what the leak check found in the files written so far.
	mu    sync.Mutex
	leaks []redact.Leak
	// parent is the folder out and stage are in; prev the site published
	// at out before, nil when there is none (see put).
	parent, prev *os.Root
}

// prepare settles everything that can fail before anything is written.
func (b *build) prepare() error {
	if err := b.settleOut(); err != nil {
		return err
	}
	if err := b.loadRedaction(); err != nil {
		return err
	}
	store := packstore.For(b.ctx, b.sess.Env, b.p)
	pk, err := store.Resolve("")
	if err != nil {
		return err
	}
	b.kinds = store.IndexKinds(pk)
	only, err := b.only()
	if err != nil {
		return err
	}
	outRel := ""
	if rel, err := filepath.Rel(b.p.Dir, b.out); err == nil && filepath.IsLocal(rel) {
		outRel = filepath.ToSlash(rel)
	}
	b.sel, err = selectDocuments(b.p, b.kinds, &b.req, only, b.red, outRel)
	if err != nil {
		return err
	}
	b.res.Documents, b.res.Private, b.res.Skipped = len(b.sel.docs), b.sel.private, b.sel.skipped
	if len(only) > 0 && len(b.sel.docs) == 0 {
		return hint.Wrap(fmt.Errorf("publish: --only matches no document to publish; nothing was written"),
			"give paths or globs of documents, e.g. --only 'story/*'; private documents also need --include-private")
	}
	return nil
}

// settleOut finds the output folder and refuses one publish must not
// replace: the portfolio itself, a folder holding it, its git or pmfolio
// folders, or a folder with files that is not a site pmfolio built.
func (b *build) settleOut() error {
	out := b.req.Out
	shownBase := b.req.Dir
	if out == "" {
		out = filepath.Join(b.p.Dir, filepath.FromSlash(b.p.Config.SiteDir()))
	} else if !filepath.IsAbs(out) {
		out = filepath.Join(b.req.Dir, out)
	}
	b.out = filepath.Clean(out)
	b.res.Out = portfolio.Display(shownBase, b.out, ".")
	b.res.Index = filepath.Join(b.res.Out, "index.html")
	refuse := func(why string) error {
		return hint.Wrap(fmt.Errorf("publish: refusing to build the site in %s: %s; nothing was written", b.res.Out, why),
			"give --out a new or empty folder, or one publish built before (default: %s)", b.p.Config.SiteDir())
	}
	if within(b.out, b.p.Dir) {
		return refuse("it holds the portfolio")
	}
	if rel, err := filepath.Rel(b.p.Dir, b.out); err == nil && filepath.IsLocal(rel) {
		top := strings.Split(filepath.ToSlash(rel), "/")[0]
		if strings.HasPrefix(top, ".") {
			return refuse("it is inside " + top + ", which is git's or pmfolio's")
		}
	}
	fi, err := os.Lstat(b.out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return refuse("it is a file")
	}
	if !isSite(b.out) {
		return refuse("it has files and is not a site pmfolio built")
	}
	return nil
}

// within reports whether dir is inside (or is) parent.
func within(parent, dir string) bool {
	rel, err := filepath.Rel(parent, dir)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// isSite reports whether dir is empty or a site publish built (its
// index.html carries the generator mark).
func isSite(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	if len(entries) == 0 {
		return true
	}
	data, err := os.ReadFile(filepath.Join(dir, "index.html"))
	return err == nil && strings.Contains(string(data), Generator)
}

// loadRedaction reads --redact, else redact.yaml when the portfolio has
// one.
func (b *build) loadRedaction() error {
	file := b.req.Redact
	if file == "" {
		if !b.p.Exists(redact.File) {
			return nil
		}
		file = filepath.Join(b.p.Dir, redact.File)
	} else if !filepath.IsAbs(file) {
		file = filepath.Join(b.req.Dir, file)
	}
	shown := portfolio.Display(b.req.Dir, file, ".")
	red, err := redact.Load(file, shown)
	if errors.Is(err, fs.ErrNotExist) {
		return hint.Wrap(fmt.Errorf("publish: --redact %s: no such file", shown), "list the terms to redact in a YAML file: terms: [{term: Acme Corp, replace: Company A}]")
	}
	if err != nil {
		return err
	}
	b.red = red
	b.res.Redaction = shown
	return nil
}

// only turns --only arguments into globs relative to the portfolio.
func (b *build) only() ([]string, error) {
	var out []string
	for _, o := range b.req.Only {
		abs := o
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(b.req.Dir, o)
		}
		rel, err := filepath.Rel(b.p.Dir, abs)
		if err != nil || !filepath.IsLocal(rel) && rel != "." {
			return nil, hint.Wrap(fmt.Errorf("publish: --only %s is outside the portfolio at %s", o, b.p.Dir), "give documents of this portfolio, e.g. --only 'story/*'")
		}
		if rel == "." {
			continue
		}
		out = append(out, path.Clean(filepath.ToSlash(rel)))
	}
	return out, nil
}
