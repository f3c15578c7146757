//go:build unix

package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/examples"
	"gopkg.in/yaml.v3"
)

// The CI examples in examples/ci run as written: their commands are
// taken from the YAML (the GitHub workflow's run: steps, with their if:
// conditions; the GitLab job's script: lines) and run by the shell each
// CI system uses, in a fresh clone of the example portfolio with a real
// remote. The one line not run is the install (go install
// github.com/pmfolio/pmfolio/cmd/pmfolio@latest needs the network): the
// pmfolio under test is on PATH instead, and the line is checked to name
// this module.

// ciEnv is the environment of the commands: no git configuration of the
// machine's, an identity for the commits the test makes.
func ciEnv(home string, extra ...string) []string {
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=CI", "GIT_AUTHOR_EMAIL=ci@example.com", "GIT_COMMITTER_NAME=CI", "GIT_COMMITTER_EMAIL=ci@example.com", "CI=true")
	return append(env, extra...)
}

// runIn runs a command in dir (see run) and returns its output and exit
// code.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	out, err := run(env, dir, name, args...)
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return out, ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out, 0
}

// exampleRemote builds the example portfolio (the demo's), pushes it to a
// bare repository, and pushes a branch "feature" that changes one story
// with the given content ("" leaves it alone). It returns the remote.
func exampleRemote(t *testing.T, base string, env []string, feature string) string {
	t.Helper()
	answers := filepath.Join("..", "..", "examples", "answers")
	answers, _ = filepath.Abs(answers)
	origin := filepath.Join(base, "origin")
	var log strings.Builder
	code := examples.Build(origin, answers, &log, func(args []string, _ string) int {
		out, code := runIn(t, base, env, args[0], args[1:]...)
		log.WriteString(out)
		return code
	})
	if code != 0 {
		t.Fatalf("the example portfolio: exit %d\n%s", code, log.String())
	}
	remote := filepath.Join(base, "remote.git")
	mustRun(t, env, base, "git", "init", "-q", "--bare", remote)
	mustRun(t, env, origin, "git", "push", "-q", remote, "HEAD:main")
	mustRun(t, env, origin, "git", "checkout", "-q", "-b", "feature")
	if feature != "" {
		if err := os.WriteFile(filepath.Join(origin, "story", "2026-03-17-moving-the-bank-feed-fix-up-by-5-months.md"), []byte(feature), 0o644); err != nil {
			t.Fatal(err)
		}
		mustRun(t, env, origin, "git", "commit", "-qam", "story: rewritten")
	}
	mustRun(t, env, origin, "git", "push", "-q", remote, "feature")
	return remote
}

// installLine reports whether line is the example's install of pmfolio,
// and that it installs this module's command.
func installLine(t *testing.T, line string) bool {
	t.Helper()
	if !strings.HasPrefix(strings.TrimSpace(line), "go install ") {
		return false
	}
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	module := regexp.MustCompile(`(?m)^module (\S+)`).FindSubmatch(gomod)[1]
	if want := "go install " + string(module) + "/cmd/pmfolio@"; !strings.HasPrefix(strings.TrimSpace(line), want) {
		t.Errorf("the install line %q does not install %s/cmd/pmfolio", line, module)
	}
	t.Logf("not run (needs the network; the pmfolio under test is on PATH): %s", line)
	return true
}

