//go:build unix

package main

// publish and status: each side by side with `pmfolio check` of the same
// portfolio, in interleaved pairs (a run of one, then of the other, so
// that a change in the machine's load weighs on both), the median of the
// pairs' ratios counting.
//
//	go run ./cmd/pmbench publish [-docs 1000] [-runs 7]
//	go run ./cmd/pmbench status [-docs 10000] [-runs 7]
//
// The portfolio is generated from the example answers (check's corpus:
// the six kinds, both tracks, half of them with gaps) in a git repository
// whose every document is committed, in one commit made now, so that
// status's history reads them all. Targets: publish (no PDF) at most 3x
// check of 1,000 documents; status of 10,000 documents under 1 s, its
// ratio to check reported.

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

func benchPublish(args []string) error {
	fs := flag.NewFlagSet("publish", flag.ExitOnError)
	docs := fs.Int("docs", 1000, "documents in the portfolio")
	runs := fs.Int("runs", 7, "measured pairs")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)
	dir, bin, done, err := benchPortfolio("pmbench-publish-", *docs, *keep)
	if err != nil {
		return err
	}
	defer done()
	out := filepath.Join(filepath.Dir(dir), "site")
	check := []string{bin, "check", "--date", "2026-04-10", "--format", "text", "--color", "never"}
	// check keeps a findings cache: a second check of unchanged documents
	// reads it. The target is against check as it first runs (no cache,
	// as check was when the target was set); the cached run is reported
	// beside it.
	pub, chk, err := pairs(*runs, dir, []string{bin, "publish", "--include-private", "--out", out}, append(check, "--no-cache"))
	if err != nil {
		return err
	}
	pub2, cached, err := pairs(*runs, dir, []string{bin, "publish", "--include-private", "--out", out}, check)
	if err != nil {
		return err
	}
	n, _ := filepath.Glob(filepath.Join(out, "*", "*.html"))
	fmt.Printf("site: %d pages\n", len(n)+1)
	fmt.Printf("\nagainst check with its findings cache (a second run):")
	_ = report("publish", *docs, pub2, cached, 0, 0)
	fmt.Printf("\nagainst check without the cache (a first run):")
	return report("publish", *docs, pub, chk, 3.0, 0)
}

func benchStatus(args []string) error {
	fs := flag.NewFlagSet("status", flag.ExitOnError)
	docs := fs.Int("docs", 10000, "documents in the portfolio")
	runs := fs.Int("runs", 7, "measured pairs")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)
	dir, bin, done, err := benchPortfolio("pmbench-status-", *docs, *keep)
	if err != nil {
		return err
	}
	defer done()
	st, chk, err := pairs(*runs, dir,
		[]string{bin, "status"},
		[]string{bin, "check", "--format", "text", "--color", "never"})
	if err != nil {
		return err
	}
	return report("status", *docs, st, chk, 0, time.Second)
}

// benchPortfolio makes a portfolio of n generated documents, committed,
// and returns its folder, the pmfolio binary, and what removes them.
func benchPortfolio(prefix string, n int, keep bool) (dir, bin string, done func(), err error) {
	work, bin, examples, done, err := setUp(prefix, keep)
	if err != nil {
		return "", "", nil, err
	}
	fail := func(err error) (string, string, func(), error) { done(); return "", "", nil, err }
	os.Setenv("NO_COLOR", "1")
	samples, err := renderSamples(bin, work, examples)
	if err != nil {
		return fail(err)
	}
	dir = filepath.Join(work, "portfolio")
	if err := initPortfolio(bin, examples, dir); err != nil {
		return fail(err)
	}
	sz, err := generate(dir, samples, n, mixed)
	if err != nil {
		return fail(err)
	}
	// Setup only: the product never runs git.
	if err := run(dir, "git", "add", "-A"); err != nil {
		return fail(err)
	}
	if err := run(dir, "git", "-c", "gc.auto=0", "commit", "-q", "-m", "populate"); err != nil {
		return fail(err)
	}
	if err := packByClone(dir); err != nil {
		return fail(err)
	}
	fmt.Printf("portfolio: %d documents, %s, committed\n", n, sz)
	return dir, bin, done, nil
}

// pairs runs a and b in dir alternately, once each to warm up, then runs
// measured pairs.
func pairs(runs int, dir string, a, b []string) (ta, tb []measurement, err error) {
	for i := -1; i < runs; i++ {
		ma, err := measured(dir, a[0], a[1:]...)
		if err != nil {
			return nil, nil, err
		}
		mb, err := measured(dir, b[0], b[1:]...)
		if err != nil {
			return nil, nil, err
		}
		if i >= 0 {
			ta, tb = append(ta, ma), append(tb, mb)
		}
	}
	return ta, tb, nil
}

// report prints the medians and the ratio of name to check, against the
// targets: at most maxRatio (when set), under maxWall (when set).
func report(name string, docs int, a, check []measurement, maxRatio float64, maxWall time.Duration) error {
	ma, mc := medianOf(a), medianOf(check)
	fmt.Printf("\n%-40s %10s %10s %8s\n", "command (median)", "wall", "cpu", "peak RSS")
	fmt.Printf("%-40s %10s %10s %6.1f MB\n", fmt.Sprintf("pmfolio %s, %d documents", name, docs), ms(ma.wall), ms(ma.cpu), float64(ma.rssKB)/1024)
	fmt.Printf("%-40s %10s %10s %6.1f MB\n", fmt.Sprintf("pmfolio check, %d documents", docs), ms(mc.wall), ms(mc.cpu), float64(mc.rssKB)/1024)
	r := pairedRatio(walls(a), walls(check))
	ok := true
	if maxRatio > 0 {
		fmt.Printf("\nratio %s / check (%d docs, median of %d pairs) = %.2f (target <= %.1f) %s\n", name, docs, len(a), r, maxRatio, verdict(r <= maxRatio))
		ok = r <= maxRatio
	} else {
		fmt.Printf("\nratio %s / check (%d docs, median of %d pairs) = %.2f\n", name, docs, len(a), r)
	}
	if maxWall > 0 {
		fmt.Printf("%s of %d documents: %s (target < %s) %s\n", name, docs, ms(ma.wall), ms(maxWall), verdict(ma.wall < maxWall))
		ok = ok && ma.wall < maxWall
	}
	if !ok {
		return fmt.Errorf("targets missed")
	}
	return nil
}
