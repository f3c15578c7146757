package check

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"
)

// The findings cache keeps each document's result between runs, keyed by
// its path and content, in one file per pack digest, configuration and
// pmfolio version (Options.CacheKey): a second run over unchanged
// documents reads them instead of checking them again. A result that
// depended on other files (links that resolve or not, a linked PRD's
// metrics) records them, and is used again only while they are as they
// were.
//
// The file is written whole to a temporary file and renamed over the old
// one, so concurrent runs never see half of one (the last to finish
// wins); a file that is short, corrupt or of another format is ignored,
// as if there were none.

// cacheMagic starts every cache file, with its format version. Then come
// cacheShards parts, each its CRC-32C (4 bytes), its length (8 bytes,
// both little endian) and its entries as a gob of a map: a part is
// decoded (and checked) on a core of its own, while the run goes on up to
// the first lookup, since a second run over unchanged documents is mostly
// this. The checksum only has to catch a torn or damaged file (whoever
// can write the file can write any checksum), so it is the one the CPU
// computes in hardware; the entry keys, which decide whether a document
// changed, stay SHA-256.
const cacheMagic = "pmfolio-check-cache\x00v4\x00"

// cacheHead is the length of a part's header: its checksum and length.
const cacheHead = 4 + 8

// castagnoli is the CRC-32C table of the parts' checksums, made on first
// use (commands that use no cache never pay for it).
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// cacheShards is the number of parts of a cache file; an entry is in
// part key[0] % cacheShards.
const cacheShards = 4

// cacheEntry is one document's cached result.
type cacheEntry struct {
	Doc  Document
	Sum  *cachedSummary
	Deps []cacheDep
	// StatKey, when set, identifies the document's file by its path and
	// stamp (statKey): a later run whose file has the same stamp takes the
	// entry without reading the file (see Options.Stat).
	StatKey [32]byte
	// Implied is set when each of the document's findings (suppressed
	// ones too) had the document's path and its rule's framework: those
	// two are then left empty in the file (gob writes no empty field)
	// and put back by lookup. They were two of a finding's seven
	// strings, each decoded into a string of its own on every run.
	Implied bool
}

// implied reports whether each finding of fs has path and its rule's
// framework, so that a cache entry may leave both out.
func implied(byID map[string]*Rule, path string, fs []Finding) bool {
	for i := range fs {
		r := byID[fs[i].Rule]
		if r == nil || fs[i].Path != path || fs[i].Framework != r.Framework {
			return false
		}
	}
	return true
}

// putImplied puts back in fs the path and frameworks implied left out.
func putImplied(byID map[string]*Rule, path string, fs []Finding) {
	for i := range fs {
		fs[i].Path = path
		if r := byID[fs[i].Rule]; r != nil {
			fs[i].Framework = r.Framework
		}
	}
}

// leaveOutImplied empties, for encoding, the implied path and framework
// of the findings of the entries of m, and returns what puts them back.
// In place rather than in copies (which cost a first run more than the
// strings left out saved): the findings are the report's too, and save,
// which calls it, puts them back before it returns, and before Run
// hands the report over.
func leaveOutImplied(byID map[string]*Rule, m map[[32]byte]*cacheEntry) (putBack func()) {
	var left []*cacheEntry
	for _, e := range m {
		d := &e.Doc
		if !implied(byID, d.Path, d.Findings) || !implied(byID, d.Path, d.Suppressed) {
			continue
		}
		for _, fs := range [][]Finding{d.Findings, d.Suppressed} {
			for i := range fs {
				fs[i].Path, fs[i].Framework = "", ""
			}
		}
		e.Implied = true
		left = append(left, e)
	}
	return func() {
		for _, e := range left {
			putImplied(byID, e.Doc.Path, e.Doc.Findings)
			putImplied(byID, e.Doc.Path, e.Doc.Suppressed)
			e.Implied = false
		}
	}
}

// cachedSummary is summary with exported fields, for gob.
type cachedSummary struct {
	Path, Kind, Competency, MetricsText string
	Links, Metrics                      []string
}

// cacheDep is another file a result depended on: whether it existed, or
// (Hash set) its content.
type cacheDep struct {
	Path   string
	Exists bool
	Hash   string
}

type findingsCache struct {
	file string
	// loaded is closed once old holds the file's entries, read on
	// another goroutine: lookup and save wait for it.
	loaded chan struct{}
	mu     sync.Mutex
	old    [cacheShards]map[[32]byte]*cacheEntry
	// byStat finds, in each part of old, the key of the entry of a stat
	// key.
	byStat [cacheShards]map[[32]byte][32]byte
	new    map[[32]byte]*cacheEntry
	// restamped is set when an entry got a stat key it did not have: the
	// file is saved again even if no document was checked anew.
	restamped bool
	// hits and misses count the documents found and checked anew.
	hits, misses int
	// byID are the checker's rules, for the findings' implied strings.
	byID map[string]*Rule
}