type ghWorkflow struct {
	Jobs map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			If   string            `yaml:"if"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// ghCondition evaluates the if: conditions the example uses; any other
// fails the test, so the example cannot drift into conditions this test
// does not understand.
func ghCondition(t *testing.T, cond, event string) bool {
	t.Helper()
	if cond == "" {
		return true
	}
	ok := true
	for _, term := range strings.Split(cond, "&&") {
		term = strings.TrimSpace(term)
		m := regexp.MustCompile(`^github\.event_name == '(\w+)'$`).FindStringSubmatch(term)
		switch {
		case term == "always()":
		case m != nil:
			ok = ok && m[1] == event
		default:
			t.Fatalf("if: %q: a condition this test does not evaluate", cond)
		}
	}
	return ok
}

// ghExpand replaces the workflow expressions the example uses.
func ghExpand(t *testing.T, s string) string {
	t.Helper()
	s = strings.ReplaceAll(s, "${{ github.base_ref }}", "main")
	if strings.Contains(s, "${{") {
		t.Fatalf("an expression this test does not expand: %s", s)
	}
	return s
}

// TestGitHubWorkflowRunsAsWritten runs the workflow's steps for a pull
// request (on the merge commit GitHub checks out, with fetch-depth: 0)
// and for a push to main: exit codes, annotations, the step summary and
// the SARIF file upload-sarif reads.
func TestGitHubWorkflowRunsAsWritten(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git CLI is not installed; the workflow checks a git clone")
	}
	t.Parallel()
	data, err := os.ReadFile("../../examples/ci/github-actions.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf ghWorkflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	job, ok := wf.Jobs["check"]
	if !ok || len(job.Steps) == 0 {
		t.Fatalf("no check job with steps: %+v", wf)
	}
	for _, tc := range []struct {
		name, event, feature string
		// fails is the step expected to fail (exit 1), "" for none.
		fails string
	}{
		{"pull request, clean", "pull_request", "", ""},
		{"pull request, a broken story", "pull_request", brokenStory, "pmfolio check (changed documents)"},
		{"push to main", "push", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			home := t.TempDir()
			summary := filepath.Join(base, "step-summary.md")
			env := ciEnv(home, "GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY="+summary)
			remote := exampleRemote(t, base, env, tc.feature)
			// actions/checkout with fetch-depth: 0: every branch, all of
			// history; a pull request's merge commit, a push's branch.
			ws := filepath.Join(base, "workspace")
			mustRun(t, env, base, "git", "clone", "-q", "--no-checkout", remote, ws)
			if tc.event == "pull_request" {
				mustRun(t, env, ws, "git", "checkout", "-q", "--detach", "origin/main")
				mustRun(t, env, ws, "git", "merge", "-q", "--no-ff", "--no-edit", "origin/feature")
			} else {
				mustRun(t, env, ws, "git", "checkout", "-q", "main")
			}
			ran, failed := 0, ""
			for _, st := range job.Steps {
				if st.Uses != "" {
					if strings.HasPrefix(st.Uses, "actions/checkout@") && st.With["fetch-depth"] != "0" {
						t.Errorf("actions/checkout without fetch-depth: 0: --changed-since needs the base branch's history")
					}
					if strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") && ghCondition(t, st.If, tc.event) {
						sarif := filepath.Join(ws, st.With["sarif_file"])
						var log map[string]any
						data, err := os.ReadFile(sarif)
						if err == nil {
							err = json.Unmarshal(data, &log)
						}
						if err != nil || log["version"] != "2.1.0" {
							t.Errorf("upload-sarif's %s: %v", st.With["sarif_file"], err)
						}
					}
					continue
				}
				if st.Run == "" || !ghCondition(t, st.If, tc.event) || installLine(t, st.Run) {
					continue
				}
				ran++
				// GitHub's default shell for run: bash -e, pipefail.
				out, code := runIn(t, ws, env, "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", ghExpand(t, st.Run))
				switch {
				case code == 1 && st.Name == tc.fails:
					failed = st.Name
					if !strings.Contains(out, "::error file=story/2026-03-17-moving-the-bank-feed-fix-up-by-5-months.md,line=") {
						t.Errorf("%s: no annotation on the broken story:\n%s", st.Name, out)
					}
				case code != 0:
					t.Errorf("step %q: exit %d\n%s", st.Name, code, out)
				}
			}
			if ran == 0 || failed != tc.fails {
				t.Errorf("ran %d steps; failed %q, want %q", ran, failed, tc.fails)
			}
			s, err := os.ReadFile(summary)
			if err != nil || !strings.Contains(string(s), "## pmfolio check") {
				t.Errorf("no step summary (%v):\n%s", err, s)
			}
		})
	}
}

// TestGitLabJobRunsAsWritten runs the GitLab job's script lines as the
// runner does (one shell, stopping at the first line that fails) on a
// clone of the example portfolio: clean, the job passes and leaves its
// JUnit report; with a story that fails, the JUnit line still passes (its
// || test $? -eq 1) and the job fails at the gate.
func TestGitLabJobRunsAsWritten(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git CLI is not installed; the job checks a git clone")
	}
	t.Parallel()
	data, err := os.ReadFile("../../examples/ci/gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var ci map[string]struct {
		Script    []string `yaml:"script"`
		Artifacts struct {
			When    string            `yaml:"when"`
			Reports map[string]string `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	if err := yaml.Unmarshal(data, &ci); err != nil {
		t.Fatal(err)
	}
	job, ok := ci["pmfolio"]
	if !ok || len(job.Script) == 0 || job.Artifacts.Reports["junit"] == "" {
		t.Fatalf("no pmfolio job with a script and a JUnit report: %+v", ci)
	}
	for _, tc := range []struct {
		name, feature string
		exit          int
	}{
		{"clean", "", 0},
		{"a failing story", brokenStory, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			env := ciEnv(t.TempDir(), "GITLAB_CI=true")
			remote := exampleRemote(t, base, env, tc.feature)
			ws := filepath.Join(base, "build")
			mustRun(t, env, base, "git", "clone", "-q", "--branch", "feature", remote, ws)
			var lines []string
			for _, l := range job.Script {
				if !installLine(t, l) {
					lines = append(lines, l)
				}
			}
			out, code := runIn(t, ws, env, "sh", "-e", "-c", strings.Join(lines, "\n"))
			if code != tc.exit {
				t.Errorf("the job exited %d, want %d\n%s", code, tc.exit, out)
			}
			report, err := os.ReadFile(filepath.Join(ws, job.Artifacts.Reports["junit"]))
			if err != nil || !strings.Contains(string(report), "<testsuites>") {
				t.Fatalf("no JUnit report (%v)", err)
			}
			broken := regexp.MustCompile(`file="story/2026-03-17-moving-the-bank-feed-fix-up-by-5-months.md">\s*<failure`).Match(report)
			if broken != (tc.feature != "") {
				t.Errorf("the broken story's failure in the JUnit report: %v", broken)
			}
		})
	}
}

