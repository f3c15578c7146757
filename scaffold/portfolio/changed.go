package portfolio

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/hint"
)

// Comparison is the portfolio at a base commit, compared with the work
// tree (committed or not) or with another commit: what `check
// --changed-since` asks about. It answers as `git diff` does: from the
// merge base, and after git's line-ending conversion of the work tree's
// files.
type Comparison struct {
	r *Repo
	// Base names the commit compared with, for messages: "the merge base
	// of origin/main and HEAD (1a2b3c4)".
	Base string
	// old maps the portfolio-relative path of each file at the base to
	// its blob; new those at the other commit, nil for the work tree.
	old, new map[string]plumbing.Hash
	conv     *conversion
}

// Compare resolves spec as `git diff` does and reads the portfolio at the
// base it names:
//
//   - REF: the merge base of REF and HEAD (git diff REF...HEAD), against
//     the work tree;
//   - A...B: the merge base of A and B, against B;
//   - A..B: A itself, against B.
//
// A missing side is HEAD; B is the work tree when it is HEAD's commit, so
// that changes not yet committed count. env gives git's configuration
// (core.autocrlf) and the attributes files beside the repository's.
func (r *Repo) Compare(spec string, env *environ.Env) (*Comparison, error) {
	from, to, mergeBase, err := parseRange(spec)
	if err != nil {
		return nil, err
	}
	fromHash, err := r.resolve(spec, from)
	if err != nil {
		return nil, err
	}
	toHash, err := r.resolve(spec, to)
	if err != nil {
		return nil, err
	}
	base := fromHash
	c := &Comparison{r: r, Base: fmt.Sprintf("%s (%s)", from, short(base))}
	if mergeBase {
		if base, err = r.mergeBase(spec, from, to, fromHash, toHash); err != nil {
			return nil, err
		}
		c.Base = fmt.Sprintf("the merge base of %s and %s (%s)", from, to, short(base))
	}
	if c.old, err = r.blobsAt(base); err != nil {
		return nil, err
	}
	_, head, err := r.head()
	if err != nil {
		return nil, err
	}
	if toHash != head {
		if c.new, err = r.blobsAt(toHash); err != nil {
			return nil, err
		}
		return c, nil
	}
	c.conv, err = r.conversion(env)
	return c, err
}

// parseRange splits a --changed-since value into its two sides and
// whether the base is their merge base.
func parseRange(spec string) (from, to string, mergeBase bool, err error) {
	if strings.TrimSpace(spec) == "" {
		return "", "", false, errors.New("no revision given")
	}
	from, to, mergeBase = spec, "HEAD", true
	if a, b, ok := strings.Cut(spec, "..."); ok {
		from, to = a, b
	} else if a, b, ok := strings.Cut(spec, ".."); ok {
		from, to, mergeBase = a, b, false
	}
	if from == "" {
		from = "HEAD"
	}
	if to == "" {
		to = "HEAD"
	}
	if strings.Contains(to, "..") {
		return "", "", false, hint.Wrap(fmt.Errorf("%q is not a revision or range pmfolio understands", spec), "%s", rangeHint)
	}
	return from, to, mergeBase, nil
}

// rangeHint says what --changed-since takes.
const rangeHint = "give a branch, tag or commit (origin/main), or a range: A...B from their merge base, A..B from A"

// shallowHint says how to get the history a shallow clone lacks.
const shallowHint = "fetch the history: git fetch --unshallow\n" + ciDepthHint

// ciDepthHint says how CI systems fetch the whole history.
const ciDepthHint = "in GitHub Actions, actions/checkout with fetch-depth: 0 fetches every branch with its history; in GitLab CI, set GIT_DEPTH: 0"

