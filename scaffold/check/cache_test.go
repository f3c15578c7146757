package check_test

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
)

// TestFindingsCache: a second run takes every unchanged document from the
// cache with the same results; each of the cache's keys (a document's
// content, the pack, the configuration, pmfolio's version) and each
// dependency (a link target appearing) makes it check again; a torn or
// damaged cache file is ignored; concurrent writers leave a readable file.
func TestFindingsCache(t *testing.T) {
	dir, p, spec := cacheSetup(t)
	runWith := func(p portfolio, spec check.Spec, key string, overrides ...check.Override) *check.Report {
		t.Helper()
		c := newCheckerWith(t, p, spec, check.Options{CacheDir: dir, CacheKey: key, Overrides: overrides})
		rep, err := c.Run(check.Inputs(inputsOf(p)), true)
		if err != nil {
			t.Fatal(err)
		}
		rep.Apply(check.Policy{})
		return rep
	}
	n := len(inputsOf(p))
	first := runWith(p, spec, "v1")
	if first.Cache.Hits != 0 || first.Cache.Misses != n {
		t.Fatalf("first run: %+v", first.Cache)
	}
	second := runWith(p, spec, "v1")
	if second.Cache.Hits != n || second.Cache.Misses != 0 {
		t.Fatalf("second run: %+v", second.Cache)
	}
	if got, want := reportText(t, second), reportText(t, first); got != want {
		t.Errorf("cached report differs:\n%s", firstDiff(got, want))
	}

	// Content: one document changed is checked again, alone.
	changed := p.clone()
	story := changed.only("story")
	changed[story] = append(changed[story], "\nTBD\n"...)
	if rep := runWith(changed, spec, "v1"); rep.Cache.Misses != 1 || rep.Cache.Hits != n-1 {
		t.Errorf("after an edit: %+v", rep.Cache)
	}
	// Findings and suppressed findings come back whole: a finding's
	// path and framework, left out of the file when they are implied,
	// are put back.
	suppressed := changed.clone()
	suppressed[story] = append(suppressed[story], "\n<!-- pmfolio-disable doc/weasel-words -->\nIt went significantly better.\n"...)
	once := runWith(suppressed, spec, "v-suppressed")
	again := runWith(suppressed, spec, "v-suppressed")
	if again.Cache.Hits != n {
		t.Errorf("suppressed findings: %+v", again.Cache)
	}
	if got, want := reportText(t, again), reportText(t, once); got != want {
		t.Errorf("cached report with suppressed findings differs:\n%s", firstDiff(got, want))
	}
	found, kept := 0, 0
	for _, d := range again.Documents {
		for _, f := range d.Findings {
			if f.Path == d.Path && f.Framework != "" {
				found++
			}
		}
		for _, f := range d.Suppressed {
			if f.Path == d.Path && f.Framework != "" {
				kept++
			}
		}
	}
	if found == 0 || kept == 0 {
		t.Errorf("from the cache: %d findings and %d suppressed ones with their path and framework", found, kept)
	}
	// The pack, the configuration, the version: every document again.
	other := spec
	other.Version = "9.9.9"
	if rep := runWith(p, other, "v1"); rep.Cache.Hits != 0 {
		t.Errorf("another pack: %+v", rep.Cache)
	}
	if rep := runWith(p, spec, "v1", check.Override{Rule: "doc/weasel-words", Severity: check.Off}); rep.Cache.Hits != 0 {
		t.Errorf("another configuration: %+v", rep.Cache)
	}
	if rep := runWith(p, spec, "v2"); rep.Cache.Hits != 0 {
		t.Errorf("another version: %+v", rep.Cache)
	}
	// A dependency: a broken link that starts to resolve.
	linked := p.clone()
	linked[story] = append(linked[story], "\nSee [notes](../notes/x.md).\n"...)
	runWith(linked, spec, "v1")
	linked["notes/x.md"] = []byte("# Notes\n")
	rep := runWith(linked, spec, "v1")
	for _, d := range rep.Documents {
		for _, f := range d.Findings {
			if f.Rule == "doc/link-resolves" {
				t.Errorf("stale link finding from the cache: %s", f.Message)
			}
		}
	}
	// A corrupt file is no cache.
	files, _ := filepath.Glob(filepath.Join(dir, "findings-*"))
	if len(files) == 0 {
		t.Fatal("no cache file written")
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		os.WriteFile(f, data[:len(data)/2], 0o644)
	}
	if rep := runWith(p, spec, "v1"); rep.Cache.Hits != 0 || len(rep.Documents) != len(first.Documents) {
		t.Errorf("corrupt cache: %+v", rep.Cache)
	}
	// A damaged byte that gob would still decode (a letter of a path,
	// the file's length unchanged) is caught by the part's checksum.
	// (The run above rewrote the file of its key; the others stay torn.)
	damaged := 0
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if i := strings.Index(string(data), story); i >= 0 {
			data[i] ^= 0x20
			os.WriteFile(f, data, 0o644)
			damaged++
		}
	}
	if damaged == 0 {
		t.Fatalf("%s in no cache file", story)
	}
	if rep := runWith(p, spec, "v1"); rep.Cache.Hits != 0 || reportText(t, rep) != reportText(t, first) {
		t.Errorf("damaged cache: %+v", rep.Cache)
	}
	// Concurrent runs: each writes whole files; the cache reads after.
	done := make(chan bool)
	for i := 0; i < 4; i++ {
		go func() {
			c := newCheckerWith(t, p, spec, check.Options{CacheDir: dir, CacheKey: "v3"})
			_, err := c.Run(check.Inputs(inputsOf(p)), true)
			done <- err == nil
		}()
	}
	for i := 0; i < 4; i++ {
		if !<-done {
			t.Error("a concurrent run failed")
		}
	}
	if rep := runWith(p, spec, "v3"); rep.Cache.Hits != n {
		t.Errorf("after concurrent runs: %+v", rep.Cache)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".findings-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func inputsOf(p portfolio) []check.Input {
	var in []check.Input
	for k := range p {
		if strings.HasSuffix(k, ".md") {
			in = append(in, check.Input{Path: k})
		}
	}
	return in
}