// TestPublishedPreCommitHook runs the hook this repository publishes
// (.pre-commit-hooks.yaml, language golang) as pre-commit does for a
// `repo:` entry: pre-commit try-repo clones the repository, builds
// pmfolio with go install, and runs it on the files given. Modules and the
// build cache come from this machine's, so it needs no network.
func TestPublishedPreCommitHook(t *testing.T) {
	for _, tool := range []string{"git", "pre-commit", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s (pre-commit is Debian's pre-commit package, which .ci/run installs): %v", tool, err)
		}
	}
	t.Parallel()
	top, code := runIn(t, "../..", os.Environ(), "git", "rev-parse", "--show-toplevel")
	if code != 0 {
		t.Skipf("not a git checkout of pmfolio: try-repo clones one")
	}
	top = strings.TrimSpace(top)
	goEnv := mustRun(t, os.Environ(), ".", "go", "env", "GOMODCACHE", "GOCACHE")
	dirs := strings.Fields(goEnv)
	base := t.TempDir()
	env := ciEnv(t.TempDir(), "PRE_COMMIT_HOME="+filepath.Join(base, "pre-commit"), "GOMODCACHE="+dirs[0], "GOCACHE="+dirs[1], "GOPROXY=off", "GOFLAGS=-mod=readonly")
	repo := filepath.Join(base, "repo")
	mustRun(t, env, base, "git", "init", "-q", repo)
	if err := os.WriteFile(filepath.Join(repo, "CONTRIBUTING.md"), []byte("# Contributing\n\nOpen an issue first.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "broken.md"), []byte(brokenStory), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, env, repo, "git", "add", ".")
	out, code := runIn(t, repo, env, "pre-commit", "try-repo", top, "pmfolio-check", "--files", "CONTRIBUTING.md")
	if code != 0 || !regexp.MustCompile(`pmfolio check\.+Passed`).MatchString(out) {
		t.Fatalf("the published hook on CONTRIBUTING.md: exit %d\n%s", code, out)
	}
	out, code = runIn(t, repo, env, "pre-commit", "try-repo", top, "pmfolio-check", "--files", "broken.md")
	if code != 1 || !strings.Contains(out, "doc/placeholder") {
		t.Errorf("the published hook on a broken story: exit %d\n%s", code, out)
	}
}

// brokenStory is a story that fails check.
const brokenStory = "---\nkind: story\ntitle: Broken\n---\n# Broken\n\nTBD\n"
