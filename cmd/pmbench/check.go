//go:build unix

package main

// check: `pmfolio check` over a generated corpus of documents, against
// markdownlint-cli2 with its default rules on the same files, in one run.
//
//	go run ./cmd/pmbench check [-docs 10000] [-small 1000] [-runs 3] [-formats text,json,...] [-markdownlint PATH]
//	go run ./cmd/pmbench check -generate     # the corpora only, kept, for profiling
//
// Three corpora of -docs documents (the six kinds) are generated in a
// temporary folder from the example answers, never in the repository: all
// complete (2 to 6 KB each), all unfilled templates, and a mix of complete
// documents and documents with the gaps people leave. Every output format
// is measured on each, and the findings cache's second run against its
// first. markdownlint-cli2 is installed
// with npm into that folder unless -markdownlint names one: it is a
// baseline to measure against, not a dependency. Targets: at least 40
// times faster than markdownlint-cli2 on every corpus in every format,
// peak memory under 150 MB, a second run over unchanged documents at most
// a fifth of the first, both cores busy, and time growing linearly from
// -small to -docs documents.

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
)

// measurement is one run of a command: wall time, CPU time and peak RSS.
type measurement struct {
	wall, cpu time.Duration
	rssKB     int64
}

func benchCheck(args []string) error {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	docs := fs.Int("docs", 10000, "documents in each big corpus")
	small := fs.Int("small", 1000, "documents in the small corpus, for the scaling ratio")
	runs := fs.Int("runs", 3, "measured runs of pmfolio check per corpus and format (the median counts)")
	mdlRuns := fs.Int("markdownlint-runs", 1, "measured runs of markdownlint-cli2 per corpus (it takes tens of seconds)")
	mdl := fs.String("markdownlint", "", "markdownlint-cli2 to run (default: npm install it into the work folder)")
	formats := fs.String("formats", "text,json,junit,github,sarif", "the output formats to measure")
	keep := fs.Bool("keep", false, "keep the work folder")
	only := fs.Bool("generate", false, "generate the corpora, print the work folder and stop (for profiling)")
	_ = fs.Parse(args)

	work, bin, examples, done, err := setUp("pmbench-check-", *keep || *only)
	if err != nil {
		return err
	}
	defer done()
	os.Setenv("NO_COLOR", "1")

	samples, err := renderSamples(bin, work, examples)
	if err != nil {
		return err
	}
	corpus := func(name string, n int, mode corpusMode) (string, sizes, error) {
		dir := filepath.Join(work, fmt.Sprintf("%s-%d", name, n))
		if err := initPortfolio(bin, examples, "--no-commit", dir); err != nil {
			return "", sizes{}, err
		}
		sz, err := generate(dir, samples, n, mode)
		return dir, sz, err
	}
	empty, _, err := corpus("empty", 0, mixed)
	if err != nil {
		return err
	}
	smallDir, _, err := corpus("mix", *small, mixed)
	if err != nil {
		return err
	}
	type big struct {
		name string
		dir  string
	}
	var bigs []big
	for _, c := range []struct {
		name string
		mode corpusMode
	}{{"complete", complete}, {"templates", templates}, {"mix", mixed}} {
		dir, sz, err := corpus(c.name, *docs, c.mode)
		if err != nil {
			return err
		}
		fmt.Printf("corpus %-9s %d documents, %s\n", c.name+":", *docs, sz)
		bigs = append(bigs, big{c.name, dir})
	}
	if *only {
		return nil
	}

	checkArgs := func(format string) []string {
		return []string{"check", "--date", "2026-04-10", "--format", format, "--color", "never", "--no-cache"}
	}
	measure := func(dir string, runs int, format string) ([]measurement, error) {
		var ms []measurement
		for i := 0; i < runs; i++ {
			m, err := measured(dir, bin, checkArgs(format)...)
			if err != nil {
				return nil, err
			}
			ms = append(ms, m)
		}
		return ms, nil
	}
	// Warm the page cache and the binary once on each corpus.
	for _, dir := range []string{empty, smallDir, bigs[0].dir, bigs[1].dir, bigs[2].dir} {
		if _, err := measure(dir, 1, "text"); err != nil {
			return err
		}
	}
	m0s, err := measure(empty, *runs, "text")
	if err != nil {
		return err
	}
	mSmalls, err := measure(smallDir, *runs, "text")
	if err != nil {
		return err
	}
	mdlBin := *mdl
	if mdlBin == "" {
		if mdlBin, err = installMarkdownlint(work); err != nil {
			return err
		}
	}

	cores := runtime.NumCPU()
	// The ratio is of wall times, the target's; the CPU ratio beside it
	// says how much of it a loaded machine may have taken away.
	fmt.Printf("\n%-34s %10s %10s %9s %10s %8s %9s\n", "corpus, command (median)", "wall", "cpu", "cpu/wall", "peak RSS", "ratio", "cpu ratio")
	row := func(name string, m measurement, ratio, cpuRatio float64) {
		r, cr := "", ""
		if ratio > 0 {
			r, cr = fmt.Sprintf("%.1fx", ratio), fmt.Sprintf("%.1fx", cpuRatio)
		}
		fmt.Printf("%-34s %10s %10s %9.2f %7.1f MB %8s %9s\n", name, ms(m.wall), ms(m.cpu), float64(m.cpu)/float64(m.wall), float64(m.rssKB)/1024, r, cr)
	}
	ok := true
	var mixText measurement
	for _, b := range bigs {
		// Each round runs every format once, then markdownlint-cli2 on
		// rounds where it is due: a change in the machine's load (other
		// jobs on a shared runner) weighs on both sides of the ratios.
		byFormat := map[string][]measurement{}
		var mdlMs []measurement
		rounds := max(*runs, *mdlRuns)
		for i := 0; i < rounds; i++ {
			for _, f := range strings.Split(*formats, ",") {
				if i >= *runs {
					break
				}
				m, err := measure(b.dir, 1, f)
				if err != nil {
					return err
				}
				byFormat[f] = append(byFormat[f], m...)
			}
			if i < *mdlRuns {
				m, err := measured(b.dir, mdlBin, "**/*.md")
				if err != nil {
					return err
				}
				mdlMs = append(mdlMs, m)
			}
		}
		mMdl := medianOf(mdlMs)
		row(b.name+", markdownlint-cli2", mMdl, 0, 0)
		for _, f := range strings.Split(*formats, ",") {
			m := medianOf(byFormat[f])
			ratio := float64(mMdl.wall) / float64(m.wall)
			rss := float64(m.rssKB) / 1024
			row(b.name+", pmfolio --format "+f, m, ratio, float64(mMdl.cpu)/float64(max(m.cpu, 1)))
			ok = ok && ratio >= 40 && rss < 150
			if b.name == "mix" && f == "text" {
				mixText = m
			}
		}
	}
	fmt.Printf("(medians of %d runs of pmfolio per corpus and format, %d of markdownlint-cli2 per corpus)\n", max(*runs, 1), max(*mdlRuns, 1))
	fmt.Printf("\ntargets: every pmfolio row at least 40x faster than markdownlint-cli2 on its corpus, under 150 MB: %s\n", verdict(ok))

	// The findings cache: a run over unchanged documents against the run
	// that filled the cache, in pairs, on the mix corpus in a repository.
	cacheRatio, err := measureCache(work, bin, bigs[2].dir, *runs)
	if err != nil {
		return err
	}
	fmt.Printf("findings cache: second run / first run (%d docs)   = %.2f (target <= 0.20) %s\n", *docs, cacheRatio, verdict(cacheRatio <= 0.2))

	m0, mSmall, mBig := medianOf(m0s), medianOf(mSmalls), mixText
	util := float64(mBig.cpu) / float64(mBig.wall)
	// Linear growth: the time spent on documents (less the fixed start-up
	// an empty portfolio takes) grows in proportion to their number.
	scale := float64(mBig.wall-m0.wall) / float64(max(mSmall.wall-m0.wall, time.Microsecond))
	want := float64(*docs) / float64(max(*small, 1))
	perSmall := float64((mSmall.wall - m0.wall).Microseconds()) / float64(max(*small, 1))
	perBig := float64((mBig.wall - m0.wall).Microseconds()) / float64(max(*docs, 1))
	fmt.Printf("CPU utilisation (cpu/wall, %d CPUs, mix, text)   = %.2f (target >= %.1f: both cores busy) %s\n", cores, util, 0.75*float64(min(cores, 2)), verdict(util >= 0.75*float64(min(cores, 2))))
	fmt.Printf("scaling %d -> %d docs (less start-up %s)  = %.1fx for %.0fx the documents; %.0f us/doc vs %.0f us/doc (target <= %.1fx) %s\n",
		*small, *docs, ms(m0.wall), scale, want, perSmall, perBig, want*1.25, verdict(scale <= want*1.25))
	if !ok || cacheRatio > 0.2 || util < 0.75*float64(min(cores, 2)) || scale > want*1.25 {
		return fmt.Errorf("targets missed")
	}
	return nil
}