// resolve finds the commit name (one side of spec) names, explaining what
// is missing when the clone does not have it.
func (r *Repo) resolve(spec, name string) (plumbing.Hash, error) {
	h, err := r.repo.ResolveRevision(plumbing.Revision(name))
	if err == nil {
		return *h, nil
	}
	shallow := r.shallow()
	if name == "HEAD" && errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, hint.Wrap(errors.New("the repository has no commit yet"), "commit first; then --changed-since compares with a commit")
	}
	what := fmt.Sprintf("%q", name)
	if name != spec {
		what = fmt.Sprintf("%q (in %q)", name, spec)
	}
	switch {
	case errors.Is(err, plumbing.ErrObjectNotFound) && len(shallow) > 0:
		return plumbing.ZeroHash, hint.Wrap(fmt.Errorf("%s goes back further than the history of this shallow clone", what), "%s", shallowHint)
	case errors.Is(err, plumbing.ErrObjectNotFound), errors.Is(err, io.EOF):
		return plumbing.ZeroHash, hint.Wrap(fmt.Errorf("%s goes back further than the repository's history", what), "name a commit the repository has; 'git log --oneline' lists them")
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		return plumbing.ZeroHash, hint.Wrap(fmt.Errorf("%s is not a branch, tag or commit of this clone", what), "%s", r.fetchHint(name))
	}
	return plumbing.ZeroHash, hint.Wrap(fmt.Errorf("%s is not a revision pmfolio understands", what), "%s", rangeHint)
}

// fetchHint says how to get a ref this clone lacks: a remote's branch is
// fetched, with the history the merge base needs when the clone is
// shallow (CI checkouts fetch one branch, one commit deep); anything else
// git lists.
func (r *Repo) fetchHint(name string) string {
	remote, branch, ok := strings.Cut(strings.TrimPrefix(name, "refs/remotes/"), "/")
	if ok && branch != "" {
		if _, err := r.repo.Remote(remote); err == nil {
			refspec := fmt.Sprintf("%s %s:refs/remotes/%s/%s", remote, branch, remote, branch)
			if len(r.shallow()) > 0 {
				return fmt.Sprintf("fetch it, with the history its merge base needs: git fetch --unshallow %s\n%s", refspec, ciDepthHint)
			}
			return fmt.Sprintf("fetch it: git fetch %s", refspec)
		}
	}
	return "give a branch, tag or commit this clone has ('git branch -a' and 'git tag' list them), e.g. --changed-since origin/main"
}

// shallow lists the commits whose parents a shallow clone lacks.
func (r *Repo) shallow() map[plumbing.Hash]bool {
	hs, err := r.repo.Storer.Shallow()
	if err != nil || len(hs) == 0 {
		return nil
	}
	out := make(map[plumbing.Hash]bool, len(hs))
	for _, h := range hs {
		out[h] = true
	}
	return out
}

// blobsAt maps the portfolio-relative path of every file under the
// portfolio's folder at commit h to its blob.
func (r *Repo) blobsAt(h plumbing.Hash) (map[string]plumbing.Hash, error) {
	commit, err := object.GetCommit(r.repo.Storer, h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", short(h), err)
	}
	root, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", short(h), err)
	}
	return r.blobs(root)
}

// Changed reports whether the file at rel (portfolio-relative), whose
// content now is data, differs from the base: a file the base lacks, or
// whose blob is another, after git's conversion of line endings (a
// checkout with core.autocrlf=true that git status calls clean is
// unchanged). Against a commit, data is not read: the commit's blob is.
func (c *Comparison) Changed(rel string, data []byte) bool {
	h, ok := c.old[rel]
	if !ok {
		return true
	}
	if c.new != nil {
		return c.new[rel] != h
	}
	return c.conv.hash(c.r.repoPath(rel), data) != h
}

// Gone lists the files of the base that the other side lacks, sorted:
// deleted or renamed documents. exists says whether a path is in the work
// tree (it is not asked against a commit).
func (c *Comparison) Gone(exists func(string) bool) []string {
	var out []string
	for p := range c.old {
		gone := false
		if c.new != nil {
			_, ok := c.new[p]
			gone = !ok
		} else {
			gone = !exists(p)
		}
		if gone {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
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
