package create_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

const identity = "[user]\n\tname = Ada\n\temail = ada@example.com\n"

var examplesDir = filepath.Join("..", "..", "examples", "answers")

// written is a portfolio with the example brief and PRD, written by the
// use cases as `init` and `new` write them.
type written struct {
	sess *session.Session
	dir  string
	prd  string
}

func writePortfolio(t *testing.T) *written {
	t.Helper()
	needGit(t)
	sess, _ := newSession(t, nil, identity)
	base := t.TempDir()
	if _, err := create.Portfolio(context.Background(), sess, create.PortfolioRequest{Base: base, Target: "port",
		Answers: create.Answers{Files: []string{filepath.Join(abs(t, examplesDir), "init.yaml")}, Date: "2026-01-05"}}); err != nil {
		t.Fatal(err)
	}
	w := &written{sess: sess, dir: filepath.Join(base, "port")}
	w.newDoc(t, "brief", "2026-01-21")
	w.prd = w.newDoc(t, "prd", "2026-01-26")
	return w
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the tests read what pmfolio commits with it")
	}
}

func (w *written) newDoc(t *testing.T, kind, date string, sets ...string) string {
	t.Helper()
	res, err := create.Document(context.Background(), w.sess, create.DocumentRequest{Dir: w.dir, Kind: kind,
		Answers: create.Answers{Files: []string{filepath.Join(abs(t, examplesDir), kind+".yaml")}, Sets: sets, Date: date}})
	if err != nil {
		t.Fatalf("new %s: %v", kind, err)
	}
	return res.Path
}

