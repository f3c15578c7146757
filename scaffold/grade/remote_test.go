package grade_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/grade"
	"github.com/pmfolio/pmfolio/scaffold/internal/gitserver"
	"github.com/pmfolio/pmfolio/scaffold/internal/packtest"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// due is the deadline of the tests' assignment.
var due = time.Date(2026, 3, 9, 3, 59, 0, 0, time.UTC)

const assignment = `name: PRD
pack: {name: default}
documents: [{kind: prd}]
due: 2026-03-08 23:59
timezone: America/New_York
rubric:
  - {id: metrics, points: 10, rule: prd/metric-quantified}
  - {id: quality, points: 10, min_score: 80}
`

// git runs the git CLI for fixtures.
func git(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=S", "GIT_AUTHOR_EMAIL=s@example.edu",
		"GIT_COMMITTER_NAME=S", "GIT_COMMITTER_EMAIL=s@example.edu"), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// portfolio makes a student's work repository holding the example PRD,
// committed at when.
func portfolio(t *testing.T, dir string, when time.Time) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	prd, err := os.ReadFile("../../examples/documents/core/prd.md")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "prd"), 0o755)
	os.WriteFile(filepath.Join(dir, "pmfolio.yaml"), []byte("version: 1\ntrack: core\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "prd", "2026-01-26-prd.md"), prd, 0o644)
	git(t, dir, nil, "init", "-q", "-b", "main")
	commit(t, dir, when, "the PRD")
}

func commit(t *testing.T, dir string, when time.Time, msg string) {
	t.Helper()
	stamp := "GIT_COMMITTER_DATE=" + when.Format(time.RFC3339)
	git(t, dir, nil, "add", "-A")
	git(t, dir, []string{stamp, "GIT_AUTHOR_DATE=" + when.Format(time.RFC3339)}, "commit", "-q", "--allow-empty", "-m", msg)
}

// results runs grade and returns grades.json's students by id.
func results(t *testing.T, sess *session.Session, req grade.Request) map[string]map[string]any {
	t.Helper()
	if _, err := grade.Run(context.Background(), sess, req); err != nil {
		t.Fatal(err)
	}
	var g struct{ Students []map[string]any }
	data, err := os.ReadFile(filepath.Join(req.Dir, req.Out, "grades.json"))
	if err == nil {
		err = json.Unmarshal(data, &g)
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, s := range g.Students {
		out[s["student"].(string)] = s
	}
	return out
}

// TestGradeRemote: repositories over https: a private one is an error
// for that student without the token (the environment variable named),
// graded with it; a repository that does not exist is missing; a server
// that never answers costs its student the time limit, not the cohort;
// --offline grades the mirrors once the server is gone.
func TestGradeRemote(t *testing.T) {
	root := t.TempDir()
	portfolio(t, filepath.Join(root, "work"), due.Add(-time.Hour))
	git(t, root, nil, "clone", "-q", "--bare", "work", "ana.git")
	srv, ca := gitserver.Start(t, root, "s3cret")
	silent := gitserver.Silent(t)
	course := t.TempDir()
	roster := fmt.Sprintf("student,name,repo\nana,Ana,%s/ana.git\nbo,Bo,%s/bo.git\ncy,Cy,https://%s/cy.git\n", srv.URL, srv.URL, silent)
	os.WriteFile(filepath.Join(course, "roster.csv"), []byte(roster), 0o644)
	os.WriteFile(filepath.Join(course, "a.yaml"), []byte(assignment), 0o644)
	req := grade.Request{Dir: course, Roster: "roster.csv", Assignment: "a.yaml", Out: "grades", Jobs: 3, Timeout: 500 * time.Millisecond, CABundle: ca}

	sess := packtest.Session(t)
	sess.Now = func() time.Time { return due.Add(2 * time.Hour) }
	start := time.Now()
	r := results(t, sess, req)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("a silent server held the cohort for %v", d)
	}
	if r["ana"]["status"] != "error" || !strings.Contains(r["ana"]["error"].(string), "private") || !strings.Contains(r["ana"]["error"].(string), "$PMFOLIO_GIT_TOKEN") {
		t.Errorf("ana without the token: %v", r["ana"])
	}
	if r["cy"]["status"] != "error" || !strings.Contains(r["cy"]["error"].(string), "did not answer within 500ms") {
		t.Errorf("cy on a silent server: %v", r["cy"])
	}

	sess = packtest.Session(t, "GRADER_TOKEN=s3cret")
	sess.Now = func() time.Time { return due.Add(2 * time.Hour) }
	req.TokenEnv = "GRADER_TOKEN"
	r = results(t, sess, req)
	if r["ana"]["status"] != "graded" || r["ana"]["final"].(float64) != 20 {
		t.Errorf("ana with the token: %v", r["ana"])
	}
	if r["bo"]["status"] != "missing" || !strings.Contains(r["bo"]["error"].(string), "no repository there") {
		t.Errorf("bo's repository does not exist: %v", r["bo"])
	}
	srv.Close()
	req.Offline = true
	r = results(t, sess, req)
	if r["ana"]["status"] != "graded" || r["cy"]["status"] != "error" || !strings.Contains(r["cy"]["error"].(string), "not in the cache") {
		t.Errorf("offline: ana %v, cy %v", r["ana"], r["cy"])
	}
}

// TestSuspiciousDate: pmfolio records when it first sees each commit. A
// commit dated before the deadline that it first sees days after it,
// although it had looked at the repository after the deadline without
// finding it, is flagged, and the report says so; a commit seen in time is
// verified; one first seen on pmfolio's first look, late, is trusted as
// dated, and the report says which dates it trusted.
func TestSuspiciousDate(t *testing.T) {
	course := t.TempDir()
	for _, s := range []string{"early", "backdated", "unseen"} {
		portfolio(t, filepath.Join(course, "repos", s), due.Add(-48*time.Hour))
	}
	os.WriteFile(filepath.Join(course, "roster.csv"), []byte("student,name,repo\nearly,E,repos/early\nbackdated,B,repos/backdated\n"), 0o644)
	os.WriteFile(filepath.Join(course, "a.yaml"), []byte(assignment), 0o644)
	req := grade.Request{Dir: course, Roster: "roster.csv", Assignment: "a.yaml", Out: "grades", Jobs: 1}
	sess := packtest.Session(t)
	at := func(d time.Duration) { sess.Now = func() time.Time { return due.Add(d) } }

	// The course grades on a schedule: a day before the deadline, then
	// three days after it.
	at(-24 * time.Hour)
	results(t, sess, req)
	at(72 * time.Hour)
	results(t, sess, req)
	// Then "backdated" commits work dated an hour before the deadline,
	// and the course grades again two days later.
	commit(t, filepath.Join(course, "repos", "backdated"), due.Add(-time.Hour), "finished, honest")
	os.WriteFile(filepath.Join(course, "roster.csv"), []byte("student,name,repo\nearly,E,repos/early\nbackdated,B,repos/backdated\nunseen,U,repos/unseen\n"), 0o644)
	at(120 * time.Hour)
	r := results(t, sess, req)
	trust := func(id string) string { return r[id]["commit"].(map[string]any)["trust"].(string) }
	if trust("early") != "verified" || trust("backdated") != "suspicious" || trust("unseen") != "trusted" {
		t.Errorf("trust: early %s, backdated %s, unseen %s", trust("early"), trust("backdated"), trust("unseen"))
	}
	if fmt.Sprint(r["backdated"]["flags"]) != "[suspicious-date]" {
		t.Errorf("backdated flags: %v", r["backdated"]["flags"])
	}
	report, _ := os.ReadFile(filepath.Join(course, "grades", "report.md"))
	for _, want := range []string{"- 1 were seen by pmfolio by 24h after the deadline", "- 1 were first seen later, on pmfolio's first look",
		"- 1 were first seen more than 24h after the deadline", "B (`backdated`): commit ", "but pmfolio first saw it 2026-03-13T23:59:00-04:00, 5 days after the deadline; it was not in the repository when pmfolio looked on 2026-03-11T23:59:00-04:00"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
}
