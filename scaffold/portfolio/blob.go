package portfolio

import (
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
)

// BlobHash is the git blob id of data: what a commit records for a file
// with that content.
func BlobHash(data []byte) string {
	return plumbing.ComputeHash(plumbing.BlobObject, data).String()
}

// ErrNoBlob says the repository has no blob of that id.
var ErrNoBlob = errors.New("no such blob in the repository")

// Blob reads the blob id (a BlobHash) from the repository's objects: the
// content a document had in some commit, which a fresh clone has too. It
// is safe for concurrent use.
func (r *Repo) Blob(id string) ([]byte, error) {
	h := plumbing.NewHash(id)
	if h.IsZero() || h.String() != id {
		return nil, fmt.Errorf("%q is not a blob id", id)
	}
	data, err := r.readBlob(h, 64<<20)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, fmt.Errorf("blob %.12s: %w", id, ErrNoBlob)
	}
	if err != nil {
		return nil, fmt.Errorf("read blob %.12s: %w", id, err)
	}
	return data, nil
}

// readBlob reads at most limit bytes of the blob h: what Blob, HeadFile
// and the line-ending conversion read, one at a time (see blobMu).
func (r *Repo) readBlob(h plumbing.Hash, limit int64) ([]byte, error) {
	r.blobMu.Lock()
	defer r.blobMu.Unlock()
	b, err := r.repo.BlobObject(h)
	if err != nil {
		return nil, err
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(io.LimitReader(rd, limit))
}
