//go:build unix

package main

// new: `pmfolio new KIND --answers F` with its commit, as a whole process,
// in portfolios of 10,000 documents of several shapes, against the two
// baselines issue 13 names, side by side in one run:
//
//	go run ./cmd/pmbench new [-docs 10000] [-pairs 15] [-shapes loose,packed,...] [-grow 800] [-keep]
//
// Each round of a shape times three commands, in an order that rotates
// from round to round: pmfolio new in the big portfolio; `git add FILE &&
// git commit` by the git CLI of a new document of the same kind and size in
// the same repository; pmfolio new in a fresh portfolio made by `pmfolio
// init` for that round (outside the timing). The ratios are the medians of
// the rounds' ratios. Targets: at most 1.0x git, at most 1.5x the fresh
// portfolio, on every shape.
//
// The git baseline runs with gc.auto=0: with thousands of loose objects
// git commit would otherwise start packing the repository in the
// background and change the shape being measured. A warm-up round, not
// counted, comes first: it fills the page cache, and pmfolio's README
// index cache, as any earlier command in the portfolio would have. Each
// corpus is synced to disk before it is measured.

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// newShape is one kind of big portfolio the benchmark measures.
type newShape struct {
	name, desc string
	// build fills the portfolio at dir, made by pmfolio init.
	build func(b *newBench, dir string) error
	// kinds are the kinds measured; each gets its own row.
	kinds []string
}

var newShapes = []newShape{
	{name: "loose", desc: "documents committed by the git CLI, loose objects, no answers files",
		build: func(b *newBench, dir string) error { return b.corpus(dir, false, false, false) }},
	{name: "packed", desc: "the same, every object in one pack (as git gc leaves them)",
		build: func(b *newBench, dir string) error { return b.corpus(dir, false, true, false) }},
	{name: "answers", desc: "answers files beside every document, packed",
		build: func(b *newBench, dir string) error { return b.corpus(dir, true, true, false) }},
	{name: "readme", desc: "a README whose owner lists every document below the index",
		build: func(b *newBench, dir string) error { return b.corpus(dir, false, false, true) }},
	{name: "kinds", desc: "loose, new of every kind",
		build: func(b *newBench, dir string) error { return b.corpus(dir, false, false, false) },
		kinds: kinds},
	// Last: building it runs pmfolio new hundreds of times, each freeing
	// the inodes of the files it replaces, and on ext4 without a journal
	// file creation slows for minutes after that (see packByClone); the
	// shapes measured after it measured that.
	{name: "grown", desc: "packed, then grown by pmfolio new itself (loose objects)",
		build: func(b *newBench, dir string) error {
			if err := b.corpus(dir, false, true, false); err != nil {
				return err
			}
			return b.grow(dir)
		}},
}

// newBench is one run of the new benchmark.
type newBench struct {
	bin, examples, work string
	docs, growBy        int
	samples             []sample
}

// newRow is one line of the table: a shape and a kind.
type newRow struct {
	shape    *newShape
	kind     string
	big      string
	corpus   string
	new, git []measurement
	fresh    []measurement
	ratioGit float64
	ratioNew float64
}

func benchNew(args []string) error {
	fs := flag.NewFlagSet("new", flag.ExitOnError)
	docs := fs.Int("docs", 10000, "documents in each big portfolio")
	pairs := fs.Int("pairs", 15, "rounds per row; each times the three commands once (at least 10)")
	shapes := fs.String("shapes", "all", "comma-separated shapes to measure: "+shapeNames()+", or all")
	grow := fs.Int("grow", 800, "pmfolio new runs that grow the 'grown' shape (about 9 loose objects each)")
	bin := fs.String("bin", "", "pmfolio binary to measure (default: build ./cmd/pmfolio)")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)
	if *pairs < 10 {
		return fmt.Errorf("-pairs %d: the medians need at least 10 rounds", *pairs)
	}
	selected, err := selectShapes(*shapes)
	if err != nil {
		return err
	}

	work, built, examples, done, err := setUp("pmbench-new-", *keep)
	if err != nil {
		return err
	}
	defer done()
	if *bin == "" {
		*bin = built
	} else if *bin, err = filepath.Abs(*bin); err != nil {
		return err
	}
	b := &newBench{bin: *bin, examples: examples, work: work, docs: *docs, growBy: *grow}
	if b.samples, err = renderSamples(b.bin, work, examples); err != nil {
		return err
	}

	var rows []*newRow
	for _, s := range selected {
		dir := filepath.Join(work, s.name)
		start := time.Now()
		if err := b.init(dir); err != nil {
			return err
		}
		if err := s.build(b, dir); err != nil {
			return fmt.Errorf("shape %s: %w", s.name, err)
		}
		// A corpus just written is still being written back to disk:
		// measuring during that would measure the disk's backlog.
		_ = run("", "sync")
		desc := describe(dir)
		fmt.Printf("shape %-8s %s: %s (built in %s)\n", s.name, s.desc, desc, time.Since(start).Round(time.Second))
		kinds := s.kinds
		if kinds == nil {
			kinds = []string{"story"}
		}
		var srows []*newRow
		for _, k := range kinds {
			srows = append(srows, &newRow{shape: s, kind: k, big: dir, corpus: desc})
		}
		if err := b.measure(srows, *pairs); err != nil {
			return fmt.Errorf("shape %s: %w", s.name, err)
		}
		if err := checkClean(dir); err != nil {
			return fmt.Errorf("shape %s: %w", s.name, err)
		}
		rows = append(rows, srows...)
	}
	return reportNew(rows, *docs, *pairs)
}