func (w *written) read(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(w.dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func (w *written) write(t *testing.T, rel, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, rel), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (w *written) git(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir(), "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (w *written) edit(t *testing.T, req create.EditRequest) (*create.EditResult, error) {
	t.Helper()
	req.Dir = w.dir
	if req.Path == "" {
		req.Path = w.prd
	}
	return create.Edit(context.Background(), w.sess, req)
}

// handEdit adds a note under the Goals heading and a section of the
// owner's own at the end, and commits them with git.
func (w *written) handEdit(t *testing.T) {
	t.Helper()
	doc := w.read(t, w.prd)
	doc = strings.Replace(doc, "## Goals\n", "## Goals\n\nMentor note: goals reviewed with Sam.\n", 1)
	doc += "\n## Open questions from the review\n\n- Do auditors accept confirm-only?\n"
	w.write(t, w.prd, doc)
	w.git(t, "commit", "-qam", "my edits")
}

// TestEditKeepsHandEditsAndDate: a PRD edited by hand is revised with a
// new status a week later: one file, same path and date, the hand edits
// kept, the status changed, and a commit of its own files only.
func TestEditKeepsHandEditsAndDate(t *testing.T) {
	t.Parallel()
	w := writePortfolio(t)
	w.handEdit(t)
	res, err := w.edit(t, create.EditRequest{Answers: create.Answers{Sets: []string{"status=Solution review"}, Date: "2026-02-02"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != w.prd || res.From != "" || len(res.Conflicts) > 0 {
		t.Errorf("result %+v", res)
	}
	doc := w.read(t, w.prd)
	for _, want := range []string{"Mentor note: goals reviewed with Sam.", "## Open questions from the review", "status: Solution review", `date: "2026-01-26"`, "**Solution review**"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the revised document lacks %q:\n%s", want, doc)
		}
	}
	if got := w.git(t, "log", "-1", "--format=%s"); got != "prd: revise \"Suggested matches for unmatched payments\"\n" {
		t.Errorf("commit %q", got)
	}
	files := w.git(t, "show", "--name-only", "--format=", "HEAD")
	want := []string{portfolio.AnswersPath(w.prd), portfolio.BasePath(w.prd), "README.md", w.prd}
	if strings.Fields(files) == nil || strings.Join(strings.Fields(files), " ") != strings.Join(want, " ") {
		t.Errorf("the commit holds %q, want %q", strings.Fields(files), want)
	}
	if out := w.git(t, "status", "--porcelain"); out != "" {
		t.Errorf("git status after edit:\n%s", out)
	}
	answers := w.read(t, portfolio.AnswersPath(w.prd))
	for _, want := range []string{"status: Solution review", `date: "2026-01-26"`, `revised: "2026-02-02"`} {
		if !strings.Contains(answers, want) {
			t.Errorf("the answers file lacks %q:\n%s", want, answers)
		}
	}
	// The base is the new rendering: without hand edits.
	if base := w.read(t, portfolio.BasePath(w.prd)); strings.Contains(base, "Mentor note") || !strings.Contains(base, "status: Solution review") {
		t.Errorf("the base holds the hand edits, or not the new answers:\n%s", base)
	}
	// Nothing new to say: nothing written.
	res, err = w.edit(t, create.EditRequest{})
	if err != nil || !res.Unchanged {
		t.Errorf("an edit without changes: %+v, %v", res, err)
	}
}

// TestEditDryRun prints a unified diff and writes nothing.
func TestEditDryRun(t *testing.T) {
	t.Parallel()
	w := writePortfolio(t)
	before := w.git(t, "rev-parse", "HEAD")
	res, err := w.edit(t, create.EditRequest{DryRun: true, Answers: create.Answers{Sets: []string{"status=Launched"}}})
	if err != nil {
		t.Fatal(err)
	}
	diff := string(res.Diff)
	if !strings.Contains(diff, "--- a/"+w.prd+"\n+++ b/"+w.prd+"\n") || !strings.Contains(diff, "-status: Launch review\n+status: Launched\n") {
		t.Errorf("diff:\n%s", diff)
	}
	if w.git(t, "rev-parse", "HEAD") != before || w.git(t, "status", "--porcelain") != "" {
		t.Error("a dry run wrote or committed")
	}
}

// TestEditConflict: the owner and the new answers changed the same line:
// markers in that section only, reported with their line.
func TestEditConflict(t *testing.T) {
	t.Parallel()
	w := writePortfolio(t)
	doc := w.read(t, w.prd)
	old := "Keep wrong matches at today's level, so that auditors see no more reversals"
	w.write(t, w.prd, strings.Replace(doc, old, "Keep wrong matches under 1%", 1))
	res, err := w.edit(t, create.EditRequest{Answers: create.Answers{Sets: []string{"goals=Halve the time an AR specialist spends clearing the Unmatched queue at month-end\nRaise the share of payments matched without a manual search\nKeep wrong matches at 0.5% or below"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conflicts) != 1 || res.Conflicts[0].Section != "Goals" {
		t.Fatalf("conflicts %+v", res.Conflicts)
	}
	doc = w.read(t, w.prd)
	lines := strings.Split(doc, "\n")
	if l := lines[res.Conflicts[0].Line-1]; l != "<<<<<<< yours" {
		t.Errorf("line %d is %q", res.Conflicts[0].Line, l)
	}
	for _, want := range []string{"- Keep wrong matches under 1%\n||||||| base (as rendered before)\n", "=======\n", "- Keep wrong matches at 0.5% or below\n>>>>>>> new answers\n"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %q:\n%s", want, doc)
		}
	}
}

// TestEditRename: a new title keeps the path unless --rename, which moves
// the document, its answers and base, and rewrites the links (and the
// answers naming it) of the documents that link it, in one commit.
func TestEditRename(t *testing.T) {
	t.Parallel()
	w := writePortfolio(t)
	retro := w.newDoc(t, "retro", "2026-03-26")
	res, err := w.edit(t, create.EditRequest{Answers: create.Answers{Sets: []string{"title=Suggested matches"}}})
	if err != nil || res.Path != w.prd {
		t.Fatalf("without --rename: %+v, %v", res, err)
	}
	if doc := w.read(t, w.prd); !strings.Contains(doc, "title: Suggested matches\n") {
		t.Errorf("the title did not change:\n%.300s", doc)
	}
	res, err = w.edit(t, create.EditRequest{Rename: true})
	if err != nil {
		t.Fatal(err)
	}
	moved := "prd/2026-01-26-suggested-matches.md"
	if res.Path != moved || res.From != w.prd || len(res.Relinked) != 1 || res.Relinked[0] != retro {
		t.Errorf("result %+v", res)
	}
	if _, err := os.Stat(filepath.Join(w.dir, w.prd)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the old path is still there: %v", err)
	}
	r := w.read(t, retro)
	if !strings.Contains(r, "[Suggested matches](../"+moved+")") {
		t.Errorf("the retro's link was not rewritten:\n%s", r)
	}
	if a := w.read(t, portfolio.AnswersPath(retro)); !strings.Contains(a, "prd: "+moved) {
		t.Errorf("the retro's answer was not rewritten:\n%s", a)
	}
	stat := w.git(t, "show", "--name-status", "--format=", "-M", "HEAD")
	for _, want := range []string{"R100\t" + w.prd + "\t" + moved, "\t" + portfolio.AnswersPath(moved), "M\t" + retro} {
		if !strings.Contains(stat, want) {
			t.Errorf("the commit lacks %q:\n%s", want, stat)
		}
	}
	if out := w.git(t, "status", "--porcelain"); out != "" {
		t.Errorf("git status after the rename:\n%s", out)
	}
	if readme := w.read(t, "README.md"); strings.Contains(readme, w.prd) || !strings.Contains(readme, moved) {
		t.Errorf("the README index lists the old path, or not the new one")
	}
}

// answerDefaults answers every prompt with its default, as a person
// pressing Enter; pick is what it picks in each review, in turn, and
// set what it types for the questions it picked.
type answerDefaults struct {
	pick  []string
	set   map[string]any
	asked []string
}

func (a *answerDefaults) Ask(p interview.Prompt) (any, error) {
	a.asked = append(a.asked, p.Message)
	if strings.HasPrefix(p.Message, "Review your answers") {
		if len(a.pick) == 0 {
			return interview.WriteChoice, nil
		}
		pick := a.pick[0]
		a.pick = a.pick[1:]
		return pick, nil
	}
	for prefix, v := range a.set {
		if strings.HasPrefix(p.Message, prefix) {
			return v, nil
		}
	}
	if p.Default == nil && p.Type == interview.Confirm {
		return false, nil
	}
	return p.Default, nil
}

// TestEditInATerminal: in a terminal every recorded answer is the
// default, and the review goes back to the status to change it.
func TestEditInATerminal(t *testing.T) {
	t.Parallel()
	w := writePortfolio(t)
	p := &answerDefaults{pick: []string{"status"}, set: map[string]any{"Which review stage is this PRD at?": "Launched"}}
	w.sess.Prompter = p
	res, err := w.edit(t, create.EditRequest{})
	if err != nil {
		t.Fatalf("%v\nasked: %q", err, p.asked)
	}
	doc := w.read(t, w.prd)
	if len(res.Conflicts) > 0 || !strings.Contains(doc, "status: Launched") {
		t.Errorf("conflicts %v; document:\n%.400s", res.Conflicts, doc)
	}
	// Everything else renders as it was: the only change is the status.
	diff := w.git(t, "show", "--format=", "--stat", "HEAD", "--", w.prd)
	if !strings.Contains(diff, "2 +-") && !strings.Contains(diff, "4 ++--") {
		t.Errorf("the revision changed more than the status:\n%s", diff)
	}
}

// TestNewAnswersKeepTheDate: rendering a document again from its answers
// file on another day (new --answers FILE --force) replaces it, as the
// README says: it keeps its date, so there is still one file.
func TestNewAnswersKeepTheDate(t *testing.T) {
	t.Parallel()
	w := writePortfolio(t)
	res, err := create.Document(context.Background(), w.sess, create.DocumentRequest{Dir: w.dir, Kind: "prd", Force: true,
		Answers: create.Answers{Files: []string{portfolio.AnswersPath(w.prd)}, Sets: []string{"status=Launched"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != w.prd {
		t.Errorf("rendered again at %s, want %s", res.Path, w.prd)
	}
	entries, _ := os.ReadDir(filepath.Join(w.dir, "prd"))
	var names []string
	for _, e := range entries {
		if e.Name() != "README.md" {
			names = append(names, e.Name())
		}
	}
	if len(names) != 1 {
		t.Errorf("prd/ holds %q", names)
	}
}

// TestTitleTakenWhenEntered: a title whose document exists is refused at
// its prompt, with the reason, and asked again.
func TestTitleTakenWhenEntered(t *testing.T) {
	t.Parallel()
	w := writePortfolio(t)
	data, err := os.ReadFile(filepath.Join(examplesDir, "brief.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	untitled := filepath.Join(t.TempDir(), "brief.yaml")
	if err := os.WriteFile(untitled, []byte(strings.Replace(string(data), "title: Manual payment matching at month-end close\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	script := interview.NewScript("Manual payment matching at month-end close", "Another brief", interview.WriteChoice)
	w.sess.Prompter = script
	res, err := create.Document(context.Background(), w.sess, create.DocumentRequest{Dir: w.dir, Kind: "brief",
		Answers: create.Answers{Files: []string{untitled}, Date: "2026-01-21"}})
	if err != nil {
		t.Fatalf("%v\nasked %q", err, script.Asked)
	}
	if len(script.Refused) != 1 || !strings.Contains(script.Refused[0], "brief/2026-01-21-manual-payment-matching-at-month-end-close.md") || !strings.Contains(script.Refused[0], "already exists") {
		t.Errorf("refused: %q", script.Refused)
	}
	if res.Path != "brief/2026-01-21-another-brief.md" {
		t.Errorf("written at %s", res.Path)
	}
}

type promptFunc func(interview.Prompt) (any, error)

func (f promptFunc) Ask(p interview.Prompt) (any, error) { return f(p) }

// TestResumeAsksATakenTitleAgain: a draft whose title another document
// took since (here written from an answers file meanwhile) does not fail
// the resumed interview in a loop: the title is asked again, saying why;
// the draft's other answers are kept, and shown.
func TestResumeAsksATakenTitleAgain(t *testing.T) {
	t.Parallel()
	w := writePortfolio(t)
	data, err := os.ReadFile(filepath.Join(examplesDir, "story.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Every answer but the title from a file; the title typed, then Ctrl-C.
	rest := filepath.Join(t.TempDir(), "story.yaml")
	if err := os.WriteFile(rest, []byte(strings.Replace(string(data), "title: Wrong-match spike in the beta\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	req := create.DocumentRequest{Dir: w.dir, Kind: "story", Answers: create.Answers{Files: []string{rest}, Date: "2026-03-16"}}
	w.sess.Prompter = interview.NewScript("Wrong-match spike in the beta")
	if _, err := create.Document(context.Background(), w.sess, req); !errors.Is(err, interview.ErrInterrupted) {
		t.Fatalf("the interrupted interview: %v", err)
	}
	// Meanwhile the same title is written from the example answers.
	w.sess.Prompter = nil
	w.newDoc(t, "story", "2026-03-16")
	// Resumed: the kept title is refused and asked again.
	script := interview.NewScript("Wrong-match spike, second look", interview.WriteChoice)
	w.sess.Prompter = script
	req.Resume = true
	res, err := create.Document(context.Background(), w.sess, req)
	if err != nil {
		t.Fatalf("resume: %v\nasked %q", err, script.Asked)
	}
	if res.Path != "story/2026-03-16-wrong-match-spike-second-look.md" {
		t.Errorf("written at %s", res.Path)
	}
	if len(script.Asked) == 0 || !strings.Contains(script.Asked[0], "already exists there") {
		t.Errorf("the title was not asked again with the reason: %q", script.Asked)
	}
}
