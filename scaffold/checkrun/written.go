package checkrun

import (
	"context"
	"fmt"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// Written checks documents a change is about to write into portfolio p,
// as they will be once written: files are the change's files with their
// new content (the documents, and anything they may link), docs the paths
// among them to check (portfolio-relative). The portfolio's other files
// are read from disk. It is what `pmfolio check` would say of them in the
// portfolio, its check: settings included, without the 90-day plan (a
// document alone says nothing of it), and writes nothing: not even the
// findings cache. dir is the folder the command runs in, for the paths
// Result.Path prints.
func Written(ctx context.Context, sess *session.Session, p *portfolio.Portfolio, store *packstore.Store, dir string, files []portfolio.File, docs []string) (*Result, error) {
	overlay := make(map[string][]byte, len(files))
	for _, f := range files {
		overlay[f.Path] = f.Data
	}
	read := func(rel string) ([]byte, error) {
		if data, ok := overlay[rel]; ok {
			return data, nil
		}
		return p.ReadFile(rel)
	}
	exists := func(rel string) bool {
		_, ok := overlay[rel]
		return ok || p.Exists(rel)
	}
	checker, err := newChecker(dir, p.Dir, p.Config, store, read, exists, sess.Today(), runOptions{})
	if err != nil {
		return nil, err
	}
	inputs := make([]check.Input, len(docs))
	for i, d := range docs {
		inputs[i] = check.Input{Path: d, Explicit: true}
	}
	rep, err := checker.Run(cancellable(ctx, check.Inputs(inputs)), false)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", docs, err)
	}
	res := &Result{Report: rep, Counts: rep.Apply(check.Policy{})}
	res.Path = displayer(Request{Dir: dir}, p.Dir)
	return res, nil
}
