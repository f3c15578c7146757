package packstore

import (
	"context"
	"errors"
	"fmt"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// FetchTimeout bounds one fetch of a pack over the network.
const FetchTimeout = 2 * time.Minute

// Fetched is a pack's files as read from its source.
type Fetched struct {
	Files []pack.File
	// Commit and Ref are what a git source resolved to; both empty for a
	// plain folder.
	Commit string
	Ref    string
}

// UnreachableError says a pack's source cannot be reached: a local path
// that does not exist (any more), a server that does not answer.
type UnreachableError struct {
	Source string
	Err    error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s: %v", e.Source, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// repository opens src as a git repository; nil means a plain folder.
func repository(src pack.Source, subdir string) (gitfetch.Repository, error) {
	o := gitfetch.Options{Subdir: subdir, Limits: gitfetch.Limits{MaxFileSize: pack.MaxFileSize, MaxFiles: pack.MaxFiles, MaxTotal: pack.MaxTotalSize}}
	if !src.IsLocal() {
		return gitfetch.NewRemote(src.URL, o)
	}
	if _, err := os.Stat(src.Path); errors.Is(err, fs.ErrNotExist) {
		return nil, &UnreachableError{Source: src.Path, Err: errors.New("no such file or folder")}
	}
	l, ok, err := gitfetch.OpenLocal(src.Path, o)
	if err != nil || !ok {
		return nil, err
	}
	return l, nil
}

// isFolder reports whether src is a plain folder rather than a git
// repository.
func isFolder(src pack.Source) (bool, error) {
	if !src.IsLocal() {
		return false, nil
	}
	repo, err := repository(src, "")
	return repo == nil && err == nil, err
}

// fetch reads a pack from src: a git repository at ref (or at commit,
// when pinned), or a plain folder. Every file passes the pack rules before
// it is returned; nothing is written. The store's context ends it.
func (s *Store) fetch(src pack.Source, subdir, ref, commit string) (*Fetched, error) {
	repo, err := repository(src, subdir)
	if err != nil {
		return nil, err
	}
	if repo == nil {
		if ref != "" {
			return nil, hint.Wrap(fmt.Errorf("%s is a folder, not a git repository, so it has no ref %q", src, ref), "drop @%s, or point at the git repository", ref)
		}
		return readFolder(src.Path, subdir)
	}
	ctx, cancel := context.WithTimeout(s.ctx, FetchTimeout)
	defer cancel()
	res, err := repo.Fetch(ctx, ref, commit)
	var re *gitfetch.RefusedError
	if errors.As(err, &re) {
		return nil, &pack.RefusedError{Pack: src.String(), File: re.Path, Rule: re.Rule}
	}
	if errors.Is(err, gitfetch.ErrUnreachable) {
		return nil, &UnreachableError{Source: src.String(), Err: err}
	}
	if err != nil {
		return nil, err
	}
	files := make([]pack.File, len(res.Files))
	for i, f := range res.Files {
		files[i] = pack.File{Path: f.Path, Data: f.Data}
	}
	if err := pack.CheckFiles(files, src.String()); err != nil {
		return nil, err
	}
	return &Fetched{Files: files, Commit: res.Commit, Ref: res.Ref}, nil
}

// readFolder reads a pack from a plain folder, through os.Root so that a
// link cannot lead out of it.
func readFolder(dir, subdir string) (*Fetched, error) {
	if subdir != "" {
		dir = filepath.Join(dir, filepath.FromSlash(subdir))
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, hint.Wrap(fmt.Errorf("open pack folder: %w", err), "give the folder that holds pack.yaml")
	}
	defer root.Close()
	files, err := pack.ReadFiles(root.FS(), dir)
	if err != nil {
		return nil, err
	}
	return &Fetched{Files: files}, nil
}

// Fetch fetches a pack and lints it as 'pmfolio pack lint' does (its
// samples rendered on date), so that nothing is pinned or cached that lint
// rejects: a pack whose template reads an answer no question asks would
// fail a student only once every question is answered. It returns lint's
// warnings; errors are a *LintError.
func (s *Store) Fetch(src pack.Source, subdir, ref string, date time.Time) (*Fetched, *pack.Pack, []pack.Message, error) {
	f, err := s.fetch(src, subdir, ref, "")
	if errors.Is(err, gitfetch.ErrRefNotFound) {
		return nil, nil, nil, hint.Wrap(err, "'git ls-remote --tags --heads %s' lists the tags and branches", src)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	desc := src.String()
	if ref != "" {
		desc += "@" + ref
	}
	pk, msgs, err := pack.Lint(pack.MemFS(f.Files), desc, s.reg, pack.LintOptions{Date: date, Check: packcheck.Lint(date)})
	if err != nil {
		return nil, nil, nil, err
	}
	if pk == nil || pack.Failed(msgs) {
		return nil, nil, nil, &LintError{Source: desc, Pack: pk, Msgs: msgs}
	}
	return f, pk, msgs, nil
}

// LintError says a fetched pack fails lint: nothing was pinned.
type LintError struct {
	Source string
	// Pack is nil when it did not even load.
	Pack *pack.Pack
	Msgs []pack.Message
}

func (e *LintError) Error() string {
	var b strings.Builder
	name := e.Source
	if e.Pack != nil {
		name = fmt.Sprintf("%q %s from %s", e.Pack.Name, e.Pack.Version, e.Source)
	}
	n := 0
	for _, m := range e.Msgs {
		if m.Severity == doc.Error {
			n++
		}
	}
	fmt.Fprintf(&b, "pack %s fails lint with %d error(s); nothing was pinned", name, n)
	for _, m := range e.Msgs {
		if m.Severity == doc.Error {
			b.WriteString("\n  " + m.String())
		}
	}
	return b.String()
}

// Put caches a fetched pack and returns its pin.
func (s *Store) Put(src pack.Source, subdir, ref string, f *Fetched, pk *pack.Pack) (*portfolio.PackPin, error) {
	cache, err := s.cache()
	if err != nil {
		return nil, err
	}
	digest, err := cache.Put(f.Files)
	if err != nil {
		return nil, err
	}
	if ref == "" {
		ref = shortRef(f.Ref)
	}
	// The release is remembered so that documents rendered with this
	// version find it offline once the pin has moved on.
	_ = cache.Remember(src.String(), subdir, pk.Version, pack.Release{Commit: f.Commit, Digest: digest})
	return &portfolio.PackPin{Source: s.storedSource(src), Subdir: subdir, Ref: ref, Commit: f.Commit, Version: pk.Version, Digest: digest}, nil
}

// Inside reports whether a local source is inside the portfolio, links
// resolved.
func (s *Store) Inside(src pack.Source) bool {
	_, ok := s.relative(src)
	return ok
}

func (s *Store) relative(src pack.Source) (string, bool) {
	if !src.IsLocal() || s.root == "" {
		return "", false
	}
	root, path := s.root, src.Path
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	if p, err := filepath.EvalSymlinks(path); err == nil {
		path = p
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// storedSource is how a pin records a source: a local path inside the
// portfolio relative to it, so that the pin works in every clone.
func (s *Store) storedSource(src pack.Source) string {
	if !src.IsLocal() {
		return src.URL
	}
	if rel, ok := s.relative(src); ok {
		return rel
	}
	return src.Path
}

// shortRef names a resolved ref as a user would: v1.0.0, main.
func shortRef(ref string) string {
	for _, p := range []string{"refs/tags/", "refs/heads/"} {
		if s, ok := strings.CutPrefix(ref, p); ok {
			return s
		}
	}
	return ref
}

// NextRef is the ref update moves a pin to without --ref: the newest
// release tag of the pinned major version, else the pinned ref itself (a
// branch, whose tip may have moved).
func (s *Store) NextRef(src pack.Source, pin *portfolio.PackPin) (string, error) {
	cur, err := semver.NewVersion(pin.Ref)
	if err != nil || pin.Commit == "" {
		if pin.Commit != "" && pin.Ref == "" {
			return "", hint.Wrap(errors.New("pack is pinned to a commit, not a tag or branch"), "give the new one with --ref")
		}
		return pin.Ref, nil
	}
	tag, err := s.newestTag(src, pin.Subdir, cur, func(v *semver.Version) bool { return v.Major() == cur.Major() })
	if err != nil {
		return "", err
	}
	if tag == "" {
		return pin.Ref, nil
	}
	return tag, nil
}

// newestTag is the newest release tag (no pre-release) of the pack's
// repository above cur that keep accepts; "" when there is none or src is
// no repository.
func (s *Store) newestTag(src pack.Source, subdir string, cur *semver.Version, keep func(*semver.Version) bool) (string, error) {
	repo, err := repository(src, subdir)
	if err != nil || repo == nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(s.ctx, FetchTimeout)
	defer cancel()
	refs, _, err := repo.Refs(ctx)
	if err != nil {
		return "", err
	}
	best, bestTag := cur, ""
	for _, tag := range gitfetch.Tags(refs) {
		v, err := semver.NewVersion(tag)
		if err != nil || v.Prerelease() != "" || !keep(v) || !v.GreaterThan(best) {
			continue
		}
		best, bestTag = v, tag
	}
	return bestTag, nil
}
