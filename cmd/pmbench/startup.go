//go:build unix

package main

// startup: one short pmfolio command as a whole process, as a user runs
// it, against what the user compares it with, in one run:
//
//	go run ./cmd/pmbench startup [-runs 15] [-cookiecutter PATH]
//
// Each round times, in a rotating order so that no command always runs
// first or last: `pmfolio --version`; `pmfolio new story --answers
// examples/answers/story.yaml --set title=...` (a unique title) in a fresh
// portfolio made by `pmfolio init`; `git add FILE && git commit` of a file
// of the same size in a fresh repository by the git CLI (both processes);
// `cookiecutter --no-input` rendering a one-file template of the same
// size; an empty Go program, the floor any Go command starts from; and a
// program that links every package pmfolio links and does nothing, the
// floor of `pmfolio --version` (the runtime and every package's
// initialisation, with no command run).
// Portfolios, repositories and output folders are made before each round,
// outside the timing. cookiecutter is Debian's package of that name: when
// it is missing, its column is skipped and says so.
//
// Targets: --version under 5 ms (median); new at most 1.0x git add && git
// commit, and at most 0.1x cookiecutter (medians of the per-round ratios).

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// startupCase is one command the startup benchmark times in every round.
type startupCase struct {
	name  string
	setup func(round int) error
	run   func(round int) (measurement, error)
	times []time.Duration
	cpu   []time.Duration
}

func benchStartup(args []string) error {
	fs := flag.NewFlagSet("startup", flag.ExitOnError)
	runs := fs.Int("runs", 15, "rounds; each times every command once (the medians count; at least 10)")
	cc := fs.String("cookiecutter", "", "cookiecutter to run (default: the one on PATH)")
	keep := fs.Bool("keep", false, "keep the work folder")
	_ = fs.Parse(args)
	if *runs < 10 {
		return fmt.Errorf("-runs %d: the medians need at least 10 rounds", *runs)
	}

	work, bin, examples, done, err := setUp("pmbench-startup-", *keep)
	if err != nil {
		return err
	}
	defer done()
	floor, err := buildFloor(work)
	if err != nil {
		return err
	}
	linked, err := buildLinkedFloor(work)
	if err != nil {
		return err
	}
	story := filepath.Join(examples, "story.yaml")

	// The document new writes, to give git and cookiecutter a file of the
	// same size.
	sampleDir := filepath.Join(work, "sample")
	if err := run("", bin, "init", "--answers", filepath.Join(examples, "init.yaml"), "--no-commit", sampleDir); err != nil {
		return err
	}
	sample, err := exec.Command(bin, "-C", sampleDir, "new", "story", "--answers", story, "--dry-run").Output()
	if err != nil {
		return fmt.Errorf("render the story example: %w", err)
	}

	portfolio := func(i int) string { return filepath.Join(work, fmt.Sprintf("portfolio-%d", i)) }
	repo := func(i int) string { return filepath.Join(work, fmt.Sprintf("repo-%d", i)) }
	ccOut := func(i int) string { return filepath.Join(work, fmt.Sprintf("cookiecutter-%d", i)) }
	cases := []*startupCase{
		{name: "pmfolio --version", run: func(int) (measurement, error) {
			return measured("", bin, "--version")
		}},
		{name: "pmfolio new story --answers F (commit)",
			setup: func(i int) error {
				return run("", bin, "init", "--answers", filepath.Join(examples, "init.yaml"), portfolio(i))
			},
			run: func(i int) (measurement, error) {
				return measured("", bin, "-C", portfolio(i), "new", "story", "--answers", story,
					"--set", fmt.Sprintf("title=Startup bench story %d", i))
			}},
		{name: "git add FILE && git commit (git CLI)",
			setup: func(i int) error {
				if err := run("", "git", "init", "-q", repo(i)); err != nil {
					return err
				}
				return os.WriteFile(filepath.Join(repo(i), "story.md"), sample, 0o644)
			},
			run: func(i int) (measurement, error) {
				m1, err := measured(repo(i), "git", "add", "story.md")
				if err != nil {
					return m1, err
				}
				m2, err := measured(repo(i), "git", "commit", "-q", "-m", "x")
				return measurement{wall: m1.wall + m2.wall, cpu: m1.cpu + m2.cpu}, err
			}},
		{name: "pmfolio's packages, no command (floor)", run: func(int) (measurement, error) {
			return measured("", linked)
		}},
		{name: "empty Go program (floor)", run: func(int) (measurement, error) {
			return measured("", floor)
		}},
	}
	ccBin, ccErr := cookiecutter(*cc)
	if ccErr == nil {
		tmpl, err := cookiecutterTemplate(work, sample)
		if err != nil {
			return err
		}
		cases = append(cases, &startupCase{name: "cookiecutter --no-input (one file)",
			run: func(i int) (measurement, error) {
				return measured("", ccBin, "--no-input", "-o", ccOut(i), tmpl)
			}})
	}

	// One warm-up round (-1) loads the binaries and the page cache.
	for round := -1; round < *runs; round++ {
		for _, c := range cases {
			if c.setup != nil {
				if err := c.setup(round + 1); err != nil {
					return err
				}
			}
		}
		for k := range cases {
			c := cases[(k+round+1)%len(cases)]
			m, err := c.run(round + 1)
			if err != nil {
				return err
			}
			if round >= 0 {
				c.times = append(c.times, m.wall)
				c.cpu = append(c.cpu, m.cpu)
			}
		}
	}
	if err := checkClean(portfolio(*runs)); err != nil {
		return err
	}

	fmt.Printf("\n%-42s %9s %9s %9s %9s %9s\n", "command (per round, whole processes)", "median", "min", "p25", "p75", "cpu")
	med := map[string]time.Duration{}
	for _, c := range cases {
		q := quartiles(c.times)
		med[c.name] = q[2]
		fmt.Printf("%-42s %9s %9s %9s %9s %9s\n", c.name, ms(q[2]), ms(q[0]), ms(q[1]), ms(q[3]), ms(median(c.cpu)))
	}
	if ccErr != nil {
		fmt.Printf("%-42s %9s  (%v)\n", "cookiecutter --no-input (one file)", "skipped", ccErr)
	}
	fmt.Printf("(%d rounds, interleaved; p25..p75 is the machine's noise; cpu is the median\n user+system time, which other load on the machine changes less than wall time)\n\n", *runs)

	// Ratios are the median of each round's ratio: both sides of a pair
	// ran within the same second, so a burst of load elsewhere on the
	// machine weighs on both.
	version := med[cases[0].name]
	ok := version < 5*time.Millisecond
	fmt.Printf("pmfolio --version                  = %s (target < 5 ms) %s\n", ms(version), verdict(ok))
	fmt.Printf("  of which linking pmfolio's packages = %s (no command run: the floor of --version;\n  the empty Go program takes %s, in cpu %s and %s)\n",
		ms(med[cases[3].name]), ms(med[cases[4].name]), ms(median(cases[3].cpu)), ms(median(cases[4].cpu)))
	r := pairedRatio(cases[1].times, cases[2].times)
	ok = ok && r <= 1.0
	fmt.Printf("ratio new / git add && git commit  = %.2f (target <= 1.00) %s\n", r, verdict(r <= 1.0))
	if ccErr == nil {
		r := pairedRatio(cases[1].times, cases[len(cases)-1].times)
		ok = ok && r <= 0.1
		fmt.Printf("ratio new / cookiecutter           = %.3f (target <= 0.10) %s\n", r, verdict(r <= 0.1))
	} else {
		fmt.Printf("ratio new / cookiecutter           = skipped: %v\n", ccErr)
	}
	if !ok {
		return errors.New("targets missed")
	}
	return nil
}

