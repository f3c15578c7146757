package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/internal/atomicfile"
)

// Cache keeps fetched packs on disk by digest, so that a pinned pack loads
// offline and every machine that has the pin loads the same bytes. An
// entry is a folder named after the digest (sha256-HEX) holding the pack's
// files; it is written once, by rename, and verified on every read.
type Cache struct {
	Dir string
}

// CacheDir is where pmfolio caches packs inside the user's cache folder
// (see environ.Env.CacheHome).
func CacheDir(cacheHome string) string {
	return filepath.Join(cacheHome, "pmfolio", "packs")
}

func (c Cache) entry(digest string) (string, error) {
	hex, ok := strings.CutPrefix(digest, DigestPrefix)
	if !ok || len(hex) != 64 || strings.Trim(hex, "0123456789abcdef") != "" {
		return "", fmt.Errorf("%q is not a pack digest (sha256:...)", digest)
	}
	return filepath.Join(c.Dir, "sha256-"+hex), nil
}

// Read returns the files cached under digest. ok is false when the cache
// has no entry for it, or an entry whose bytes no longer match it.
func (c Cache) Read(digest, source string) (files []File, ok bool, err error) {
	dir, err := c.entry(digest)
	if err != nil {
		return nil, false, err
	}
	root, err := os.OpenRoot(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer root.Close()
	files, err = ReadFiles(root.FS(), source)
	if err != nil {
		return nil, false, err
	}
	if Digest(files) != digest {
		return nil, false, nil
	}
	return files, true, nil
}

// Put stores files under their digest and returns it. The entry appears
// whole or not at all: it is written to a temporary folder and renamed.
func (c Cache) Put(files []File) (string, error) {
	digest := Digest(files)
	if _, ok, err := c.Read(digest, "cache"); err == nil && ok {
		return digest, nil
	}
	dir, err := c.entry(digest)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return "", fmt.Errorf("create the pack cache: %w", err)
	}
	tmp, err := os.MkdirTemp(c.Dir, ".tmp-")
	if err != nil {
		return "", fmt.Errorf("write to the pack cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := writeFiles(tmp, files); err != nil {
		return "", fmt.Errorf("write to the pack cache: %w", err)
	}
	// An entry whose bytes do not match its name is replaced.
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, ok, _ := c.Read(digest, "cache"); ok {
			return digest, nil // another pmfolio stored it first
		}
		return "", fmt.Errorf("write to the pack cache: %w", err)
	}
	return digest, nil
}

// writeFiles writes files below dir, confined to it by os.Root.
func writeFiles(dir string, files []File) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, f := range files {
		if err := ValidPackPath(f.Path); err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		if d := path.Dir(f.Path); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		if err := root.WriteFile(f.Path, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// WriteNew writes files into dir, which must not exist yet: they go to a
// temporary folder beside it that is renamed into place, so that a failure
// leaves nothing behind.
func WriteNew(dir string, files []File) error {
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("%s already exists", dir)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, ".pmfolio-tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := writeFiles(tmp, files); err != nil {
		return err
	}
	// MkdirTemp made it private; a pack folder is an ordinary folder.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// releasesDir holds the cache's index of releases: which digest (and
// commit) a source's release of a version had, so that a document
// rendered with an earlier version finds that version's files offline.
const releasesDir = "releases"

// Release is what the cache remembers of one release of a pack.
type Release struct {
	Commit string
	Digest string
}

// releaseFile is the index entry of a source's version: a hash of the
// source, folder and version, so that any text makes a safe file name.
func (c Cache) releaseFile(source, subdir, version string) string {
	h := sha256.Sum256([]byte(source + "\x00" + subdir + "\x00" + version))
	return filepath.Join(c.Dir, releasesDir, hex.EncodeToString(h[:16]))
}

// Remember records that version of the pack at source (and subdir) is
// the cached entry rel.Digest. Like entries, the record is written whole
// or not at all.
func (c Cache) Remember(source, subdir, version string, rel Release) error {
	if _, err := c.entry(rel.Digest); err != nil {
		return err
	}
	file := c.releaseFile(source, subdir, version)
	if err := atomicfile.Write(file, fmt.Appendf(nil, "%s\n%s\n", rel.Digest, rel.Commit)); err != nil {
		return fmt.Errorf("write to the pack cache: %w", err)
	}
	return nil
}

// Recall returns what Remember recorded of version of the pack at source;
// ok is false when nothing was, or the record is unreadable.
func (c Cache) Recall(source, subdir, version string) (rel Release, ok bool) {
	data, err := os.ReadFile(c.releaseFile(source, subdir, version))
	if err != nil {
		return Release{}, false
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < 2 {
		return Release{}, false
	}
	rel = Release{Digest: lines[0], Commit: lines[1]}
	if _, err := c.entry(rel.Digest); err != nil {
		return Release{}, false
	}
	return rel, true
}
