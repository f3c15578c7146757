package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/interview"
)

// TestOnWriteFailKeepsTheDraft: in a terminal, under check.on_write: fail,
// a story whose learning is a placeholder is refused (exit 1, nothing
// written) and the answers the person typed stay in the draft, which
// --resume uses again.
func TestOnWriteFailKeepsTheDraft(t *testing.T) {
	t.Parallel()
	env := testEnv(nil)
	examples := examplesDir(t)
	port := filepath.Join(t.TempDir(), "port")
	if _, e, code := runEnv(t, env, "init", "--answers", filepath.Join(examples, "answers", "init.yaml"), "--set", "email=jordan@example.com", "--date", "2026-01-05", port); code != 0 {
		t.Fatalf("init: %s", e)
	}
	cfg := filepath.Join(port, "pmfolio.yaml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append(data, "check:\n  on_write: fail\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	// Every answer but the learning from the example; the learning typed.
	story, err := os.ReadFile(filepath.Join(examples, "answers", "story.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(story, []byte("\nlearning:"))
	answers := filepath.Join(t.TempDir(), "story.yaml")
	if err := os.WriteFile(answers, story[:cut+1], 0o644); err != nil {
		t.Fatal(err)
	}
	f := testFactory(Streams{}, env)
	// The learning typed, then the review: write the document.
	f.Prompter = interview.NewScript("TODO write the learning", interview.WriteChoice)
	var out, errOut bytes.Buffer
	f.Streams = Streams{In: bytes.NewReader(nil), Out: &out, Err: &errOut}
	code := MainWith([]string{"pmfolio", "-C", port, "new", "story", "--answers", answers, "--date", "2026-03-16"}, f)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d\n%s", code, ExitFindings, errOut.String())
	}
	msg := errOut.String()
	for _, want := range []string{
		"doc/section-empty",
		"story/2026-03-16-wrong-match-spike-in-the-beta.md has 1 failing finding, and check.on_write: fail in pmfolio.yaml refuses to commit it; nothing was written",
		"hint: your answers are kept in draft ",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr lacks %q:\n%s", want, msg)
		}
	}
	if _, err := os.Stat(filepath.Join(port, "story", "2026-03-16-wrong-match-spike-in-the-beta.md")); err == nil {
		t.Error("the refused document was written")
	}
	drafts, _, _ := runEnv(t, env, "-C", port, "drafts")
	if !bytes.Contains(drafts, []byte("story")) {
		t.Errorf("no draft kept:\n%s", drafts)
	}
}
