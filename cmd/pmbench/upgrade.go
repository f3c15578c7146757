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

// upgrade: `pmfolio upgrade course --to v1.1.0` of -docs documents made
// with a course's pack 1.0.0 (its every document rendered again, merged
// with the document as it is, written and committed in one commit, the
// pin moved), against `pmfolio check --no-cache` of the same documents
// (check reading and checking every document, as the check and publish
// benchmarks measure it; a check whose findings cache is warm is shown
// too), run by run: each round resets the portfolio to its state before
// the upgrade. Target: at most 10x check.
func benchUpgrade(args []string) error {
	fs := flag.NewFlagSet("upgrade", flag.ExitOnError)
	docs := fs.Int("docs", 1000, "documents made with the course's pack")
	runs := fs.Int("runs", 11, "measured pairs")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)

	work, bin, examples, done, err := setUp("pmbench-upgrade-", *keep)
	if err != nil {
		return err
	}
	defer done()
	course, err := coursePack(work)
	if err != nil {
		return err
	}
	dir := filepath.Join(work, "port")
	if err := initPortfolio(bin, examples, dir); err != nil {
		return err
	}
	if err := run(dir, bin, "pack", "add", course+"@v1.0.0", "--default"); err != nil {
		return err
	}
	start := time.Now()
	if err := populateCourse(bin, dir, examples, *docs); err != nil {
		return err
	}
	fmt.Printf("populated %d documents of pack course 1.0.0 in %s\n", *docs, time.Since(start).Round(time.Millisecond))
	head, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return err
	}
	reset := func() error { return run(dir, "git", "reset", "-q", "--hard", strings.TrimSpace(string(head))) }

	upgradeArgs := []string{"upgrade", "course", "--to", "v1.1.0"}
	// Warm the page cache, the binary and the pack cache once.
	if _, err := measured(dir, bin, upgradeArgs...); err != nil {
		return err
	}
	out, _ := exec.Command("git", "-C", dir, "show", "--stat", "--format=%s", "HEAD").Output()
	if !strings.Contains(string(out), fmt.Sprintf("(%d documents)", *docs)) {
		return fmt.Errorf("the upgrade did not bring the %d documents forward:\n%.500s", *docs, out)
	}
	var tUp, tCheck, cUp, cCheck, tCached, cCached []time.Duration
	for i := 0; i < *runs; i++ {
		if err := reset(); err != nil {
			return err
		}
		c, err := measured(dir, bin, "check", "--no-cache")
		if err != nil {
			return err
		}
		if _, err := measured(dir, bin, "check"); err != nil { // warm the cache
			return err
		}
		w, err := measured(dir, bin, "check")
		if err != nil {
			return err
		}
		tCached, cCached = append(tCached, w.wall), append(cCached, w.cpu)
		u, err := measured(dir, bin, upgradeArgs...)
		if err != nil {
			return err
		}
		tUp, tCheck = append(tUp, u.wall), append(tCheck, c.wall)
		cUp, cCheck = append(cUp, u.cpu), append(cCheck, c.cpu)
	}
	if err := checkClean(dir); err != nil {
		return err
	}

	fmt.Printf("\n%-52s %10s %10s %10s\n", "command (median of runs, min; cpu: user+system)", "median", "min", "cpu")
	fmt.Printf("%-52s %10s %10s %10s\n", fmt.Sprintf("pmfolio upgrade course --to v1.1.0, %d docs", *docs), ms(median(tUp)), ms(slices.Min(tUp)), ms(median(cUp)))
	fmt.Printf("%-52s %10s %10s %10s\n", fmt.Sprintf("pmfolio check --no-cache, the same %d docs", *docs), ms(median(tCheck)), ms(slices.Min(tCheck)), ms(median(cCheck)))
	fmt.Printf("%-52s %10s %10s %10s\n", "pmfolio check, its findings cache warm", ms(median(tCached)), ms(slices.Min(tCached)), ms(median(cCached)))
	r := pairedRatio(tUp, tCheck)
	fmt.Printf("\nratio upgrade(%d) / check(%d) = %.2f (median of %d paired ratios; target <= 10.00) %s\n", *docs, *docs, r, *runs, verdict(r <= 10))
	fmt.Printf("cpu ratio (for a loaded machine)  = %.2f\n", pairedRatio(cUp, cCheck))
	if r > 10 {
		return fmt.Errorf("target missed")
	}
	return nil
}