func reportText(t *testing.T, rep *check.Report) string {
	t.Helper()
	var b strings.Builder
	if err := check.Write(&b, rep, check.Output{Format: "json", Version: "test"}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestFindingsCacheByStamp runs the cache with stamps (Options.Stat): a
// document whose stamp is the one its result was cached with is taken
// without being read; a new stamp, or none (a file changed too recently
// to be trusted), means reading it, and a changed document is checked
// again; a document stamped again keeps its result, and the reports are
// the same as without stamps.
func TestFindingsCacheByStamp(t *testing.T) {
	dir, p, spec := cacheSetup(t)
	stamps := map[string]check.Stamp{}
	for name, data := range p {
		stamps[name] = check.Stamp{Size: int64(len(data)), Mtime: 1, Ctime: 1, Ino: uint64(len(stamps) + 1)}
	}
	trusted := true
	reads := map[string]int{} // by the checker's workers, under mu
	var mu sync.Mutex
	runWith := func(p portfolio) *check.Report {
		t.Helper()
		c := newCheckerWith(t, p, spec, check.Options{CacheDir: dir, CacheKey: "v1",
			Read: func(name string) ([]byte, error) {
				mu.Lock()
				reads[name]++
				mu.Unlock()
				return p.read(name)
			},
			Stat: func(name string) (check.Stamp, bool) {
				st, ok := stamps[name]
				return st, ok && trusted
			}})
		clear(reads)
		rep, err := c.Run(check.Inputs(inputsOf(p)), true)
		if err != nil {
			t.Fatal(err)
		}
		rep.Apply(check.Policy{})
		return rep
	}
	inputs := inputsOf(p)
	n := len(inputs)
	first := runWith(p)
	if first.Cache.Misses != n {
		t.Fatalf("first run: %+v", first.Cache)
	}
	// A cached run without stamps reads every document, and the files
	// the cached results depend on (a linked PRD, for its metrics).
	trusted = false
	if rep := runWith(p); rep.Cache.Hits != n {
		t.Fatalf("cached run without stamps: %+v", rep.Cache)
	}
	base := maps.Clone(reads)
	trusted = true
	second := runWith(p)
	if second.Cache.Hits != n {
		t.Fatalf("second run: %+v", second.Cache)
	}
	for _, in := range inputs {
		if reads[in.Path] != base[in.Path]-1 {
			t.Errorf("%s read %d times, %d without stamps: its stamp is as it was", in.Path, reads[in.Path], base[in.Path])
		}
	}
	if got, want := reportText(t, second), reportText(t, first); got != want {
		t.Errorf("report from stamps differs:\n%s", firstDiff(got, want))
	}

	// One document changed, with its stamp: read and checked again, alone.
	changed := p.clone()
	story := changed.only("story")
	changed[story] = append(changed[story], "\nTBD\n"...)
	st := stamps[story]
	st.Size, st.Mtime, st.Ctime = int64(len(changed[story])), 2, 2
	stamps[story] = st
	rep := runWith(changed)
	if rep.Cache.Misses != 1 || rep.Cache.Hits != n-1 || reads[story] == 0 {
		t.Errorf("after an edit: %+v, %d reads of it", rep.Cache, reads[story])
	}
	if got, want := reportText(t, rep), reportText(t, run(t, changed)); got != want {
		t.Errorf("report after an edit differs from an uncached one:\n%s", firstDiff(got, want))
	}

	// A change that keeps the stamp is not seen: that is why a caller
	// must refuse the stamps of files changed too recently. With no
	// stamp trusted, every document is read, and the change is seen.
	sneaky := changed.clone()
	sneaky[story] = append(sneaky[story], "\nTBD again\n"...)
	trusted = false
	rep = runWith(sneaky)
	if rep.Cache.Misses != 1 || reads[story] == 0 {
		t.Errorf("stamps refused: %+v", rep.Cache)
	}
	for _, in := range inputs {
		if reads[in.Path] == 0 {
			t.Errorf("stamps refused, but %s was not read", in.Path)
		}
	}
}

// cacheSetup is a cache folder, the example portfolio of the core track
// and the default pack's spec.
func cacheSetup(t *testing.T) (string, portfolio, check.Spec) {
	t.Helper()
	pk, err := pack.Default()
	if err != nil {
		t.Fatal(err)
	}
	return t.TempDir(), examplePortfolio(t, "core"), packcheck.Spec(pk)
}
