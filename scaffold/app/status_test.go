package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/examples"
)

// partialPortfolio builds the example portfolio's first n documents, each
// committed on its plan day.
func partialPortfolio(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "portfolio")
	answers := filepath.Join(examplesDirAbs(), "answers")
	run := func(day string, args ...string) {
		t.Helper()
		var out, errOut bytes.Buffer
		f := testFactory(Streams{In: bytes.NewReader(nil), Out: &out, Err: &errOut}, exampleEnv())
		d, _ := time.Parse("2006-01-02", day)
		f.Now = func() time.Time { return d.Add(17 * time.Hour) }
		if code := MainWith(append([]string{"pmfolio"}, args...), f); code != 0 {
			t.Fatalf("pmfolio %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
		}
	}
	run(examples.InitDate, "init", "--answers", filepath.Join(answers, "init.yaml"), "--set", "email="+examples.Email, "--date", examples.InitDate, dir)
	for _, st := range examples.Plan[:n] {
		run(st.Date, "-C", dir, "new", st.Kind, "--answers", filepath.Join(answers, st.Answers), "--date", st.Date)
	}
	return dir
}

// TestStatusGolden holds status's text (80 columns, no terminal) and JSON
// to golden files at fixed dates: a portfolio behind its plan (three
// interviews when month 1 has ended), one on day 20 with a draft story,
// and the whole example portfolio after the plan. Behind is a nudge:
// status exits 0. Regenerate with -update.
func TestStatusGolden(t *testing.T) {
	t.Parallel()
	behind := partialPortfolio(t, 3)
	early := partialPortfolio(t, 1)
	// An unfinished interview, and a document that fails check.
	story := filepath.Join(early, "story", "2026-01-20-half-done.md")
	if err := os.MkdirAll(filepath.Dir(story), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(story, []byte("---\nkind: story\ntitle: Half done\nauthor: Jordan Reyes\ndate: \"2026-01-20\"\nstatus: Draft\ntrack: core\npack:\n  name: default\n  version: 1.0.0\n---\n\n# Half done\n\n## Headline\n\nTODO\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := examplePortfolio(t)
	cases := []struct{ name, dir, date string }{
		{"behind", behind, "2026-02-10"},
		{"early", early, "2026-01-24"},
		{"done", full, "2026-04-06"},
		{"before", behind, "2026-01-01"},
	}
	env := testEnv(map[string]string{"PATH": "", "COLUMNS": "80"})
	for _, c := range cases {
		for _, format := range []string{"txt", "json"} {
			args := []string{"-C", c.dir, "status", "--date", c.date}
			if format == "json" {
				args = append(args, "--json")
			}
			stdout, stderr, code := runEnv(t, env, args...)
			if code != 0 || len(stderr) > 0 {
				t.Fatalf("%s: exit %d\n%s", c.name, code, stderr)
			}
			golden := filepath.Join("testdata", "status", c.name+"."+format)
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, stdout, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(want, stdout) {
				t.Errorf("%s differs (run with -update if intended)\n%s", golden, firstDiff(want, stdout))
			}
		}
	}
}

// TestStatusJSONShape: the documented fields, with the values the plan
// gives them: day 1 on the start date, the month, the next kind and the
// command that writes it.
func TestStatusJSONShape(t *testing.T) {
	t.Parallel()
	dir := partialPortfolio(t, 3)
	env := testEnv(map[string]string{"PATH": ""})
	for _, c := range []struct {
		date       string
		day, month int
		kind, cmd  string
		behind     bool
	}{
		{"2026-01-05", 1, 1, "interview", "pmfolio new interview", false},
		{"2026-02-03", 30, 1, "interview", "pmfolio new interview", false},
		{"2026-02-04", 31, 2, "interview", "pmfolio new interview", true},
		{"2026-04-05", 91, 3, "interview", "pmfolio new interview", true},
	} {
		stdout, stderr, code := runEnv(t, env, "-C", dir, "status", "--json", "--date", c.date)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		var got struct {
			Day, Month int
			Behind     bool
			Next       struct{ Kind, Command string }
			History    []struct{ Start string }
		}
		if err := json.Unmarshal(stdout, &got); err != nil {
			t.Fatal(err)
		}
		if got.Day != c.day || got.Month != c.month || got.Next.Kind != c.kind || got.Next.Command != c.cmd || got.Behind != c.behind {
			t.Errorf("%s: day %d month %d next %+v behind %v; want %d %d %s %q %v", c.date, got.Day, got.Month, got.Next, got.Behind, c.day, c.month, c.kind, c.cmd, c.behind)
		}
	}
}

// TestStatusColour: on a terminal status is coloured, unless NO_COLOR is
// set; piped, it is plain.
func TestStatusColour(t *testing.T) {
	t.Parallel()
	dir := partialPortfolio(t, 1)
	for _, c := range []struct {
		terminal bool
		noColor  string
		want     bool
	}{{true, "", true}, {true, "1", false}, {false, "", false}} {
		vars := map[string]string{"PATH": ""}
		if c.noColor != "" {
			vars["NO_COLOR"] = c.noColor
		}
		var out, errOut bytes.Buffer
		f := testFactory(Streams{In: bytes.NewReader(nil), Out: &out, Err: &errOut, OutTerminal: c.terminal}, testEnv(vars))
		if code := MainWith([]string{"pmfolio", "-C", dir, "status", "--date", "2026-01-10"}, f); code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut.String())
		}
		if got := strings.Contains(out.String(), "\x1b["); got != c.want {
			t.Errorf("terminal %v, NO_COLOR %q: colour %v\n%s", c.terminal, c.noColor, got, out.String())
		}
	}
}
