package packstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// At returns the store of the packs known in dir: the pins of the
// portfolio that encloses it, or only the default pack outside any
// portfolio. It creates and changes nothing.
func At(ctx context.Context, sess *session.Session, dir string) (*Store, error) {
	p, err := portfolio.Open(dir)
	var nf *portfolio.NotFoundError
	switch {
	case errors.As(err, &nf):
		return New(ctx, sess.Env, nil, ""), nil
	case err != nil:
		return nil, err
	}
	defer p.Close()
	return For(ctx, sess.Env, p), nil
}

// Entry is one pack of a listing.
type Entry struct {
	Name, Version string
	// Pin is nil for the built-in default pack.
	Pin *portfolio.PackPin
	// Current marks the portfolio's pack.
	Current bool
}

// List lists the default pack and the packs the portfolio at dir pins,
// sorted by name after the default one.
func List(ctx context.Context, sess *session.Session, dir string) ([]Entry, error) {
	s, err := At(ctx, sess, dir)
	if err != nil {
		return nil, err
	}
	def, err := pack.Default()
	if err != nil {
		return nil, err
	}
	current := pack.DefaultName
	var names []string
	if s.cfg != nil {
		names = slices.Sorted(maps.Keys(s.cfg.Packs))
		if s.cfg.Pack != "" {
			current = s.cfg.Pack
		}
	}
	out := []Entry{{Name: pack.DefaultName, Version: def.Version, Current: current == pack.DefaultName}}
	for _, name := range names {
		pin := s.cfg.Packs[name]
		out = append(out, Entry{Name: name, Version: pin.Version, Pin: pin, Current: current == name})
	}
	return out, nil
}

// Show loads the pack called name as the portfolio at dir knows it (the
// portfolio's own pack when name is ""), with its pin (nil for the default
// pack).
func Show(ctx context.Context, sess *session.Session, dir, name string) (*pack.Pack, *portfolio.PackPin, error) {
	s, err := At(ctx, sess, dir)
	if err != nil {
		return nil, nil, err
	}
	pk, err := s.Resolve(name)
	if err != nil {
		return nil, nil, err
	}
	pin, _ := s.Pin(pk.Name)
	return pk, pin, nil
}

// LintRequest asks to lint the pack in a folder.
type LintRequest struct {
	// Dir is the folder the command runs in; Pack is relative to it ("" is
	// Dir itself), and Shown is how messages name it.
	Dir, Pack, Shown string
	// Check holds each rendered sample to check's rules.
	Check pack.Checker
	// Bases maps the name of a pack the linted pack (or its base) extends
	// to SOURCE[@REF], as pmfolio pack add takes it (--base NAME=SOURCE@REF).
	Bases map[string]string
	// Against, when set, is an earlier release (a tag, branch or commit of
	// the git repository holding the pack) to compare the pack with: a
	// breaking change in a release of the same major version is an error.
	Against string
}

