package portfolio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Written is what one commit wrote into the portfolio's documents: the
// documents it added, and the words it added to documents (words of new
// documents, and the growth of changed ones).
type Written struct {
	When      time.Time
	Documents int
	Words     int
	// Estimated is set when Words was estimated from the files' sizes
	// (see exactDocuments).
	Estimated bool
}

// exactDocuments is how many documents a commit may change and still have
// its words counted exactly; a bigger one is an import, and its words are
// its files' bytes over bytesPerWord.
const exactDocuments = 200

// bytesPerWord is how many bytes of a Markdown document make a word, on
// average (the example portfolio's documents: 6.3).
const bytesPerWord = 6.3

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
	// A storage of its own that keeps the packs open: a commit that adds
	// thousands of documents reads thousands of blobs, and go-git would
	// otherwise open the pack again for each.
	st := filesystem.NewStorageWithOptions(osfs.New(r.gitDir, osfs.WithBoundOS()), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
	defer st.Close()
	h2 := &historyReader{Repo: r, st: st}
	c, err := object.GetCommit(st, h)
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
		w, err := h2.written(c, parent)
		if err != nil {
			return nil, err
		}
		w.When = c.Author.When
		out = append(out, w)
		c = parent
	}
	return out, nil
}

// historyReader reads the history through its own storage.
type historyReader struct {
	*Repo
	st *filesystem.Storage
	// sizes are the git index's sizes of blobs, read when a commit is
	// estimated.
	sizes     map[plumbing.Hash]int64
	sizesRead bool
}

// written compares a commit's tree with its parent's, below the portfolio.
func (r *historyReader) written(c, parent *object.Commit) (Written, error) {
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
	docs := 0
	for _, ch := range changes {
		if ch.To.Name != "" && isDocumentPath(ch.To.Name) {
			docs++
		}
	}
	// A commit of more documents than a person writes at once (an import)
	// is counted from the sizes of its files, not read document by
	// document: status stays quick in a portfolio of thousands.
	estimate := docs > exactDocuments
	w.Estimated = estimate
	for _, ch := range changes {
		name := ch.To.Name
		if name == "" || !isDocumentPath(name) {
			continue
		}
		words := r.words
		if estimate {
			words = r.wordsBySize
		}
		after, err := words(ch.To.TreeEntry.Hash)
		if err != nil {
			return Written{}, err
		}
		if ch.From.Name == "" {
			w.Documents++
			w.Words += after
			continue
		}
		if prev, err := words(ch.From.TreeEntry.Hash); err == nil && after > prev {
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
func (r *historyReader) words(h plumbing.Hash) (int, error) {
	b, err := object.GetBlob(r.st, h)
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

// wordsBySize estimates the words of a blob from its size.
// The size comes from the git index when it records the blob (the
// documents of the work tree: an import is usually still there), else
// from the object store.
func (r *historyReader) wordsBySize(h plumbing.Hash) (int, error) {
	if !r.sizesRead {
		r.sizes, r.sizesRead = indexSizes(filepath.Join(r.gitDir, "index")), true
	}
	n, ok := r.sizes[h]
	if !ok {
		var err error
		if n, err = r.st.EncodedObjectSize(h); err != nil {
			return 0, err
		}
	}
	return int(float64(n) / bytesPerWord), nil
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
