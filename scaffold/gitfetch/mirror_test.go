package gitfetch

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/internal/gitserver"
	"golang.org/x/crypto/ssh/agent"
)

// gitServer serves the bare repositories under root over HTTPS, asking
// for token (see package gitserver).
func gitServer(t *testing.T, root, token string) (*httptest.Server, []byte) {
	return gitserver.Start(t, root, token)
}

// student makes a work repository with one commit per date and a bare
// clone of it under root; it returns both.
func student(t *testing.T, root, name string, dates ...string) (work, bare string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	work = filepath.Join(root, "work-"+name)
	bare = filepath.Join(root, name+".git")
	os.MkdirAll(work, 0o755)
	runGit(t, work, "init", "-q", "-b", "main")
	for i, d := range dates {
		commitAt(t, work, d, map[string]string{"prd/doc.md": "version " + string(rune('a'+i)) + "\n", "pmfolio.yaml": "version: 1\n"})
	}
	runGit(t, root, "clone", "-q", "--bare", work, bare)
	return work, bare
}

func commitAt(t *testing.T, work, date string, files map[string]string) {
	t.Helper()
	write(t, work, files)
	runGit(t, work, "add", ".")
	cmd := exec.Command("git", "commit", "-qm", "at "+date)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+work, "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("commit: %v\n%s", err, out)
	}
}

// TestMirror: a private repository is refused without the token and
// mirrored with it; a later run fetches what was pushed since; the
// history lists the commits as git rev-list does; a missing repository
// and an empty one say so.
func TestMirror(t *testing.T) {
	root := t.TempDir()
	work, bare := student(t, root, "ana", "2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z")
	runGit(t, root, "init", "-q", "--bare", "empty.git")
	srv, ca := gitServer(t, root, "s3cret")
	cache := filepath.Join(t.TempDir(), "mirrors")
	ctx := context.Background()
	url := srv.URL + "/ana.git"

	if _, err := Mirror(ctx, url, filepath.Join(cache, "ana"), MirrorOptions{CABundle: ca}); !errors.Is(err, ErrAuth) {
		t.Fatalf("without the token: %v, want ErrAuth", err)
	}
	if _, err := os.Stat(filepath.Join(cache, "ana")); !os.IsNotExist(err) {
		t.Errorf("a refused clone left %s behind: %v", filepath.Join(cache, "ana"), err)
	}
	o := MirrorOptions{CABundle: ca, Auth: Auth{Token: "s3cret"}}
	r, err := Mirror(ctx, url, filepath.Join(cache, "ana"), o)
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.History()
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Fields(runGit(t, bare, "rev-list", "HEAD")); h.Branch != "main" || hashes(h.Commits) != strings.Join(want, " ") || h.Head.Hash != want[0] {
		t.Errorf("history %s %v head %s, want main %v", h.Branch, hashes(h.Commits), h.Head.Hash, want)
	}
	commitAt(t, work, "2026-03-03T10:00:00Z", map[string]string{"prd/doc.md": "version c\n"})
	runGit(t, work, "push", "-q", bare, "main")
	if r, err = Mirror(ctx, url, filepath.Join(cache, "ana"), o); err != nil {
		t.Fatal(err)
	}
	h, _ = r.History()
	commits := h.Commits
	if len(commits) != 3 || commits[0].Hash != runGit(t, bare, "rev-parse", "HEAD") || !commits[0].When.Equal(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("after a push: %v", commits)
	}
	tree, err := r.Tree(commits[0].Hash)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := tree.Files("")
	data, err := tree.Read("prd/doc.md", 100)
	if strings.Join(files, ",") != "pmfolio.yaml,prd/doc.md" || string(data) != "version c\n" || err != nil || !tree.Exists("prd") || tree.Exists("story") {
		t.Errorf("tree: %v %q %v", files, data, err)
	}
	if _, err := tree.Read("prd/doc.md", 4); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a file over the limit: %v", err)
	}

	if _, err := Mirror(ctx, srv.URL+"/nobody.git", filepath.Join(cache, "nobody"), o); !errors.Is(err, ErrNotFound) {
		t.Errorf("a missing repository: %v", err)
	}
	r, err = Mirror(ctx, srv.URL+"/empty.git", filepath.Join(cache, "empty"), o)
	if !errors.Is(err, ErrEmpty) || r == nil {
		t.Fatalf("an empty repository: %v", err)
	}
	if _, err := r.History(); !errors.Is(err, ErrEmpty) {
		t.Errorf("history of an empty mirror: %v", err)
	}
	if err := CheckURL("ext::sh -c evil", false); err == nil {
		t.Error("a remote helper URL was accepted")
	}
	if err := CheckURL(strings.Replace(url, "https:", "http:", 1), false); err == nil {
		t.Error("plain http was accepted")
	}
}

// TestMirrorCancel: a server that accepts the connection and never
// answers holds a fetch only until its context ends.
func TestMirrorCancel(t *testing.T) {
	addr := gitserver.Silent(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	dir := filepath.Join(t.TempDir(), "m")
	_, err := Mirror(ctx, "http://"+addr+"/x.git", dir, MirrorOptions{AllowHTTP: true})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 0 {
		t.Errorf("an interrupted clone left %v", entries)
	}
}

// TestAgentAuth: ssh URLs sign with the keys of the agent at the socket
// the environment names (SSH_AUTH_SOCK, read through the factory), for
// the URL's user.
func TestAgentAuth(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no unix socket: %v", err)
	}
	defer ln.Close()
	keyring := agent.NewKeyring()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go agent.ServeAgent(keyring, c)
		}
	}()
	m, done, err := Auth{AgentSocket: sock}.method("ssh://grader@git.example.com/ana/portfolio.git")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if !strings.Contains(m.String(), "user: grader") {
		t.Errorf("auth %s", m)
	}
	if _, _, err := (Auth{AgentSocket: sock + ".none"}).method("git@github.com:ana/p.git"); err == nil || !strings.Contains(err.Error(), "SSH_AUTH_SOCK") {
		t.Errorf("a missing agent: %v", err)
	}
	if m, _, _ := (Auth{Token: "t"}).method("git@github.com:ana/p.git"); m != nil {
		t.Errorf("a token was offered over ssh: %v", m)
	}
	if m, _, _ := (Auth{Token: "t"}).method("http://example.com/p.git"); m != nil {
		t.Errorf("a token was offered over plain http: %v", m)
	}
	if sshUser("git@github.com:ana/p.git") != "git" || sshUser("ssh://github.com/ana/p.git") != "git" {
		t.Error("ssh users")
	}
}

func hashes(cs []Commit) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Hash)
	}
	return strings.Join(out, " ")
}
