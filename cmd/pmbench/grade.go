//go:build unix

package main

// grade: `pmfolio grade` of a synthetic cohort (examples/grading: each
// student a local git repository of the example plan's 14 documents; some
// partial, unfilled, late, pairs sharing a PRD passage, an empty, a
// missing and a non-portfolio repository) with --jobs 2, against `pmfolio
// check` of the same documents in one folder (the tip of every
// repository), in interleaved pairs, the median of the pairs' ratios
// counting. Target: at most 5x. Also: peak RSS at 100 and at -students
// students (memory must not grow with the cohort beyond its result rows),
// and the roster graded in 4 shards and merged, which must be the very
// files of one run.
//
//	go run ./cmd/pmbench grade [-students 300] [-runs 5]

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/examples/grading"
	"github.com/pmfolio/pmfolio/scaffold/app"
)

// benchDue is the cohort's deadline: every on-time commit is before it.
var benchDue = time.Date(2026, 4, 1, 3, 59, 0, 0, time.UTC)

func benchGrade(args []string) error {
	fs := flag.NewFlagSet("grade", flag.ExitOnError)
	students := fs.Int("students", 300, "students in the cohort")
	runs := fs.Int("runs", 5, "measured pairs")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)
	work, bin, answers, done, err := setUp("pmbench-grade-", *keep)
	if err != nil {
		return err
	}
	defer done()
	course := filepath.Join(work, "course")
	flat := filepath.Join(work, "all-documents")
	n, err := buildCohort(work, answers, course, flat, *students)
	if err != nil {
		return err
	}
	fmt.Printf("cohort: %d students (%s), %d documents at their tips, also in one folder\n", *students, mixText(*students), n)
	env := append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(work, "cache"))
	gradeArgs := func(roster, out string, extra ...string) []string {
		return append([]string{bin, "grade", "--roster", roster, "--assignment", "assignment.yaml", "--jobs", "2", "--out", out}, extra...)
	}
	check := []string{bin, "check", "--format", "json", "--no-cache", "--color", "never", flat}
	// Both read warm files; grade's first run also records what it first
	// saw of every repository.
	tg, tc, err := pairsEnv(*runs, course, env, gradeArgs("roster.csv", "grades"), check)
	if err != nil {
		return err
	}
	if err := report("grade", n, tg, tc, 5.0, 0); err != nil {
		return err
	}
	if err := rssAt(course, env, gradeArgs, *students); err != nil {
		return err
	}
	return shardsEqual(course, env, gradeArgs)
}

// buildCohort writes the example portfolio (the demo's plan, each
// document on its day), then the cohort from its documents, and the flat
// folder of every document the cohort's tips hold; it returns how many.
func buildCohort(work, answers, course, flat string, students int) (int, error) {
	example := filepath.Join(work, "example")
	var log bytes.Buffer
	code := examples.Build(example, answers, &log, func(args []string, day string) int {
		f := app.OSFactory(app.Streams{In: bytes.NewReader(nil), Out: &log, Err: &log})
		if t, err := time.Parse("2006-01-02", day); err == nil {
			f.Now = func() time.Time { return t.Add(17 * time.Hour) }
		}
		return app.MainWith(args, f)
	})
	if code > 1 {
		return 0, fmt.Errorf("build the example portfolio:\n%s", log.String())
	}
	port, docs, err := readExample(example)
	if err != nil {
		return 0, err
	}
	cohort := grading.Mix(students)
	git := func(dir string, stdin []byte, args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Stdin = dir, bytes.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := grading.Build(course, port, docs, cohort, benchDue, git); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(course, "assignment.yaml"), []byte(grading.Assignment("2026-03-31 23:59")), 0o644); err != nil {
		return 0, err
	}
	// The first 100 students, for the memory measure.
	roster, err := os.ReadFile(filepath.Join(course, "roster.csv"))
	if err != nil {
		return 0, err
	}
	lines := strings.SplitAfter(string(roster), "\n")
	if err := os.WriteFile(filepath.Join(course, "roster-100.csv"), []byte(strings.Join(lines[:min(101, len(lines))], "")), 0o644); err != nil {
		return 0, err
	}
	return grading.Flat(flat, port, docs, cohort, benchDue)
}

// readExample reads the example portfolio's files: the portfolio's own
// (pmfolio.yaml, the READMEs) and its documents.
func readExample(dir string) (port, docs []grading.Doc, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case rel == "pmfolio.yaml" || strings.HasSuffix(rel, "README.md"):
			port = append(port, grading.Doc{Path: rel, Data: data})
		case strings.HasSuffix(rel, ".md"):
			docs = append(docs, grading.Doc{Path: rel, Data: data})
		}
		return nil
	})
	sort.Slice(docs, func(i, j int) bool { return docs[i].Path < docs[j].Path })
	if err == nil && len(docs) != 14 {
		err = fmt.Errorf("the example portfolio has %d documents, want 14", len(docs))
	}
	return port, docs, err
}

