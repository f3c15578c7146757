package portfolio

import (
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ChangedSince returns those of paths (slash-separated, relative to the
// portfolio) whose content in the work tree differs from their version at
// ref, or that ref does not have: what a pull request or a commit range
// changed, committed or not. Content is compared by git blob hash, so a
// file touched but unchanged is not reported. read reads a path's content.
func (r *Repo) ChangedSince(ref string, paths []string, read func(string) ([]byte, error)) ([]string, error) {
	hash, err := r.repo.ResolveRevision(plumbing.Revision(ref))
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", ref, err)
	}
	commit, err := object.GetCommit(r.repo.Storer, *hash)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", short(*hash), err)
	}
	root, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", short(*hash), err)
	}
	old, err := r.blobs(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range paths {
		h, ok := old[p]
		if !ok {
			out = append(out, p)
			continue
		}
		data, err := read(p)
		if err != nil {
			return nil, err
		}
		if !sameBlob(h, data) {
			out = append(out, p)
		}
	}
	return out, nil
}

// blobs maps the portfolio-relative path of every file under the
// portfolio's folder in tree to its blob hash. One walk, instead of a
// lookup per path that would decode the same trees again and again.
func (r *Repo) blobs(tree *object.Tree) (map[string]plumbing.Hash, error) {
	out := map[string]plumbing.Hash{}
	if r.prefix != "" {
		sub, err := tree.Tree(r.prefix)
		if errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s at the ref: %w", r.prefix, err)
		}
		tree = sub
	}
	w := object.NewTreeWalker(tree, true, nil)
	defer w.Close()
	for {
		name, entry, err := w.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("walk the tree at the ref: %w", err)
		}
		if entry.Mode.IsFile() {
			out[name] = entry.Hash
		}
	}
}
