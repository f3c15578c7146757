package gitfetch

import (
	"context"
	"errors"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var limits = Limits{MaxFileSize: 1024, MaxFiles: 10, MaxTotal: 4096}

// runGit runs the real git CLI in dir: tests build fixtures with it, the
// product never runs it.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir,
		"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fixture makes a bare repository with v1.0.0 (annotated) and v1.1.0 tags
// on main and returns its path and the two commits.
func fixture(t *testing.T) (bare, c1, c2 string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root := t.TempDir()
	work := filepath.Join(root, "work")
	bare = filepath.Join(root, "pack.git")
	os.MkdirAll(work, 0o755)
	runGit(t, work, "init", "-q", "-b", "main")
	write(t, work, map[string]string{"pack/pack.yaml": "version: 1.0.0\n", "pack/a.tmpl": "a", ".github/ci.yml": "x", "README.md": "r"})
	runGit(t, work, "add", ".")
	runGit(t, work, "commit", "-qm", "one")
	runGit(t, work, "tag", "-a", "-m", "first", "v1.0.0")
	c1 = runGit(t, work, "rev-parse", "HEAD")
	write(t, work, map[string]string{"pack/pack.yaml": "version: 1.1.0\n"})
	runGit(t, work, "commit", "-qam", "two")
	runGit(t, work, "tag", "v1.1.0")
	c2 = runGit(t, work, "rev-parse", "HEAD")
	runGit(t, root, "clone", "-q", "--bare", work, bare)
	runGit(t, bare, "config", "uploadpack.allowReachableSHA1InWant", "true")
	return bare, c1, c2
}

func fileMap(r *Result) map[string]string {
	m := map[string]string{}
	for _, f := range r.Files {
		m[f.Path] = string(f.Data)
	}
	return m
}

func TestLocalRefs(t *testing.T) {
	bare, c1, c2 := fixture(t)
	l, ok, err := OpenLocal(bare, Options{Limits: limits, Subdir: "pack"})
	if err != nil || !ok {
		t.Fatalf("open: %v %v", ok, err)
	}
	for ref, want := range map[string]string{"v1.0.0": c1, "v1.1.0": c2, "main": c2, "": c2, c1: c1, c1[:10]: c1} {
		r, err := l.Fetch(context.Background(), ref, "")
		if err != nil {
			t.Fatalf("%q: %v", ref, err)
		}
		if r.Commit != want {
			t.Errorf("%q: commit %s, want %s", ref, r.Commit, want)
		}
		wantVersion := "version: 1.1.0\n"
		if want == c1 {
			wantVersion = "version: 1.0.0\n"
		}
		if got := fileMap(r); got["pack.yaml"] != wantVersion || got["a.tmpl"] != "a" || len(got) != 2 {
			t.Errorf("%q: files %v", ref, got)
		}
	}
	if _, err := l.Fetch(context.Background(), "v9", ""); !errors.Is(err, ErrRefNotFound) {
		t.Errorf("unknown ref: %v", err)
	}
	// The whole repository: dot-folders are skipped.
	whole, _, _ := OpenLocal(bare, Options{Limits: limits})
	r, err := whole.Fetch(context.Background(), "", c2)
	if err != nil {
		t.Fatal(err)
	}
	if got := fileMap(r); len(got) != 3 || got["README.md"] != "r" {
		t.Errorf("files %v", got)
	}
	if _, ok, err := OpenLocal(t.TempDir(), Options{}); ok || err != nil {
		t.Errorf("a plain folder: %v %v", ok, err)
	}
}

func TestRefusals(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	cases := map[string]func(t *testing.T, work string){
		"symbolic link": func(t *testing.T, work string) {
			os.Symlink("/etc/passwd", filepath.Join(work, "secret.tmpl"))
		},
		"submodule": func(t *testing.T, work string) {
			// A nested repository is added as a gitlink, as a submodule is.
			sub := filepath.Join(work, "sub")
			os.Mkdir(sub, 0o755)
			runGit(t, sub, "init", "-q")
			runGit(t, sub, "commit", "-q", "--allow-empty", "-m", "sub")
		},
		"over the 1024-byte limit for a pack file": func(t *testing.T, work string) {
			write(t, work, map[string]string{"big.tmpl": strings.Repeat("x", 2000)})
		},
		"limit for all its files": func(t *testing.T, work string) {
			for i := range 5 {
				write(t, work, map[string]string{string(rune('a'+i)) + ".tmpl": strings.Repeat("x", 1000)})
			}
		},
		"more than": func(t *testing.T, work string) {
			for i := range 12 {
				write(t, work, map[string]string{string(rune('a'+i)) + ".tmpl": "x"})
			}
		},
	}
	for rule, setup := range cases {
		t.Run(rule, func(t *testing.T) {
			work := t.TempDir()
			runGit(t, work, "init", "-q", "-b", "main")
			write(t, work, map[string]string{"pack.yaml": "x"})
			setup(t, work)
			runGit(t, work, "add", "-A")
			runGit(t, work, "commit", "-qm", "bad")
			l, _, err := OpenLocal(work, Options{Limits: limits})
			if err != nil {
				t.Fatal(err)
			}
			_, err = l.Fetch(context.Background(), "main", "")
			var re *RefusedError
			if !errors.As(err, &re) || !strings.Contains(re.Rule, rule) {
				t.Fatalf("got %v, want a refusal: %s", err, rule)
			}
		})
	}
}

func TestRemoteURLs(t *testing.T) {
	for _, u := range []string{"ext::sh -c touch% /tmp/pwned", "-uhelp", "--upload-pack=touch /tmp/x", "http://example.com/p.git", "git://example.com/p.git", "file:///tmp/p.git", "fd::3"} {
		if _, err := NewRemote(u, Options{}); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	for _, u := range []string{"https://example.com/p.git", "ssh://git@example.com/p.git", "git@example.com:org/p.git"} {
		if _, err := NewRemote(u, Options{}); err != nil {
			t.Errorf("%q: %v", u, err)
		}
	}
}

// A smart-HTTP server in the test, git's own http-backend behind CGI,
// exercises the shallow fetch pmfolio does against https servers.
func TestRemoteFetch(t *testing.T) {
	bare, c1, c2 := fixture(t)
	execPath := runGit(t, bare, "--exec-path")
	backend := filepath.Join(execPath, "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Skip("git-http-backend is not installed")
	}
	srv := httptest.NewServer(&cgi.Handler{Path: backend, Env: []string{
		"GIT_PROJECT_ROOT=" + filepath.Dir(bare), "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1"}})
	defer srv.Close()
	r, err := NewRemote(srv.URL+"/pack.git", Options{Limits: limits, Subdir: "pack", AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	refs, head, err := r.Refs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if refs["refs/tags/v1.0.0"] != c1 || refs["refs/tags/v1.1.0"] != c2 || head != "refs/heads/main" {
		t.Errorf("refs %v head %q", refs, head)
	}
	for ref, want := range map[string]string{"v1.0.0": c1, "main": c2, "": c2, c1: c1} {
		res, err := r.Fetch(ctx, ref, "")
		if err != nil {
			t.Fatalf("%q: %v", ref, err)
		}
		if res.Commit != want || len(res.Files) != 2 {
			t.Errorf("%q: commit %s files %v", ref, res.Commit, fileMap(res))
		}
	}
	// A pinned commit whose tag has moved is still fetched, by its hash.
	runGit(t, bare, "tag", "-f", "v1.0.0", c2)
	res, err := r.Fetch(ctx, "v1.0.0", c1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Commit != c1 || fileMap(res)["pack.yaml"] != "version: 1.0.0\n" {
		t.Errorf("pinned fetch got %s %v", res.Commit, fileMap(res))
	}
}
