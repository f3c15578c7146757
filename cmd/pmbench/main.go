//go:build unix

// Command pmbench measures pmfolio against the baselines its issues name,
// side by side in one run, and prints the ratios.
//
//	go run ./cmd/pmbench new [-docs 10000] [-runs 15]
//	go run ./cmd/pmbench check [-docs 10000] [-small 1000] [-runs 5]
//	go run ./cmd/pmbench startup [-runs 15]
//	go run ./cmd/pmbench publish [-docs 1000] [-runs 7]
//	go run ./cmd/pmbench status [-docs 10000] [-runs 7]
//	go run ./cmd/pmbench edit [-docs 10000] [-runs 15]
//	go run ./cmd/pmbench upgrade [-docs 1000] [-runs 11]
//
// check: see check.go; startup: see startup.go; publish and status: see
// publish.go; edit and upgrade: see edit.go and upgrade.go.
//
// new: `pmfolio new` (answers file, no prompts, commit included) as a whole
// process in a portfolio of -docs documents, against `git add FILE && git
// commit` of one new file by the git CLI in the same repository, and
// against pmfolio new in an empty portfolio. Targets: at most 1.0x git, at
// most 1.5x the empty portfolio.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pmbench new|check|startup|publish|status|edit|upgrade [-docs N] [-runs N] [-keep]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "new":
		err = benchNew(os.Args[2:])
	case "check":
		err = benchCheck(os.Args[2:])
	case "startup":
		err = benchStartup(os.Args[2:])
	case "publish":
		err = benchPublish(os.Args[2:])
	case "status":
		err = benchStatus(os.Args[2:])
	case "edit":
		err = benchEdit(os.Args[2:])
	case "upgrade":
		err = benchUpgrade(os.Args[2:])
	default:
		err = fmt.Errorf("unknown benchmark %q (want: new, check, startup, publish, status, edit or upgrade)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pmbench:", err)
		os.Exit(1)
	}
}

func benchNew(args []string) error {
	fs := flag.NewFlagSet("new", flag.ExitOnError)
	docs := fs.Int("docs", 10000, "documents in the big portfolio")
	runs := fs.Int("runs", 15, "measured runs of each command")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)

	work, done, err := workFolder("pmbench-", *keep)
	if err != nil {
		return err
	}
	defer done()
	bin, examples, err := prepare(work)
	if err != nil {
		return err
	}

	empty := filepath.Join(work, "empty")
	big := filepath.Join(work, "big")
	for _, p := range []string{empty, big} {
		if err := run("", bin, "init", "--answers", filepath.Join(examples, "init.yaml"), "--date", "2026-01-05", p); err != nil {
			return err
		}
	}
	start := time.Now()
	if err := populate(bin, big, examples, *docs); err != nil {
		return err
	}
	fmt.Printf("populated %d documents in %s\n", *docs, time.Since(start).Round(time.Millisecond))

	var tBig, tGit, tEmpty []time.Duration
	day := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	newArgs := func(dir string, i int) []string {
		return []string{"-C", dir, "new", "story", "--answers", filepath.Join(examples, "story.yaml"),
			"--date", day.AddDate(0, 0, i).Format("2006-01-02")}
	}
	// Warm the page cache and the binary once before measuring.
	if _, err := timed("", bin, newArgs(big, -1)...); err != nil {
		return err
	}
	if _, err := timed("", bin, newArgs(empty, -1)...); err != nil {
		return err
	}
	for i := 0; i < *runs; i++ {
		d, err := timed("", bin, newArgs(big, i)...)
		if err != nil {
			return err
		}
		tBig = append(tBig, d)

		name := fmt.Sprintf("note-%d.md", i)
		if err := os.WriteFile(filepath.Join(big, name), []byte("# note "+name+"\n"), 0o644); err != nil {
			return err
		}
		d1, err := timed(big, "git", "add", name)
		if err != nil {
			return err
		}
		d2, err := timed(big, "git", "commit", "-q", "-m", "add "+name)
		if err != nil {
			return err
		}
		tGit = append(tGit, d1+d2)

		d, err = timed("", bin, newArgs(empty, i)...)
		if err != nil {
			return err
		}
		tEmpty = append(tEmpty, d)
	}
	if err := run(big, "git", "fsck", "--no-progress"); err != nil {
		return fmt.Errorf("git fsck after the benchmark: %w", err)
	}
	out, _ := exec.Command("git", "-C", big, "status", "--porcelain").Output()
	if len(strings.TrimSpace(string(out))) > 0 {
		return fmt.Errorf("git status is not clean after the benchmark:\n%s", out)
	}

	mb, mg, me := median(tBig), median(tGit), median(tEmpty)
	fmt.Printf("\n%-46s %10s %10s\n", "command (median of runs, min)", "median", "min")
	fmt.Printf("%-46s %10s %10s\n", fmt.Sprintf("pmfolio new story, %d docs", *docs), ms(mb), ms(minOf(tBig)))
	fmt.Printf("%-46s %10s %10s\n", fmt.Sprintf("git add FILE && git commit, %d docs", *docs), ms(mg), ms(minOf(tGit)))
	fmt.Printf("%-46s %10s %10s\n", "pmfolio new story, empty portfolio", ms(me), ms(minOf(tEmpty)))
	// Each round's three runs follow each other within a second: the
	// median of the rounds' ratios is steadier than the ratio of medians
	// when the machine's load changes during the run.
	r1 := pairedRatio(tBig, tGit)
	r2 := pairedRatio(tBig, tEmpty)
	fmt.Printf("\nratio new(%d) / git add+commit(%d) = %.2f (target <= 1.00) %s\n", *docs, *docs, r1, verdict(r1 <= 1.0))
	fmt.Printf("ratio new(%d) / new(empty)           = %.2f (target <= 1.50) %s\n", *docs, r2, verdict(r2 <= 1.5))
	if r1 > 1.0 || r2 > 1.5 {
		return fmt.Errorf("targets missed")
	}
	return nil
}

// workFolder makes a bench's temporary work folder; done removes it, or,
// when keep asks to keep it, leaves it where it says it is.
func workFolder(prefix string, keep bool) (dir string, done func(), err error) {
	dir, err = os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	if keep {
		fmt.Println("work folder:", dir)
		return dir, func() {}, nil
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// prepare builds pmfolio into work and gives the benchmark a home of its
// own and a fixed git identity, as CI would, so that it runs the same on
// any machine; it returns the binary and the example answers' folder.
func prepare(work string) (bin, examples string, err error) {
	bin = filepath.Join(work, "pmfolio")
	if err := run("", "go", "build", "-o", bin, "./cmd/pmfolio"); err != nil {
		return "", "", fmt.Errorf("build pmfolio (run pmbench from the repository root): %w", err)
	}
	examples, _ = filepath.Abs("examples/answers")
	home := filepath.Join(work, "home")
	os.MkdirAll(home, 0o755)
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n"), 0o644)
	os.Setenv("HOME", home)
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for _, who := range []string{"AUTHOR", "COMMITTER"} {
		os.Setenv("GIT_"+who+"_NAME", "Bench")
		os.Setenv("GIT_"+who+"_EMAIL", "bench@example.com")
	}
	os.Setenv("CI", "true")
	return bin, examples, nil
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
	return run(dir, "git", "gc", "-q")
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

func timed(dir, name string, args ...string) (time.Duration, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return d, nil
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func minOf(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds {
		if d < m {
			m = d
		}
	}
	return m
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}
