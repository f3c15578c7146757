package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/examples/grading"
	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// The synthetic cohort (examples/grading) is built from the example
// portfolio's documents, once; tests copy it.
var (
	cohortOnce sync.Once
	cohortDir  string
	cohortErr  error
)

// cohortDue is the deadline of the cohort's assignment: 23:59 in New York
// on the day clocks move forward (EDT, UTC-4, from 2:00 that morning).
var cohortDue = time.Date(2026, 3, 9, 3, 59, 0, 0, time.UTC)

// cohortStudents are the cases of the synthetic cohort, one student each
// (two complete, and the pair).
var cohortStudents = []grading.Student{
	{ID: "ana", Name: "Ana Alves", Case: grading.Complete},
	{ID: "ben", Name: "Ben Brook", Case: grading.Partial},
	{ID: "cy", Name: "Cy Chen", Case: grading.Unfilled},
	{ID: "dee", Name: "Dee Diaz", Case: grading.Late},
	{ID: "eve1", Name: "Eve Eng", Case: grading.PairA},
	{ID: "fay2", Name: "Fay Fox", Case: grading.PairB},
	{ID: "gus", Name: "Gus Gray", Case: grading.Empty},
	{ID: "hal", Name: "Hal Hu", Case: grading.Missing},
	{ID: "ivy", Name: "Ivy Ito", Case: grading.NotPortfolio},
	{ID: "jo", Name: "Jo Jain", Case: grading.EdgeOfDeadline},
	{ID: "kim", Name: "Kim Kato", Case: grading.Complete},
}

// gitRunner runs the git CLI for fixtures, with a fixed identity and no
// configuration of the machine's.
func gitRunner(dir string, stdin []byte, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// cohortFixture returns a fresh copy of the synthetic cohort: repos/,
// roster.csv and assignment.yaml.
func cohortFixture(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the synthetic cohort is written with git fast-import: git is not installed")
	}
	example := examplePortfolio(t)
	cohortOnce.Do(func() {
		cohortDir = filepath.Join(testHome, "cohort")
		port, docs, err := exampleDocs(example)
		if err == nil {
			err = grading.Build(cohortDir, port, docs, cohortStudents, cohortDue, gitRunner)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(cohortDir, "assignment.yaml"), []byte(grading.Assignment("2026-03-08 23:59")), 0o644)
		}
		cohortErr = err
	})
	if cohortErr != nil {
		t.Fatal(cohortErr)
	}
	dst := filepath.Join(t.TempDir(), "course")
	copyTree(t, cohortDir, dst)
	return dst
}

// exampleDocs reads the example portfolio: its pmfolio.yaml and README,
// and its documents.
func exampleDocs(dir string) (port, docs []grading.Doc, err error) {
	for _, name := range []string{"pmfolio.yaml", "README.md"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, err
		}
		port = append(port, grading.Doc{Path: name, Data: data})
	}
	for _, kind := range []string{"interview", "brief", "prd", "teardown", "story", "retro"} {
		files, _ := filepath.Glob(filepath.Join(dir, kind, "*.md"))
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, err
			}
			d := grading.Doc{Path: kind + "/" + filepath.Base(f), Data: data}
			if filepath.Base(f) == "README.md" {
				port = append(port, d)
				continue
			}
			docs = append(docs, d)
		}
	}
	if len(docs) != 14 {
		return nil, nil, fmt.Errorf("the example portfolio has %d documents, want 14", len(docs))
	}
	return port, docs, nil
}

// gradeEnv is the environment of grading runs: its own cache of mirrors.
func gradeEnv(t *testing.T) *environ.Env {
	return testEnv(map[string]string{"XDG_CACHE_HOME": filepath.Join(t.TempDir(), "cache")})
}

// runGrade runs pmfolio in dir at now.
func runGrade(t *testing.T, env *environ.Env, dir string, now time.Time, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := testFactory(Streams{In: bytes.NewReader(nil), Out: &out, Err: &errOut}, env)
	f.Now = func() time.Time { return now }
	code := MainWith(append([]string{"pmfolio", "-C", dir}, args...), f)
	return out.String(), errOut.String(), code
}

// gradeNow is when the cohort is graded: nine hours after the deadline.
var gradeNow = time.Date(2026, 3, 9, 13, 0, 0, 0, time.UTC)

