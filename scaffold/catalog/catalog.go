// Package catalog reads a portfolio's documents as a whole: the use case
// behind `pmfolio list`. It creates and changes nothing.
package catalog

import (
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// Request asks for the documents of the portfolio enclosing Dir, of Kind
// only (in any case, as kinds are looked up) unless Kind is "".
type Request struct {
	Dir, Kind string
}

// Listing is a portfolio's documents, oldest first, with paths relative to
// the request's folder, and the files whose front matter cannot be read.
type Listing struct {
	Documents []portfolio.Entry
	Problems  []error
}

// List lists the documents. A document whose front matter is broken is a
// problem of the listing, not a failure: the rest of the list is still
// right.
func List(sess *session.Session, req Request) (*Listing, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	entries, problems, err := p.List()
	if err != nil {
		return nil, err
	}
	out := &Listing{Problems: problems, Documents: []portfolio.Entry{}}
	for _, en := range entries {
		if req.Kind == "" || strings.EqualFold(en.Kind, req.Kind) {
			en.Path = portfolio.Display(req.Dir, p.Dir, en.Path)
			out.Documents = append(out.Documents, en)
		}
	}
	return out, nil
}