// cacheFile is the file of the cache for this checker's pack, options and
// key, in dir.
func (c *Checker) cacheFile(dir string) string {
	h := sha256.New()
	spec, _ := json.Marshal(c.spec)
	h.Write(spec)
	// What changes a document's findings besides its content and pack.
	opts, _ := json.Marshal(struct {
		Track      string
		Overrides  []Override
		Loose      bool
		ConfigFile string
		Links      bool
		Key        string
		NoInline   bool
	}{c.opts.Track, c.opts.Overrides, c.opts.Loose, c.opts.ConfigFile, c.opts.Exists != nil, c.opts.CacheKey, c.opts.NoInlineConfig})
	h.Write(opts)
	return filepath.Join(dir, "findings-"+hex.EncodeToString(h.Sum(nil)[:12]))
}

// openCache starts reading the cache file of this checker in dir; a
// missing or unreadable one is an empty cache.
func (c *Checker) openCache(dir string) *findingsCache {
	fc := &findingsCache{file: c.cacheFile(dir), loaded: make(chan struct{}), new: map[[32]byte]*cacheEntry{}, byID: c.byID}
	go func() {
		defer close(fc.loaded)
		data, err := os.ReadFile(fc.file)
		if err != nil {
			return
		}
		if old, err := decodeCache(data); err == nil {
			fc.old = old
			var wg sync.WaitGroup
			for i, m := range old {
				wg.Go(func() {
					bs := map[[32]byte][32]byte{}
					for k, e := range m {
						if e.StatKey != ([32]byte{}) {
							bs[e.StatKey] = k
						}
					}
					fc.byStat[i] = bs
				})
			}
			wg.Wait()
		}
	}()
	return fc
}

// oldEntry is the entry of the file read for key, once it is read.
func (fc *findingsCache) oldEntry(key [32]byte) (*cacheEntry, bool) {
	<-fc.loaded
	e, ok := fc.old[key[0]%cacheShards][key]
	return e, ok
}

func decodeCache(data []byte) (m [cacheShards]map[[32]byte]*cacheEntry, err error) {
	if !bytes.HasPrefix(data, []byte(cacheMagic)) {
		return m, errors.New("not a cache file")
	}
	data = data[len(cacheMagic):]
	var parts [cacheShards][]byte
	for i := range parts {
		if len(data) < cacheHead {
			return m, errors.New("cache file is short")
		}
		n := binary.LittleEndian.Uint64(data[4:])
		if n > uint64(len(data)-cacheHead) {
			return m, errors.New("cache file is short")
		}
		parts[i] = data[:cacheHead+int(n)]
		data = data[cacheHead+int(n):]
	}
	if len(data) != 0 {
		return m, errors.New("cache file is too long")
	}
	var errs [cacheShards]error
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Go(func() { m[i], errs[i] = decodeShard(part) })
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return [cacheShards]map[[32]byte]*cacheEntry{}, err
	}
	return m, nil
}

// decodeShard checks and decodes one part of a cache file.
func decodeShard(part []byte) (m map[[32]byte]*cacheEntry, err error) {
	defer func() {
		// gob refuses most corruption with an error; be sure of the rest.
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("corrupt cache: %v", r)
		}
	}()
	sum, body := binary.LittleEndian.Uint32(part), part[cacheHead:]
	if crc32.Checksum(body, castagnoli()) != sum {
		return nil, errors.New("cache file is corrupt")
	}
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// entryKey identifies a document's content at its path.
func entryKey(path string, data []byte) [32]byte {
	h := sha256.New()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(path)))
	h.Write(n[:])
	h.Write([]byte(path))
	h.Write(data)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func contentHash(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:16])
}

// Stamp is what tells, without reading a file, that it has not changed
// since: its modification and change times (nanoseconds), inode and size,
// as git's index keeps them. It is portfolio.Stamp's fields, which check
// may not import.
type Stamp struct {
	Mtime, Ctime int64
	Ino          uint64
	Size         int64
}

// statKey identifies the file of input (its path, kind and how it was
// named) with stamp st.
func statKey(input string, st Stamp) [32]byte {
	h := sha256.New()
	h.Write([]byte(input))
	var b [8 * 4]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(st.Size))
	binary.LittleEndian.PutUint64(b[8:], uint64(st.Mtime))
	binary.LittleEndian.PutUint64(b[16:], uint64(st.Ctime))
	binary.LittleEndian.PutUint64(b[24:], st.Ino)
	h.Write(b[:])
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// lookupStat is lookup of the entry whose file had stat key sk.
func (c *Checker) lookupStat(sk [32]byte) (outcome, bool) {
	fc := c.cache
	<-fc.loaded
	for _, bs := range fc.byStat {
		if key, ok := bs[sk]; ok {
			return c.lookup(key, sk)
		}
	}
	return outcome{}, false
}