// TestGradeCohort grades the synthetic cohort and holds the outputs to
// golden files (grades.csv, grades.json, a Gradescope result), then to
// what each case means: the commit graded is the one git rev-list
// --before picks, the deadline is 23:59 EDT on the day clocks change,
// late work is graded with its penalty, missing and broken repositories
// are reported without stopping the cohort, and the pair sharing a PRD
// passage is listed for review.
func TestGradeCohort(t *testing.T) {
	dir := cohortFixture(t)
	env := gradeEnv(t)
	out, errOut, code := runGrade(t, env, dir, gradeNow, "grade", "--roster", "roster.csv", "--assignment", "assignment.yaml", "--jobs", "2")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	grades := filepath.Join(dir, "grades")
	if strings.TrimSpace(out) != grades {
		t.Errorf("stdout %q, want the output folder", out)
	}
	if !strings.Contains(errOut, "11 student(s): 7 graded, 1 late, 2 missing, 1 could not be graded; 1 similar pair(s) to review") {
		t.Errorf("summary:\n%s", errOut)
	}
	for _, name := range []string{"grades.csv", "grades.json", "results/dee.json"} {
		golden(t, filepath.Join("testdata", "grade", strings.ReplaceAll(name, "/", "-")), readFile(t, filepath.Join(grades, name)))
	}
	var g struct {
		Students []struct {
			Student, Status, Error string
			Commit                 *struct{ Hash, Trust string }
			Late                   *struct {
				Commits, Days int
				Used          bool
			}
			Final   float64
			Missing []struct {
				Kind       string
				Have, Want int
			} `json:"missing_documents"`
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(grades, "grades.json"))), &g); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ana": "graded", "ben": "graded", "cy": "graded", "dee": "late", "eve1": "graded", "fay2": "graded",
		"gus": "missing", "hal": "missing", "ivy": "error", "jo": "graded", "kim": "graded"}
	for _, s := range g.Students {
		if s.Status != want[s.Student] {
			t.Errorf("%s: status %s (%s), want %s", s.Student, s.Status, s.Error, want[s.Student])
		}
		repo := filepath.Join(dir, "repos", s.Student)
		if s.Commit == nil {
			continue
		}
		// git itself says which commit is the last at the deadline
		// (with the grace period); a late grade is of the tip.
		args := []string{"-C", repo, "rev-list", "-1", "--before=" + cohortDue.Add(10*time.Minute).Format(time.RFC3339), "HEAD"}
		if s.Late != nil && s.Late.Used {
			args = []string{"-C", repo, "rev-parse", "HEAD"}
		}
		oracle, err := exec.Command("git", args...).Output()
		if err != nil || strings.TrimSpace(string(oracle)) != s.Commit.Hash {
			t.Errorf("%s: graded %s, git %s says %s (%v)", s.Student, s.Commit.Hash, strings.Join(args[2:], " "), oracle, err)
		}
		if s.Commit.Trust != "verified" && !(s.Late != nil && s.Late.Used) {
			t.Errorf("%s: commit trust %q, want verified (seen 9 hours after the deadline)", s.Student, s.Commit.Trust)
		}
	}
	byID := map[string]int{}
	for i, s := range g.Students {
		byID[s.Student] = i
	}
	jo := g.Students[byID["jo"]]
	if jo.Late == nil || jo.Late.Commits != 1 || jo.Late.Days != 1 || jo.Late.Used {
		t.Errorf("jo committed 31 minutes after 23:59 EDT: late %+v", jo.Late)
	}
	dee := g.Students[byID["dee"]]
	if dee.Late == nil || !dee.Late.Used || dee.Late.Days != 2 {
		t.Errorf("dee's second half came 30 hours late (2 days, less 16): %+v", dee.Late)
	}
	if ana := g.Students[byID["ana"]]; ana.Final <= g.Students[byID["cy"]].Final || ana.Final <= g.Students[byID["ben"]].Final {
		t.Errorf("a complete portfolio (%v) scores no more than an unfilled PRD (%v) or a partial one (%v)", ana.Final, g.Students[byID["cy"]].Final, g.Students[byID["ben"]].Final)
	}
	if m := g.Students[byID["ben"]].Missing; len(m) != 3 || m[0].Kind != "interview" || m[0].Have != 3 {
		t.Errorf("ben's shortfall: %+v", m)
	}
	sim := readFile(t, filepath.Join(grades, "similarity.json"))
	for _, s := range []string{`"student": "eve1"`, `"student": "fay2"`, `"path": "prd/`, "In our shadowing sessions the"} {
		if !strings.Contains(sim, s) {
			t.Errorf("similarity.json lacks %s:\n%s", s, sim)
		}
	}
	report := readFile(t, filepath.Join(grades, "report.md"))
	for _, s := range []string{"## What to teach next", "## Similarity to review", "not a finding of plagiarism", "Hal Hu (`hal`)", "Ivy Ito (`ivy`): not a pmfolio portfolio",
		"Gus Gray (`gus`)", "Dee Diaz (`dee`): 1 commit(s) after the deadline", "are verified"} {
		if !strings.Contains(report, s) {
			t.Errorf("report.md lacks %q:\n%s", s, report)
		}
	}
	if strings.Contains(strings.ToLower(report), "plagiarised") || strings.Contains(strings.ToLower(sim), "plagiarised") {
		t.Error("similarity is worded as plagiarism")
	}
	junitConsumers(t, filepath.Join(grades, "junit.xml"), len(cohortStudents), 6)
}

