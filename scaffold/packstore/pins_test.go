package packstore_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/internal/packtest"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// fixture is a portfolio (not committed) and a session of the test's own.
func fixture(t *testing.T) (*session.Session, string) {
	t.Helper()
	sess := packtest.Session(t)
	return sess, packtest.Portfolio(t, sess)
}

func writePack(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := "name: " + name + "\nversion: 1.0.0\ndescription: A course's pack.\nextends: default\n"
	if err := os.WriteFile(filepath.Join(dir, "pack.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAddFolder: a plain pack folder inside the portfolio is pinned by its
// path relative to the portfolio, whatever folder the command runs in; a
// plain folder outside it is refused, with the two ways out, and nothing
// changes.
func TestAddFolder(t *testing.T) {
	t.Parallel()
	sess, port := fixture(t)
	writePack(t, filepath.Join(port, "packs", "course"), "course")
	res, err := packstore.Add(context.Background(), sess, packstore.AddRequest{Dir: filepath.Join(port, "prd"), Source: "../packs/course", NoCommit: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pin.Source != "packs/course" || res.Pin.Commit != "" || !strings.HasPrefix(res.Pin.Digest, "sha256:") {
		t.Errorf("pin: %+v", res.Pin)
	}
	cfg, err := portfolio.ReadConfig(filepath.Join(port, portfolio.ConfigFile))
	if err != nil || cfg.Packs["course"] == nil || cfg.Packs["course"].Source != "packs/course" {
		t.Fatalf("pmfolio.yaml: %+v, %v", cfg, err)
	}

	outside := filepath.Join(filepath.Dir(port), "elsewhere")
	writePack(t, outside, "other")
	before, _ := os.ReadFile(filepath.Join(port, portfolio.ConfigFile))
	_, err = packstore.Add(context.Background(), sess, packstore.AddRequest{Dir: port, Source: "../elsewhere", NoCommit: true})
	if err == nil || !strings.Contains(err.Error(), "is a plain folder outside the portfolio") {
		t.Fatalf("a folder outside: %v", err)
	}
	if h := hint.Of(err); !strings.Contains(h, "publish the pack in a git repository") || !strings.Contains(h, "copy it into the portfolio") {
		t.Errorf("hint: %q", h)
	}
	if after, _ := os.ReadFile(filepath.Join(port, portfolio.ConfigFile)); string(after) != string(before) {
		t.Errorf("a refused pin changed pmfolio.yaml:\n%s", after)
	}
}

// TestCacheOnly: a cache-only store loads a pinned pack from the cache,
// and without it says so rather than read the pack's source.
func TestCacheOnly(t *testing.T) {
	t.Parallel()
	sess, port := fixture(t)
	writePack(t, filepath.Join(port, "packs", "course"), "course")
	if _, err := packstore.Add(context.Background(), sess, packstore.AddRequest{Dir: port, Source: "packs/course", NoCommit: true}); err != nil {
		t.Fatal(err)
	}
	p, err := portfolio.Open(port)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if pk, err := packstore.For(context.Background(), sess.Env, p).CacheOnly().Resolve("course"); err != nil || pk.Name != "course" {
		t.Fatalf("from the cache: %v, %v", pk, err)
	}
	empty := sess.Env.With("XDG_CACHE_HOME", filepath.Join(t.TempDir(), "empty"))
	if _, err := packstore.For(context.Background(), empty, p).CacheOnly().Resolve("course"); err == nil || !strings.Contains(err.Error(), `pack "course" is not in the cache`) {
		t.Errorf("without the cache: %v", err)
	}
	if _, err := packstore.For(context.Background(), empty, p).Resolve("course"); err != nil {
		t.Errorf("a store that may read the source: %v", err)
	}
}
