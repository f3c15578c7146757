//go:build unix

package app

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"gopkg.in/yaml.v3"
)

// interactive runs pmfolio in-process on a pseudo-terminal, with a vt10x
// terminal emulator answering survey's cursor queries, and lets drive type
// into it like a person would. It returns the exit code.
func interactive(t *testing.T, drive func(c *expect.Console), args ...string) int {
	return interactiveEnv(t, nil, drive, args...)
}

// interactiveEnv is interactive with environment variables for pmfolio.
func interactiveEnv(t *testing.T, env map[string]string, drive func(c *expect.Console), args ...string) int {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal available: %v", err)
	}
	term := vt10x.New(vt10x.WithWriter(tty))
	var screen lockedBuffer
	c, err := expect.NewConsole(expect.WithStdin(ptm), expect.WithStdout(term, &screen), expect.WithCloser(ptm, tty), expect.WithDefaultTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	done := make(chan int, 1)
	go func() {
		s := Streams{In: c.Tty(), Out: c.Tty(), Err: c.Tty(), TTYIn: c.Tty(), TTYOut: c.Tty()}
		done <- MainWith(append([]string{"pmfolio"}, args...), testFactory(s, testEnv(env)))
	}()
	drive(c)
	// Keep reading what pmfolio prints after the last prompt: a full
	// pseudo-terminal buffer would block it.
	go func() { _, _ = c.ExpectEOF() }()
	select {
	case code := <-done:
		if code != 0 && !t.Failed() {
			// Let the drain catch up, then show what the person saw.
			time.Sleep(100 * time.Millisecond)
			t.Logf("terminal output:\n%s", ansi.ReplaceAllString(screen.String(), ""))
		}
		return code
	case <-time.After(20 * time.Second):
		t.Fatalf("pmfolio did not finish; terminal output:\n%s", ansi.ReplaceAllString(screen.String(), ""))
		return -1
	}
}

// lockedBuffer collects the terminal output for failure messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var ansi = regexp.MustCompile(`\x1b(\[[0-9;?]*[A-Za-z]|[78])`)

// interrupt presses Ctrl-C once survey has the terminal in raw mode (it
// hides the cursor right after): before that, the terminal's line
// discipline would swallow the key as a signal for nobody. Typed text is
// safe to send earlier, as it waits in the terminal's input buffer.
func interrupt(t *testing.T, c *expect.Console) {
	t.Helper()
	expectOut(t, c, "\x1b[?25l")
	c.Send(keyCtrlC)
}

func expectOut(t *testing.T, c *expect.Console, s string) {
	t.Helper()
	if out, err := c.ExpectString(s); err != nil {
		t.Fatalf("waiting for %q: %v\nsaw: %q", s, err, out)
	}
}

const (
	keyDown  = "\x1b[B"
	keyEnter = "\r"
	keyCtrlC = "\x03"
)

// TestInteractiveStory answers real survey prompts: an input with its help,
// a required input left empty (validation retry), a select, a multi-select,
// a multi-line answer that fails its pattern and is retried, and a group.
func TestInteractiveStory(t *testing.T) {
	examples := examplesDir(t)
	port := newTestPortfolio(t, examples)
	code := interactive(t, func(c *expect.Console) {
		expectOut(t, c, "What short name will you use for this story?")
		c.Send("?" + keyEnter)
		expectOut(t, c, "A label you will recognise")
		c.Send("Paused the beta" + keyEnter)

		expectOut(t, c, "What is the story in one sentence?")
		c.Send(keyEnter)
		expectOut(t, c, "an answer is required")
		c.Send("I paused a beta and cut wrong matches from 9% to 1.4%" + keyEnter)

		expectOut(t, c, "Which competency does this story show best?")
		c.Send(keyDown + keyDown + keyEnter) // Leadership, Challenge, Failure

		expectOut(t, c, "Which other competencies could this story answer?")
		c.Send(" " + keyEnter) // the first: Leadership and influence

		expectOut(t, c, "What was the situation")
		c.Send("No numbers in this one." + keyEnter + keyEnter + keyEnter)
		expectOut(t, c, "Sorry, your reply was invalid: include a baseline number")
		c.Send("Wrong matches hit 9% two days into the beta." + keyEnter + "The guardrail was 2%." + keyEnter + keyEnter + keyEnter)

		expectOut(t, c, "action 1:")
		c.Send("I turned the feature flag off" + keyEnter)
		expectOut(t, c, "action 2:")
		c.Send("I traced the spike to the threshold" + keyEnter)
		expectOut(t, c, "action 3:")
		c.Send("I re-tuned it on three customers" + keyEnter)
		expectOut(t, c, "Add another action?")
		c.Send("n" + keyEnter)

		// The review: go back to the title, change it, then write.
		expectOut(t, c, "Review your answers")
		expectOut(t, c, "title: Paused the beta")
		c.Send(keyDown + keyEnter)
		expectOut(t, c, "What short name will you use for this story?")
		c.Send("Paused the beta in time" + keyEnter)
		expectOut(t, c, "title: Paused the beta in time")
		c.Send(keyEnter)
	}, "-C", port, "new", "story", "--date", "2026-03-16", "--no-commit",
		"--set", "task=I owned the launch.",
		"--set", "tradeoff=precision over coverage",
		"--set", "result=Wrong matches fell from 9% to 1.4% within 30 days.",
		"--set", "learning=Validate on more than one customer.")
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	doc, err := os.ReadFile(filepath.Join(port, "story", "2026-03-16-paused-the-beta-in-time.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# Paused the beta in time",
		"I paused a beta and cut wrong matches from 9% to 1.4%",
		"Failure",
		"also answers: leadership and influence",
		// Lines typed at the prompt are paragraphs, not one run-on line.
		"Wrong matches hit 9% two days into the beta.\n\nThe guardrail was 2%.",
		"I turned the feature flag off",
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("document lacks %q:\n%s", want, doc)
		}
	}
	if strings.Contains(string(doc), "No numbers in this one") {
		t.Errorf("the rejected answer made it into the document")
	}
}