// TestGradeShardsMerge: the roster graded in three shards and merged is
// the very same folder, byte for byte, as one run over the roster.
func TestGradeShardsMerge(t *testing.T) {
	dir := cohortFixture(t)
	env := gradeEnv(t)
	args := []string{"grade", "--roster", "roster.csv", "--assignment", "assignment.yaml", "--jobs", "2"}
	if _, e, code := runGrade(t, env, dir, gradeNow, append(args, "--out", "one")...); code != 0 {
		t.Fatalf("one run: %s", e)
	}
	var shards []string
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("shard-%d", i)
		if _, e, code := runGrade(t, env, dir, gradeNow, append(args, "--shard", fmt.Sprintf("%d/3", i), "--out", name)...); code != 0 {
			t.Fatalf("shard %d: %s", i, e)
		}
		shards = append(shards, name)
	}
	if _, e, code := runGrade(t, env, dir, gradeNow, append([]string{"grade", "merge", "--out", "merged"}, shards[:2]...)...); code != 2 || !strings.Contains(e, "shard 3/3 is missing") {
		t.Errorf("a merge without shard 3: exit %d %s", code, e)
	}
	if _, e, code := runGrade(t, env, dir, gradeNow, append([]string{"grade", "merge", "--out", "merged"}, shards...)...); code != 0 {
		t.Fatalf("merge: %s", e)
	}
	one, merged := tree(t, filepath.Join(dir, "one")), tree(t, filepath.Join(dir, "merged"))
	if len(one) < 10 {
		t.Fatalf("one run wrote %d files", len(one))
	}
	for name, data := range one {
		if merged[name] != data {
			t.Errorf("%s differs between one run and the merged shards", name)
		}
	}
	for name := range merged {
		if _, ok := one[name]; !ok {
			t.Errorf("the merge wrote %s, one run did not", name)
		}
	}
}

// tree reads every file below dir by relative path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out[rel] = readFile(t, p)
		}
		return nil
	})
	return out
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		os.MkdirAll(filepath.Dir(file), 0o755)
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (run with -update to accept):\n%s", file, got)
	}
}

// junitConsumers reads the JUnit file as CI systems do: validated
// against the Ant JUnit schema with xmllint, and read by junitparser, a
// real consumer (Debian's python3-junitparser), which must count a test
// case per student per criterion and skip the manual ones.
func junitConsumers(t *testing.T, file string, students, criteria int) {
	t.Helper()
	xsd, _ := filepath.Abs("../../../shared/schemas/junit.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Logf("not validated against the Ant JUnit schema: %s is not here", xsd)
	} else if lint, err := exec.LookPath("xmllint"); err != nil {
		t.Logf("not validated with xmllint against %s (xmllint: %v)", xsd, err)
	} else if msg, err := exec.Command(lint, "--noout", "--schema", xsd, file).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, msg)
	}
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import junitparser").Run(); err != nil {
		t.Logf("not read by junitparser: %s cannot import it (apt-get install python3-junitparser)", py)
		return
	}
	script := `import sys, junitparser
xml = junitparser.JUnitXml.fromfile(sys.argv[1])
cases = skipped = failed = 0
for suite in xml:
    for case in suite:
        cases += 1
        kinds = [type(r).__name__ for r in case.result]
        skipped += "Skipped" in kinds
        failed += "Failure" in kinds or "Error" in kinds
print(cases, skipped, failed)`
	out, err := exec.Command(py, "-c", script, file).CombinedOutput()
	if err != nil {
		t.Fatalf("junitparser: %v\n%s", err, out)
	}
	var cases, skipped, failed int
	fmt.Sscan(string(out), &cases, &skipped, &failed)
	if cases != students*criteria || skipped != students || failed == 0 {
		t.Errorf("junitparser read %d cases, %d skipped, %d failing; want %d cases, %d skipped (the manual criterion), some failing", cases, skipped, failed, students*criteria, students)
	}
}

// TestGradeExamples: the example assignment and roster of
// examples/grading load (every rule, kind and section exists in the
// default pack); offline, with nothing cached, each student is reported
// and the cohort is still graded.
func TestGradeExamples(t *testing.T) {
	dir := t.TempDir()
	ex := filepath.Join(examplesDirAbs(), "grading")
	out, errOut, code := runGrade(t, gradeEnv(t), dir, gradeNow, "grade", "--roster", filepath.Join(ex, "roster.csv"),
		"--assignment", filepath.Join(ex, "assignment.yaml"), "--offline")
	if code != 0 || !strings.Contains(errOut, "4 student(s): 0 graded, 0 late, 0 missing, 4 could not be graded") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	csv := readFile(t, filepath.Join(dir, "grades", "grades.csv"))
	if !strings.HasPrefix(csv, "student,name,repo,section,email,github,complete,evidence,problem,quality,presentation,total,late_penalty,Month 1 - discovery (4821),status\n") ||
		!strings.Contains(readFile(t, filepath.Join(dir, "grades", "grades.json")), "is not in the cache, and --offline fetches nothing") {
		t.Errorf("grades.csv:\n%s", csv)
	}
}
