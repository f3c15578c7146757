package check_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesPointInward: check is the core; it must not reach a CLI,
// prompt or git library, even through another package.
func TestDependenciesPointInward(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list dependencies with")
	}
	out, err := exec.Command(goBin, "list", "-deps", "github.com/pmfolio/pmfolio/scaffold/check").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/urfave/cli", "github.com/AlecAivazis/survey", "github.com/go-git/", "github.com/pmfolio/pmfolio/scaffold/pack", "github.com/pmfolio/pmfolio/scaffold/portfolio", "github.com/pmfolio/pmfolio/scaffold/app"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("scaffold/check depends on %s", dep)
			}
		}
	}
}
