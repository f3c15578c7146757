package packstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/environ"

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
	// Warnings are what lint found short of an error; Notices what else
	// deserves one (a tag that moved, a tag of another version).
	Warnings []pack.Message
	Notices  []string

	// What an update changed (nil Diff when the old pin did not load):
	// for students, in the release notes, and how many of the
	// portfolio's Documents of the pack it concerns, by kind (Affected).
	Diff      *pack.Diff
	Notes     []pack.ReleaseNote
	Documents int
	Affected  map[string]int
	// NewerMajor is a release tag of a newer major version, if any.
	NewerMajor string
}

// lintHint tells the person pinning a pack that lint refused what to do.
func lintHint(err error) error {
	var le *LintError
	if errors.As(err, &le) {
		return hint.Wrap(err, "tell the pack's authors; 'pmfolio pack lint DIR' in a clone of it shows the same, and a release that passes can be pinned")
	}
	return err
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
	s := For(ctx, sess.Env, p)
	out, pk, err := s.fetchNew(req, sess.Today())
	if err != nil {
		return nil, err
	}
	if err := notPinned(p.Config, pk.Name); err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("pack: add %s %s%s\n", pk.Name, pk.Version, PinSuffix(out.Pin))
	err = changeConfig(ctx, sess, p, "pack add", msg, req.NoCommit, func(cfg *portfolio.Config) error {
		if err := notPinned(cfg, pk.Name); err != nil {
			return err
		}
		if cfg.Packs == nil {
			cfg.Packs = map[string]*portfolio.PackPin{}
		}
		cfg.Packs[pk.Name] = out.Pin
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

// ForInit fetches, lints and caches the pack at source (SOURCE[@REF],
// relative to base) for the portfolio init is about to make at target,
// and returns its pin and the loaded pack: pmfolio init --pack.
func ForInit(ctx context.Context, env *environ.Env, base, target, source, subdir string, date time.Time) (*Pinned, *pack.Pack, error) {
	s := New(ctx, env, nil, target)
	return s.fetchNew(AddRequest{Dir: base, Source: source, Subdir: subdir}, date)
}

// fetchNew is what pinning a new pack takes before pmfolio.yaml changes:
// the source checked, the pack fetched, linted (lint on date) and cached.
func (s *Store) fetchNew(req AddRequest, date time.Time) (*Pinned, *pack.Pack, error) {
	src, ref, err := pack.ParseSource(req.Source, req.Dir)
	if err != nil {
		return nil, nil, hint.Wrap(err, "a source is an https or ssh git URL, or a local path, optionally followed by @TAG, @BRANCH or @COMMIT")
	}
	if req.Subdir != "" {
		if err := pack.ValidPackPath(req.Subdir); err != nil {
			return nil, nil, hint.Wrap(fmt.Errorf("--subdir %q %v", req.Subdir, err), "give a folder of the repository, e.g. --subdir packs/acme")
		}
	}
	if err := s.refuseOutsideFolder(src); err != nil {
		var ure *UnreachableError
		if errors.As(err, &ure) && src.IsLocal() {
			return nil, nil, hint.Wrap(fmt.Errorf("%s does not exist; nothing was changed", src.Path),
				"a pack source is a git repository (an https or ssh URL, or the path of a clone) or a folder inside the portfolio, followed by @TAG for a release")
		}
		return nil, nil, err
	}
	f, pk, warnings, err := s.Fetch(src, req.Subdir, ref, date)
	if err != nil {
		return nil, nil, lintHint(err)
	}
	if pk.Name == pack.DefaultName {
		return nil, nil, hint.Wrap(fmt.Errorf("pack %q from %s has the name of the built-in pack", pk.Name, src), "rename it in its %s", pack.ManifestFile)
	}
	pin, err := s.Put(src, req.Subdir, ref, f, pk)
	if err != nil {
		return nil, nil, err
	}
	return &Pinned{Name: pk.Name, Version: pk.Version, Pin: pin, Changed: true, Warnings: warnings, Notices: tagNotices(nil, pin, f, pk)}, pk, nil
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

// Removed is what pack remove left behind: the documents made with the
// pack, which check reports (doc/pack-unknown) until it is pinned again.
type Removed struct {
	Documents []string
}

// Remove unpins a pack that is neither the portfolio's pack nor extended
// by another pinned pack, and lists the documents made with it.
func Remove(ctx context.Context, sess *session.Session, req UseRequest) (*Removed, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
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
		return nil, err
	}
	for other := range p.Config.Packs {
		if other == req.Name {
			continue
		}
		if pk, err := s.reg.Get(other); err == nil && pk.Base != nil && pk.Base.Name == req.Name {
			return nil, hint.Wrap(fmt.Errorf("pack %q extends %q; nothing was changed", other, req.Name), "remove %q first", other)
		}
	}
	out := &Removed{}
	entries, _, _ := p.List()
	for _, e := range entries {
		if e.Pack == req.Name {
			out.Documents = append(out.Documents, e.Path)
		}
	}
	return out, changeConfig(ctx, sess, p, "pack remove", fmt.Sprintf("pack: remove %s\n", req.Name), req.NoCommit, func(cfg *portfolio.Config) error {
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

// Update moves a pack's pin to a newer release, or to req.Ref, and says
// what that means for the portfolio: what changed for students, the
// release notes, the documents it concerns, a newer major version.
func Update(ctx context.Context, sess *session.Session, req UpdateRequest) (*Pinned, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	s := For(ctx, sess.Env, p)
	out, pk, src, err := s.Repin(req.Name, req.Ref, sess.Today())
	if err != nil {
		return nil, err
	}
	if !out.Changed {
		return out, nil
	}
	s.report(p, out, src, pk)
	old, pin := out.Old, out.Pin
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
// major version when ref is "") from where it is pinned, lints it (as of
// today), caches it, and returns its new pin (Changed when it differs from
// the old one), the pack and its source. It changes nothing in
// pmfolio.yaml: pack update writes the pin, and upgrade --to writes it in
// the same change as the documents it brings forward.
func (s *Store) Repin(name, ref string, today time.Time) (*Pinned, *pack.Pack, pack.Source, error) {
	old, ok := s.Pin(name)
	if !ok {
		return nil, nil, pack.Source{}, hint.Wrap(fmt.Errorf("%s pins no pack %q", portfolio.ConfigFile, name), "pin it with 'pmfolio pack add SOURCE[@REF]'")
	}
	src, err := pack.ParseLocation(old.Source, s.root)
	if err != nil {
		return nil, nil, src, err
	}
	if ref != "" {
		if err := pack.CheckRef(ref); err != nil {
			return nil, nil, src, fmt.Errorf("--ref: %v", err)
		}
	} else if ref, err = s.NextRef(src, old); err != nil {
		return nil, nil, src, err
	}
	f, pk, warnings, err := s.Fetch(src, old.Subdir, ref, today)
	if err != nil {
		return nil, nil, src, lintHint(err)
	}
	if pk.Name != name {
		return nil, nil, src, hint.Wrap(fmt.Errorf("%s now holds pack %q, not %q; nothing was changed", src, pk.Name, name), "pin it under its new name with 'pmfolio pack add'")
	}
	pin, err := s.Put(src, old.Subdir, ref, f, pk)
	if err != nil {
		return nil, nil, src, err
	}
	pin.Source = old.Source
	if err := s.noCycle(name, pin); err != nil {
		return nil, nil, src, err
	}
	out := &Pinned{Name: name, Version: pk.Version, Pin: pin, Old: old, Warnings: warnings}
	out.Notices = tagNotices(old, pin, f, pk)
	out.Changed = pin.Digest != old.Digest || pin.Commit != old.Commit || pin.Ref != old.Ref
	return out, pk, src, nil
}

// noCycle refuses a pin that would make pinned packs extend each other in
// a circle (or too deep): every pinned pack is loaded as it would be with
// the new pin.
func (s *Store) noCycle(name string, pin *portfolio.PackPin) error {
	cfg := *s.cfg
	cfg.Packs = maps.Clone(cfg.Packs)
	cfg.Packs[name] = pin
	next := New(s.ctx, s.env, &cfg, s.root).CacheOnly()
	for _, other := range slices.Sorted(maps.Keys(cfg.Packs)) {
		_, err := next.Resolve(other)
		if errors.Is(err, pack.ErrExtendsChain) {
			return hint.Wrap(fmt.Errorf("pack %q %s would not load with the new pin: %w; nothing was changed", other, cfg.Packs[other].Version, err),
				"pin releases that do not extend each other; 'pmfolio pack list' shows the pins")
		}
	}
	return nil
}

// tagNotices warns of a tag that moved since it was pinned, and of a tag
// whose pack.yaml says another version.
func tagNotices(old, pin *portfolio.PackPin, f *Fetched, pk *pack.Pack) []string {
	var out []string
	isTag := strings.HasPrefix(f.Ref, "refs/tags/")
	if old != nil && isTag && pin.Ref == old.Ref && pin.Commit != old.Commit && old.Commit != "" {
		out = append(out, fmt.Sprintf("tag %s moved since it was pinned: it named commit %.12s, it now names %.12s; a release should never change, so ask the pack's authors why", pin.Ref, old.Commit, pin.Commit))
	}
	if v, err := semver.NewVersion(shortRef(f.Ref)); isTag && err == nil && v.String() != pk.Version {
		out = append(out, fmt.Sprintf("tag %s holds a pack.yaml of version %s; the pin records %s, and 'pmfolio pack update' may choose releases wrongly", shortRef(f.Ref), pk.Version, pk.Version))
	}
	return out
}

// report fills in what an update means for the portfolio.
func (s *Store) report(p *portfolio.Portfolio, out *Pinned, src pack.Source, pk *pack.Pack) {
	if prev, err := s.Resolve(out.Name); err == nil {
		out.Diff = pack.Compare(prev, pk)
	}
	out.Notes = pk.ReleaseNotes(out.Old.Version, pk.Version)
	entries, _, _ := p.List()
	out.Affected = map[string]int{}
	for _, e := range entries {
		if e.Pack != out.Name {
			continue
		}
		out.Documents++
		if out.Diff != nil && out.Diff.Kind(e.Kind) != nil && older(e.PackVersion, pk.Version) {
			out.Affected[e.Kind]++
		}
	}
	out.NewerMajor = s.newerMajor(src, out.Pin.Subdir, pk.Version)
}

// newerMajor is the newest release tag of a higher major version than
// version, "" when there is none (or the source cannot say).
func (s *Store) newerMajor(src pack.Source, subdir, version string) string {
	cur, err := semver.NewVersion(version)
	if err != nil {
		return ""
	}
	// Unknown when the source cannot say: nothing to tell of.
	tag, _ := s.newestTag(src, subdir, cur, func(v *semver.Version) bool { return v.Major() > cur.Major() })
	return tag
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
	ch := portfolio.Change{What: what, Files: []portfolio.File{{Path: portfolio.ConfigFile, Data: data}}, Replace: map[string]bool{portfolio.ConfigFile: true, portfolio.ReadmeFile: true}}
	// The README index lists the kinds and the plan of the packs as they
	// are pinned now, in the same commit.
	next := New(ctx, sess.Env, cfg, p.Dir)
	if own, err := next.Resolve(""); err == nil {
		readme, err := p.ReadmeUpdate(repo, next.IndexKinds(own))
		if err != nil {
			// The pin stands on its own; the index says why it stays as
			// it is (a kind's folder that leads out of the portfolio).
			fmt.Fprintf(sess.Log, "pmfolio: warning: %s was not refreshed: %v\n", portfolio.ReadmeFile, err)
		} else {
			ch.Files = append(ch.Files, readme)
		}
	}
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
