package packstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/internal/packtest"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// courseRepo is packtest.CourseRepo, release its Release.
var courseRepo = packtest.CourseRepo

type release = packtest.Release

func manifest(version, extra string) map[string]string {
	return map[string]string{"pack.yaml": "name: course\nversion: " + version + "\ndescription: A course's pack.\nextends: default\n" + extra}
}

func storeOf(t *testing.T, sess *session.Session, port string) *packstore.Store {
	t.Helper()
	p, err := portfolio.Open(port)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return packstore.For(context.Background(), sess.Env, p)
}

// TestOpenAt: a document rendered with 1.0.0 gets 1.0.0 after the pin
// moved to 1.1.0: from the cache, else from the pack's history; without
// either it is unavailable, and says why.
func TestOpenAt(t *testing.T) {
	t.Parallel()
	repo := courseRepo(t, release{Tag: "v1.0.0", Files: manifest("1.0.0", "")}, release{Tag: "v1.1.0", Files: manifest("1.1.0", "")},
		release{Tag: "v1.2.0", Files: manifest("1.1.9", "")})
	sess, port := fixture(t)
	ctx := context.Background()
	if _, err := packstore.Add(ctx, sess, packstore.AddRequest{Dir: port, Source: repo + "@v1.0.0", NoCommit: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := packstore.Update(ctx, sess, packstore.UpdateRequest{Dir: port, Name: "course", Ref: "v1.1.0", NoCommit: true}); err != nil {
		t.Fatal(err)
	}
	open := func(s *packstore.Store, version string) (*pack.Pack, error) {
		return s.OpenAt(packstore.Recorded{Name: "course", Version: version})
	}
	// The pinned version itself, and the earlier one from the cache (the
	// source moved away: nothing is fetched).
	away := repo + ".away"
	if err := os.Rename(repo, away); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"1.1.0", "1.0.0"} {
		if pk, err := open(storeOf(t, sess, port), v); err != nil || pk.Version != v {
			t.Fatalf("%s from the cache: %v, %v", v, pk, err)
		}
	}
	// A fresh machine (no cache) with the source: from the pack's history.
	fresh := &session.Session{Env: sess.Env.With("XDG_CACHE_HOME", filepath.Join(t.TempDir(), "fresh")), Now: sess.Now, Stdin: sess.Stdin, Log: sess.Log}
	if err := os.Rename(away, repo); err != nil {
		t.Fatal(err)
	}
	if pk, err := open(storeOf(t, fresh, port), "1.0.0"); err != nil || pk.Version != "1.0.0" {
		t.Fatalf("1.0.0 from the history: %v, %v", pk, err)
	}
	// ... which it cached: offline now, it still has it; a cache-only
	// store too.
	if err := os.Rename(repo, away); err != nil {
		t.Fatal(err)
	}
	if pk, err := open(storeOf(t, fresh, port).CacheOnly(), "1.0.0"); err != nil || pk.Version != "1.0.0" {
		t.Fatalf("1.0.0 cached from the history: %v, %v", pk, err)
	}
	// Neither cache nor source: unavailable, with the reason.
	none := &session.Session{Env: sess.Env.With("XDG_CACHE_HOME", filepath.Join(t.TempDir(), "none")), Now: sess.Now, Stdin: sess.Stdin, Log: sess.Log}
	_, err := open(storeOf(t, none, port), "1.0.0")
	var ue *packstore.UnavailableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `pack "course" 1.0.0 is not available: it is not in the cache, and `+repo+` cannot be reached (no such file or folder)`) {
		t.Errorf("offline without the cache: %v", err)
	}
	if err := os.Rename(away, repo); err != nil {
		t.Fatal(err)
	}
	// A version the history has no tag of; a tag holding another version.
	if _, err := open(storeOf(t, none, port), "0.9.0"); !errors.As(err, &ue) || !strings.Contains(err.Error(), "has no tag v0.9.0") {
		t.Errorf("no such tag: %v", err)
	}
	if _, err := open(storeOf(t, none, port), "1.2.0"); !errors.As(err, &ue) || !strings.Contains(err.Error(), `at v1.2.0 holds version "1.1.9", not 1.2.0`) {
		t.Errorf("a tag holding another version: %v", err)
	}
	// A pack the portfolio does not pin; the default pack.
	if _, err := storeOf(t, sess, port).OpenAt(packstore.Recorded{Name: "gone", Version: "1.0.0"}); !errors.Is(err, pack.ErrUnknownPack) {
		t.Errorf("an unpinned pack: %v", err)
	}
	def, _ := pack.Default()
	if pk, err := storeOf(t, sess, port).OpenAt(packstore.Recorded{Name: "default", Version: def.Version}); err != nil || pk.Name != "default" {
		t.Errorf("the default pack: %v, %v", pk, err)
	}
	if _, err := storeOf(t, sess, port).OpenAt(packstore.Recorded{Name: "default", Version: "0.0.1"}); !errors.As(err, &ue) {
		t.Errorf("another default version: %v", err)
	}
}

