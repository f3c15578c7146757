package create

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// TestRepackIsRerender: a document whose kind and templates a new version
// of its pack leaves as they were is brought forward without rendering it
// (repack); the files it writes are the ones rendering it again writes.
func TestRepackIsRerender(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the course's pack is a git repository")
	}
	t.Parallel()
	home := t.TempDir()
	gitEnv := append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com")
	git := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, gitEnv
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	course := filepath.Join(t.TempDir(), "course")
	os.MkdirAll(course, 0o755)
	git(course, "init", "-q", "-b", "main")
	for _, v := range []string{"1.0.0", "1.1.0"} {
		os.WriteFile(filepath.Join(course, "pack.yaml"), []byte("name: course\nversion: "+v+"\ndescription: A course.\nextends: default\n"), 0o644)
		git(course, "add", "-A")
		git(course, "commit", "-qm", v)
		git(course, "tag", "v"+v)
	}
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Ada\n\temail = ada@example.com\n"), 0o644)
	env := environ.FromMap(map[string]string{"HOME": home, "XDG_CACHE_HOME": filepath.Join(home, "cache"), "XDG_STATE_HOME": filepath.Join(home, "state"), "GIT_CONFIG_NOSYSTEM": "1"})
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	sess := &session.Session{Env: env, Now: func() time.Time { return now }, Stdin: strings.NewReader(""), Log: os.Stderr}
	ctx := context.Background()
	base := t.TempDir()
	examples, _ := filepath.Abs("../../examples/answers")
	if _, err := Portfolio(ctx, sess, PortfolioRequest{Base: base, Target: "port", Answers: Answers{Files: []string{filepath.Join(examples, "init.yaml")}, Date: "2026-01-05"}}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "port")
	if _, err := packstore.Add(ctx, sess, packstore.AddRequest{Dir: dir, Source: course + "@v1.0.0", Default: true}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"prd", "story"} {
		if _, err := Document(ctx, sess, DocumentRequest{Dir: dir, Kind: k, Answers: Answers{Files: []string{filepath.Join(examples, k+".yaml")}, Date: "2026-02-01"}}); err != nil {
			t.Fatal(err)
		}
	}
	u := &upgradeRun{ctx: ctx, sess: sess, req: UpgradeRequest{Dir: dir, Pack: "course", To: "v1.1.0"}, res: &UpgradeResult{}}
	p, err := sess.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	u.p = p
	if err := u.prepare(); err != nil {
		t.Fatal(err)
	}
	defer u.tx.Close()
	revs, err := u.behind()
	if err != nil || len(revs) != 2 {
		t.Fatalf("behind: %d documents, %v", len(revs), err)
	}
	for _, v := range revs {
		if !v.sameRendering() {
			t.Errorf("%s: the new version changes nothing, yet it would be rendered again", v.rel)
		}
		fast, ok, err := u.repack(v)
		if err != nil || !ok {
			t.Fatalf("%s: repack: %v, %v", v.rel, ok, err)
		}
		slow, err := u.rerender(v)
		if err != nil {
			t.Fatal(err)
		}
		if len(fast.files) != len(slow.files) {
			t.Fatalf("%s: %d files, rendering again writes %d", v.rel, len(fast.files), len(slow.files))
		}
		for i := range fast.files {
			if fast.files[i].Path != slow.files[i].Path || string(fast.files[i].Data) != string(slow.files[i].Data) {
				t.Errorf("%s: %s differs from rendering again:\n%s\nrendered:\n%s", v.rel, fast.files[i].Path, fast.files[i].Data, slow.files[i].Data)
			}
		}
		if fast.entry != slow.entry || fast.up.Status != slow.up.Status {
			t.Errorf("%s: %+v / %+v, rendering again: %+v / %+v", v.rel, fast.entry, fast.up, slow.entry, slow.up)
		}
	}
}
