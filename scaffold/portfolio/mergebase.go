package portfolio

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/pmfolio/pmfolio/scaffold/hint"
)

// mergeBase is the best common ancestor of a and b, as `git merge-base`
// finds it, in a shallow clone too: go-git's Commit.MergeBase walks past
// the commits whose parents a shallow clone lacks and fails, even when
// the merge base is within the history fetched. Here a shallow commit
// (listed in .git/shallow) has no parents, as git treats it. spec, from
// and to are for messages.
func (r *Repo) mergeBase(spec, from, to string, a, b plumbing.Hash) (plumbing.Hash, error) {
	if a == b {
		return a, nil
	}
	shallow := r.shallow()
	cut := false
	parents := func(h plumbing.Hash) ([]plumbing.Hash, error) {
		if shallow[h] {
			cut = true
			return nil, nil
		}
		c, err := object.GetCommit(r.repo.Storer, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			cut = true
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w", short(h), err)
		}
		return c.ParentHashes, nil
	}
	// Every ancestor of a; then, walking back from b, the first of them
	// met on each path, which are the candidates.
	ofA := map[plumbing.Hash]bool{}
	if err := walkBack(a, parents, func(h plumbing.Hash) bool { ofA[h] = true; return true }); err != nil {
		return plumbing.ZeroHash, err
	}
	var candidates []plumbing.Hash
	if err := walkBack(b, parents, func(h plumbing.Hash) bool {
		if ofA[h] {
			candidates = append(candidates, h)
			return false
		}
		return true
	}); err != nil {
		return plumbing.ZeroHash, err
	}
	best, err := r.best(candidates, parents)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if best.IsZero() {
		msg := fmt.Errorf("%s and %s (in %q) have no commit in common", from, to, spec)
		if cut || len(shallow) > 0 {
			return plumbing.ZeroHash, hint.Wrap(fmt.Errorf("%s and %s (in %q) have no commit in common in this shallow clone: their merge base was not fetched", from, to, spec), "%s", shallowHint)
		}
		return plumbing.ZeroHash, hint.Wrap(msg, "compare with a commit of the same history, or name the base itself: --changed-since %s..%s", from, to)
	}
	return best, nil
}

// walkBack visits h and its ancestors, each once, breadth first; visit
// says whether to go on to a commit's parents.
func walkBack(h plumbing.Hash, parents func(plumbing.Hash) ([]plumbing.Hash, error), visit func(plumbing.Hash) bool) error {
	seen := map[plumbing.Hash]bool{h: true}
	queue := []plumbing.Hash{h}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if !visit(c) {
			continue
		}
		ps, err := parents(c)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return nil
}

// best drops the candidates that are ancestors of another one, and of
// those left (several after criss-cross merges) takes the most recently
// committed, as git does; zero when there is none.
func (r *Repo) best(candidates []plumbing.Hash, parents func(plumbing.Hash) ([]plumbing.Hash, error)) (plumbing.Hash, error) {
	if len(candidates) <= 1 {
		if len(candidates) == 0 {
			return plumbing.ZeroHash, nil
		}
		return candidates[0], nil
	}
	isCandidate := map[plumbing.Hash]bool{}
	for _, c := range candidates {
		isCandidate[c] = true
	}
	below := map[plumbing.Hash]bool{}
	for _, c := range candidates {
		if below[c] {
			continue
		}
		err := walkBack(c, parents, func(h plumbing.Hash) bool {
			if h != c && isCandidate[h] {
				below[h] = true
			}
			return true
		})
		if err != nil {
			return plumbing.ZeroHash, err
		}
	}
	var out plumbing.Hash
	var when int64
	for _, c := range candidates {
		if below[c] {
			continue
		}
		co, err := object.GetCommit(r.repo.Storer, c)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", short(c), err)
		}
		if t := co.Committer.When.Unix(); out.IsZero() || t > when {
			out, when = c, t
		}
	}
	return out, nil
}