func mixText(n int) string {
	count := map[string]int{}
	for _, s := range grading.Mix(n) {
		count[s.Case]++
	}
	var parts []string
	for _, c := range []string{grading.Complete, grading.Partial, grading.Late, grading.Unfilled, grading.PairA, grading.PairB, grading.Empty, grading.Missing, grading.NotPortfolio} {
		parts = append(parts, fmt.Sprintf("%d %s", count[c], c))
	}
	return strings.Join(parts, ", ")
}

// pairsEnv is pairs with an environment for both commands.
func pairsEnv(runs int, dir string, env []string, a, b []string) (ta, tb []measurement, err error) {
	saved := os.Environ()
	defer func() {
		os.Clearenv()
		for _, kv := range saved {
			k, v, _ := strings.Cut(kv, "=")
			os.Setenv(k, v)
		}
	}()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		os.Setenv(k, v)
	}
	return pairs(runs, dir, a, b)
}

// rssAt reports grade's peak RSS at 100 students and at all of them.
func rssAt(dir string, env []string, gradeArgs func(string, string, ...string) []string, students int) error {
	fmt.Printf("\n%-40s %10s %10s\n", "pmfolio grade (median of 3)", "wall", "peak RSS")
	for _, c := range []struct {
		roster string
		n      int
	}{{"roster-100.csv", min(100, students)}, {"roster.csv", students}} {
		runs, _, err := pairsEnv(3, dir, env, gradeArgs(c.roster, "rss-"+c.roster), []string{"true"})
		if err != nil {
			return err
		}
		var peak int64
		for _, m := range runs {
			peak = max(peak, m.rssKB)
		}
		m := medianOf(runs)
		live, err := liveHeap(dir, env, gradeArgs(c.roster, "rss-"+c.roster))
		if err != nil {
			return err
		}
		fmt.Printf("%-40s %10s %7.1f MB  (largest live heap after a GC: %d MB)\n", fmt.Sprintf("%d students", c.n), ms(m.wall), float64(peak)/1024, live)
	}
	fmt.Println("(peak RSS follows the garbage collector's pacing, GOGC=400 under a 96 MB soft limit; the live heap is what the run holds)")
	return nil
}

// liveHeap runs a command with the runtime's GC trace and returns the
// largest heap left live after a collection, in MB.
func liveHeap(dir string, env, args []string) (int, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Env = dir, append(append([]string(nil), env...), "GODEBUG=gctrace=1")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	live := 0
	for _, m := range gcLine.FindAllStringSubmatch(errOut.String(), -1) {
		if n, err := strconv.Atoi(m[1]); err == nil {
			live = max(live, n)
		}
	}
	return live, nil
}

// gcLine finds "A->B->C MB" in a gctrace line: C is the live heap.
var gcLine = regexp.MustCompile(`\d+->\d+->(\d+) MB`)

// shardsEqual grades the roster in 4 shards, merges them, and compares
// every file with one run's.
func shardsEqual(dir string, env []string, gradeArgs func(string, string, ...string) []string) error {
	var shards []string
	start := time.Now()
	for i := 1; i <= 4; i++ {
		out := fmt.Sprintf("shard-%d", i)
		a := gradeArgs("roster.csv", out, "--shard", fmt.Sprintf("%d/4", i))
		if _, _, err := pairsEnv(1, dir, env, a, []string{"true"}); err != nil {
			return err
		}
		shards = append(shards, out)
	}
	merge := append([]string{gradeArgs("", "")[0], "grade", "merge", "--out", "merged"}, shards...)
	if _, _, err := pairsEnv(1, dir, env, merge, []string{"true"}); err != nil {
		return err
	}
	one, err := readTree(filepath.Join(dir, "grades"))
	if err != nil {
		return err
	}
	merged, err := readTree(filepath.Join(dir, "merged"))
	if err != nil {
		return err
	}
	var diff []string
	for name, data := range one {
		if !bytes.Equal(merged[name], data) {
			diff = append(diff, name)
		}
	}
	for name := range merged {
		if _, ok := one[name]; !ok {
			diff = append(diff, name)
		}
	}
	fmt.Printf("\n4 shards and a merge (%s, twice each, run one after the other): %d files, %d differ from one run %s\n",
		ms(time.Since(start)), len(one), len(diff), verdict(len(diff) == 0))
	if len(diff) > 0 {
		sort.Strings(diff)
		return fmt.Errorf("the merged shards differ from one run: %s", strings.Join(diff[:min(len(diff), 10)], ", "))
	}
	return nil
}

func readTree(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel], err = os.ReadFile(p)
		return err
	})
	return out, err
}
