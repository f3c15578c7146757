package portfolio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Written is what one commit wrote into the portfolio's documents: the
// documents it added, and the words it added to documents (words of new
// documents, and the growth of changed ones).
type Written struct {
	When      time.Time
	Documents int
	Words     int
}

// History walks the commits of HEAD's first-parent line made since (by
// their author date) and says what each wrote into the documents of the
// portfolio: Markdown files in its folders, not README.md, pmfolio's own
// files or hidden folders. It reads the trees and blobs of those commits
// only, newest first, and stops at the first commit older than since.
func (r *Repo) History(ctx context.Context, since time.Time) ([]Written, error) {
	_, h, err := r.head()
	if err != nil || h.IsZero() {
		return nil, err
	}
	c, err := r.repo.CommitObject(h)
	if err != nil {
		return nil, fmt.Errorf("read HEAD commit: %w", err)
	}
	var out []Written
	for c != nil && !c.Author.When.Before(since) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var parent *object.Commit
		if c.NumParents() > 0 {
			if parent, err = c.Parent(0); err != nil && !errors.Is(err, plumbing.ErrObjectNotFound) {
				return nil, err
			}
		}
		w, err := r.written(c, parent)
		if err != nil {
			return nil, err
		}
		w.When = c.Author.When
		out = append(out, w)
		c = parent
	}
	return out, nil
}

// written compares a commit's tree with its parent's, below the portfolio.
func (r *Repo) written(c, parent *object.Commit) (Written, error) {
	tree, err := r.portfolioTree(c)
	if err != nil || tree == nil {
		return Written{}, err
	}
	var before *object.Tree
	if parent != nil {
		if before, err = r.portfolioTree(parent); err != nil {
			return Written{}, err
		}
	}
	changes, err := object.DiffTree(before, tree)
	if err != nil {
		return Written{}, err
	}
	var w Written
	for _, ch := range changes {
		name := ch.To.Name
		if name == "" || !isDocumentPath(name) {
			continue
		}
		after, err := r.words(ch.To.TreeEntry.Hash)
		if err != nil {
			return Written{}, err
		}
		if ch.From.Name == "" {
			w.Documents++
			w.Words += after
			continue
		}
		if prev, err := r.words(ch.From.TreeEntry.Hash); err == nil && after > prev {
			w.Words += after - prev
		}
	}
	return w, nil
}

// portfolioTree is the tree of the portfolio's folder in commit c, nil
// when the commit has none.
func (r *Repo) portfolioTree(c *object.Commit) (*object.Tree, error) {
	t, err := c.Tree()
	if err != nil {
		return nil, err
	}
	if r.prefix == "" {
		return t, nil
	}
	sub, err := t.Tree(r.prefix)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, nil
	}
	return sub, err
}

// isDocumentPath reports whether rel (in the portfolio) is a document.
func isDocumentPath(rel string) bool {
	if !strings.HasSuffix(rel, ".md") || rel == ReadmeFile || path.Base(rel) == ReadmeFile || IsInternal(rel) {
		return false
	}
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// words counts the words of a blob's text, front matter included (it is
// a few words of a document of hundreds).
func (r *Repo) words(h plumbing.Hash) (int, error) {
	b, err := r.repo.BlobObject(h)
	if err != nil {
		return 0, err
	}
	rd, err := b.Reader()
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	data, err := io.ReadAll(io.LimitReader(rd, 4<<20))
	if err != nil {
		return 0, err
	}
	return CountWords(data), nil
}

// CountWords counts runs of letters or digits, as a reader counts words.
func CountWords(data []byte) int {
	n, in := 0, false
	for i := 0; i < len(data); {
		c := data[i]
		var word bool
		if c < utf8.RuneSelf {
			word = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\'' && in
			i++
		} else {
			r, size := utf8.DecodeRune(data[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
			i += size
		}
		if word && !in {
			n++
		}
		in = word
	}
	return n
}