// measureCache copies the corpus at dir into a git repository and
// measures pmfolio check filling the findings cache, then reading it, in
// pairs; it returns the median second run over the median first.
func measureCache(work, bin, dir string, runs int) (float64, error) {
	repo := filepath.Join(work, "cache-repo")
	if err := run("", "cp", "-r", dir, repo); err != nil {
		return 0, err
	}
	if err := run(repo, "git", "init", "-q"); err != nil {
		return 0, err
	}
	// The cache does not trust the stamp of a file changed in the three
	// seconds before a run (checkrun's stampSettle) and reads it: files
	// copied a moment ago would measure that, not a second run over
	// documents left as they were.
	time.Sleep(3500 * time.Millisecond)
	cache := filepath.Join(repo, ".git", "pmfolio", "check-cache")
	args := []string{"check", "--date", "2026-04-10", "--format", "text", "--color", "never"}
	var firsts, seconds []measurement
	for i := 0; i < max(runs, 1); i++ {
		if err := os.RemoveAll(cache); err != nil {
			return 0, err
		}
		m1, err := measured(repo, bin, args...)
		if err != nil {
			return 0, err
		}
		m2, err := measured(repo, bin, args...)
		if err != nil {
			return 0, err
		}
		firsts, seconds = append(firsts, m1), append(seconds, m2)
	}
	f, s := medianOf(firsts), medianOf(seconds)
	fmt.Printf("findings cache: first run %s (%.1f MB), second run %s (%.1f MB)\n", ms(f.wall), float64(f.rssKB)/1024, ms(s.wall), float64(s.rssKB)/1024)
	return float64(s.wall) / float64(f.wall), nil
}

