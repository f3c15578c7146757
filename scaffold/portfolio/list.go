package portfolio

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// Entry is one document as `list` and the README show it.
type Entry struct {
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	Status string `json:"status"`
	Track  string `json:"track"`
	Path   string `json:"path"`
	// Pack and PackVersion are the pack the document was rendered with.
	Pack        string `json:"-"`
	PackVersion string `json:"-"`
	// Visibility is the front matter's, when it gives one.
	Visibility string `json:"visibility,omitempty"`
	// Summary is the document's one-line summary, where it is read (the
	// README); `list` leaves it out.
	Summary string `json:"-"`
	// Gone marks a document an operation removes (a pending entry of the
	// README index: its old path when it moves).
	Gone bool `json:"-"`
}

// headSize is how much of a document is read for its front matter.
const headSize = 8 << 10

// ReadEntry reads the front matter of the document at rel. ok is false for
// Markdown files that are not pmfolio documents (no front matter or kind).
func (p *Portfolio) ReadEntry(rel string) (e Entry, ok bool, err error) {
	e, _, ok, err = p.readHead(rel)
	return e, ok, err
}

// readCard reads the front matter of the document at rel and its summary:
// the first paragraph of the section summary names, in the head read
// with the front matter (summaries open a document).
func (p *Portfolio) readCard(rel, summary string) (Entry, bool, error) {
	e, body, ok, err := p.readHead(rel)
	if ok {
		e.Summary = doc.Summary(string(body), summary)
	}
	return e, ok, err
}

// readHead reads the front matter of the document at rel, and as much of
// its body as the head holds.
func (p *Portfolio) readHead(rel string) (e Entry, body []byte, ok bool, err error) {
	f, err := p.root.Open(rel)
	if err != nil {
		return Entry{}, nil, false, err
	}
	defer f.Close()
	// Front matter sits at the top; reading the head keeps `list` and the
	// README cheap for long documents.
	buf := make([]byte, headSize)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Entry{}, nil, false, err
	}
	data := buf[:n]
	fm, _, body, _, err := doc.ParseFrontMatter(data)
	if errors.Is(err, doc.ErrNoFrontMatter) {
		return Entry{}, nil, false, nil
	}
	if err != nil {
		var se *doc.SyntaxError
		if n == headSize && errors.As(err, &se) && se.Line <= 1 {
			// Front matter longer than the head: read it all.
			all, rerr := p.root.ReadFile(rel)
			if rerr != nil {
				return Entry{}, nil, false, rerr
			}
			fm, _, body, _, err = doc.ParseFrontMatter(all)
		}
		if err != nil {
			return Entry{}, nil, false, fmt.Errorf("%s: %w", rel, err)
		}
	}
	if fm.Kind == "" {
		return Entry{}, nil, false, nil
	}
	return Entry{Kind: fm.Kind, Title: fm.Title, Date: fm.Date, Status: fm.Status, Track: fm.Track, Path: rel, Visibility: fm.Visibility,
		Pack: fm.Pack.Name, PackVersion: fm.Pack.Version}, body, true, nil
}

// List returns every document in the portfolio, oldest first. Files whose
// front matter cannot be read are returned as problems, not failures: one
// broken file must not hide the rest.
func (p *Portfolio) List() ([]Entry, []error, error) {
	var out []Entry
	var problems []error
	err := p.walkDocs(".", func(rel string) error {
		e, ok, err := p.ReadEntry(rel)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		if ok {
			out = append(out, e)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].Path < out[j].Path
	})
	return out, problems, err
}
