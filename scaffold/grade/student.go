package grade

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
)

// studentState is what a run keeps of one student for the outputs: the
// grade, and the text of each graded document for the similarity review.
type studentState struct {
	Index  int        `json:"index"`
	Row    []string   `json:"row"`
	Result *Result    `json:"result"`
	Texts  []textNote `json:"texts,omitempty"`
}

// textNote is a graded document's Markdown (its body: the front matter
// is the same for everybody and is left out) and the line it starts on.
type textNote struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

// student grades one student. What goes wrong with the student's
// repository is the student's result, never the run's error; only ctx's
// end stops the run.
func (g *grader) student(ctx context.Context, s *Student) *studentState {
	r := &Result{Student: s.ID, Name: s.Name, Repo: s.Repo, Section: s.Section, Email: s.Email, Extra: g.extra(s)}
	st := &studentState{Index: s.Index, Row: s.Row, Result: r}
	fail := func(status string, err error) *studentState {
		r.Status, r.Error = status, err.Error()
		r.Criteria = g.zeroScores()
		return st
	}
	repo, seen, err := g.open(ctx, s)
	if err != nil {
		if ctx.Err() != nil {
			return st
		}
		if errors.Is(err, gitfetch.ErrNotFound) || errors.Is(err, gitfetch.ErrEmpty) || errors.Is(err, errNoLocal) {
			return fail(StatusMissing, err)
		}
		return fail(StatusError, err)
	}
	defer repo.Close()
	h, err := repo.History()
	if err == nil {
		seen.look(g.sess.Now(), h.Commits)
	} else if errors.Is(err, gitfetch.ErrEmpty) {
		seen.look(g.sess.Now(), nil)
	}
	seen.save()
	if errors.Is(err, gitfetch.ErrEmpty) {
		return fail(StatusMissing, fmt.Errorf("%s: the repository has no commits", s.Repo))
	}
	if err != nil {
		return fail(StatusError, err)
	}
	r.Branch = h.Branch
	if err := g.grade(r, st, repo, seen.seenFile, h); err != nil {
		return fail(StatusError, err)
	}
	return st
}