// measured runs a command in dir and reads its wall time, CPU time and
// peak RSS. Exit status 1 (findings) is expected of both linters. Their
// reports are discarded, as a CI job that keeps only the exit status
// would; stderr is kept in a file for when a run fails.
func measured(dir string, name string, args ...string) (measurement, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	logf, err := os.CreateTemp("", "pmbench-stderr-")
	if err != nil {
		return measurement{}, err
	}
	defer os.Remove(logf.Name())
	defer logf.Close()
	cmd.Stderr = logf
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		tail, _ := os.ReadFile(logf.Name())
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return measurement{}, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	m := measurement{wall: wall}
	if ru != nil {
		m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		m.rssKB = ru.Maxrss
	}
	return m, nil
}

func medianOf(ms []measurement) measurement {
	sort.Slice(ms, func(i, j int) bool { return ms[i].wall < ms[j].wall })
	return ms[len(ms)/2]
}

// walls are the wall times of ms, for pairedRatio and quartiles.
func walls(ms []measurement) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = m.wall
	}
	return out
}

// cpus are the CPU times of ms.
func cpus(ms []measurement) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = m.cpu
	}
	return out
}

func installMarkdownlint(work string) (string, error) {
	dir := filepath.Join(work, "npm")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	fmt.Println("installing markdownlint-cli2 with npm into", dir, "(for measuring only)")
	if err := run(dir, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir, "markdownlint-cli2"); err != nil {
		return "", fmt.Errorf("install markdownlint-cli2 (or pass -markdownlint PATH): %w", err)
	}
	out, _ := exec.Command(filepath.Join(dir, "node_modules", ".bin", "markdownlint-cli2"), "--help").CombinedOutput()
	if first, _, _ := strings.Cut(string(out), "\n"); first != "" {
		fmt.Println(first)
	}
	return filepath.Join(dir, "node_modules", ".bin", "markdownlint-cli2"), nil
}

// sample is a complete document of a kind on a track, rendered from the
// example answers.
type sample struct {
	kind, track string
	text        string
}

var kinds = []string{"interview", "brief", "prd", "retro", "teardown", "story"}

func renderSamples(bin, work, examples string) ([]sample, error) {
	var out []sample
	for _, track := range []string{"core", "technical"} {
		dir := filepath.Join(work, "samples-"+track)
		if err := initPortfolio(bin, examples, "--set", "track="+track, "--no-commit", dir); err != nil {
			return nil, err
		}
		for _, k := range kinds {
			doc, err := exec.Command(bin, "-C", dir, "new", k, "--answers", filepath.Join(examples, k+".yaml"), "--date", "2026-02-01", "--dry-run").Output()
			if err != nil {
				return nil, fmt.Errorf("render the %s example: %w", k, err)
			}
			out = append(out, sample{k, track, string(doc)})
		}
	}
	return out, nil
}

// sizes describes a generated corpus.
type sizes struct {
	min, max, total int
	n               int
	complete, gaps  int
}

func (s sizes) String() string {
	if s.n == 0 {
		return "empty"
	}
	return fmt.Sprintf("%.1f to %.1f KB (mean %.1f KB)", float64(s.min)/1024, float64(s.max)/1024, float64(s.total)/float64(s.n)/1024)
}

var (
	sectionRE = regexp.MustCompile(`(?m)^## `)
	percentRE = regexp.MustCompile(`\d+(\.\d+)?%`)
)

// generate writes n documents into the portfolio at dir: the kinds in
// turn, both tracks, each sized between 2 and 6 KB; every other one has
// gaps of the kinds people leave (a missing section, a placeholder, a
// metric without numbers, a weasel word, a broken link).
// corpusMode is the quality of a generated corpus.
type corpusMode int

