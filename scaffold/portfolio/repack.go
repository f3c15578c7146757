package portfolio

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/pmfolio/pmfolio/scaffold/crash"
	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// Every commit pmfolio makes adds loose objects (a blob per file, a tree
// per folder on the way, the commit), and pmfolio, unlike git, never packs
// them on its own: a portfolio grown by thousands of documents holds
// thousands of small files, which git's own commands then read one by
// one. `pmfolio doctor` reports it once they pass git's own threshold
// (gc.auto), and `doctor --fix` packs them, as `git gc` would, without
// ever losing one: the pack and its index are on disk, fsynced and in
// place before the first loose object is removed.

// DefaultGCAuto is git's gc.auto: how many loose objects make git pack
// them.
const DefaultGCAuto = 6700

// LooseObjects counts the repository's loose objects, as `git
// count-objects` does: the files named by a hash in objects/??/.
func (r *Repo) LooseObjects() (int, error) {
	n := 0
	err := r.forEachLoose(func(string, plumbing.Hash) error { n++; return nil })
	return n, err
}

// forEachLoose calls fn with the path and hash of every loose object.
func (r *Repo) forEachLoose(fn func(path string, h plumbing.Hash) error) error {
	objects := filepath.Join(r.gitDir, "objects")
	dirs, err := readNamesAt(objects)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if len(d) != 2 || !isHex(d) {
			continue
		}
		names, err := readNamesAt(filepath.Join(objects, d))
		if err != nil {
			return err
		}
		for _, name := range names {
			if len(name) != 38 || !isHex(name) {
				continue // a temporary file
			}
			if err := fn(filepath.Join(objects, d, name), plumbing.NewHash(d+name)); err != nil {
				return err
			}
		}
	}
	return nil
}