// extra are the roster values of the columns pmfolio does not read.
func (g *grader) extra(s *Student) map[string]string {
	out := map[string]string{}
	for i, h := range g.header() {
		switch strings.ToLower(h) {
		case colStudent, colName, colRepo, colSection, colEmail:
			continue
		}
		if i < len(s.Row) {
			out[h] = s.Row[i]
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// grade picks the commits to grade and scores them: the last commit at
// the deadline and, under the late policy, the branch's tip after it;
// the better of the two (the late one less its penalty) is the grade.
func (g *grader) grade(r *Result, st *studentState, repo *gitfetch.Repo, seen *seenFile, h *gitfetch.History) error {
	a := g.assign
	commits := h.Commits
	cutoff := a.DueTime.Add(a.Grace)
	onTime := -1
	for i, c := range commits {
		if !c.When.After(cutoff) {
			onTime = i
			break
		}
	}
	late := 0
	for _, c := range commits {
		if c.When.After(cutoff) {
			late++
		}
	}
	var best *scored
	if onTime >= 0 {
		c := commits[onTime]
		sc, err := g.score(repo, c.Hash)
		if err != nil {
			return err
		}
		sc.commit = g.commitInfo(c, seen)
		best = sc
		r.Status = StatusGraded
		if sc.commit.Trust == TrustSuspicious {
			r.Flags = append(r.Flags, "suspicious-date")
			first, _, without := seen.trust(c.Hash, a.DueTime, a.Suspicious)
			note := fmt.Sprintf("commit %.12s is dated %s, before the deadline, but pmfolio first saw it %s, %s after the deadline",
				c.Hash, g.date(c.When), g.date(first), since(a.DueTime, first))
			if !without.IsZero() {
				note += fmt.Sprintf("; it was not in the repository when pmfolio looked on %s", g.date(without))
			}
			r.Notes = append(r.Notes, note)
		}
	}
	if late > 0 && h.Head.When.After(cutoff) {
		c := h.Head
		days := int(math.Ceil(c.When.Sub(cutoff).Hours() / 24))
		r.Late = &LateInfo{Commits: late, Last: g.date(c.When), Days: days}
		if a.Late != nil && !a.Late.NoCredit {
			sc, err := g.score(repo, c.Hash)
			if err != nil {
				return err
			}
			sc.commit = g.commitInfo(c, seen)
			penalty := min(a.Late.PenaltyPerDay*float64(days), a.Late.MaxPenalty) / 100 * a.Points()
			penalty = min(penalty, sc.total)
			r.Late.Total, r.Late.Penalty = Points(round2(sc.total)), Points(round2(penalty))
			if best == nil || sc.total-penalty > best.total {
				r.Late.Used = true
				r.OnTime = nil
				if best != nil {
					r.OnTime = best.commit
				}
				sc.penalty = penalty
				best = sc
				r.Status = StatusLate
			}
		} else {
			r.Notes = append(r.Notes, fmt.Sprintf("%d commit(s) after the deadline, the last %d day(s) late: late work is not graded", late, days))
		}
	}
	if best == nil {
		r.Status = StatusMissing
		r.Error = fmt.Sprintf("no commit by the deadline (%s)", g.date(a.DueTime))
		if late > 0 && (a.Late == nil || a.Late.NoCredit) {
			r.Status = StatusLate
			r.Error = "only late work, which the late policy does not credit"
		}
		r.Criteria = g.zeroScores()
		return nil
	}
	r.Commit = best.commit
	r.Criteria, r.Documents, r.Missing = best.criteria, best.docs, best.missing
	r.Notes = append(r.Notes, best.notes...)
	r.Total = Points(round2(best.total))
	r.Penalty = Points(round2(best.penalty))
	r.Final = Points(round2(best.total - best.penalty))
	st.Texts = best.texts
	return nil
}

// commitInfo is c as the results show it, with what pmfolio can say of
// its date.
func (g *grader) commitInfo(c gitfetch.Commit, seen *seenFile) *CommitInfo {
	ci := &CommitInfo{Hash: c.Hash, Date: g.date(c.When)}
	if c.When.After(g.assign.DueTime.Add(g.assign.Grace)) {
		return ci
	}
	first, level, _ := seen.trust(c.Hash, g.assign.DueTime, g.assign.Suspicious)
	if !first.IsZero() {
		ci.FirstSeen, ci.Trust = g.date(first), level
	}
	return ci
}

// date is t in the assignment's zone, as RFC 3339.
func (g *grader) date(t time.Time) string {
	return t.In(g.assign.DueTime.Location()).Format(time.RFC3339)
}

// zeroScores are the rubric with nothing earned.
func (g *grader) zeroScores() []Score {
	var out []Score
	for _, c := range g.assign.Rubric {
		s := Score{ID: c.ID, Max: Points(c.Points), Manual: c.Manual}
		if !c.Manual {
			s.Points = pts(0)
		}
		out = append(out, s)
	}
	return out
}

// errNoLocal says a local repository of the roster does not exist.
var errNoLocal = errors.New("no repository at that path")

// seenRecord is a repository's first-seen record and where it is kept.
type seenRecord struct {
	*seenFile
	path string
	lock *flock.Flock
}

// save writes the record and lets the next run have the repository. A
// record that cannot be written costs only the dates it would have
// verified next time.
func (s *seenRecord) save() {
	_ = s.write(s.path)
	if s.lock != nil {
		s.lock.Unlock()
	}
}

// open returns the student's repository, fetched into its mirror (or, for
// a local path, as it is), with its first-seen record, holding the
// record's lock until save: two runs on one machine take turns.
func (g *grader) open(ctx context.Context, s *Student) (*gitfetch.Repo, *seenRecord, error) {
	remote := isRemote(s.Repo)
	where := s.Repo
	if !remote {
		where = localPath(s.Repo, g.rosterDir)
	}
	dir := filepath.Join(g.cache, cacheKey(where))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("grade cache: %w", err)
	}
	lock := flock.New(filepath.Join(dir, "lock"))
	if ok, err := lock.TryLockContext(ctx, 50*time.Millisecond); !ok || err != nil {
		return nil, nil, fmt.Errorf("grade cache %s: %w", dir, errors.Join(err, ctx.Err()))
	}
	rec := &seenRecord{seenFile: readSeen(filepath.Join(dir, "seen.json")), path: filepath.Join(dir, "seen.json"), lock: lock}
	repo, err := g.fetch(ctx, remote, where, s.Repo, filepath.Join(dir, "mirror.git"))
	if err != nil && !errors.Is(err, gitfetch.ErrEmpty) {
		lock.Unlock()
		return nil, nil, err
	}
	if errors.Is(err, gitfetch.ErrEmpty) {
		rec.look(g.sess.Now(), nil)
		rec.save()
		return nil, nil, fmt.Errorf("%s: %w", s.Repo, gitfetch.ErrEmpty)
	}
	return repo, rec, nil
}

// fetch brings a remote repository's mirror up to date (or opens it,
// offline), or opens a local repository. Messages name the repository as
// the roster does.
func (g *grader) fetch(ctx context.Context, remote bool, where, shown, mirror string) (*gitfetch.Repo, error) {
	if !remote {
		if _, err := os.Stat(where); err != nil {
			return nil, fmt.Errorf("%s: %w", shown, errNoLocal)
		}
		repo, err := gitfetch.OpenRepo(where)
		if errors.Is(err, gitfetch.ErrNotRepository) {
			return nil, fmt.Errorf("%s is not a git repository", shown)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", shown, errors.Unwrap(err))
		}
		return repo, nil
	}
	if g.req.Offline {
		if _, err := os.Stat(mirror); err != nil {
			return nil, fmt.Errorf("%s is not in the cache, and --offline fetches nothing", where)
		}
		return gitfetch.OpenRepo(mirror)
	}
	timeout := g.req.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	repo, err := gitfetch.Mirror(fctx, where, mirror, gitfetch.MirrorOptions{
		Auth:      gitfetch.Auth{Token: g.token, AgentSocket: g.sess.Env.Get("SSH_AUTH_SOCK"), KnownHosts: g.knownHosts()},
		AllowHTTP: g.req.AllowHTTP, CABundle: g.req.CABundle,
	})
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("%s did not answer within %s", where, timeout)
	case errors.Is(err, gitfetch.ErrAuth):
		return nil, fmt.Errorf("%w (https: a token in $%s; ssh: a key in the ssh-agent)", err, g.tokenEnv())
	}
	return repo, err
}

func (g *grader) tokenEnv() string {
	if g.req.TokenEnv != "" {
		return g.req.TokenEnv
	}
	return DefaultTokenEnv
}

// knownHosts are the ssh known-hosts files: the user's, then the system's.
func (g *grader) knownHosts() []string {
	var out []string
	if home, err := g.sess.Env.Home(); err == nil {
		out = append(out, filepath.Join(home, ".ssh", "known_hosts"))
	}
	return append(out, "/etc/ssh/ssh_known_hosts")
}

var unsafeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9._-]+`) })

// cacheKey names a repository's folder in the cache: a hash of where it
// is, and its name for people looking.
func cacheKey(where string) string {
	h := sha256.Sum256([]byte(where))
	name := strings.TrimSuffix(filepath.Base(strings.TrimRight(where, "/")), ".git")
	name = unsafeRE().ReplaceAllString(name, "-")
	if len(name) > 40 {
		name = name[:40]
	}
	return hex.EncodeToString(h[:8]) + "-" + name
}
