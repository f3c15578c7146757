// Package packstore finds the packs a portfolio uses: the embedded default
// pack and the packs pmfolio.yaml pins, fetched from git repositories or
// folders, checked, cached by digest and verified on every load. It also
// holds the use cases that change the pins (pack add, use, remove, update),
// which write pmfolio.yaml through the portfolio's transaction. Like helm's
// downloader and repo packages, it keeps fetching apart from using.
package packstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// Store resolves pack names for one portfolio, for one command: the
// embedded default pack, and the packs pmfolio.yaml pins, loaded from the
// cache or, when the cache lacks them, fetched again at the pinned commit
// and checked against the pinned digest. Fetches end when its context does.
type Store struct {
	ctx context.Context
	env *environ.Env
	// cfg and root are the portfolio's configuration and folder; cfg is
	// nil outside a portfolio, where only the default pack exists.
	cfg  *portfolio.Config
	root string
	reg  *pack.Registry
	// cacheOnly serves pinned packs from the cache only.
	cacheOnly bool
}

// New returns the store of the portfolio at root configured by cfg (nil
// and "" outside a portfolio). ctx bounds every fetch the store makes; env
// locates the cache.
func New(ctx context.Context, env *environ.Env, cfg *portfolio.Config, root string) *Store {
	s := &Store{ctx: ctx, env: env, cfg: cfg, root: root}
	s.reg = &pack.Registry{Open: s.open}
	return s
}

// For is the store of the opened portfolio p.
func For(ctx context.Context, env *environ.Env, p *portfolio.Portfolio) *Store {
	return New(ctx, env, p.Config, p.Dir)
}

// CacheOnly makes the store serve pinned packs from the cache only, never
// fetching (nor filling the cache): for shell completion, which must
// answer at once and write nothing. It returns s.
func (s *Store) CacheOnly() *Store {
	s.cacheOnly = true
	return s
}

// cache is the pack cache, found only when a pinned pack needs it, so that
// the default pack works where no cache folder can be found.
func (s *Store) cache() (pack.Cache, error) {
	base, err := s.env.CacheHome()
	if err != nil {
		return pack.Cache{}, fmt.Errorf("find the cache folder: %w", err)
	}
	return pack.Cache{Dir: pack.CacheDir(base)}, nil
}

// Resolve returns the pack called name, else the portfolio's pack, else
// the default one.
func (s *Store) Resolve(name string) (*pack.Pack, error) {
	if name == "" && s.cfg != nil {
		name = s.cfg.Pack
	}
	if name == "" {
		name = pack.DefaultName
	}
	p, err := s.reg.Get(name)
	if errors.Is(err, pack.ErrUnknownPack) {
		return nil, hint.Wrap(err, "pin it first: pmfolio pack add SOURCE[@REF]; 'pmfolio pack list' shows the pinned packs")
	}
	return p, err
}

// Pin is the pin of the pack called name.
func (s *Store) Pin(name string) (*portfolio.PackPin, bool) {
	if s.cfg == nil {
		return nil, false
	}
	pin, ok := s.cfg.Packs[name]
	return pin, ok
}

// open loads a pinned pack for the registry.
func (s *Store) open(name string, reg *pack.Registry) (*pack.Pack, error) {
	pin, ok := s.Pin(name)
	if !ok {
		return nil, fmt.Errorf("%w %q: %s pins no such pack", pack.ErrUnknownPack, name, portfolio.ConfigFile)
	}
	files, err := s.pinnedFiles(name, pin)
	if err != nil {
		return nil, err
	}
	return pack.LoadWith(pack.MemFS(files), describePin(name, pin), reg)
}