// noteKind is a course's kind with sample answers; template is its
// template, which may read answers no question asks.
func noteKind(version, template string) map[string]string {
	m := manifest(version, `kinds:
  note:
    name: Note
    template: note.md.tmpl
    title: '{{ .Answers.title }}'
    output: 'note/{{ .Slug }}.md'
    questions:
      - {name: title, prompt: Title, required: true}
      - {name: primary_metric, prompt: Metric, required: true}
`)
	m["note.md.tmpl"] = template
	m["samples/note.yaml"] = "title: A note\nprimary_metric: Auto-match rate from 62% to 75% within 30 days\n"
	return m
}

// TestAddAndUpdateLint: pack add and pack update lint the pack as pack
// lint does and refuse one with errors (a template reading an answer no
// question asks would fail a student only after every answer): nothing is
// pinned, the pin stays where it was.
func TestAddAndUpdateLint(t *testing.T) {
	t.Parallel()
	good := "# {{ .Title }}\n\nThe metric: {{ .Answers.primary_metric }}.\n"
	typo := "# {{ .Title }}\n\nThe metric: {{ .Answers.primary_metirc }}.\n"
	repo := courseRepo(t, release{Tag: "v1.0.0", Files: noteKind("1.0.0", good)}, release{Tag: "v1.1.0", Files: noteKind("1.1.0", typo)})
	sess, port := fixture(t)
	ctx := context.Background()
	before, _ := os.ReadFile(filepath.Join(port, portfolio.ConfigFile))
	_, err := packstore.Add(ctx, sess, packstore.AddRequest{Dir: port, Source: repo + "@v1.1.0", NoCommit: true})
	var le *packstore.LintError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), `pack "course" 1.1.0 from `+repo+`@v1.1.0 fails lint with 3 error(s); nothing was pinned`) ||
		!strings.Contains(err.Error(), "\n  note.md.tmpl:3:") || !strings.Contains(err.Error(), ".Answers.primary_metirc is not a question of the kind") {
		t.Fatalf("add of a pack lint rejects: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(port, portfolio.ConfigFile)); string(after) != string(before) {
		t.Errorf("a refused pack was pinned:\n%s", after)
	}
	if _, err := packstore.Add(ctx, sess, packstore.AddRequest{Dir: port, Source: repo + "@v1.0.0", NoCommit: true}); err != nil {
		t.Fatal(err)
	}
	pinned, _ := os.ReadFile(filepath.Join(port, portfolio.ConfigFile))
	if _, err := packstore.Update(ctx, sess, packstore.UpdateRequest{Dir: port, Name: "course", NoCommit: true}); !errors.As(err, &le) {
		t.Fatalf("update to a release lint rejects: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(port, portfolio.ConfigFile)); string(after) != string(pinned) {
		t.Errorf("a refused update moved the pin:\n%s", after)
	}
}

// TestLintChained: a pack extending a course's pack lints without a
// portfolio that pins the base: from the source its pack.yaml gives, or
// from --base; without either, the error says how to give one.
func TestLintChained(t *testing.T) {
	t.Parallel()
	repo := courseRepo(t, release{Tag: "v1.0.0", Files: manifest("1.0.0", "")})
	sess, _ := fixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	write := func(extends string) {
		t.Helper()
		data := "name: advanced\nversion: 1.0.0\ndescription: The advanced cohort's pack.\nextends: " + extends + "\n"
		if err := os.WriteFile(filepath.Join(dir, "pack.yaml"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lint := func(bases map[string]string) (*pack.Pack, []pack.Message, error) {
		return packstore.Lint(ctx, sess, packstore.LintRequest{Dir: dir, Shown: ".", Bases: bases})
	}
	write("{name: course, source: " + repo + ", ref: v1.0.0}")
	p, msgs, err := lint(nil)
	if err != nil || pack.Failed(msgs) || p.Base == nil || p.Base.Name != "course" || p.Base.Version != "1.0.0" {
		t.Fatalf("extends with a source: %v, %v, %v", p, msgs, err)
	}
	write("course")
	_, msgs, err = lint(nil)
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Text, `extends "course": unknown pack "course"`) ||
		!strings.Contains(msgs[0].Text, "give its source: pmfolio pack lint --base course=SOURCE@REF, or extends: {name: course, source: SOURCE, ref: REF} in pack.yaml") {
		t.Fatalf("extends without a source: %v, %v", msgs, err)
	}
	if p, msgs, err = lint(map[string]string{"course": repo + "@v1.0.0"}); err != nil || pack.Failed(msgs) || p.Base.Name != "course" {
		t.Fatalf("--base: %v, %v", msgs, err)
	}
	if _, msgs, _ = lint(map[string]string{"course": repo + "@v9.0.0"}); len(msgs) != 1 || !strings.Contains(msgs[0].Text, `--base course=`+repo+`@v9.0.0: "v9.0.0": no tag, branch or commit of that name`) {
		t.Errorf("--base at a missing ref: %v", msgs)
	}
}

// TestUpdateRefusesCycle: an update that would make pinned packs extend
// each other in a circle is refused; the pin stays.
func TestUpdateRefusesCycle(t *testing.T) {
	t.Parallel()
	m := func(name, version, extends string) map[string]string {
		return map[string]string{"pack.yaml": "name: " + name + "\nversion: " + version + "\ndescription: x\nextends: " + extends + "\n"}
	}
	baseRepo := courseRepo(t, release{Tag: "v1.0.0", Files: m("base", "1.0.0", "default")}, release{Tag: "v2.0.0", Files: m("base", "2.0.0", "top")})
	topRepo := courseRepo(t, release{Tag: "v1.0.0", Files: m("top", "1.0.0", "base")})
	sess, port := fixture(t)
	ctx := context.Background()
	for _, src := range []string{baseRepo + "@v1.0.0", topRepo + "@v1.0.0"} {
		if _, err := packstore.Add(ctx, sess, packstore.AddRequest{Dir: port, Source: src, NoCommit: true}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.ReadFile(filepath.Join(port, portfolio.ConfigFile))
	_, err := packstore.Update(ctx, sess, packstore.UpdateRequest{Dir: port, Name: "base", Ref: "v2.0.0", NoCommit: true})
	if !errors.Is(err, pack.ErrExtendsChain) || !strings.Contains(err.Error(), "would not load with the new pin") || !strings.Contains(err.Error(), "packs extend each other in a circle") {
		t.Fatalf("an update into a circle: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(port, portfolio.ConfigFile)); string(after) != string(before) {
		t.Errorf("the refused update moved the pin")
	}
}
