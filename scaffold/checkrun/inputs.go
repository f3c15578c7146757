package checkrun

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// inputs yields the documents of the group's targets: a file as named, a
// folder for the Markdown below it, each document once. Folders are walked
// as the sequence is read.
func (g *Group) inputs(p *portfolio.Portfolio) iter.Seq2[check.Input, error] {
	return func(yield func(check.Input, error) bool) {
		seen := map[string]bool{}
		for _, t := range g.Targets {
			if !t.Dir {
				if !seen[t.Rel] {
					seen[t.Rel] = true
					if !yield(check.Input{Path: t.Rel, Explicit: true}, nil) {
						return
					}
				}
				continue
			}
			for rel, err := range p.Markdown(t.Rel) {
				if err != nil {
					yield(check.Input{}, err)
					return
				}
				if !seen[rel] {
					seen[rel] = true
					if !yield(check.Input{Path: rel}, nil) {
						return
					}
				}
			}
		}
	}
}

// cancellable ends seq with ctx's error once ctx is done: Ctrl-C stops a
// check of ten thousand documents between two of them.
func cancellable(ctx context.Context, seq iter.Seq2[check.Input, error]) iter.Seq2[check.Input, error] {
	return func(yield func(check.Input, error) bool) {
		for in, err := range seq {
			if cerr := ctx.Err(); cerr != nil {
				yield(check.Input{}, cerr)
				return
			}
			if !yield(in, err) || err != nil {
				return
			}
		}
	}
}

// prefetch reads seq in a goroutine into a buffer, so that finding the
// inputs overlaps whatever the caller does before reading them. stop ends
// the goroutine when the inputs are not read to the end.
func prefetch(seq iter.Seq2[check.Input, error]) (_ iter.Seq2[check.Input, error], stop func()) {
	type item struct {
		in  check.Input
		err error
	}
	ch := make(chan item, 4096)
	done := make(chan struct{})
	stop = sync.OnceFunc(func() { close(done) })
	go func() {
		defer close(ch)
		for in, err := range seq {
			select {
			case ch <- item{in, err}:
			case <-done:
				return
			}
		}
	}()
	return func(yield func(check.Input, error) bool) {
		defer stop()
		for it := range ch {
			if !yield(it.in, it.err) {
				return
			}
		}
	}, stop
}

// changedInputs keeps the inputs whose content differs from git's ref.
func changedInputs(p *portfolio.Portfolio, ref string, inputs iter.Seq2[check.Input, error]) (iter.Seq2[check.Input, error], error) {
	repo, err := p.Repo()
	if errors.Is(err, portfolio.ErrNoRepo) {
		return nil, hint.Wrap(fmt.Errorf("check: --changed-since needs a git repository; %s is not in one", p.Dir), "drop --changed-since to check every document")
	}
	if err != nil {
		return nil, err
	}
	var paths []string
	explicit := map[string]bool{}
	for in, err := range inputs {
		if err != nil {
			return nil, err
		}
		paths = append(paths, in.Path)
		explicit[in.Path] = in.Explicit
	}
	changed, err := repo.ChangedSince(ref, paths, p.ReadFile)
	if err != nil {
		return nil, hint.Wrap(fmt.Errorf("check: --changed-since: %v", err), "give a branch, tag or commit, e.g. --changed-since origin/main")
	}
	out := make([]check.Input, len(changed))
	for i, c := range changed {
		out[i] = check.Input{Path: c, Explicit: explicit[c]}
	}
	return check.Inputs(out), nil
}