// coursePack makes a course's pack in a git repository, released as
// v1.0.0 and v1.1.0: it extends the default pack, and its second release
// renames the PRD's Goals section (a migration, with the template that
// writes the new heading).
func coursePack(work string) (string, error) {
	dir := filepath.Join(work, "course")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := run(dir, "git", "init", "-q", "-b", "main"); err != nil {
		return "", err
	}
	release := func(version, extra string) error {
		manifest := fmt.Sprintf("name: course\nversion: %s\ndescription: A course's pack.\nextends: default\n%s", version, extra)
		if err := os.WriteFile(filepath.Join(dir, "pack.yaml"), []byte(manifest), 0o644); err != nil {
			return err
		}
		if err := run(dir, "git", "add", "-A"); err != nil {
			return err
		}
		if err := run(dir, "git", "commit", "-qm", "course "+version); err != nil {
			return err
		}
		return run(dir, "git", "tag", "v"+version)
	}
	if err := release("1.0.0", ""); err != nil {
		return "", err
	}
	// 1.1.0 has its own PRD template, the default one with the goals
	// section renamed: "Goals" becomes "Outcomes".
	prd, err := os.ReadFile("templates/prd.md.tmpl")
	if err != nil {
		return "", err
	}
	goals := "{{ template \"prd.goals\" . }}"
	if !strings.Contains(string(prd), goals) {
		return "", fmt.Errorf("templates/prd.md.tmpl no longer calls prd.goals: update pmbench upgrade")
	}
	tmpl := strings.Replace(string(prd), goals, "## Outcomes\n\n{{ include \"_bullets\" .Answers.goals }}", 1)
	if err := os.WriteFile(filepath.Join(dir, "prd.md.tmpl"), []byte(tmpl), 0o644); err != nil {
		return "", err
	}
	return dir, release("1.1.0", `kinds:
  prd:
    template: prd.md.tmpl
    sections:
      - {heading: Summary, required: true}
      - {heading: Problem, required: true}
      - {heading: Outcomes, required: true}
migrations:
  - version: 1.1.0
    kinds:
      prd:
        rename_sections:
          - {from: Goals, to: Outcomes}
`)
}

// populateCourse writes n documents of the course's pack, spread over the
// kinds: one of each written by pmfolio new, then copies of them (the
// document and its answers) under other names, one in ten edited by hand,
// all committed with the git CLI (setup only).
func populateCourse(bin, dir, examples string, n int) error {
	kinds := []string{"interview", "brief", "prd", "retro", "teardown", "story"}
	type written struct{ kind, rel string }
	var first []written
	for i, k := range kinds {
		out, err := exec.Command(bin, "-C", dir, "new", k, "--answers", filepath.Join(examples, k+".yaml"), "--date", fmt.Sprintf("2026-02-%02d", i+1)).Output()
		if err != nil {
			return fmt.Errorf("new %s: %w", k, err)
		}
		first = append(first, written{k, strings.TrimSpace(string(out))})
	}
	read := func(rel string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		return string(b), err
	}
	for i := len(first); i < n; i++ {
		w := first[i%len(first)]
		name := fmt.Sprintf("%s/2027-01-01-copy-%d.md", w.kind, i)
		docData, err := read(w.rel)
		if err != nil {
			return err
		}
		if i%10 == 0 {
			// A hand edit: a line of the owner's own before the first
			// section.
			docData = strings.Replace(docData, "\n## ", "\nA note of my own.\n\n## ", 1)
		}
		// The answers record the base as the first document's blob,
		// which its commit holds.
		answers, err := read(".pmfolio/answers/" + strings.TrimSuffix(w.rel, ".md") + ".yaml")
		if err != nil {
			return err
		}
		answers = strings.ReplaceAll(answers, w.rel, name)
		for rel, data := range map[string]string{
			name: docData,
			".pmfolio/answers/" + strings.TrimSuffix(name, ".md") + ".yaml": answers,
		} {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				return err
			}
		}
	}
	if err := run(dir, "git", "add", "-A"); err != nil {
		return err
	}
	return run(dir, "git", "-c", "gc.auto=0", "commit", "-q", "-m", "populate")
}
