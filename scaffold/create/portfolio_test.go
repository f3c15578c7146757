package create_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/internal/packtest"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// newSession is a session on a machine of the test's own: a home without
// any git configuration (no identity), no system git configuration, a
// fixed clock, and prompter p (nil: nobody to ask). gitconfig, when set,
// is written as the home's ~/.gitconfig.
func newSession(t *testing.T, p interview.Prompter, gitconfig string) (*session.Session, *logBuffer) {
	t.Helper()
	home := t.TempDir()
	if gitconfig != "" {
		if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := environ.FromMap(map[string]string{
		"HOME": home, "XDG_STATE_HOME": filepath.Join(home, "state"), "XDG_CACHE_HOME": filepath.Join(home, "cache"),
		"GIT_CONFIG_NOSYSTEM": "1",
	})
	log := &logBuffer{script: p}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	return &session.Session{Env: env, Now: func() time.Time { return now }, Stdin: strings.NewReader(""), Log: log, Prompter: p}, log
}

// logBuffer is a session's log that notes how many questions had been
// asked when each line was written.
type logBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	script interview.Prompter
	// askedBefore holds, per write, the questions asked before it.
	askedBefore []int
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	if s, ok := l.script.(*interview.Script); ok {
		n = len(s.Asked)
	}
	l.askedBefore = append(l.askedBefore, n)
	return l.buf.Write(p)
}

// TestInitAsksEmailWithoutIdentity: with no git identity at all, init
// says so before the first question, asks the email right after the name,
// re-asks a date that is no day of the calendar, and records the author.
func TestInitAsksEmailWithoutIdentity(t *testing.T) {
	t.Parallel()
	script := interview.NewScript("Ada Lovelace", "not an email", "ada@example.com", "Product Manager", "technical", "2026-02-30", "2026-03-02",
		"Engineer turned PM.", true, "Blog", "not a link", "https://ada.example.com", false)
	sess, log := newSession(t, script, "")
	base := t.TempDir()
	res, err := create.Portfolio(context.Background(), sess, create.PortfolioRequest{Base: base, Target: "port"})
	if err != nil {
		t.Fatalf("init: %v\nlog: %s", err, log.buf.String())
	}
	if !strings.Contains(log.buf.String(), "git has no commit identity") || log.askedBefore[0] != 0 {
		t.Errorf("the missing identity was not told before the first question: %q after %v questions", log.buf.String(), log.askedBefore)
	}
	if len(script.Asked) < 3 || !strings.Contains(script.Asked[1], "email") || script.Asked[2] != script.Asked[1] {
		t.Errorf("the email was not asked right after the name, and again after a wrong one: %q", script.Asked)
	}
	if !slices.ContainsFunc(script.Refused, func(s string) bool {
		return s == `"2026-02-30" is not a day of the calendar: use YYYY-MM-DD, e.g. 2026-01-05`
	}) {
		t.Errorf("2026-02-30 was not refused at the prompt: %q", script.Refused)
	}
	cfg, err := portfolio.ReadConfig(filepath.Join(base, res.Path, portfolio.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Start != "2026-03-02" || cfg.Track != "technical" {
		t.Errorf("pmfolio.yaml: start %q, track %q", cfg.Start, cfg.Track)
	}
	if cfg.Author == nil || *cfg.Author != (portfolio.Author{Name: "Ada Lovelace", Email: "ada@example.com"}) {
		t.Errorf("pmfolio.yaml's author: %+v", cfg.Author)
	}
	// The profile a hiring manager reads first is asked too, its links
	// checked at the prompt.
	want := portfolio.Profile{About: "Engineer turned PM.", Links: []portfolio.ProfileLink{{Label: "Blog", URL: "https://ada.example.com"}}}
	if cfg.Profile == nil || cfg.Profile.About != want.About || len(cfg.Profile.Links) != 1 || cfg.Profile.Links[0].Label != "Blog" || cfg.Profile.Links[0].URL != want.Links[0].URL {
		t.Errorf("pmfolio.yaml's profile: %+v", cfg.Profile)
	}
}

// TestInitWithoutIdentityAsksNothing: with nobody to ask and no identity,
// init fails before anything, and writes nothing.
func TestInitWithoutIdentityAsksNothing(t *testing.T) {
	t.Parallel()
	sess, _ := newSession(t, nil, "")
	base := t.TempDir()
	_, err := create.Portfolio(context.Background(), sess, create.PortfolioRequest{Base: base, Target: "port",
		Answers: create.Answers{Sets: []string{"name=Ada", "role=PM"}, Defaults: true}})
	if err == nil || !strings.Contains(err.Error(), "no commit identity") {
		t.Fatalf("init without identity: %v", err)
	}
	if _, err := os.Stat(filepath.Join(base, "port")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("init without identity created the folder: %v", err)
	}
}

// TestInitTakesGitsEmail: with git's user.email, init asks no email and
// signs with the name it asked and git's email.
func TestInitTakesGitsEmail(t *testing.T) {
	t.Parallel()
	script := interview.NewScript("Ada Lovelace", "Product Manager", "core", "2026-03-02", "", false)
	sess, _ := newSession(t, script, "[user]\n\tname = ada\n\temail = ada@git.example.com\n")
	base := t.TempDir()
	res, err := create.Portfolio(context.Background(), sess, create.PortfolioRequest{Base: base, Target: "port"})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(script.Asked, func(s string) bool { return strings.Contains(s, "email") }) {
		t.Errorf("asked for an email git has: %q", script.Asked)
	}
	cfg, err := portfolio.ReadConfig(filepath.Join(base, res.Path, portfolio.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Author == nil || *cfg.Author != (portfolio.Author{Name: "Ada Lovelace", Email: "ada@git.example.com"}) {
		t.Errorf("pmfolio.yaml's author: %+v", cfg.Author)
	}
}

// TestInitAsksThePacksQuestions: init --pack asks the course pack's own
// init questions, in a terminal too, and the portfolio starts pinned to it.
func TestInitAsksThePacksQuestions(t *testing.T) {
	t.Parallel()
	repo := packtest.CourseRepo(t, packtest.Release{Tag: "v1.0.0", Dir: "../../cmd/pmfolio/testdata/course/v1.0.0"})
	script := interview.NewScript("Ana Silva", "Associate Product Manager", "core", "2026-01-12")
	sess, _ := newSession(t, script, "[user]\n\tname = Ana\n\temail = ana@example.com\n")
	base := t.TempDir()
	res, err := create.Portfolio(context.Background(), sess, create.PortfolioRequest{Base: base, Target: "port", Pack: repo + "@v1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"What name should appear on your course documents?", "Which role does the course prepare you for?", "Which track did you enrol in?", "When did your cohort start (YYYY-MM-DD)?"}; !slices.Equal(script.Asked, want) {
		t.Errorf("asked %q, want the pack's questions %q", script.Asked, want)
	}
	if res.Pack.Name != "launch-school-pm" || res.Config.Pack != "launch-school-pm" || res.Config.Packs["launch-school-pm"] == nil || res.Config.Start != "2026-01-12" {
		t.Errorf("result: %+v", res.Config)
	}
}
