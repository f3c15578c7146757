package packstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"

	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// The use cases of this file change the pins in pmfolio.yaml. Each reads,
// fetches and checks what it can without the lock, then edits pmfolio.yaml
// as it is under the lock (another pmfolio may have changed it meanwhile)
// and writes and commits it through the portfolio's transaction.

// Pinned is the outcome of a use case that pins a pack.
type Pinned struct {
	Name, Version string
	Pin           *portfolio.PackPin
	// Old is the pin that update replaced; nil for add.
	Old *portfolio.PackPin
	// Changed is false when update found the pin up to date.
	Changed bool
	// Default is set when the pack is now the portfolio's pack.
	Default bool
}

// AddRequest asks to pin a pack.
type AddRequest struct {
	// Dir is the folder the command runs in; Source is relative to it.
	Dir      string
	Source   string
	Subdir   string
	Default  bool
	NoCommit bool
}

// Add fetches the pack req names, checks it, caches it and pins it in
// pmfolio.yaml: a git repository (remote or local) by its location and
// commit, a plain folder inside the portfolio by its path relative to the
// portfolio. A plain folder outside the portfolio is refused: its path
// would mean nothing in another clone.
func Add(ctx context.Context, sess *session.Session, req AddRequest) (*Pinned, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	src, ref, err := pack.ParseSource(req.Source, req.Dir)
	if err != nil {
		return nil, hint.Wrap(err, "a source is an https or ssh git URL, or a local path, optionally followed by @TAG, @BRANCH or @COMMIT")
	}
	if req.Subdir != "" {
		if err := pack.ValidPackPath(req.Subdir); err != nil {
			return nil, hint.Wrap(fmt.Errorf("--subdir %q %v", req.Subdir, err), "give a folder of the repository, e.g. --subdir packs/acme")
		}
	}
	s := For(ctx, sess.Env, p)
	if err := s.refuseOutsideFolder(src); err != nil {
		return nil, err
	}
	f, pk, err := s.Fetch(src, req.Subdir, ref)
	if err != nil {
		return nil, err
	}
	if pk.Name == pack.DefaultName {
		return nil, hint.Wrap(fmt.Errorf("pack %q from %s has the name of the built-in pack", pk.Name, src), "rename it in its %s", pack.ManifestFile)
	}
	if err := notPinned(p.Config, pk.Name); err != nil {
		return nil, err
	}
	pin, err := s.Put(src, req.Subdir, ref, f, pk)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("pack: add %s %s%s\n", pk.Name, pk.Version, PinSuffix(pin))
	out := &Pinned{Name: pk.Name, Version: pk.Version, Pin: pin, Changed: true}
	err = changeConfig(ctx, sess, p, "pack add", msg, req.NoCommit, func(cfg *portfolio.Config) error {
		if err := notPinned(cfg, pk.Name); err != nil {
			return err
		}
		if cfg.Packs == nil {
			cfg.Packs = map[string]*portfolio.PackPin{}
		}
		cfg.Packs[pk.Name] = pin
		if req.Default {
			cfg.Pack = pk.Name
		}
		out.Default = cfg.Pack == pk.Name
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func notPinned(cfg *portfolio.Config, name string) error {
	if _, ok := cfg.Packs[name]; ok {
		return hint.Wrap(fmt.Errorf("pack %q is already pinned; nothing was changed", name), "move its pin with 'pmfolio pack update %s --ref REF'", name)
	}
	return nil
}

// refuseOutsideFolder refuses to pin a plain folder outside the portfolio.
func (s *Store) refuseOutsideFolder(src pack.Source) error {
	folder, err := isFolder(src)
	if err != nil || !folder || s.Inside(src) {
		return err
	}
	return hint.Wrap(fmt.Errorf("%s is a plain folder outside the portfolio: a pin of it would name a path of this machine only; nothing was changed", src),
		"publish the pack in a git repository (git init && git add . && git commit in %s), then pin that: pmfolio pack add %s@main\nor copy it into the portfolio and pin the copy: pmfolio pack add packs/%s",
		src, src, filepath.Base(src.Path))
}

// UseRequest asks to make a pack the portfolio's pack.
type UseRequest struct {
	Dir, Name string
	NoCommit  bool
}

// Use makes a pinned pack, or the default one, the portfolio's pack.
func Use(ctx context.Context, sess *session.Session, req UseRequest) (*Pinned, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	pk, err := For(ctx, sess.Env, p).Resolve(req.Name)
	if err != nil {
		return nil, err
	}
	want := req.Name
	if want == pack.DefaultName {
		want = ""
	}
	out := &Pinned{Name: pk.Name, Version: pk.Version, Default: true}
	if p.Config.Pack == want {
		return out, nil
	}
	out.Changed = true
	return out, changeConfig(ctx, sess, p, "pack use", fmt.Sprintf("pack: use %s %s\n", pk.Name, pk.Version), req.NoCommit, func(cfg *portfolio.Config) error {
		cfg.Pack = want
		return nil
	})
}

// Remove unpins a pack that is neither the portfolio's pack nor extended
// by another pinned pack.
func Remove(ctx context.Context, sess *session.Session, req UseRequest) error {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return err
	}
	defer p.Close()
	s := For(ctx, sess.Env, p)
	check := func(cfg *portfolio.Config) error {
		if _, ok := cfg.Packs[req.Name]; !ok {
			return hint.Wrap(fmt.Errorf("%s pins no pack %q; nothing was changed", portfolio.ConfigFile, req.Name), "'pmfolio pack list' shows the pinned packs")
		}
		if cfg.Pack == req.Name {
			return hint.Wrap(fmt.Errorf("pack %q is the portfolio's pack (pack: in %s); nothing was changed", req.Name, portfolio.ConfigFile),
				"choose another first: pmfolio pack use default")
		}
		return nil
	}
	if err := check(p.Config); err != nil {
		return err
	}
	for other := range p.Config.Packs {
		if other == req.Name {
			continue
		}
		if pk, err := s.reg.Get(other); err == nil && pk.Base != nil && pk.Base.Name == req.Name {
			return hint.Wrap(fmt.Errorf("pack %q extends %q; nothing was changed", other, req.Name), "remove %q first", other)
		}
	}
	return changeConfig(ctx, sess, p, "pack remove", fmt.Sprintf("pack: remove %s\n", req.Name), req.NoCommit, func(cfg *portfolio.Config) error {
		if err := check(cfg); err != nil {
			return err
		}
		cfg.Packs = maps.Clone(cfg.Packs)
		delete(cfg.Packs, req.Name)
		return nil
	})
}

// UpdateRequest asks to move a pin.
type UpdateRequest struct {
	Dir, Name string
	// Ref, when set, is the tag, branch or commit to pin; else the newest
	// release of the pinned major version (see NextRef).
	Ref      string
	NoCommit bool
}

// Update moves a pack's pin to a newer release, or to req.Ref.
func Update(ctx context.Context, sess *session.Session, req UpdateRequest) (*Pinned, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	s := For(ctx, sess.Env, p)
	old, _ := s.Pin(req.Name)
	pin, pk, err := s.Repin(req.Name, req.Ref)
	if err != nil {
		return nil, err
	}
	out := &Pinned{Name: req.Name, Version: pk.Version, Pin: pin, Old: old}
	if pin.Digest == old.Digest && pin.Commit == old.Commit && pin.Ref == old.Ref {
		return out, nil
	}
	out.Changed = true
	msg := fmt.Sprintf("pack: update %s %s -> %s%s\n", req.Name, old.Version, pin.Version, PinSuffix(pin))
	return out, changeConfig(ctx, sess, p, "pack update", msg, req.NoCommit, func(cfg *portfolio.Config) error {
		if _, ok := cfg.Packs[req.Name]; !ok {
			return fmt.Errorf("%s no longer pins pack %q; nothing was changed", portfolio.ConfigFile, req.Name)
		}
		cfg.Packs = maps.Clone(cfg.Packs)
		cfg.Packs[req.Name] = pin
		return nil
	})
}

// Repin fetches the pack called name at ref (at the newest release of its
// major version when ref is "") from where it is pinned, caches it, and
// returns its new pin and the pack. It changes nothing in pmfolio.yaml:
// pack update writes the pin, and upgrade --to writes it in the same
// change as the documents it brings forward.
func (s *Store) Repin(name, ref string) (*portfolio.PackPin, *pack.Pack, error) {
	old, ok := s.Pin(name)
	if !ok {
		return nil, nil, hint.Wrap(fmt.Errorf("%s pins no pack %q", portfolio.ConfigFile, name), "pin it with 'pmfolio pack add SOURCE[@REF]'")
	}
	src, err := pack.ParseLocation(old.Source, s.root)
	if err != nil {
		return nil, nil, err
	}
	if ref != "" {
		if err := pack.CheckRef(ref); err != nil {
			return nil, nil, fmt.Errorf("--ref: %v", err)
		}
	} else if ref, err = s.NextRef(src, old); err != nil {
		return nil, nil, err
	}
	f, pk, err := s.Fetch(src, old.Subdir, ref)
	if err != nil {
		return nil, nil, err
	}
	if pk.Name != name {
		return nil, nil, hint.Wrap(fmt.Errorf("%s now holds pack %q, not %q; nothing was changed", src, pk.Name, name), "pin it under its new name with 'pmfolio pack add'")
	}
	pin, err := s.Put(src, old.Subdir, ref, f, pk)
	if err != nil {
		return nil, nil, err
	}
	pin.Source = old.Source
	return pin, pk, nil
}

// PinSuffix describes a pin in messages: its ref and commit, or the digest
// of a folder.
func PinSuffix(pin *portfolio.PackPin) string {
	if pin.Commit != "" {
		return fmt.Sprintf(" (%s, commit %.12s)", pin.Ref, pin.Commit)
	}
	return fmt.Sprintf(" (%.19s)", pin.Digest)
}

// changeConfig edits pmfolio.yaml under the portfolio's lock, keeping its
// comments, and commits it unless noCommit. edit gets the configuration as
// it is once the lock is held.
func changeConfig(ctx context.Context, sess *session.Session, p *portfolio.Portfolio, what, msg string, noCommit bool, edit func(*portfolio.Config) error) error {
	var repo *portfolio.Repo
	var who portfolio.Identity
	var err error
	if !noCommit {
		if repo, who, err = sess.Signer(p); err != nil {
			return err
		}
	}
	st, err := sess.State(p.Dir)
	if err != nil {
		return err
	}
	tx, err := sess.Begin(ctx, st)
	if err != nil {
		return err
	}
	defer tx.Close()
	old, err := p.ReadFile(portfolio.ConfigFile)
	if err != nil {
		return err
	}
	cfg, err := portfolio.ParseConfig(filepath.Join(p.Dir, portfolio.ConfigFile), old)
	if err != nil {
		return err
	}
	if err := edit(cfg); err != nil {
		return err
	}
	data, err := cfg.Update(old)
	if err != nil {
		return err
	}
	ch := portfolio.Change{What: what, Files: []portfolio.File{{Path: portfolio.ConfigFile, Data: data}}, Replace: map[string]bool{portfolio.ConfigFile: true}}
	if !noCommit {
		if ch.Commit, err = sess.Commit(repo, who, msg); err != nil {
			return err
		}
	}
	err = tx.Apply(p, ch)
	var ce *portfolio.CommitError
	if errors.As(err, &ce) {
		return hint.Wrap(fmt.Errorf("updated %s but could not commit it: %w", portfolio.ConfigFile, ce.Err), "commit it with git")
	}
	return err
}
