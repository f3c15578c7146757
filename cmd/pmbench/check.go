//go:build unix

package main

// check: `pmfolio check` over a generated corpus of documents, against
// markdownlint-cli2 with its default rules on the same files, in one run.
//
//	go run ./cmd/pmbench check [-docs 10000] [-small 1000] [-runs 5] [-markdownlint PATH]
//
// The corpus (the six kinds, 2 to 6 KB each, about half complete and half
// with the gaps people leave) is generated in a temporary folder from the
// example answers, never in the repository. markdownlint-cli2 is installed
// with npm into that folder unless -markdownlint names one: it is a
// baseline to measure against, not a dependency. Targets: at least 40
// times faster than markdownlint-cli2, peak memory under 150 MB, both
// cores busy, and time growing linearly from -small to -docs documents.

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
	docs := fs.Int("docs", 10000, "documents in the big corpus")
	small := fs.Int("small", 1000, "documents in the small corpus, for the scaling ratio")
	runs := fs.Int("runs", 5, "measured runs of pmfolio check on each corpus (the median counts)")
	mdlRuns := fs.Int("markdownlint-runs", 1, "measured runs of markdownlint-cli2 (it takes tens of seconds)")
	mdl := fs.String("markdownlint", "", "markdownlint-cli2 to run (default: npm install it into the work folder)")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)

	work, err := os.MkdirTemp("", "pmbench-check-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Println("work folder:", work)
	} else {
		defer os.RemoveAll(work)
	}
	bin, examples, err := prepare(work)
	if err != nil {
		return err
	}
	os.Setenv("NO_COLOR", "1")

	samples, err := renderSamples(bin, work, examples)
	if err != nil {
		return err
	}
	corpus := func(n int) (string, sizes, error) {
		dir := filepath.Join(work, fmt.Sprintf("corpus-%d", n))
		if err := run("", bin, "init", "--answers", filepath.Join(examples, "init.yaml"), "--date", "2026-01-05", "--no-commit", dir); err != nil {
			return "", sizes{}, err
		}
		sz, err := generate(dir, samples, n)
		return dir, sz, err
	}
	empty, _, err := corpus(0)
	if err != nil {
		return err
	}
	smallDir, _, err := corpus(*small)
	if err != nil {
		return err
	}
	bigDir, sz, err := corpus(*docs)
	if err != nil {
		return err
	}
	fmt.Printf("corpus: %d documents, %s; %d complete, %d with gaps\n", *docs, sz, sz.complete, sz.gaps)

	checkArgs := []string{"check", "--date", "2026-04-10", "--format", "text", "--color", "never"}
	measure := func(dir string, runs int) ([]measurement, error) {
		var ms []measurement
		for i := 0; i < runs; i++ {
			m, err := measured(dir, bin, checkArgs...)
			if err != nil {
				return nil, err
			}
			ms = append(ms, m)
		}
		return ms, nil
	}
	// Warm the page cache and the binary once on each corpus.
	for _, dir := range []string{empty, smallDir, bigDir} {
		if _, err := measure(dir, 1); err != nil {
			return err
		}
	}
	m0s, err := measure(empty, *runs)
	if err != nil {
		return err
	}
	mSmalls, err := measure(smallDir, *runs)
	if err != nil {
		return err
	}

	mdlBin := *mdl
	if mdlBin == "" {
		if mdlBin, err = installMarkdownlint(work); err != nil {
			return err
		}
	}
	// pmfolio's runs on the big corpus are spread around markdownlint's,
	// so that a change in the machine's load (other jobs on a shared
	// runner) weighs on both sides of the ratio.
	var bigs, mdlMs []measurement
	for i := 0; i < max(*mdlRuns, 1); i++ {
		before, err := measure(bigDir, (*runs+1)/2)
		if err != nil {
			return err
		}
		bigs = append(bigs, before...)
		m, err := measured(bigDir, mdlBin, "**/*.md")
		if err != nil {
			return err
		}
		mdlMs = append(mdlMs, m)
	}
	last, err := measure(bigDir, (*runs+1)/2)
	if err != nil {
		return err
	}
	bigs = append(bigs, last...)
	m0, mSmall, mBig, mMdl := medianOf(m0s), medianOf(mSmalls), medianOf(bigs), medianOf(mdlMs)

	cores := runtime.NumCPU()
	fmt.Printf("\n%-44s %10s %10s %9s %8s\n", "command (median)", "wall", "cpu", "cpu/wall", "peak RSS")
	row := func(name string, m measurement) {
		fmt.Printf("%-44s %10s %10s %9.2f %6.1f MB\n", name, ms(m.wall), ms(m.cpu), float64(m.cpu)/float64(m.wall), float64(m.rssKB)/1024)
	}
	row("pmfolio check, empty portfolio", m0)
	row(fmt.Sprintf("pmfolio check, %d documents", *small), mSmall)
	row(fmt.Sprintf("pmfolio check, %d documents", *docs), mBig)
	row(fmt.Sprintf("markdownlint-cli2 (default rules), %d", *docs), mMdl)
	fmt.Printf("(medians of %d runs on the small corpora, %d on the big one around %d of markdownlint-cli2)\n", max(*runs, 1), len(bigs), len(mdlMs))

	ratio := float64(mMdl.wall) / float64(mBig.wall)
	rss := float64(mBig.rssKB) / 1024
	util := float64(mBig.cpu) / float64(mBig.wall)
	// Linear growth: the time spent on documents (less the fixed start-up
	// an empty portfolio takes) grows in proportion to their number.
	scale := float64(mBig.wall-m0.wall) / float64(max(mSmall.wall-m0.wall, time.Microsecond))
	want := float64(*docs) / float64(max(*small, 1))
	perSmall := float64((mSmall.wall - m0.wall).Microseconds()) / float64(max(*small, 1))
	perBig := float64((mBig.wall - m0.wall).Microseconds()) / float64(max(*docs, 1))
	fmt.Printf("\nratio markdownlint-cli2 / pmfolio check (%d docs) = %.1fx (target >= 40) %s\n", *docs, ratio, verdict(ratio >= 40))
	fmt.Printf("peak RSS of pmfolio check (%d docs)       = %.1f MB (target < 150) %s\n", *docs, rss, verdict(rss < 150))
	fmt.Printf("CPU utilisation (cpu/wall, %d CPUs)          = %.2f (target >= %.1f: both cores busy) %s\n", cores, util, 0.75*float64(min(cores, 2)), verdict(util >= 0.75*float64(min(cores, 2))))
	fmt.Printf("scaling %d -> %d docs (less start-up %s)  = %.1fx for %.0fx the documents; %.0f us/doc vs %.0f us/doc (target <= %.1fx) %s\n",
		*small, *docs, ms(m0.wall), scale, want, perSmall, perBig, want*1.25, verdict(scale <= want*1.25))
	if ratio < 40 || rss >= 150 || util < 0.75*float64(min(cores, 2)) || scale > want*1.25 {
		return fmt.Errorf("targets missed")
	}
	return nil
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
		if err := run("", bin, "init", "--answers", filepath.Join(examples, "init.yaml"), "--set", "track="+track, "--date", "2026-01-05", "--no-commit", dir); err != nil {
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
func generate(dir string, samples []sample, n int) (sizes, error) {
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
		gaps := i%2 == 1
		if gaps {
			for g := 0; g < 1+r.Intn(3); g++ {
				text = addGap(text, r)
			}
			sz.gaps++
		} else {
			sz.complete++
		}
		target := 2048 + r.Intn(4096)
		text = resize(text, target, r, filler)
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
