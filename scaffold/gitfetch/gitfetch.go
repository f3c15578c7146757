// Package gitfetch reads the files of a folder of a git repository at a
// tag, branch or commit: from a remote repository (https or ssh) by a
// shallow fetch into memory, from a local one straight out of its object
// store. For pmfolio grade it also keeps mirrors of students' repositories
// (Mirror: cloned once, fetched after, with a token over https or the
// ssh-agent) and reads a repository's history and its trees at any commit
// (Repo). There is no work tree and no checkout, and no git program runs,
// so nothing a repository contains (hooks, filters, helpers) is executed.
//
// With portfolio, it is one of the two packages that import go-git.
package gitfetch

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Limits bound what a fetch reads; blobs over them are never read.
type Limits struct {
	MaxFileSize int64
	MaxFiles    int
	MaxTotal    int64
}

// Options control a fetch.
type Options struct {
	Limits Limits
	// Subdir is the folder of the repository to read ("" for its root).
	Subdir string
	// AllowHTTP accepts plain http:// URLs. Only tests set it, to fetch
	// from a local smart-HTTP server; pmfolio accepts https and ssh only.
	AllowHTTP bool
}

// File is one file read from the tree.
type File struct {
	Path string // relative to Subdir, slash-separated
	Data []byte
}

// Result is what a fetch read.
type Result struct {
	// Commit is the full hash of the commit read.
	Commit string
	// Ref is the full name of the ref that named it (refs/tags/v1.0.0),
	// "" when a commit hash was asked for.
	Ref   string
	Files []File
}

// RefusedError says the tree holds something a pack may not.
type RefusedError struct {
	Path string
	Rule string
}

func (e *RefusedError) Error() string { return fmt.Sprintf("%s: %s", e.Path, e.Rule) }

// ErrUnreachable says the remote repository did not answer: no network,
// a host that does not resolve, credentials refused, no repository there.
var ErrUnreachable = errors.New("the repository cannot be reached")

// ErrRefNotFound says the repository has no tag, branch or commit of that name.
var ErrRefNotFound = errors.New("no tag, branch or commit of that name")

