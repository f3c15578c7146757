package packstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Recorded is what a document's front matter, or its answers file,
// recorded about the pack it was rendered with.
type Recorded struct {
	Name, Version string
	// Commit and Digest are recorded by newer answers files; either makes
	// finding that version cheaper and exact.
	Commit string
	Digest string
}

func (r Recorded) String() string { return fmt.Sprintf("%s %s", r.Name, r.Version) }

// UnavailableError says a pack's version cannot be had here: it is not
// in the cache, and its source cannot be reached or has no such release.
type UnavailableError struct {
	Name, Version string
	// Reason says why, for messages.
	Reason string
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("pack %q %s is not available: %s", e.Name, e.Version, e.Reason)
}

// OpenAt returns the pack as it was when a document was rendered with it:
// the pinned pack itself when the versions (and digests, when recorded)
// match; else that version from the cache, by digest or by the cache's
// index of releases; else from the pinned source's history (the recorded
// commit, else the tag v<version>, else <version>), checked against the
// version and digest recorded and cached. A version that cannot be had is
// an *UnavailableError; a name the portfolio does not pin wraps
// pack.ErrUnknownPack. The pack's base is the one pinned today.
func (s *Store) OpenAt(rec Recorded) (*pack.Pack, error) {
	if rec.Name == pack.DefaultName {
		def, err := pack.Default()
		if err != nil || rec.Version == "" || rec.Version == def.Version {
			return def, err
		}
		return nil, &UnavailableError{Name: rec.Name, Version: rec.Version, Reason: fmt.Sprintf("this pmfolio embeds default %s only", def.Version)}
	}
	pin, ok := s.Pin(rec.Name)
	if !ok {
		return nil, fmt.Errorf("%w %q: %s pins no such pack", pack.ErrUnknownPack, rec.Name, portfolio.ConfigFile)
	}
	if (rec.Version == "" || rec.Version == pin.Version) && (rec.Digest == "" || rec.Digest == pin.Digest) {
		return s.Resolve(rec.Name)
	}
	files, err := s.filesAt(rec, pin)
	if err != nil {
		return nil, err
	}
	return pack.LoadWith(pack.MemFS(files), fmt.Sprintf("%s %s (%s)", rec.Name, rec.Version, pin.Source), s.reg)
}

// filesAt finds the files of rec's version, from the cache or the pinned
// source's history.
func (s *Store) filesAt(rec Recorded, pin *portfolio.PackPin) ([]pack.File, error) {
	unavailable := func(format string, args ...any) error {
		return &UnavailableError{Name: rec.Name, Version: rec.Version, Reason: fmt.Sprintf(format, args...)}
	}
	cache, err := s.cache()
	if err != nil {
		return nil, err
	}
	src, err := pack.ParseLocation(pin.Source, s.root)
	if err != nil {
		return nil, err
	}
	digest := rec.Digest
	if digest == "" {
		if rel, ok := cache.Recall(src.String(), pin.Subdir, rec.Version); ok {
			digest = rel.Digest
		}
	}
	if digest != "" {
		if files, ok, err := cache.Read(digest, rec.Name); err == nil && ok {
			return files, nil
		}
	}
	if s.cacheOnly {
		return nil, unavailable("it is not in the cache")
	}
	repo, err := repository(src, pin.Subdir)
	var ure *UnreachableError
	switch {
	case errors.As(err, &ure):
		return nil, unavailable("it is not in the cache, and %s cannot be reached (%v)", pin.Source, ure.Err)
	case err != nil:
		return nil, unavailable("it is not in the cache, and %s cannot be read: %v", pin.Source, err)
	}
	if repo == nil {
		return nil, unavailable("it is not in the cache, and %s is a folder, which keeps no earlier versions", pin.Source)
	}
	var f *Fetched
	for _, ref := range []string{"v" + rec.Version, rec.Version} {
		if f, err = s.fetch(src, pin.Subdir, ref, rec.Commit); !errors.Is(err, gitfetch.ErrRefNotFound) {
			break
		}
	}
	switch {
	case errors.Is(err, gitfetch.ErrRefNotFound):
		return nil, unavailable("it is not in the cache, and %s has no tag v%s", pin.Source, rec.Version)
	case err != nil:
		var re *pack.RefusedError
		if errors.As(err, &re) || s.ctx.Err() != nil {
			return nil, err
		}
		return nil, unavailable("it is not in the cache, and %s cannot be reached: %v", pin.Source, err)
	}
	if v := manifestVersion(f.Files); v != rec.Version {
		return nil, unavailable("%s at %s holds version %q, not %s", pin.Source, orCommit(shortRef(f.Ref), f.Commit), v, rec.Version)
	}
	got, err := cache.Put(f.Files)
	if err != nil {
		return nil, err
	}
	if rec.Digest != "" && got != rec.Digest {
		return nil, unavailable("%s at %s is not the pack it was rendered with: its digest is %s, the document recorded %s", pin.Source, orCommit(shortRef(f.Ref), f.Commit), got, rec.Digest)
	}
	// Failing to remember costs a fetch next time, nothing more.
	_ = cache.Remember(src.String(), pin.Subdir, rec.Version, pack.Release{Commit: f.Commit, Digest: got})
	return f.Files, nil
}

func orCommit(ref, commit string) string {
	if ref != "" {
		return ref
	}
	return fmt.Sprintf("commit %.12s", commit)
}

// manifestVersion is the version pack.yaml declares, "" when it cannot be
// read.
func manifestVersion(files []pack.File) string {
	for _, f := range files {
		if f.Path == pack.ManifestFile {
			var m struct {
				Version string `yaml:"version"`
			}
			if n, err := yamlfile.Parse(f.Path, f.Data); err == nil && n.Decode(&m) == nil {
				return m.Version
			}
		}
	}
	return ""
}

// Release returns the pack a grader grades with, who pins nothing: the
// default pack embedded in pmfolio (name "default", no source), or
// release version of the pack at source (its tag v<version>, else
// <version>), from the cache, else fetched, checked to declare that
// version, and cached, as OpenAt finds a document's version. cacheOnly
// never fetches (pmfolio grade --offline). Relative local sources are
// relative to dir. The pack may extend the default pack.
func Release(ctx context.Context, env *environ.Env, name, source, subdir, version, dir string, cacheOnly bool) (*pack.Pack, error) {
	if source == "" {
		return OpenAt(ctx, env, Recorded{Name: name, Version: version})
	}
	src, err := pack.ParseLocation(source, dir)
	if err != nil {
		return nil, err
	}
	pin := &portfolio.PackPin{Source: src.String(), Subdir: subdir}
	s := New(ctx, env, &portfolio.Config{Packs: map[string]*portfolio.PackPin{name: pin}}, dir)
	s.cacheOnly = cacheOnly
	files, err := s.filesAt(Recorded{Name: name, Version: version}, pin)
	if err != nil {
		return nil, err
	}
	pk, err := pack.LoadWith(pack.MemFS(files), fmt.Sprintf("%s %s (%s)", name, version, source), s.reg)
	if err == nil && pk.Name != name {
		return nil, fmt.Errorf("%s at version %s is pack %q, not %q", source, version, pk.Name, name)
	}
	return pk, err
}

// OpenAt is Store.OpenAt outside any portfolio: the default pack only.
func OpenAt(ctx context.Context, env *environ.Env, rec Recorded) (*pack.Pack, error) {
	return New(ctx, env, nil, "").OpenAt(rec)
}