// pinnedFiles returns the exact files a pin names: from the cache, or
// fetched again and stored there.
func (s *Store) pinnedFiles(name string, pin *portfolio.PackPin) ([]pack.File, error) {
	cache, err := s.cache()
	if err != nil {
		return nil, err
	}
	files, ok, err := cache.Read(pin.Digest, name)
	if err != nil {
		return nil, err
	}
	if ok {
		return files, nil
	}
	if s.cacheOnly {
		return nil, fmt.Errorf("pack %q is not in the cache", name)
	}
	src, err := pack.ParseLocation(pin.Source, s.root)
	if err != nil {
		return nil, err
	}
	f, err := s.fetch(src, pin.Subdir, pin.Ref, pin.Commit)
	var ure *UnreachableError
	switch {
	case errors.As(err, &ure):
		return nil, hint.Wrap(&PinError{Name: name, Pin: pin, Err: fmt.Errorf("it is not in this machine's cache, and its source cannot be reached (%w)", ure.Err)},
			"make %s reachable once (the network, the folder back in place): pmfolio fetches the pinned commit and works offline from then on\n"+
				"if the pack moved, set packs.%s.source in %s to its new place: the commit and digest pin the same files wherever they are", pin.Source, name, portfolio.ConfigFile)
	case err != nil:
		return nil, hint.Wrap(&PinError{Name: name, Pin: pin, Err: fmt.Errorf("it is not in this machine's cache, and fetching it failed: %w", err)},
			"the first use on a machine fetches the pinned commit from %s; later runs work offline", pin.Source)
	}
	if d := pack.Digest(f.Files); d != pin.Digest {
		return nil, hint.Wrap(fmt.Errorf("pack %q from %s is not the pack that was pinned: its digest is %s, %s pins %s", name, pin.Source, d, portfolio.ConfigFile, pin.Digest),
			"if the change is expected, move the pin with 'pmfolio pack update %s'", name)
	}
	if _, err := cache.Put(f.Files); err != nil {
		return nil, err
	}
	_ = cache.Remember(src.String(), pin.Subdir, pin.Version, pack.Release{Commit: f.Commit, Digest: pin.Digest})
	return f.Files, nil
}

func describePin(name string, pin *portfolio.PackPin) string {
	at := pin.Ref
	if pin.Commit != "" {
		at = fmt.Sprintf("%s, commit %.12s", pin.Ref, pin.Commit)
	}
	if at == "" {
		return fmt.Sprintf("%s (%s)", name, pin.Source)
	}
	return fmt.Sprintf("%s (%s at %s)", name, pin.Source, at)
}

// KindInfos are what the README index needs of pk's kinds: Month is the
// milestone of pk's plan (1-based) that first expects the kind, the
// month of the 90-day plan; Target how many documents the plan expects.
func KindInfos(pk *pack.Pack) []portfolio.KindInfo {
	plan := pk.Plan()
	var out []portfolio.KindInfo
	for _, k := range pk.OrderedKinds() {
		month := 0
		if m, _ := plan.Due(k.ID); m != nil {
			month = slices.IndexFunc(plan.Milestones, func(x pack.Milestone) bool { return x.Name == m.Name }) + 1
		}
		out = append(out, portfolio.KindInfo{ID: k.ID, Name: k.Name, Folder: k.Folder(), Month: month, Target: plan.Target(k.ID),
			Summary: k.Summary, Visibility: k.Visibility})
	}
	return out
}

// IndexKinds are the kinds the README index lists: the portfolio's pack's,
// then those only the pack in use (pk) or another pinned pack has, so that
// a course's extra kind stays in the index whichever pack the next
// document comes from. A pinned pack that cannot be loaded now only leaves
// its kinds out of the index.
func (s *Store) IndexKinds(pk *pack.Pack) []portfolio.KindInfo {
	var out []portfolio.KindInfo
	seen := map[string]bool{}
	add := func(p *pack.Pack) {
		for _, k := range KindInfos(p) {
			if !seen[k.ID] {
				seen[k.ID] = true
				out = append(out, k)
			}
		}
	}
	if own, err := s.Resolve(""); err == nil {
		add(own)
	}
	add(pk)
	if s.cfg == nil {
		return out
	}
	for _, name := range slices.Sorted(maps.Keys(s.cfg.Packs)) {
		if name == pk.Name || name == s.cfg.Pack {
			continue
		}
		if p, err := s.Resolve(name); err == nil {
			add(p)
		}
	}
	return out
}

// PinError says a pinned pack cannot be loaded, naming the pin: where it
// was pinned from, and at which ref and commit.
type PinError struct {
	Name string
	Pin  *portfolio.PackPin
	Err  error
}

func (e *PinError) Error() string {
	return fmt.Sprintf("pack %q, pinned in %s from %s%s: %v", e.Name, portfolio.ConfigFile, e.Pin.Source, PinSuffix(e.Pin), e.Err)
}

func (e *PinError) Unwrap() error { return e.Err }
