//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGradingGuide runs docs/grading.md's walk-through, command for
// command, in an empty folder: two students' portfolios made with pmfolio,
// a roster and an assignment written as the guide writes them, the cohort
// graded, the outputs looked at. The guide's claims about the outcome are
// then checked: Ana and Ben graded, Cy missing, an empty manual column.
func TestGradingGuide(t *testing.T) {
	env := hardEnv(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("the guide's commands are shell commands: bash is not installed")
	}
	data, err := os.ReadFile("../../docs/grading.md")
	if err != nil {
		t.Fatal(err)
	}
	script := guideCommands(string(data), "## From an empty folder to a graded cohort")
	if strings.Count(script, "pmfolio ") < 6 || !strings.Contains(script, "pmfolio grade --roster roster.csv --assignment month-1.yaml") {
		t.Fatalf("the walk-through's commands are not where the test looks for them:\n%s", script)
	}
	dir := t.TempDir()
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the guide's commands failed: %v\n%s", err, out)
	}
	for _, want := range []string{"3 student(s): 2 graded, 0 late, 1 missing, 0 could not be graded", "grades.csv\ngrades.json\njunit.xml\nreport.md\nresults\nsimilarity.json\nstate",
		"student,name,repo,section,email,complete,evidence,quality,presentation,total,late_penalty,final,status\nana,Ana Alves,students/ana,A,ana@example.edu,",
		"## What to teach next"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the guide's run does not show %q:\n%s", want, out)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "grades", "grades.csv"))
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(lines) != 4 || !strings.HasSuffix(lines[1], ",graded") || !strings.HasSuffix(lines[2], ",graded") || !strings.HasSuffix(lines[3], ",missing") {
		t.Errorf("grades.csv:\n%s", csv)
	}
	for _, l := range lines[1:3] {
		if f := strings.Split(l, ","); f[8] != "" {
			t.Errorf("the manual column is not empty: %s", l)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "grades", "results", "ana.json")); err != nil {
		t.Error(err)
	}
}

// guideCommands is the shell of the ```sh blocks of a guide's section.
func guideCommands(doc, section string) string {
	i := strings.Index(doc, section+"\n")
	if i < 0 {
		return ""
	}
	body := doc[i+len(section):]
	if j := strings.Index(body, "\n## "); j >= 0 {
		body = body[:j]
	}
	var b strings.Builder
	for {
		start := strings.Index(body, "```sh\n")
		if start < 0 {
			return b.String()
		}
		body = body[start+len("```sh\n"):]
		end := strings.Index(body, "```\n")
		if end < 0 {
			return b.String()
		}
		b.WriteString(body[:end])
		body = body[end+4:]
	}
}
