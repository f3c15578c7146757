package checkrun

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/environ"
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

// changes are what a --changed-since run compares a portfolio with: the
// files changed, added or gone since the base, and whether its
// configuration (check: settings, pack pins) changed.
type changes struct {
	cmp *portfolio.Comparison
	// touched holds the documents changed or added, and every file gone.
	touched map[string]bool
	// config is set when pmfolio.yaml changed: every document depends on
	// it.
	config bool
}

// compare opens the comparison --changed-since asks for.
func compare(p *portfolio.Portfolio, env *environ.Env, spec string) (*changes, error) {
	repo, err := p.Repo()
	if errors.Is(err, portfolio.ErrNoRepo) {
		return nil, hint.Wrap(fmt.Errorf("check: --changed-since needs a git repository; %s is not in one", p.Dir), "drop --changed-since to check every document")
	}
	if err != nil {
		return nil, err
	}
	cmp, err := repo.Compare(spec, env)
	if err != nil {
		return nil, fmt.Errorf("check: --changed-since: %w", err)
	}
	ch := &changes{cmp: cmp, touched: map[string]bool{}}
	for _, gone := range cmp.Gone(p.Exists) {
		ch.touched[gone] = true
	}
	cfg, err := p.ReadFile(portfolio.ConfigFile)
	switch {
	case err == nil:
		ch.config = cmp.Changed(portfolio.ConfigFile, cfg)
	case !errors.Is(err, fs.ErrNotExist):
		// Loose documents have no configuration.
		return nil, err
	}
	return ch, nil
}

// mark reads each input and marks those unchanged since the base as
// context: read for the 90-day plan, reported only when they depend on a
// file touched. After a change of configuration every document is
// checked.
func (ch *changes) mark(p *portfolio.Portfolio, inputs iter.Seq2[check.Input, error]) ([]check.Input, error) {
	var out []check.Input
	for in, err := range inputs {
		if err != nil {
			return nil, err
		}
		data, err := p.ReadFile(in.Path)
		if err != nil {
			return nil, err
		}
		if ch.cmp.Changed(in.Path, data) {
			ch.touched[in.Path] = true
		} else if !ch.config {
			in.Context = true
		}
		out = append(out, in)
	}
	return out, nil
}