// buildFloor builds a Go program that does nothing: what starting any Go
// process costs on this machine.
func buildFloor(work string) (string, error) {
	dir := filepath.Join(work, "floor")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.26\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(work, "floor-bin")
	return bin, run(dir, "go", "build", "-o", bin, ".")
}

// buildLinkedFloor builds a program that links everything pmfolio does
// (its command line package, and through it every dependency) and returns
// at once: what --version cannot go below without linking less. It is a
// module of its own beside the work folder's, pointed at this repository.
func buildLinkedFloor(work string) (string, error) {
	repo, err := os.Getwd()
	if err != nil {
		return "", err
	}
	mod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		return "", err
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		return "", err
	}
	dir := filepath.Join(work, "linked")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	_, requires, _ := strings.Cut(string(mod), "\nrequire")
	gomod := "module linkedfloor\n\ngo 1.26\n\nrequire github.com/pmfolio/pmfolio v0.0.0\n\nreplace github.com/pmfolio/pmfolio => " + repo + "\n\nrequire" + requires
	main := "package main\n\nimport _ \"github.com/pmfolio/pmfolio/scaffold/app\"\n\nfunc main() {}\n"
	for name, data := range map[string]string{"go.mod": gomod, "go.sum": string(sum), "main.go": main} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(work, "linked-bin")
	// -mod=mod lets go settle this throwaway module's requirements (its go
	// line, indirect ones) from the module cache.
	return bin, run(dir, "go", "build", "-mod=mod", "-o", bin, ".")
}

// cookiecutter finds the cookiecutter to measure against.
func cookiecutter(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	p, err := exec.LookPath("cookiecutter")
	if err != nil {
		return "", errors.New("cookiecutter is not installed (apt-get install cookiecutter)")
	}
	return p, nil
}

// cookiecutterTemplate writes a template of one file, doc with its title
// as a variable, and returns its folder.
func cookiecutterTemplate(work string, doc []byte) (string, error) {
	dir := filepath.Join(work, "cookiecutter-template")
	out := filepath.Join(dir, "{{cookiecutter.slug}}")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	cfg := `{"title": "Startup bench story", "slug": "story"}`
	if err := os.WriteFile(filepath.Join(dir, "cookiecutter.json"), []byte(cfg), 0o644); err != nil {
		return "", err
	}
	// The document itself is verbatim: Jinja must not read its text.
	body := "# {{cookiecutter.title}}\n{% raw %}" + string(doc) + "{% endraw %}\n"
	return dir, os.WriteFile(filepath.Join(out, "story.md"), []byte(body), 0o644)
}

// pairedRatio is the median over rounds of a[i] / b[i].
func pairedRatio(a, b []time.Duration) float64 {
	rs := make([]float64, len(a))
	for i := range a {
		rs[i] = float64(a[i]) / float64(b[i])
	}
	sort.Float64s(rs)
	return rs[len(rs)/2]
}

// median is the middle of ds.
func median(ds []time.Duration) time.Duration { return quartiles(ds)[2] }

// quartiles returns the minimum, first quartile, median and third quartile.
func quartiles(ds []time.Duration) [4]time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return [4]time.Duration{s[0], s[len(s)/4], s[len(s)/2], s[(3*len(s))/4]}
}
