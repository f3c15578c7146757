package doctor_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/doctor"
	"github.com/pmfolio/pmfolio/scaffold/internal/packtest"
	"github.com/pmfolio/pmfolio/scaffold/pack"
)

// TestDoctorPins: doctor loads every pinned pack, and says what is wrong
// with each in its own words: packs that extend each other in a circle
// (as a hand-edited or merged pmfolio.yaml can pin them), a pinned pack
// whose source cannot be reached on a machine without the cache.
func TestDoctorPins(t *testing.T) {
	t.Parallel()
	sess := packtest.Session(t, "GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com")
	port := packtest.Portfolio(t, sess)
	base := filepath.Dir(port)
	cacheHome, _ := sess.Env.CacheHome()
	cache := pack.Cache{Dir: pack.CacheDir(cacheHome)}
	digest := func(name, extends string) string {
		d, err := cache.Put([]pack.File{{Path: pack.ManifestFile, Data: []byte("name: " + name + "\nversion: 1.0.0\nextends: " + extends + "\n")}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	gone := pack.Digest([]pack.File{{Path: pack.ManifestFile, Data: []byte("name: gone\nversion: 1.0.0\nextends: default\n")}})
	cfg := "version: 1\nname: Ada\nrole: PM\ntrack: core\npacks:\n" +
		"  a: {source: " + filepath.Join(base, "a") + ", version: 1.0.0, digest: '" + digest("a", "b") + "'}\n" +
		"  b: {source: " + filepath.Join(base, "b") + ", version: 1.0.0, digest: '" + digest("b", "a") + "'}\n" +
		"  gone: {source: " + filepath.Join(base, "moved-away") + ", ref: v1.0.0, commit: 0123456789abcdef0123456789abcdef01234567, version: 1.0.0, digest: '" + gone + "'}\n"
	if err := os.WriteFile(filepath.Join(port, "pmfolio.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := doctor.Run(context.Background(), sess, doctor.Request{Dir: port})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range rep.Items {
		if it.Status == doctor.Problem && strings.HasPrefix(it.Msg, "pack ") {
			got = append(got, it.Msg+"\n  hint: "+it.Hint)
		}
	}
	text := strings.Join(got, "\n")
	for _, want := range []string{
		`pack "a": pack "a": pack.yaml:3: extends "b": pack "b": pack.yaml:3: extends "a": packs extend each other in a circle: a -> b -> a` +
			"\n  hint: move one of the pins to a release that does not extend the other: pmfolio pack update NAME --ref REF",
		`pack "gone": pack "gone", pinned in pmfolio.yaml from ` + filepath.Join(base, "moved-away") + ` (v1.0.0, commit 0123456789ab): it is not in this machine's cache, and its source cannot be reached (no such file or folder)` +
			"\n  hint: make " + filepath.Join(base, "moved-away") + " reachable once",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no\n%s\nin\n%s", want, text)
		}
	}
	if strings.Contains(text, "set pack: to a pack") {
		t.Errorf("a pinned pack is called one that does not exist:\n%s", text)
	}
	if rep.Problems() < 3 {
		t.Errorf("%d problems", rep.Problems())
	}
}
