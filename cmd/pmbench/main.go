//go:build unix

// Command pmbench measures pmfolio against the baselines its issues name,
// side by side in one run, and prints the ratios.
//
//	go run ./cmd/pmbench new [-docs 10000] [-pairs 15] [-shapes all] [-grow 800] [-bin PATH]
//	go run ./cmd/pmbench check [-docs 10000] [-small 1000] [-runs 5]
//	go run ./cmd/pmbench startup [-runs 15]
//	go run ./cmd/pmbench publish [-docs 1000] [-runs 7]
//	go run ./cmd/pmbench status [-docs 10000] [-runs 7]
//	go run ./cmd/pmbench grade [-students 300] [-runs 5]
//	go run ./cmd/pmbench edit [-docs 10000] [-runs 15]
//	go run ./cmd/pmbench upgrade [-docs 1000] [-runs 11]
//
// new: see new.go; check: see check.go; startup: see startup.go; publish
// and status: see publish.go; grade: see grade.go; edit and upgrade: see
// edit.go and upgrade.go.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pmbench new|check|startup|publish|status|grade|edit|upgrade [-docs N] [-runs N] [-keep]")
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
	case "grade":
		err = benchGrade(os.Args[2:])
	case "edit":
		err = benchEdit(os.Args[2:])
	case "upgrade":
		err = benchUpgrade(os.Args[2:])
	default:
		err = fmt.Errorf("unknown benchmark %q (want: new, check, startup, publish, status, grade, edit or upgrade)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pmbench:", err)
		os.Exit(1)
	}
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
// setUp is every benchmark's start: a work folder (kept with keep; done
// removes it otherwise) with pmfolio built into it (see prepare).
func setUp(prefix string, keep bool) (work, bin, examples string, done func(), err error) {
	if work, done, err = workFolder(prefix, keep); err != nil {
		return "", "", "", nil, err
	}
	if bin, examples, err = prepare(work); err != nil {
		done()
		return "", "", "", nil, err
	}
	return work, bin, examples, done, nil
}

// initPortfolio makes the portfolio the benchmarks start from at the
// last of args (pmfolio init with the example answers, on the plan's
// first day), args before it being init's other flags.
func initPortfolio(bin, examples string, args ...string) error {
	return run("", bin, append([]string{"init", "--answers", filepath.Join(examples, "init.yaml"), "--date", "2026-01-05"}, args...)...)
}

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

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// checkClean asks the git CLI whether the repository is sound and every
// change committed.
func checkClean(dir string) error {
	if err := run(dir, "git", "fsck", "--no-progress"); err != nil {
		return fmt.Errorf("git fsck after the benchmark: %w", err)
	}
	out, _ := exec.Command("git", "-C", dir, "status", "--porcelain").Output()
	if len(strings.TrimSpace(string(out))) > 0 {
		return fmt.Errorf("git status is not clean after the benchmark:\n%.2000s", out)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}