func shapeNames() string {
	var names []string
	for _, s := range newShapes {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}

func selectShapes(list string) ([]*newShape, error) {
	var out []*newShape
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		found := false
		for i := range newShapes {
			if name == "all" || newShapes[i].name == name {
				out = append(out, &newShapes[i])
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("-shapes: unknown shape %q (want %s, or all)", name, shapeNames())
		}
	}
	return out, nil
}

// init makes a portfolio with pmfolio init, committed.
func (b *newBench) init(dir string) error {
	return initPortfolio(b.bin, b.examples, dir)
}

// corpus writes b.docs documents of the six kinds, 2 to 6 KB each, into the
// portfolio at dir, with an answers file beside each one if answers, and
// commits them with the git CLI, as a person who wrote them by hand would.
// packed packs every object afterwards; readme gives the README a list of
// every document below pmfolio's index, as its owner might keep one.
func (b *newBench) corpus(dir string, answers, packed, readme bool) error {
	if _, err := generate(dir, b.samples, b.docs, mixed); err != nil {
		return err
	}
	if answers {
		if err := writeAnswers(dir); err != nil {
			return err
		}
	}
	if readme {
		if err := ownerList(dir); err != nil {
			return err
		}
	}
	if err := run(dir, "git", "add", "-A"); err != nil {
		return err
	}
	if err := run(dir, "git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", "commit", "-q", "-m", "documents written by hand"); err != nil {
		return err
	}
	if packed {
		return packByClone(dir)
	}
	return nil
}

// packByClone leaves at dir a clone of the repository there, which holds
// its objects in one pack, as git gc would, and keeps the original beside
// it until the benchmark ends. git gc deletes the tens of thousands of
// loose objects it packed, and on ext4 without a journal (this machine's
// and CI's) every file created in the next minutes then waits while the
// kernel skips the inodes freed in that time (recently_deleted): the
// first rounds measured that, not pmfolio, by up to 20 ms a command. A
// clone creates, and deletes nothing.
func packByClone(dir string) error {
	clone := dir + ".packed"
	if err := run("", "git", "clone", "--quiet", "--no-local", "--no-hardlinks", dir, clone); err != nil {
		return err
	}
	if err := run(clone, "git", "remote", "remove", "origin"); err != nil {
		return err
	}
	if err := os.Rename(dir, dir+".loose"); err != nil {
		return err
	}
	return os.Rename(clone, dir)
}

// writeAnswers writes an answers file beside every document, where
// pmfolio new keeps them.
func writeAnswers(dir string) error {
	for _, k := range kinds {
		names, err := mdNames(filepath.Join(dir, k))
		if err != nil {
			return err
		}
		side := filepath.Join(dir, ".pmfolio", "answers", k)
		if err := os.MkdirAll(side, 0o755); err != nil {
			return err
		}
		for _, n := range names {
			data := "title: " + strings.TrimSuffix(n, ".md") + "\n"
			if err := os.WriteFile(filepath.Join(side, strings.TrimSuffix(n, ".md")+".yaml"), []byte(data), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// ownerList appends to the README, below pmfolio's index, a list of every
// document.
func ownerList(dir string) error {
	var sb strings.Builder
	sb.WriteString("\n## Everything I wrote\n\n")
	for _, k := range kinds {
		names, err := mdNames(filepath.Join(dir, k))
		if err != nil {
			return err
		}
		slices.Sort(names)
		for _, n := range names {
			fmt.Fprintf(&sb, "- [%s](%s/%s)\n", strings.TrimSuffix(n, ".md"), k, n)
		}
	}
	f, err := os.OpenFile(filepath.Join(dir, "README.md"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(sb.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func mdNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// grow runs pmfolio new b.growBy times in dir: the loose objects a
// portfolio that pmfolio itself has grown holds.
func (b *newBench) grow(dir string) error {
	for i := 0; i < b.growBy; i++ {
		k := kinds[i%len(kinds)]
		if err := run("", b.bin, "-C", dir, "new", k, "--answers", filepath.Join(b.examples, k+".yaml"),
			"--set", fmt.Sprintf("title=Grown %s %d", k, i), "--date", "2026-06-01"); err != nil {
			return err
		}
	}
	return nil
}

// describe says what the portfolio at dir holds, as git counts it.
func describe(dir string) string {
	docs := 0
	for _, k := range kinds {
		names, _ := mdNames(filepath.Join(dir, k))
		docs += len(names)
	}
	out, _ := exec.Command("git", "-C", dir, "count-objects", "-v").Output()
	counts := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			counts[k] = v
		}
	}
	entries, _ := exec.Command("git", "-C", dir, "ls-files").Output()
	readme, _ := os.Stat(filepath.Join(dir, "README.md"))
	size := int64(0)
	if readme != nil {
		size = readme.Size()
	}
	return fmt.Sprintf("%d documents, %d index entries, %s loose objects, %s in packs, README %d KB",
		docs, strings.Count(string(entries), "\n"), counts["count"], counts["in-pack"], size/1024)
}

// measure runs the rounds of rows (one shape), the rows' rounds
// interleaved too.
func (b *newBench) measure(rows []*newRow, pairs int) error {
	for round := -1; round < pairs; round++ {
		for _, r := range rows {
			if err := b.round(r, round); err != nil {
				return err
			}
		}
	}
	for _, r := range rows {
		r.ratioGit = pairedRatio(walls(r.new), walls(r.git))
		r.ratioNew = pairedRatio(walls(r.new), walls(r.fresh))
	}
	return nil
}

// round times the three commands of one row once, in an order that
// rotates with the round; round -1 is a warm-up, not recorded.
func (b *newBench) round(r *newRow, round int) error {
	id := fmt.Sprintf("%s-%s-%d", r.shape.name, r.kind, round+1)
	fresh := filepath.Join(b.work, "fresh-"+id)
	if err := b.init(fresh); err != nil {
		return err
	}
	defer os.RemoveAll(fresh)
	answers := filepath.Join(b.examples, r.kind+".yaml")
	newIn := func(dir string) (measurement, error) {
		return measuredPmfolio(b.bin, "-C", dir, "new", r.kind, "--answers", answers, "--set", "title=Bench "+id)
	}
	// The git baseline commits a document of the same kind and size.
	rel := filepath.Join(r.kind, time.Now().Format("2006-01-02")+"-git-bench-"+id+".md")
	if err := os.WriteFile(filepath.Join(r.big, rel), []byte(b.sampleOf(r.kind)), 0o644); err != nil {
		return err
	}
	cmds := []func() (measurement, error){
		func() (measurement, error) { return newIn(r.big) },
		func() (measurement, error) {
			m1, err := measured(r.big, "git", "add", rel)
			if err != nil {
				return m1, err
			}
			m2, err := measured(r.big, "git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", "commit", "-q", "-m", "add "+rel)
			return measurement{wall: m1.wall + m2.wall, cpu: m1.cpu + m2.cpu}, err
		},
		func() (measurement, error) { return newIn(fresh) },
	}
	var got [3]measurement
	for k := range cmds {
		i := (k + round + 1) % len(cmds)
		m, err := cmds[i]()
		if err != nil {
			return err
		}
		got[i] = m
	}
	if round >= 0 {
		r.new = append(r.new, got[0])
		r.git = append(r.git, got[1])
		r.fresh = append(r.fresh, got[2])
	}
	return nil
}

func (b *newBench) sampleOf(kind string) string {
	for _, s := range b.samples {
		if s.kind == kind {
			return s.text
		}
	}
	return "# " + kind + "\n"
}

// measuredPmfolio is measured for a pmfolio command that must succeed
// (new, edit): its wall and CPU time.
func measuredPmfolio(bin string, args ...string) (measurement, error) {
	cmd := exec.Command(bin, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return measurement{}, fmt.Errorf("pmfolio %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return measurement{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, nil
}

func reportNew(rows []*newRow, docs, pairs int) error {
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("\n%d documents; medians of %d interleaved rounds; wall (cpu = user+system); load average %s\n",
		docs, pairs, strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))
	fmt.Printf("%-8s %-9s %18s %18s %18s %14s %14s\n", "shape", "kind", "new (10k)", "git add+commit", "new (fresh)", "new/git", "new/fresh")
	ok := true
	cell := func(ms []measurement) string {
		return fmt.Sprintf("%s (%s)", msShort(median(walls(ms))), msShort(median(cpus(ms))))
	}
	for _, r := range rows {
		pass := r.ratioGit <= 1.0 && r.ratioNew <= 1.5
		ok = ok && pass
		fmt.Printf("%-8s %-9s %18s %18s %18s %9.2f %-4s %9.2f %-4s\n", r.shape.name, r.kind,
			cell(r.new), cell(r.git), cell(r.fresh),
			r.ratioGit, verdict(r.ratioGit <= 1.0), r.ratioNew, verdict(r.ratioNew <= 1.5))
	}
	fmt.Println("targets: new/git <= 1.00, new/fresh <= 1.50 (medians of the rounds' ratios)")
	if !ok {
		return fmt.Errorf("targets missed")
	}
	return nil
}

func msShort(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + "ms"
}