func readNamesAt(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// GCAuto is the number of loose objects past which git packs r's objects:
// gc.auto from the user's or the repository's git configuration (env
// names the files), DefaultGCAuto when neither sets it. 0 turns it off.
func GCAuto(r *Repo, env *environ.Env) (int, error) {
	s, err := loadGitSettings(env, r)
	if err != nil {
		return 0, err
	}
	if s.gcAuto == "" {
		return DefaultGCAuto, nil
	}
	n, err := parseGitInt(s.gcAuto)
	if err != nil {
		return 0, fmt.Errorf("git configuration gc.auto = %q: %w", s.gcAuto, err)
	}
	return max(n, 0), nil
}

// parseGitInt reads an integer as git does, with an optional k, m or g.
func parseGitInt(s string) (int, error) {
	s = strings.TrimSpace(s)
	mult := 1
	if s != "" {
		switch s[len(s)-1] {
		case 'k', 'K':
			mult = 1 << 10
		case 'm', 'M':
			mult = 1 << 20
		case 'g', 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			s = s[:len(s)-1]
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, errors.New("not a number")
	}
	return n * mult, nil
}

// packWindow is how many objects each object is compared with for a
// delta, git's pack.window default: the successive versions of a folder's
// tree then take the room of one.
const packWindow = 10

// tmpPackPrefix names pmfolio's temporary pack files, with the pid of the
// process writing them, so that doctor can tell a dead one's leftovers.
const tmpPackPrefix = "tmp_pack_pmfolio-"

// PackResult is what PackLoose did.
type PackResult struct {
	// Pack is the new pack's name (pack-HASH.pack), "" when there was
	// nothing to pack.
	Pack string
	// Objects were packed, and as many loose objects removed.
	Objects int
}

// PackLoose packs every loose object of r into one new pack and then
// removes them, the way git gc does, but keeping unreachable objects too:
// nothing is dropped. The pack and its index are written to temporary
// files, fsynced, renamed into place (the index last: git uses a pack
// once its index is there) and their folder fsynced before the first
// loose object is removed, and each one is removed only when the new
// index lists it: killed at any moment, every object is still in the
// repository, loose or packed. It is a transaction's: holding the lock, no
// pmfolio writes objects meanwhile, and a git command that does finds each
// object in one place or the other.
func (tx *Tx) PackLoose(r *Repo) (PackResult, error) {
	var hashes []plumbing.Hash
	paths := map[plumbing.Hash]string{}
	err := r.forEachLoose(func(p string, h plumbing.Hash) error {
		hashes = append(hashes, h)
		paths[h] = p
		return nil
	})
	if err != nil || len(hashes) == 0 {
		return PackResult{}, err
	}
	packDir := filepath.Join(r.gitDir, "objects", "pack")
	if err := os.MkdirAll(packDir, 0o755); err != nil {
		return PackResult{}, err
	}
	tmp, sum, err := r.writePack(packDir, hashes)
	if err != nil {
		return PackResult{}, err
	}
	defer os.Remove(tmp)
	crash.At("pack-written")
	idx, tmpIdx, err := writePackIndex(packDir, tmp)
	if err != nil {
		return PackResult{}, err
	}
	defer os.Remove(tmpIdx)
	base := filepath.Join(packDir, "pack-"+sum.String())
	if err := os.Rename(tmp, base+".pack"); err != nil {
		return PackResult{}, err
	}
	if err := os.Rename(tmpIdx, base+".idx"); err != nil {
		return PackResult{}, err
	}
	if err := syncPath(packDir); err != nil {
		return PackResult{}, err
	}
	crash.At("pack-installed")
	// This process's object store has read the packs before: it must see
	// the new one before the loose copies go.
	if st, ok := r.repo.Storer.(*filesystem.Storage); ok {
		st.Reindex()
	}
	res := PackResult{Pack: filepath.Base(base) + ".pack"}
	for i, h := range hashes {
		if ok, err := idx.Contains(h); err != nil || !ok {
			return res, fmt.Errorf("the new pack lacks object %s; no loose object was removed after it", h)
		}
		if err := os.Remove(paths[h]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, err
		}
		res.Objects++
		crash.AtN("loose-removed", i+1)
	}
	return res, nil
}

// writePack writes the objects into a temporary pack file in dir, fsynced,
// and returns its path and checksum.
func (r *Repo) writePack(dir string, hashes []plumbing.Hash) (string, plumbing.Hash, error) {
	var sum plumbing.Hash
	name, err := writeTempPack(dir, "pack", func(f *os.File) (err error) {
		return encodePackSum(f, r.repo.Storer, hashes, packWindow, &sum)
	})
	if err != nil {
		return "", plumbing.ZeroHash, fmt.Errorf("write the pack: %w", err)
	}
	return name, sum, nil
}

// encodePack writes the objects hashes of store to w as a pack, deltas
// searched in a window of window objects (0: none). go-git's encoder
// writes each object's header and its compressed data a few hundred bytes
// at a time: an upgrade's pack of thousands of objects was 15,000 write
// calls.
func encodePack(w io.Writer, store storer.EncodedObjectStorer, hashes []plumbing.Hash, window uint) error {
	return encodePackSum(w, store, hashes, window, nil)
}

// encodePackSum is encodePack that also gives the pack's checksum.
func encodePackSum(w io.Writer, store storer.EncodedObjectStorer, hashes []plumbing.Hash, window uint, sum *plumbing.Hash) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	h, err := packfile.NewEncoder(bw, store, false).Encode(hashes, window)
	if err != nil {
		return err
	}
	if sum != nil {
		*sum = h
	}
	return bw.Flush()
}

// writePackIndex reads the pack at pack back, as git index-pack does, and
// writes its index into a temporary file in dir, fsynced.
func writePackIndex(dir, pack string) (*idxfile.MemoryIndex, string, error) {
	pf, err := os.Open(pack)
	if err != nil {
		return nil, "", err
	}
	defer pf.Close()
	w := new(idxfile.Writer)
	parser, err := packfile.NewParser(packfile.NewScanner(pf), w)
	if err != nil {
		return nil, "", err
	}
	if _, err := parser.Parse(); err != nil {
		return nil, "", fmt.Errorf("read the new pack back: %w", err)
	}
	idx, err := w.Index()
	if err != nil {
		return nil, "", err
	}
	name, err := writeTempPack(dir, "idx", func(f *os.File) error {
		// go-git's encoder writes field by field: a system call each,
		// unbuffered.
		bw := bufio.NewWriterSize(f, 64<<10)
		if _, err := idxfile.NewEncoder(bw).Encode(idx); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return nil, "", fmt.Errorf("write the pack's index: %w", err)
	}
	return idx, name, nil
}

// writeTempPack creates a temporary pack file (named for TempPacks) with
// extension ext in dir, writes it with write and fsyncs it; it returns
// the file's path, and removes the file when any step fails.
func writeTempPack(dir, ext string, write func(*os.File) error) (string, error) {
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	name := fmt.Sprintf("%s%d-%s.%s", tmpPackPrefix, os.Getpid(), hex.EncodeToString(rnd[:]), ext)
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o444)
	if err != nil {
		return "", err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// TempPacks lists the temporary pack files a PackLoose that died left in
// the repository (the pid in their names is gone): git counts them as
// garbage.
func (r *Repo) TempPacks() []string {
	dir := filepath.Join(r.gitDir, "objects", "pack")
	names, _ := readNamesAt(dir)
	var out []string
	for _, n := range names {
		rest, ok := strings.CutPrefix(n, tmpPackPrefix)
		if !ok {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		if pid, err := strconv.Atoi(pidText); err == nil && !processAlive(pid) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out
}

// RemoveTempPack removes a file TempPacks listed.
func (tx *Tx) RemoveTempPack(r *Repo, file string) error {
	for _, t := range r.TempPacks() {
		if t == file {
			return os.Remove(file)
		}
	}
	return fmt.Errorf("%s is not a temporary pack left by pmfolio", file)
}