// TestInteractiveInterrupt: Ctrl-C at a prompt exits 130 and writes nothing.
func TestInteractiveInterrupt(t *testing.T) {
	examples := examplesDir(t)
	port := newTestPortfolio(t, examples)
	code := interactive(t, func(c *expect.Console) {
		expectOut(t, c, "What short name will you use for this story?")
		c.Send("Half an answer" + keyEnter)
		expectOut(t, c, "What is the story in one sentence?")
		interrupt(t, c)
	}, "-C", port, "new", "story", "--date", "2026-03-16", "--no-commit")
	if code != ExitInterrupted {
		t.Fatalf("exit code %d, want %d", code, ExitInterrupted)
	}
	entries, err := os.ReadDir(filepath.Join(port, "story"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "README.md" {
			t.Errorf("interrupted interview wrote %s", e.Name())
		}
	}
}

// TestInteractiveDraftResume: Ctrl-C exits 130, writes nothing into the
// portfolio and keeps the answers given so far in a draft; the next `new`
// offers to resume it (and a second Ctrl-C keeps it too); --resume then
// asks only the questions left, writes the document and removes the draft.
// End of input (a closed terminal) maps to the same interruption: see
// TestSurveyEndOfInput.
func TestInteractiveDraftResume(t *testing.T) {
	examples := examplesDir(t)
	port := newTestPortfolio(t, examples)
	// Every answer but the title and the headline comes from a file.
	full, err := os.ReadFile(filepath.Join(examples, "answers", "story.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var rest []string
	for _, line := range strings.Split(string(full), "\n") {
		if !strings.HasPrefix(line, "title:") && !strings.HasPrefix(line, "headline:") {
			rest = append(rest, line)
		}
	}
	answers := filepath.Join(t.TempDir(), "rest.yaml")
	if err := os.WriteFile(answers, []byte(strings.Join(rest, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-C", port, "new", "story", "--date", "2026-03-16", "--no-commit", "--answers", answers}
	st, err := portfolio.StateFor(port, testEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	before := snapshotNames(t, port)

	code := interactive(t, func(c *expect.Console) {
		expectOut(t, c, "What short name will you use for this story?")
		c.Send("Paused the beta" + keyEnter)
		expectOut(t, c, "What is the story in one sentence?")
		interrupt(t, c)
		expectOut(t, c, "continue with 'pmfolio new story --resume'")
	}, args...)
	if code != ExitInterrupted {
		t.Fatalf("Ctrl-C: exit code %d, want %d", code, ExitInterrupted)
	}
	if after := snapshotNames(t, port); after != before {
		t.Errorf("Ctrl-C wrote into the portfolio:\nbefore %s\nafter  %s", before, after)
	}
	drafts, err := st.Drafts("story")
	if err != nil || len(drafts) != 1 {
		t.Fatalf("drafts after Ctrl-C: %v %v", drafts, err)
	}
	if data, _ := os.ReadFile(drafts[0].Path); !strings.Contains(string(data), "title: Paused the beta") {
		t.Errorf("the draft lacks the answer given:\n%s", data)
	}
	if out, _, code := runCLI(t, "-C", port, "drafts"); code != 0 || !regexp.MustCompile(drafts[0].ID+` +story +Paused the beta +1 `).Match(out) {
		t.Errorf("pmfolio drafts (exit %d) does not list %s with its title and one answer:\n%s", code, drafts[0].ID, out)
	}

	code = interactive(t, func(c *expect.Console) {
		expectOut(t, c, "Resume the story interview you left on")
		c.Send("y" + keyEnter)
		expectOut(t, c, "What is the story in one sentence?")
		interrupt(t, c)
	}, args...)
	if code != ExitInterrupted {
		t.Fatalf("second Ctrl-C: exit code %d, want %d", code, ExitInterrupted)
	}
	if after := snapshotNames(t, port); after != before {
		t.Errorf("the second Ctrl-C wrote into the portfolio:\n%s", after)
	}

	code = interactive(t, func(c *expect.Console) {
		// Resuming shows what the draft already answered.
		expectOut(t, c, "1 answers kept")
		expectOut(t, c, "title: Paused the beta")
		expectOut(t, c, "What is the story in one sentence?")
		c.Send("I paused a beta and cut wrong matches from 9% to 1.4%" + keyEnter)
		expectOut(t, c, "Review your answers")
		c.Send(keyEnter)
	}, append(args, "--resume")...)
	if code != 0 {
		t.Fatalf("--resume: exit code %d", code)
	}
	doc, err := os.ReadFile(filepath.Join(port, "story", "2026-03-16-paused-the-beta.md"))
	if err != nil {
		t.Fatalf("--resume did not write the document with the draft's title: %v", err)
	}
	if !strings.Contains(string(doc), "I paused a beta and cut wrong matches") {
		t.Errorf("document:\n%s", doc)
	}
	if drafts, _ := st.Drafts(""); len(drafts) != 0 {
		t.Errorf("the draft was not removed once the document was written: %v", drafts)
	}
}

// TestInteractiveEditor: with --editor, a multi-line answer is written in
// $EDITOR (here a script that writes the answer into the file it is given).
func TestInteractiveEditor(t *testing.T) {
	examples := examplesDir(t)
	env := map[string]string{"EDITOR": `sh -c 'printf "Written in the editor: 62%% of payments matched." > "$0"'`}
	port := newTestPortfolio(t, examples)
	// The example story's answers without the situation, which is asked.
	var answers map[string]any
	data, err := os.ReadFile(filepath.Join(examples, "answers", "story.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &answers); err != nil {
		t.Fatal(err)
	}
	delete(answers, "situation")
	data, _ = yaml.Marshal(answers)
	partial := filepath.Join(t.TempDir(), "story.yaml")
	if err := os.WriteFile(partial, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code := interactiveEnv(t, env, func(c *expect.Console) {
		expectOut(t, c, "What was the situation")
		expectOut(t, c, "Enter to launch editor")
		c.Send(keyEnter)
		expectOut(t, c, "Review your answers")
		c.Send(keyEnter)
	}, "-C", port, "new", "story", "--date", "2026-03-16", "--no-commit", "--editor", "--answers", partial)
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	doc, err := os.ReadFile(filepath.Join(port, "story", "2026-03-16-wrong-match-spike-in-the-beta.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "Written in the editor: 62% of payments matched.") {
		t.Errorf("the editor's answer is not in the document:\n%s", doc)
	}
}

// TestInteractiveInitWithoutIdentity: on a machine without a git identity,
// init in a terminal says so, asks the email right after the name, and
// asks again for a start date that is no day of the calendar.
func TestInteractiveInitWithoutIdentity(t *testing.T) {
	port := filepath.Join(t.TempDir(), "port")
	code := interactive(t, func(c *expect.Console) {
		expectOut(t, c, "git has no commit identity on this machine yet")
		expectOut(t, c, "What name should appear as the author of your documents?")
		c.Send("Ada Lovelace" + keyEnter)
		expectOut(t, c, "Which email address should sign the commits of your portfolio?")
		c.Send("ada@example.com" + keyEnter)
		expectOut(t, c, "Which role is this portfolio aiming at?")
		c.Send("Product Manager" + keyEnter)
		expectOut(t, c, "Which track fits the roles you are applying for?")
		c.Send(keyEnter)
		expectOut(t, c, "On what date does your 90-day plan start")
		c.Send("2026-02-30" + keyEnter)
		expectOut(t, c, `"2026-02-30" is not a day of the calendar`)
		c.Send(strings.Repeat("\x7f", 10) + "2026-03-02" + keyEnter)
		expectOut(t, c, "who are you and what do you bring")
		c.Send("Engineer turned PM." + keyEnter)
		expectOut(t, c, "Add a link?")
		c.Send("n" + keyEnter)
	}, "init", port)
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	cfg, err := os.ReadFile(filepath.Join(port, "pmfolio.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"start: \"2026-03-02\"", "author:\n  name: Ada Lovelace\n  email: ada@example.com\n", "profile:\n  about: Engineer turned PM.\n"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("pmfolio.yaml lacks %q:\n%s", want, cfg)
		}
	}
}