// lookup returns the cached result of a document whose dependencies are
// as they were, and keeps it for the next run, with stat key sk when it
// is not zero.
func (c *Checker) lookup(key, sk [32]byte) (outcome, bool) {
	fc := c.cache
	e, ok := fc.oldEntry(key)
	if !ok {
		return outcome{}, false
	}
	for _, d := range e.Deps {
		if d.Hash != "" {
			data, err := c.opts.Read(d.Path)
			if err != nil || contentHash(data) != d.Hash {
				return outcome{}, false
			}
			continue
		}
		exists := false
		if c.opts.Exists != nil {
			exists = c.exists(d.Path)
		} else if _, err := c.opts.Read(d.Path); err == nil {
			exists = true
		}
		if exists != d.Exists {
			return outcome{}, false
		}
	}
	if e.Implied {
		// In place: a run looks each key up once, and an entry saved
		// again with its strings back is still right.
		putImplied(c.byID, e.Doc.Path, e.Doc.Findings)
		putImplied(c.byID, e.Doc.Path, e.Doc.Suppressed)
		e.Implied = false
	}
	fc.mu.Lock()
	if sk != ([32]byte{}) && e.StatKey != sk {
		e.StatKey = sk
		fc.restamped = true
	}
	fc.new[key] = e
	fc.hits++
	fc.mu.Unlock()
	doc := e.Doc
	ctx := &Ctx{checker: c, Kind: c.spec.kind(doc.Kind), Track: doc.Track}
	doc.Rules = c.rulesFor(ctx)
	c.applyDisabled(&doc)
	var sum *summary
	if s := e.Sum; s != nil {
		sum = &summary{path: s.Path, kind: s.Kind, links: s.Links, competency: s.Competency, metrics: s.Metrics, metricsText: s.MetricsText}
	}
	return outcome{doc: &doc, sum: sum, deps: e.Deps}, true
}

// store records a document's result for the next run.
func (c *Checker) store(key, sk [32]byte, d *Document, sum *summary, deps []cacheDep) {
	e := &cacheEntry{Doc: *d, Deps: deps, StatKey: sk}
	e.Doc.Rules, e.Doc.Disabled = nil, nil
	if sum != nil {
		e.Sum = &cachedSummary{Path: sum.path, Kind: sum.kind, Links: sum.links, Competency: sum.competency, Metrics: sum.metrics, MetricsText: sum.metricsText}
	}
	fc := c.cache
	fc.mu.Lock()
	fc.new[key] = e
	fc.misses++
	fc.mu.Unlock()
}

// save writes the cache of this run, when it differs from the last one:
// to a temporary file in the same folder, then renamed over the old one.
func (fc *findingsCache) save() error {
	<-fc.loaded
	old := 0
	for _, m := range fc.old {
		old += len(m)
	}
	if fc.misses == 0 && !fc.restamped && len(fc.new) == old {
		return nil
	}
	var shards [cacheShards]map[[32]byte]*cacheEntry
	for i := range shards {
		shards[i] = make(map[[32]byte]*cacheEntry, len(fc.new)/cacheShards)
	}
	for k, e := range fc.new {
		shards[k[0]%cacheShards][k] = e
	}
	// Each part's header (its sum and length), then its body.
	var heads [cacheShards][cacheHead]byte
	var bodies [cacheShards]bytes.Buffer
	var errs [cacheShards]error
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Go(func() {
			putBack := leaveOutImplied(fc.byID, shards[i])
			errs[i] = gob.NewEncoder(&bodies[i]).Encode(shards[i])
			putBack()
			if errs[i] != nil {
				return
			}
			binary.LittleEndian.PutUint32(heads[i][:], crc32.Checksum(bodies[i].Bytes(), castagnoli()))
			binary.LittleEndian.PutUint64(heads[i][4:], uint64(bodies[i].Len()))
		})
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	dir := filepath.Dir(fc.file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".findings-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write([]byte(cacheMagic)); err != nil {
		tmp.Close()
		return err
	}
	for i := range bodies {
		for _, b := range [][]byte{heads[i][:], bodies[i].Bytes()} {
			if _, err := tmp.Write(b); err != nil {
				tmp.Close()
				return err
			}
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), fc.file)
}

// CacheStats are how many documents a run took from the cache, and how
// many it checked anew.
type CacheStats struct{ Hits, Misses int }
