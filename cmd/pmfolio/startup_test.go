package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestPackagesInitCheaply keeps pmfolio's own packages from doing work
// before main runs: every command, --version included, pays for every
// package's initialisation, so regular expressions, goldmark, sprig's
// function map and the default pack are built on first use instead. The
// test runs this test binary, which links the same packages, with
// GODEBUG=inittrace=1 and reads what each package's init allocated.
func TestPackagesInitCheaply(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// init github.com/pmfolio/pmfolio/scaffold/check @7.9 ms, 0.002 ms clock, 648 bytes, 18 allocs
	// The test binary's own package (cmd/pmfolio with its test files) is
	// not pmfolio's: only the library, the templates and the examples are.
	line := regexp.MustCompile(`(?m)^init (github\.com/pmfolio/pmfolio/(?:scaffold|templates|examples)\S*) @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs$`)
	found := 0
	for _, m := range line.FindAllStringSubmatch(string(out), -1) {
		found++
		bytes, _ := strconv.Atoi(m[2])
		allocs, _ := strconv.Atoi(m[3])
		if bytes > 2048 || allocs > 40 {
			t.Errorf("%s allocates %d bytes in %d allocations before main runs; build it on first use (sync.OnceValue)", m[1], bytes, allocs)
		}
	}
	if found < 5 || !strings.Contains(string(out), "scaffold/check") {
		t.Fatalf("inittrace lists %d of pmfolio's packages; want them all:\n%s", found, out)
	}
}
