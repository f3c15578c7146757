package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Limits on what a pack may contain; a pack is untrusted input.
const (
	MaxFileSize  = 256 << 10
	MaxFiles     = 200
	MaxTotalSize = 4 << 20
)

// File is one file of a pack, read into memory.
type File struct {
	// Path is slash-separated and relative to the pack's root.
	Path string
	Data []byte
}

// RefusedError says a pack broke one of the rules that keep an untrusted
// pack harmless; nothing of it was used or written.
type RefusedError struct {
	// Pack names the pack, or its source while its name is unknown.
	Pack string
	// File is the offending file, relative to the pack's root.
	File string
	Rule string
}

func (e *RefusedError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("pack %q refused: %s", e.Pack, e.Rule)
	}
	return fmt.Sprintf("pack %q refused: %s: %s", e.Pack, e.File, e.Rule)
}

// ReadFiles reads every file of the pack in fsys, refusing symbolic links,
// submodules, anything but regular files, and files or totals over the
// limits. Folders whose names start with a dot (.git, .github) are not
// part of a pack and are skipped. source names the pack in errors.
func ReadFiles(fsys fs.FS, source string) ([]File, error) {
	refuse := func(file, format string, args ...any) error {
		return &RefusedError{Pack: source, File: file, Rule: fmt.Sprintf(format, args...)}
	}
	var files []File
	var total int64
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			return refuse(name, "is a symbolic link; packs may not contain links")
		case d.IsDir():
			if name != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		case !d.Type().IsRegular():
			return refuse(name, "is not a regular file")
		case d.Name() == ".gitmodules":
			return refuse(name, "declares git submodules; packs may not contain submodules")
		}
		if err := ValidPackPath(name); err != nil {
			return refuse(name, "%v", err)
		}
		if len(files) == MaxFiles {
			return refuse(name, "is one file more than the %d files a pack may have", MaxFiles)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > MaxFileSize {
			return refuse(name, "is %d bytes, over the %d-byte limit for a pack file", info.Size(), MaxFileSize)
		}
		data, err := readLimited(fsys, name)
		var big *yamlfile.TooBigError
		if errors.As(err, &big) {
			// It grew since Info.
			return refuse(name, "is over the %d-byte limit for a pack file", MaxFileSize)
		}
		if err != nil {
			return err
		}
		total += int64(len(data))
		if total > MaxTotalSize {
			return refuse(name, "brings the pack over the %d-byte limit for all its files", MaxTotalSize)
		}
		files = append(files, File{Path: name, Data: data})
		return nil
	})
	if err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			return nil, err
		}
		return nil, fmt.Errorf("read pack %s: %w", source, err)
	}
	return files, nil
}

// readLimited reads a pack file whole, or refuses it when it is over
// MaxFileSize, even if it grew between stat and read.
func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return yamlfile.ReadAll(f, name, MaxFileSize)
}

// CheckFiles applies ReadFiles' rules to files that did not come from a
// file system (a git tree): safe names, and the count and size limits.
func CheckFiles(files []File, source string) error {
	var total int
	seen := map[string]bool{}
	for i, f := range files {
		refuse := func(format string, args ...any) error {
			return &RefusedError{Pack: source, File: f.Path, Rule: fmt.Sprintf(format, args...)}
		}
		if err := ValidPackPath(f.Path); err != nil {
			return refuse("%v", err)
		}
		if seen[f.Path] {
			return refuse("appears twice")
		}
		seen[f.Path] = true
		if path.Base(f.Path) == ".gitmodules" {
			return refuse("declares git submodules; packs may not contain submodules")
		}
		if i == MaxFiles {
			return refuse("is one file more than the %d files a pack may have", MaxFiles)
		}
		if len(f.Data) > MaxFileSize {
			return refuse("is %d bytes, over the %d-byte limit for a pack file", len(f.Data), MaxFileSize)
		}
		total += len(f.Data)
		if total > MaxTotalSize {
			return refuse("brings the pack over the %d-byte limit for all its files", MaxTotalSize)
		}
	}
	return nil
}

// ValidPackPath checks the name of a file in a pack: relative, without . or
// .. elements, and a name every operating system can hold, because packs
// are written into the cache and copied by `pack new`.
func ValidPackPath(p string) error {
	if !fs.ValidPath(p) || p == "." {
		return errors.New("is not a relative path inside the pack")
	}
	if strings.Contains(p, "\\") {
		return errors.New("contains a backslash")
	}
	for _, el := range strings.Split(p, "/") {
		if err := validElement(el); err != nil {
			return fmt.Errorf("element %q %v", el, err)
		}
	}
	return nil
}

// MemFS serves files from memory, so that a fetched pack is validated
// before any of it reaches the disk. fstest.MapFS is a plain read-only map
// file system; nothing in it is specific to tests.
func MemFS(files []File) fs.FS {
	m := fstest.MapFS{}
	for _, f := range files {
		m[f.Path] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return m
}

// DigestPrefix starts every pack digest.
const DigestPrefix = "sha256:"

// Digest identifies a pack's exact bytes: the SHA-256 of its files' names
// and contents in name order. A pin records it, so that a cached or
// re-fetched pack is known to be the one that was pinned.
func Digest(files []File) string {
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	h := sha256.New()
	for _, f := range sorted {
		io.WriteString(h, f.Path)
		h.Write([]byte{0})
		io.WriteString(h, strconv.Itoa(len(f.Data)))
		h.Write([]byte{0})
		h.Write(f.Data)
	}
	return DigestPrefix + hex.EncodeToString(h.Sum(nil))
}
