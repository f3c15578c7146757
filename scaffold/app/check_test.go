package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"
)

// parseCheck runs args (after "pmfolio") through the real flag parsing
// and returns the options check would run with.
func parseCheck(t *testing.T, args ...string) (checkOptions, error) {
	t.Helper()
	var got checkOptions
	cmd := checkCommand(&Factory{})
	cmd.Action = func(c *cli.Context) error {
		got = readCheckOptions(c, "/portfolio")
		return nil
	}
	setUsageError(cmd, cmd.Name)
	a := &cli.App{Name: "pmfolio", Commands: []*cli.Command{cmd}, ExitErrHandler: func(*cli.Context, error) {}, Writer: &strings.Builder{}, ErrWriter: &strings.Builder{}}
	err := a.Run(permute(a, append([]string{"pmfolio"}, args...)))
	return got, err
}

func TestCheckFlags(t *testing.T) {
	t.Parallel()
	base := checkOptions{Dir: "/portfolio", Paths: []string{}, Format: "text", Color: "auto"}
	for _, tc := range []struct {
		args []string
		want func(*checkOptions)
	}{
		{[]string{"check"}, func(o *checkOptions) {}},
		{[]string{"check", "prd", "story/a.md", "--strict"}, func(o *checkOptions) { o.Paths = []string{"prd", "story/a.md"}; o.Strict = true }},
		{[]string{"check", "-f", "sarif", "-o", "out.sarif"}, func(o *checkOptions) { o.Format, o.Output = "sarif", "out.sarif" }},
		{[]string{"check", "--min-score", "80", "--baseline", "b.json"}, func(o *checkOptions) { o.MinScore, o.Baseline = 80, "b.json" }},
		{[]string{"check", "--write-baseline", "b.json", "--changed-since", "origin/main"}, func(o *checkOptions) { o.WriteBaseline, o.ChangedSince = "b.json", "origin/main" }},
		{[]string{"check", "--explain", "prd/p0"}, func(o *checkOptions) { o.Explain = "prd/p0" }},
		{[]string{"check", "--list-rules", "--date", "2026-04-10", "--color", "never"}, func(o *checkOptions) { o.ListRules, o.Date, o.Color = true, "2026-04-10", "never" }},
	} {
		want := base
		tc.want(&want)
		got, err := parseCheck(t, tc.args...)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%v:\n got %+v (%v)\nwant %+v", tc.args, got, err, want)
		}
	}
	if _, err := parseCheck(t, "check", "--no-such-flag"); err == nil || ExitCode(err) != ExitUsage {
		t.Errorf("an unknown flag: %v (exit %d)", err, ExitCode(err))
	}
}

func TestCheckOptionsValidate(t *testing.T) {
	t.Parallel()
	ok := checkOptions{Format: "json", Color: "auto", MinScore: 80}
	if err := ok.validate(); err != nil {
		t.Error(err)
	}
	for _, bad := range []checkOptions{
		{Format: "yaml", Color: "auto"},
		{Format: "text", Color: "rainbow"},
		{Format: "text", Color: "auto", MinScore: 101},
		{Format: "text", Color: "auto", MinScore: -1},
	} {
		if err := bad.validate(); ExitCode(err) != ExitUsage {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

// TestCIExamplesUseRealFlags: every `pmfolio check` the CI examples run
// parses with the real command line, so that the examples cannot drift
// from the flags.
func TestCIExamplesUseRealFlags(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../../examples/ci/*.y*ml")
	files = append(files, "../../.pre-commit-hooks.yaml")
	if len(files) < 4 {
		t.Fatalf("CI examples: %v", files)
	}
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var cmds []string
		collect(doc, &cmds)
		if len(cmds) == 0 && !strings.Contains(string(data), "pmfolio-check") {
			t.Errorf("%s runs no pmfolio check", f)
		}
		total += len(cmds)
		for _, c := range cmds {
			// Shell around the command is the CI system's business.
			c, _, _ = strings.Cut(c, "||")
			c = strings.ReplaceAll(c, "${{ github.base_ref }}", "main")
			args := strings.Fields(c)[1:]
			if _, err := parseCheck(t, args...); err != nil {
				t.Errorf("%s: %q: %v", f, c, err)
			}
		}
	}
	if total < 6 {
		t.Errorf("found only %d pmfolio check commands in the CI examples", total)
	}
}

// collect finds the strings that run pmfolio check in a YAML document.
func collect(v any, out *[]string) {
	switch t := v.(type) {
	case string:
		for _, line := range strings.Split(t, "\n") {
			if i := strings.Index(line, "pmfolio check"); i >= 0 {
				*out = append(*out, strings.TrimSpace(line[i:]))
			}
		}
	case []any:
		for _, x := range t {
			collect(x, out)
		}
	case map[string]any:
		for _, x := range t {
			collect(x, out)
		}
	}
}

// TestCheckCancelled: a check stops between two documents once its
// context ends (Ctrl-C cancels it), and exits 130.
func TestCheckCancelled(t *testing.T) {
	t.Parallel()
	port := newTestPortfolio(t, examplesDir(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	f := testFactory(Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, testEnv(nil))
	f.Context = ctx
	if code := MainWith([]string{"pmfolio", "-C", port, "check"}, f); code != ExitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInterrupted, errOut.String())
	}
	if errOut.String() != "pmfolio: interrupted; nothing was written\n" {
		t.Errorf("stderr: %q", errOut.String())
	}
}

// TestNewCancelled: a run whose context has ended (Ctrl-C before the
// write) writes nothing and exits 130.
func TestNewCancelled(t *testing.T) {
	t.Parallel()
	examples := examplesDir(t)
	port := newTestPortfolio(t, examples)
	before := snapshotNames(t, port)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	f := testFactory(Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, testEnv(nil))
	f.Context = ctx
	args := []string{"pmfolio", "-C", port, "new", "story", "--answers", filepath.Join(examples, "answers", "story.yaml"), "--no-commit"}
	if code := MainWith(args, f); code != ExitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInterrupted, errOut.String())
	}
	if after := snapshotNames(t, port); after != before {
		t.Errorf("an interrupted new wrote:\n%s", after)
	}
}