// Lint checks the pack in a folder as `helm lint` checks a chart. The pack
// it extends is found as pack add finds a pack, from a source: one given
// in req.Bases, else the source its extends: names in pack.yaml, else
// a pack the portfolio around the folder pins.
func Lint(ctx context.Context, sess *session.Session, req LintRequest) (*pack.Pack, []pack.Message, error) {
	dir := req.Pack
	if dir == "" {
		dir = "."
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(req.Dir, dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, hint.Wrap(fmt.Errorf("pack lint: %w", err), "give the folder that holds pack.yaml")
	}
	defer root.Close()
	s, err := At(ctx, sess, dir)
	if err != nil {
		return nil, nil, err
	}
	b := &bases{s: s, from: map[string]baseSource{}}
	for name, arg := range req.Bases {
		b.from[name] = baseSource{arg: arg, dir: req.Dir, shown: "--base " + name + "=" + arg}
	}
	if data, err := root.ReadFile(pack.ManifestFile); err == nil {
		b.learn(data, dir, pack.ManifestFile)
	}
	reg := &pack.Registry{Open: b.open}
	p, msgs, err := pack.Lint(root.FS(), req.Shown, reg, pack.LintOptions{Date: sess.Today(), Check: req.Check})
	if err != nil || p == nil || req.Against == "" {
		return p, msgs, err
	}
	old, err := s.release(dir, req.Against, reg)
	if err != nil {
		return nil, nil, err
	}
	return p, append(msgs, pack.AgainstRelease(old, p, req.Against)...), nil
}

// release loads the pack in dir as it was at ref of the git repository
// holding dir: committed files only.
func (s *Store) release(dir, ref string, reg *pack.Registry) (*pack.Pack, error) {
	if err := pack.CheckRef(ref); err != nil {
		return nil, fmt.Errorf("--against: %v", err)
	}
	top, subdir, ok := gitTop(dir)
	if !ok {
		return nil, hint.Wrap(fmt.Errorf("--against %s: %s is not in a git repository, so it has no earlier release", ref, dir),
			"run it in a clone of the pack's repository, where the release is tagged")
	}
	f, err := s.fetch(pack.Source{Path: top}, subdir, ref, "")
	if errors.Is(err, gitfetch.ErrRefNotFound) {
		return nil, hint.Wrap(fmt.Errorf("--against: %w", err), "'git tag' lists the releases")
	}
	if err != nil {
		return nil, fmt.Errorf("--against %s: %w", ref, err)
	}
	old, err := pack.LoadWith(pack.MemFS(f.Files), dir+"@"+ref, reg)
	if err != nil {
		return nil, hint.Wrap(fmt.Errorf("--against %s: the release does not load: %w", ref, err), "compare with a release this pmfolio can load")
	}
	return old, nil
}

// gitTop finds the git repository holding dir: its top folder, and dir
// relative to it (slash-separated, "" for the top itself).
func gitTop(dir string) (top, subdir string, ok bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", false
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", "", false
			}
			if rel == "." {
				rel = ""
			}
			return d, filepath.ToSlash(rel), true
		}
		if filepath.Dir(d) == d {
			return "", "", false
		}
	}
}

// baseSource is where a base pack is fetched from for lint: SOURCE[@REF]
// relative to dir, and what gave it, for messages.
type baseSource struct {
	arg, subdir, dir, shown string
}

// bases finds the packs a linted pack extends: from the sources given or
// learnt from pack.yaml files, else from the portfolio's pins.
type bases struct {
	s    *Store
	from map[string]baseSource
}

// learn records the source a manifest's extends: names, unless one was
// given for that name already (--base wins).
func (b *bases) learn(manifest []byte, dir, shown string) {
	m, err := pack.ParseManifest(pack.ManifestFile, manifest)
	if err != nil || m.Extends.Source == "" {
		return
	}
	if _, given := b.from[m.Extends.Name]; given {
		return
	}
	arg := m.Extends.Source
	if m.Extends.Ref != "" {
		arg += "@" + m.Extends.Ref
	}
	b.from[m.Extends.Name] = baseSource{arg: arg, subdir: m.Extends.Subdir, dir: dir, shown: "extends: in " + shown}
}

func (b *bases) open(name string, reg *pack.Registry) (*pack.Pack, error) {
	bs, ok := b.from[name]
	if !ok {
		p, err := b.s.open(name, reg)
		if errors.Is(err, pack.ErrUnknownPack) {
			return nil, fmt.Errorf("%w; give its source: pmfolio pack lint --base %s=SOURCE@REF, or extends: {name: %s, source: SOURCE, ref: REF} in pack.yaml", err, name, name)
		}
		return p, err
	}
	src, ref, err := pack.ParseSource(bs.arg, bs.dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bs.shown, err)
	}
	f, err := b.s.fetch(src, bs.subdir, ref, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bs.shown, err)
	}
	desc := bs.arg
	for _, file := range f.Files {
		if file.Path == pack.ManifestFile {
			b.learn(file.Data, src.String(), desc)
		}
	}
	return pack.LoadWith(pack.MemFS(f.Files), desc, reg)
}