var fullHash = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{40}$`) })

// Repository is a git repository packs are read from.
type Repository interface {
	// Refs lists tags and branches by full name with the commit each
	// names, and the branch HEAD points at.
	Refs(ctx context.Context) (refs map[string]string, head string, err error)
	// Fetch reads the tree at ref, or at commit when that is set.
	Fetch(ctx context.Context, ref, commit string) (*Result, error)
}

// Remote is a repository reached over the network.
type Remote struct {
	url string
	o   Options
}

// NewRemote checks url (https, ssh or scp-like user@host:path) and returns
// the repository it names.
func NewRemote(url string, o Options) (*Remote, error) {
	scheme, _, hasScheme := strings.Cut(url, "://")
	switch {
	case strings.HasPrefix(url, "-") || strings.Contains(url, "::"):
		return nil, fmt.Errorf("%q is not an https or ssh URL", url)
	case !hasScheme, scheme == "https", scheme == "ssh", scheme == "http" && o.AllowHTTP:
	default:
		return nil, fmt.Errorf("%q: only https and ssh URLs are fetched", url)
	}
	return &Remote{url: url, o: o}, nil
}

// Refs lists the remote's tags and branches by full name, with the commit
// each names (annotated tags peeled to their commit).
func (r *Remote) Refs(ctx context.Context) (map[string]string, string, error) {
	rem := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{r.url}})
	refs, err := rem.ListContext(ctx, &git.ListOptions{PeelingOption: git.AppendPeeled})
	if err != nil {
		if ctx.Err() != nil {
			return nil, "", fmt.Errorf("list refs of %s: %w", r.url, err)
		}
		return nil, "", fmt.Errorf("list refs of %s: %w: %w", r.url, ErrUnreachable, err)
	}
	out := map[string]string{}
	head := ""
	for _, ref := range refs {
		name := ref.Name().String()
		switch {
		case name == "HEAD" && ref.Type() == plumbing.SymbolicReference:
			head = ref.Target().String()
		case ref.Type() != plumbing.HashReference:
		case strings.HasSuffix(name, "^{}"):
			out[strings.TrimSuffix(name, "^{}")] = ref.Hash().String()
		case strings.HasPrefix(name, "refs/tags/") || strings.HasPrefix(name, "refs/heads/"):
			if _, peeled := out[name]; !peeled {
				out[name] = ref.Hash().String()
			}
		}
	}
	return out, head, nil
}

// Fetch reads the tree at ref: a tag, a branch, a full commit hash, or ""
// for the default branch. When commit is set, that commit is read instead,
// and ref only helps the server find it.
func (r *Remote) Fetch(ctx context.Context, ref, commit string) (*Result, error) {
	refs, head, err := r.Refs(ctx)
	if err != nil {
		return nil, err
	}
	name, hash, err := resolve(refs, head, ref)
	if err != nil && commit == "" {
		return nil, err
	}
	if commit != "" && hash != commit {
		// The ref moved (or is gone): ask for the commit itself, which
		// servers allow when they advertise allow-reachable-sha1-in-want.
		name, hash = "", commit
	}
	spec := config.RefSpec("+" + name + ":" + name)
	if name == "" {
		spec = config.RefSpec(hash + ":refs/pmfolio/pinned")
	}
	st := memory.NewStorage()
	repo, err := git.Init(st, nil)
	if err != nil {
		return nil, err
	}
	rem, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{r.url}})
	if err != nil {
		return nil, err
	}
	err = rem.FetchContext(ctx, &git.FetchOptions{RefSpecs: []config.RefSpec{spec}, Depth: 1, Tags: git.NoTags})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		if errors.Is(err, git.ErrExactSHA1NotSupported) {
			return nil, fmt.Errorf("fetch commit %s from %s: the server does not allow fetching a commit by its hash, and no tag or branch points at it any more", hash, r.url)
		}
		return nil, fmt.Errorf("fetch %s from %s: %w", orHash(name, hash), r.url, err)
	}
	c, err := commitOf(st, plumbing.NewHash(hash))
	if err != nil {
		return nil, err
	}
	files, err := readTree(st, c, r.o)
	if err != nil {
		return nil, err
	}
	return &Result{Commit: c.Hash.String(), Ref: name, Files: files}, nil
}

func orHash(name, hash string) string {
	if name != "" {
		return name
	}
	return hash
}

// resolve finds ref among refs: a tag first, then a branch, then a full
// commit hash; "" is the default branch.
func resolve(refs map[string]string, head, ref string) (name, hash string, err error) {
	switch {
	case ref == "" && head != "":
		ref = head
	case ref == "":
		return "", "", fmt.Errorf("the repository names no default branch; give a REF")
	}
	for _, n := range []string{ref, "refs/tags/" + ref, "refs/heads/" + ref} {
		if h, ok := refs[n]; ok && strings.HasPrefix(n, "refs/") {
			return n, h, nil
		}
	}
	if fullHash().MatchString(ref) {
		return "", ref, nil
	}
	return "", "", fmt.Errorf("%q: %w (a commit must be given in full, 40 hex digits)", ref, ErrRefNotFound)
}

// Local is a repository on this machine, bare or not.
type Local struct {
	repo *git.Repository
	path string
	o    Options
}

// OpenLocal opens the repository at path; ok is false when path is not
// a git repository.
func OpenLocal(path string, o Options) (*Local, bool, error) {
	repo, err := git.PlainOpen(path)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("open git repository %s: %w", path, err)
	}
	return &Local{repo: repo, path: path, o: o}, true, nil
}

// Refs lists the repository's tags and branches as Remote.Refs does.
func (l *Local) Refs(ctx context.Context) (map[string]string, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	iter, err := l.repo.References()
	if err != nil {
		return nil, "", err
	}
	out := map[string]string{}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		name := ref.Name().String()
		if ref.Type() != plumbing.HashReference || !(strings.HasPrefix(name, "refs/tags/") || strings.HasPrefix(name, "refs/heads/")) {
			return nil
		}
		if c, err := commitOf(l.repo.Storer, ref.Hash()); err == nil {
			out[name] = c.Hash.String()
		}
		return nil
	})
	head := ""
	if ref, err := l.repo.Storer.Reference(plumbing.HEAD); err == nil && ref.Type() == plumbing.SymbolicReference {
		head = ref.Target().String()
	}
	return out, head, err
}

// Fetch reads the tree at ref (a tag, a branch, a commit hash, possibly
// abbreviated, or "" for HEAD), or at commit when that is set. A local
// read takes milliseconds; ctx is honoured between its steps all the same.
func (l *Local) Fetch(ctx context.Context, ref, commit string) (*Result, error) {
	name := ""
	var hash plumbing.Hash
	if commit != "" {
		hash = plumbing.NewHash(commit)
	} else {
		refs, head, err := l.Refs(ctx)
		if err != nil {
			return nil, err
		}
		var h string
		name, h, err = resolve(refs, head, ref)
		switch {
		case err == nil:
			hash = plumbing.NewHash(h)
		case errors.Is(err, ErrRefNotFound):
			// An abbreviated commit hash: local objects can be searched.
			p, rerr := l.repo.ResolveRevision(plumbing.Revision(ref))
			if rerr != nil {
				return nil, err
			}
			hash = *p
		default:
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := commitOf(l.repo.Storer, hash)
	if err != nil {
		return nil, fmt.Errorf("%s: commit %s: %w", l.path, hash, err)
	}
	files, err := readTree(l.repo.Storer, c, l.o)
	if err != nil {
		return nil, err
	}
	return &Result{Commit: c.Hash.String(), Ref: name, Files: files}, nil
}

// commitOf returns the commit h names, peeling annotated tags.
func commitOf(s storer.EncodedObjectStorer, h plumbing.Hash) (*object.Commit, error) {
	for range 10 {
		obj, err := s.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return nil, err
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return object.DecodeCommit(s, obj)
		case plumbing.TagObject:
			t, err := object.DecodeTag(s, obj)
			if err != nil {
				return nil, err
			}
			h = t.Target
		default:
			return nil, fmt.Errorf("%s is a %s, not a commit", h, obj.Type())
		}
	}
	return nil, fmt.Errorf("%s: too many tags pointing at tags", h)
}

// readTree reads the regular files below o.Subdir. Folders whose names
// start with a dot are skipped, as a pack's loader skips them; symbolic
// links, submodules and files over the limits are refused before a byte of
// them is read.
func readTree(s storer.EncodedObjectStorer, c *object.Commit, o Options) ([]File, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, err
	}
	if sub := strings.Trim(o.Subdir, "/"); sub != "" {
		if tree, err = tree.Tree(sub); err != nil {
			return nil, fmt.Errorf("folder %q at commit %s: %w", sub, c.Hash, err)
		}
	}
	var files []File
	var total int64
	var walk func(t *object.Tree, dir string) error
	walk = func(t *object.Tree, dir string) error {
		for _, e := range t.Entries {
			p := e.Name
			if dir != "" {
				p = dir + "/" + e.Name
			}
			refuse := func(rule string) error { return &RefusedError{Path: p, Rule: rule} }
			// git itself never writes such names; a crafted tree can.
			if e.Name == "" || e.Name == "." || e.Name == ".." || strings.ContainsAny(e.Name, "/\x00") {
				return refuse("has a name git does not allow in a tree")
			}
			switch e.Mode {
			case filemode.Dir:
				if strings.HasPrefix(e.Name, ".") {
					continue
				}
				sub, err := object.GetTree(s, e.Hash)
				if err != nil {
					return err
				}
				if err := walk(sub, p); err != nil {
					return err
				}
				continue
			case filemode.Symlink:
				return refuse("is a symbolic link; packs may not contain links")
			case filemode.Submodule:
				return refuse("is a git submodule; packs may not contain submodules")
			case filemode.Regular, filemode.Executable, filemode.Deprecated:
			default:
				return refuse("is not a regular file")
			}
			if len(files) == o.Limits.MaxFiles {
				return refuse(fmt.Sprintf("is one file more than the %d files a pack may have", o.Limits.MaxFiles))
			}
			b, err := object.GetBlob(s, e.Hash)
			if err != nil {
				return err
			}
			if b.Size > o.Limits.MaxFileSize {
				return refuse(fmt.Sprintf("is %d bytes, over the %d-byte limit for a pack file", b.Size, o.Limits.MaxFileSize))
			}
			if total += b.Size; total > o.Limits.MaxTotal {
				return refuse(fmt.Sprintf("brings the pack over the %d-byte limit for all its files", o.Limits.MaxTotal))
			}
			rd, err := b.Reader()
			if err != nil {
				return err
			}
			data, err := yamlfile.ReadAll(rd, p, o.Limits.MaxFileSize)
			rd.Close()
			var big *yamlfile.TooBigError
			if errors.As(err, &big) {
				return refuse(fmt.Sprintf("is over the %d-byte limit for a pack file", o.Limits.MaxFileSize))
			}
			if err != nil {
				return err
			}
			files = append(files, File{Path: p, Data: data})
		}
		return nil
	}
	if err := walk(tree, ""); err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// Tags returns the tag names (without refs/tags/) in refs.
func Tags(refs map[string]string) []string {
	var out []string
	for name := range refs {
		if t, ok := strings.CutPrefix(name, "refs/tags/"); ok {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}
