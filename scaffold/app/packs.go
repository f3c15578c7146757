package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// fetchTimeout bounds one fetch of a pack over the network.
const fetchTimeout = 2 * time.Minute

// packs resolves pack names for a portfolio: the embedded default pack,
// and the packs pmfolio.yaml pins, loaded from the cache or, when the
// cache lacks them, fetched again at the pinned commit and checked against
// the pinned digest.
type packs struct {
	// cfg and root are the portfolio's configuration and folder; cfg is
	// nil outside a portfolio, where only the default pack exists.
	cfg  *portfolio.Config
	root string
	reg  *pack.Registry
	// cacheDir finds the cache only when a pinned pack needs it, so that
	// the default pack works where no cache folder can be found.
	cacheDir func() (string, error)
	// offline serves pinned packs from the cache only: shell completion
	// never fetches.
	offline bool
}

func newPacks(s Streams, cfg *portfolio.Config, root string) *packs {
	ps := &packs{cfg: cfg, root: root, cacheDir: func() (string, error) { return pack.CacheDir(s.getenv) }}
	ps.reg = &pack.Registry{Open: ps.open}
	return ps
}

func (ps *packs) cache() (pack.Cache, error) {
	dir, err := ps.cacheDir()
	return pack.Cache{Dir: dir}, err
}

// resolvePack returns the pack named by --pack, else the portfolio's
// configured pack, else the default one; cfg is nil outside a portfolio.
// The pack cache is found from the process environment.
func resolvePack(cfg *portfolio.Config, name string) (*pack.Pack, error) {
	root := ""
	if cfg != nil {
		root = cfg.Dir()
	}
	return newPacks(Streams{}, cfg, root).resolve(name)
}

// resolve returns the pack called name, else the portfolio's pack, else
// the default one.
func (ps *packs) resolve(name string) (*pack.Pack, error) {
	if name == "" && ps.cfg != nil {
		name = ps.cfg.Pack
	}
	if name == "" {
		name = pack.DefaultName
	}
	p, err := ps.reg.Get(name)
	if errors.Is(err, pack.ErrUnknownPack) {
		return nil, withHint(err, "pin it first: pmfolio pack add SOURCE[@REF]; 'pmfolio pack list' shows the pinned packs")
	}
	return p, err
}

func (ps *packs) pin(name string) (*portfolio.PackPin, bool) {
	if ps.cfg == nil {
		return nil, false
	}
	pin, ok := ps.cfg.Packs[name]
	return pin, ok
}

// open loads a pinned pack for the registry.
func (ps *packs) open(name string, reg *pack.Registry) (*pack.Pack, error) {
	pin, ok := ps.pin(name)
	if !ok {
		return nil, fmt.Errorf("%w %q: %s pins no such pack", pack.ErrUnknownPack, name, portfolio.ConfigFile)
	}
	files, err := ps.pinnedFiles(name, pin)
	if err != nil {
		return nil, err
	}
	return pack.LoadWith(pack.MemFS(files), describePin(name, pin), reg)
}

// pinnedFiles returns the exact files a pin names: from the cache, or
// fetched again and stored there.
func (ps *packs) pinnedFiles(name string, pin *portfolio.PackPin) ([]pack.File, error) {
	cache, err := ps.cache()
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
	if ps.offline {
		return nil, fmt.Errorf("pack %q is not in the cache", name)
	}
	src, err := pack.ParseLocation(pin.Source, ps.root)
	if err != nil {
		return nil, err
	}
	f, err := ps.fetch(src, pin.Subdir, pin.Ref, pin.Commit)
	if err != nil {
		return nil, withHint(fmt.Errorf("pack %q is not in the cache and fetching it failed: %w", name, err),
			"the first use on a machine needs %s to be reachable; later runs work offline", pin.Source)
	}
	if d := pack.Digest(f.files); d != pin.Digest {
		return nil, withHint(fmt.Errorf("pack %q from %s is not the pack that was pinned: its digest is %s, %s pins %s", name, pin.Source, d, portfolio.ConfigFile, pin.Digest),
			"if the change is expected, move the pin with 'pmfolio pack update %s'", name)
	}
	if _, err := cache.Put(f.files); err != nil {
		return nil, err
	}
	return f.files, nil
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

// fetched is a pack's files as read from its source.
type fetched struct {
	files []pack.File
	// commit and ref are what a git source resolved to; both empty for a
	// plain folder.
	commit string
	ref    string
}

// repository opens src as a git repository; nil means a plain folder.
func repository(src pack.Source, subdir string) (gitfetch.Repository, error) {
	o := gitfetch.Options{Subdir: subdir, Limits: gitfetch.Limits{MaxFileSize: pack.MaxFileSize, MaxFiles: pack.MaxFiles, MaxTotal: pack.MaxTotalSize}}
	if !src.IsLocal() {
		return gitfetch.NewRemote(src.URL, o)
	}
	l, ok, err := gitfetch.OpenLocal(src.Path, o)
	if err != nil || !ok {
		return nil, err
	}
	return l, nil
}

// fetch reads a pack from src: a git repository at ref (or at commit,
// when pinned), or a plain folder. Every file passes the pack rules before
// it is returned; nothing is written.
func (ps *packs) fetch(src pack.Source, subdir, ref, commit string) (*fetched, error) {
	repo, err := repository(src, subdir)
	if err != nil {
		return nil, err
	}
	if repo == nil {
		if ref != "" {
			return nil, withHint(usagef("%s is a folder, not a git repository, so it has no ref %q", src, ref), "drop @%s, or point at the git repository", ref)
		}
		return readFolder(src.Path, subdir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	res, err := repo.Fetch(ctx, ref, commit)
	var re *gitfetch.RefusedError
	if errors.As(err, &re) {
		return nil, &pack.RefusedError{Pack: src.String(), File: re.Path, Rule: re.Rule}
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
	return &fetched{files: files, commit: res.Commit, ref: res.Ref}, nil
}

// readFolder reads a pack from a plain folder, through os.Root so that a
// link cannot lead out of it.
func readFolder(dir, subdir string) (*fetched, error) {
	if subdir != "" {
		dir = filepath.Join(dir, filepath.FromSlash(subdir))
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, withHint(fmt.Errorf("open pack folder: %w", err), "give the folder that holds pack.yaml")
	}
	defer root.Close()
	files, err := pack.ReadFiles(root.FS(), dir)
	if err != nil {
		return nil, err
	}
	return &fetched{files: files}, nil
}

// storedSource is how a pin records a source: a local path inside the
// portfolio relative to it, so that the pin works in every clone.
func (ps *packs) storedSource(src pack.Source) string {
	if !src.IsLocal() {
		return src.URL
	}
	if rel, err := filepath.Rel(ps.root, src.Path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
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