const (
	// mixed: every other document has gaps.
	mixed corpusMode = iota
	// complete: every document as the example answers render it.
	complete
	// templates: every document an unfilled template.
	templates
)

func generate(dir string, samples []sample, n int, mode corpusMode) (sizes, error) {
	sz := sizes{min: 1 << 30}
	filler := []string{
		"We checked this against the support queue for the same weeks.",
		"The numbers come from the billing export of the last full month.",
		"Two customers described the same workaround in almost the same words.",
		"This matters most at month-end, when the queue is longest.",
		"The finance team confirmed the figures in a follow-up call.",
	}
	for i := 0; i < n; i++ {
		r := rand.New(rand.NewSource(int64(i)))
		s := samples[i%len(samples)]
		text := s.text
		date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Format("2006-01-02")
		text = strings.Replace(text, `date: "2026-02-01"`, `date: "`+date+`"`, 1)
		gaps := mode == mixed && i%2 == 1
		if mode == templates {
			text = templateOf(text)
			sz.gaps++
		} else if gaps {
			for g := 0; g < 1+r.Intn(3); g++ {
				text = addGap(text, r)
			}
			sz.gaps++
		} else {
			sz.complete++
		}
		if mode != templates {
			target := 2048 + r.Intn(4096)
			text = resize(text, target, r, filler)
		}
		rel := filepath.Join(s.kind, fmt.Sprintf("%s-document-%d.md", date, i))
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(text), 0o644); err != nil {
			return sz, err
		}
		sz.n++
		sz.total += len(text)
		sz.min = min(sz.min, len(text))
		sz.max = max(sz.max, len(text))
	}
	return sz, nil
}

func addGap(text string, r *rand.Rand) string {
	idx := sectionRE.FindAllStringIndex(text, -1)
	switch r.Intn(5) {
	case 0: // a missing section
		if len(idx) > 2 {
			k := 1 + r.Intn(len(idx)-1)
			end := len(text)
			if k+1 < len(idx) {
				end = idx[k+1][0]
			}
			return text[:idx[k][0]] + text[end:]
		}
	case 1: // a placeholder
		if len(idx) > 1 {
			k := r.Intn(len(idx))
			at := idx[k][1] + strings.IndexByte(text[idx[k][1]:], '\n') + 1
			return text[:at] + "\nTODO: finish this section before the review.\n" + text[at:]
		}
	case 2: // numbers replaced by adjectives
		return percentRE.ReplaceAllString(text, "much better")
	case 3: // weasel words
		return strings.Replace(text, "\n\n", "\n\nThis significantly improves the experience for nearly all users.\n\n", 2)
	case 4: // a broken link
		return strings.Replace(text, "\n\n## ", "\n\nSee [the notes](../notes/missing.md).\n\n## ", 1)
	}
	return text
}

// resize cuts lines from the end of the longest sections, or adds
// sentences of filler prose, until the document is about target bytes.
func resize(text string, target int, r *rand.Rand, filler []string) string {
	for len(text) > target {
		lines := strings.Split(text, "\n")
		// Drop the longest non-heading line after the front matter.
		best := -1
		for j := 12; j < len(lines); j++ {
			if !strings.HasPrefix(lines[j], "#") && (best < 0 || len(lines[j]) > len(lines[best])) {
				best = j
			}
		}
		if best < 0 || len(lines[best]) == 0 {
			break
		}
		text = strings.Join(append(lines[:best], lines[best+1:]...), "\n")
	}
	var b strings.Builder
	for len(text)+b.Len() < target {
		b.WriteString(filler[r.Intn(len(filler))])
		b.WriteByte(' ')
	}
	if b.Len() > 0 {
		idx := sectionRE.FindAllStringIndex(text, -1)
		at := len(text)
		if len(idx) > 1 {
			at = idx[1+r.Intn(len(idx)-1)][0]
		}
		text = text[:at] + strings.TrimSpace(b.String()) + "\n\n" + text[at:]
	}
	return text
}

// templateOf turns a rendered document into the template people copy:
// each section holds the guidance and placeholders a template has.
func templateOf(text string) string {
	idx := sectionRE.FindAllStringIndex(text, -1)
	if len(idx) == 0 {
		return text
	}
	var b strings.Builder
	b.WriteString(text[:idx[0][0]])
	for k, at := range idx {
		end := len(text)
		if k+1 < len(idx) {
			end = idx[k+1][0]
		}
		heading := text[at[0] : at[1]+strings.IndexByte(text[at[1]:end], '\n')+1]
		b.WriteString(heading)
		b.WriteString("\n_Describe this section: what happened, for whom, and why it matters._\n\n- TBD\n- [Your Name], [MM/DD/YYYY]\n\n")
	}
	return b.String()
}
