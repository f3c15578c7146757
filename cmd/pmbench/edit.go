//go:build unix

package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// edit: `pmfolio edit` of one PRD (edited by hand since it was rendered, a
// new status each run: a real merge and commit) as a whole process in a
// portfolio of -docs documents, against `pmfolio new` of one document in
// the same portfolio, run by run. Target: at most 1.5x new.
func benchEdit(args []string) error {
	fs := flag.NewFlagSet("edit", flag.ExitOnError)
	docs := fs.Int("docs", 10000, "documents in the portfolio")
	runs := fs.Int("runs", 15, "measured pairs")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)

	work, bin, examples, done, err := setUp("pmbench-edit-", *keep)
	if err != nil {
		return err
	}
	defer done()
	big := filepath.Join(work, "big")
	if err := initPortfolio(bin, examples, big); err != nil {
		return err
	}
	start := time.Now()
	if err := populate(bin, big, examples, *docs); err != nil {
		return err
	}
	fmt.Printf("populated %d documents in %s\n", *docs, time.Since(start).Round(time.Millisecond))
	out, err := exec.Command(bin, "-C", big, "new", "prd", "--answers", filepath.Join(examples, "prd.yaml"), "--date", "2031-06-01").Output()
	if err != nil {
		return fmt.Errorf("write the PRD to edit: %w", err)
	}
	prd := strings.TrimSpace(string(out))
	// A hand edit, committed: the merge has both sides to merge.
	data, err := os.ReadFile(filepath.Join(big, prd))
	if err != nil {
		return err
	}
	data = []byte(strings.Replace(string(data), "## Goals\n", "## Goals\n\nMentor note: each goal has a metric below.\n", 1))
	if err := os.WriteFile(filepath.Join(big, prd), data, 0o644); err != nil {
		return err
	}
	if err := run(big, "git", "commit", "-qam", "hand edit"); err != nil {
		return err
	}

	statuses := []string{"Problem review", "Solution review", "Launch review", "Launched", "Draft"}
	editArgs := func(i int) []string {
		return []string{"-C", big, "edit", prd, "--set", "status=" + statuses[(i+len(statuses))%len(statuses)]}
	}
	day := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	newArgs := func(i int) []string {
		return []string{"-C", big, "new", "story", "--answers", filepath.Join(examples, "story.yaml"),
			"--date", day.AddDate(0, 0, i).Format("2006-01-02")}
	}
	// Warm the page cache and the binary once before measuring.
	if _, err := measuredPmfolio(bin, editArgs(-1)...); err != nil {
		return err
	}
	if _, err := measuredPmfolio(bin, newArgs(-1)...); err != nil {
		return err
	}
	var tEdit, tNew []time.Duration
	for i := 0; i < *runs; i++ {
		m, err := measuredPmfolio(bin, editArgs(i)...)
		if err != nil {
			return err
		}
		tEdit = append(tEdit, m.wall)
		if m, err = measuredPmfolio(bin, newArgs(i)...); err != nil {
			return err
		}
		tNew = append(tNew, m.wall)
	}
	if err := checkClean(big); err != nil {
		return err
	}
	final, _ := os.ReadFile(filepath.Join(big, prd))
	if !strings.Contains(string(final), "Mentor note: each goal has a metric below.") {
		return fmt.Errorf("the hand edit was lost")
	}

	fmt.Printf("\n%-46s %10s %10s\n", "command (median of runs, min)", "median", "min")
	fmt.Printf("%-46s %10s %10s\n", fmt.Sprintf("pmfolio edit PRD, %d docs", *docs), ms(median(tEdit)), ms(slices.Min(tEdit)))
	fmt.Printf("%-46s %10s %10s\n", fmt.Sprintf("pmfolio new story, %d docs", *docs), ms(median(tNew)), ms(slices.Min(tNew)))
	r := pairedRatio(tEdit, tNew)
	fmt.Printf("\nratio edit(%d) / new(%d) = %.2f (median of %d paired ratios; target <= 1.50) %s\n", *docs, *docs, r, *runs, verdict(r <= 1.5))
	if r > 1.5 {
		return fmt.Errorf("target missed")
	}
	return nil
}

// populate writes n documents spread over the kinds, with their answers
// sidecars, and commits them with the git CLI (setup only: the product
// never runs git), then packs the repository as an old one would be.
func populate(bin, dir, examples string, n int) error {
	sample, err := exec.Command(bin, "-C", dir, "new", "prd", "--answers", filepath.Join(examples, "prd.yaml"), "--date", "2026-02-01", "--dry-run").Output()
	if err != nil {
		return fmt.Errorf("render a sample document: %w", err)
	}
	kinds := []string{"interview", "brief", "prd", "retro", "teardown", "story"}
	for i := 0; i < n; i++ {
		k := kinds[i%len(kinds)]
		date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Format("2006-01-02")
		slug := fmt.Sprintf("document-number-%d", i)
		body := strings.Replace(string(sample), "kind: prd", "kind: "+k, 1)
		body = strings.Replace(body, "date: \"2026-02-01\"", "date: \""+date+"\"", 1)
		rel := filepath.Join(k, date+"-"+slug+".md")
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(body), 0o644); err != nil {
			return err
		}
		side := filepath.Join(dir, ".pmfolio", "answers", k, date+"-"+slug+".yaml")
		os.MkdirAll(filepath.Dir(side), 0o755)
		if err := os.WriteFile(side, []byte("title: Document number "+fmt.Sprint(i)+"\n"), 0o644); err != nil {
			return err
		}
	}
	if err := run(dir, "git", "add", "-A"); err != nil {
		return err
	}
	if err := run(dir, "git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", "commit", "-q", "-m", "populate"); err != nil {
		return err
	}
	return packByClone(dir)
}
