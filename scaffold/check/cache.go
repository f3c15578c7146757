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

// cacheMagic starts every cache file, with its format version.
const cacheMagic = "pmfolio-check-cache\x00v2\x00"

// cacheEntry is one document's cached result.
type cacheEntry struct {
	Doc  Document
	Sum  *cachedSummary
	Deps []cacheDep
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
	mu   sync.Mutex
	old  map[[32]byte]*cacheEntry
	new  map[[32]byte]*cacheEntry
	// hits and misses count the documents found and checked anew.
	hits, misses int
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

// openCache reads the cache file of this checker in dir; a missing or
// unreadable one is an empty cache.
func (c *Checker) openCache(dir string) *findingsCache {
	fc := &findingsCache{file: c.cacheFile(dir), old: map[[32]byte]*cacheEntry{}, new: map[[32]byte]*cacheEntry{}}
	data, err := os.ReadFile(fc.file)
	if err != nil {
		return fc
	}
	if old, err := decodeCache(data); err == nil {
		fc.old = old
	}
	return fc
}

func decodeCache(data []byte) (m map[[32]byte]*cacheEntry, err error) {
	defer func() {
		// gob refuses most corruption with an error; be sure of the rest.
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("corrupt cache: %v", r)
		}
	}()
	if !bytes.HasPrefix(data, []byte(cacheMagic)) || len(data) < len(cacheMagic)+sha256.Size {
		return nil, errors.New("not a cache file")
	}
	data = data[len(cacheMagic):]
	sum, body := data[:sha256.Size], data[sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
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

// lookup returns the cached result of a document whose dependencies are
// as they were, and keeps it for the next run.
func (c *Checker) lookup(key [32]byte) (outcome, bool) {
	fc := c.cache
	fc.mu.Lock()
	e, ok := fc.old[key]
	fc.mu.Unlock()
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
	fc.mu.Lock()
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
func (c *Checker) store(key [32]byte, d *Document, sum *summary, deps []cacheDep) {
	e := &cacheEntry{Doc: *d, Deps: deps}
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
	if fc.misses == 0 && len(fc.new) == len(fc.old) {
		return nil
	}
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(fc.new); err != nil {
		return err
	}
	sum := sha256.Sum256(body.Bytes())
	dir := filepath.Dir(fc.file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".findings-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	for _, part := range [][]byte{[]byte(cacheMagic), sum[:], body.Bytes()} {
		if _, err := tmp.Write(part); err != nil {
			tmp.Close()
			return err
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
