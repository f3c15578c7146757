// Package doctor checks a portfolio's health, and repairs what is safe to
// repair: the use case behind `pmfolio doctor [--fix]`. Without Fix it
// creates, changes and locks nothing.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// Request asks for a checkup of the portfolio enclosing Dir.
type Request struct {
	Dir string
	// Fix finishes interrupted operations, removes stale locks and
	// temporary files, and packs loose git objects past git's gc.auto; it
	// never commits, discards or reverts anything.
	Fix bool
}

// Status is what one line of a checkup says.
type Status int

// The statuses of a checkup's lines.
const (
	OK Status = iota
	Fixed
	Problem
)

// Item is one line of a checkup.
type Item struct {
	Status Status
	Msg    string
	// Hint says how to fix a problem.
	Hint string
}

// Report is a checkup.
type Report struct {
	// Top is the portfolio's folder.
	Top   string
	Items []Item
}

// Problems counts the problems found.
func (r *Report) Problems() int {
	n := 0
	for _, it := range r.Items {
		if it.Status == Problem {
			n++
		}
	}
	return n
}

func (r *Report) ok(format string, args ...any) {
	r.Items = append(r.Items, Item{Status: OK, Msg: fmt.Sprintf(format, args...)})
}

func (r *Report) fixed(format string, args ...any) {
	r.Items = append(r.Items, Item{Status: Fixed, Msg: fmt.Sprintf(format, args...)})
}

func (r *Report) problem(msg, hint string) {
	r.Items = append(r.Items, Item{Status: Problem, Msg: msg, Hint: hint})
}

// staleLockAge is when a git lock file is taken as left by a dead process.
const staleLockAge = time.Minute

// staleDraftAge is when a draft is worth a reminder.
const staleDraftAge = 30 * 24 * time.Hour

// Run checks the configuration, the pack, the git repository and
// identity, the git index against HEAD, stale lock files, loose git
// objects, operations a crash interrupted, temporary files, drafts, and
// documents not committed.
func Run(ctx context.Context, sess *session.Session, req Request) (*Report, error) {
	top, err := portfolio.FindRoot(req.Dir)
	if err != nil {
		return nil, hint.Wrap(err, "run doctor inside a portfolio, or point at one with -C DIR")
	}
	st, err := sess.State(top)
	if err != nil {
		return nil, err
	}
	r := &Report{Top: top}
	// Repairs first, under the lock, so that the checks see the result;
	// the transaction (nil without Fix) makes the repairs.
	var tx *portfolio.Tx
	if req.Fix {
		if tx, err = repair(ctx, sess, st, r); err != nil {
			return nil, err
		}
		defer tx.Close()
	}
	cfg := r.config(ctx, sess, top)
	p, err := portfolio.New(top, cfg)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	repo := r.repository(sess, p)
	r.state(st, req.Fix)
	if repo != nil {
		r.git(p, repo, tx, sess.Now())
		r.objects(sess, repo, tx)
	}
	r.files(p, tx)
	r.drafts(st, sess.Now())
	return r, nil
}

// repair takes the lock and finishes an interrupted operation.
func repair(ctx context.Context, sess *session.Session, st *portfolio.State, r *Report) (*portfolio.Tx, error) {
	tx, err := st.Begin(ctx, sess.Env.LockWait(portfolio.DefaultLockWait))
	var be *portfolio.BusyError
	var re *portfolio.RecoverError
	switch {
	case errors.As(err, &be):
		return nil, hint.Wrap(fmt.Errorf("cannot repair: %w", err), "wait for it to finish, then run 'pmfolio doctor --fix' again")
	case errors.As(err, &re):
		r.problem(fmt.Sprintf("interrupted operation: %v", re.Err), "it was moved aside; 'git status' shows what it had written")
		// An unreadable journal is out of the way now, and the lock can be
		// had; any other failure stays, and doctor goes on without repairs.
		if tx, err = st.Begin(ctx, 0); err != nil {
			return nil, nil
		}
	case err != nil:
		return nil, err
	}
	switch rec := tx.Recovered(); {
	case rec != nil && rec.Completed:
		r.fixed("finished the interrupted '%s': %s", rec.What, strings.Join(rec.Paths, ", "))
	case rec != nil:
		r.problem(fmt.Sprintf("could not finish the interrupted '%s': %s changed since; left as it is", rec.What, strings.Join(rec.Changed, ", ")), "check 'git status'")
	}
	return tx, nil
}

// config checks pmfolio.yaml and the pack it names.
func (r *Report) config(ctx context.Context, sess *session.Session, top string) *portfolio.Config {
	cfg, err := portfolio.ReadConfig(filepath.Join(top, portfolio.ConfigFile))
	if err != nil {
		r.problem(fmt.Sprintf("configuration: %v", err), "fix "+portfolio.ConfigFile+"; 'pmfolio init --help' shows what it holds")
		cfg = &portfolio.Config{Track: doc.TrackCore}
	} else {
		r.ok("configuration %s", portfolio.ConfigFile)
	}
	store := packstore.New(ctx, sess.Env, cfg, top)
	if pk, err := store.Resolve(""); err != nil {
		r.problem(fmt.Sprintf("pack: %v", err), packHint(err))
	} else {
		r.ok("pack %s %s (%s)", pk.Name, pk.Version, pk.Source)
	}
	// Every pin loads, not only the portfolio's pack: documents name the
	// others, and a circle of packs extending packs breaks them all.
	for _, name := range slices.Sorted(maps.Keys(cfg.Packs)) {
		if name == cfg.Pack {
			continue
		}
		if pk, err := store.Resolve(name); err != nil {
			r.problem(fmt.Sprintf("pack %q: %v", name, err), packHint(err))
		} else {
			r.ok("pinned pack %s %s", pk.Name, pk.Version)
		}
	}
	return cfg
}

// packHint says what to do about a pack that does not load, by why.
func packHint(err error) string {
	var pe *packstore.PinError
	switch {
	case errors.Is(err, pack.ErrExtendsChain):
		return "move one of the pins to a release that does not extend the other: pmfolio pack update NAME --ref REF ('pmfolio pack list' shows the pins)"
	case errors.As(err, &pe):
		if h := hint.Of(err); h != "" {
			return h
		}
		return fmt.Sprintf("'pmfolio pack update %s' pins it again", pe.Name)
	case errors.Is(err, pack.ErrUnknownPack):
		return fmt.Sprintf("set pack: to a pack %s pins (or remove it for the default pack), or pin the pack: pmfolio pack add SOURCE@REF", portfolio.ConfigFile)
	}
	if h := hint.Of(err); h != "" {
		return h
	}
	return "'pmfolio pack lint' in a clone of the pack says more"
}

// repository checks git and the commit identity; nil without a usable
// repository.
func (r *Report) repository(sess *session.Session, p *portfolio.Portfolio) *portfolio.Repo {
	repo, err := p.Repo()
	switch {
	case errors.Is(err, portfolio.ErrNoRepo):
		r.problem("not in a git repository: documents have no history", "run 'git init' here; until then use 'pmfolio new --no-commit'")
		return nil
	case err != nil:
		r.problem(fmt.Sprintf("git repository: %v", err), "'git status' says more")
		return nil
	}
	r.ok("git repository %s", repo.Top())
	if who, err := portfolio.ResolveIdentity(p.Config, repo, sess.Env); err != nil {
		r.problem(err.Error(), `git config --global user.name "Your Name" && git config --global user.email you@example.com`)
	} else {
		r.ok("git identity %s <%s>", who.Name, who.Email)
	}
	return repo
}

// state checks the lock and the journal, without taking the lock.
func (r *Report) state(st *portfolio.State, fix bool) {
	if !fix {
		if err := st.Busy(); err != nil {
			r.problem(err.Error(), "wait for it to finish; if no pmfolio is running, the lock is released already")
		}
	}
	in, err := st.Interrupted()
	switch {
	case err != nil:
		r.problem(err.Error(), "'pmfolio doctor --fix' moves it aside")
	case in != nil:
		r.problem(fmt.Sprintf("interrupted operation: '%s' of %s, writing %s", in.What, in.Since.Format("2006-01-02 15:04"), strings.Join(in.Paths, ", ")),
			"'pmfolio doctor --fix', or the next pmfolio command that writes, finishes it")
	default:
		r.ok("no interrupted operation")
	}
}

// git checks git's lock files and the index against HEAD; tx, when set,
// removes stale locks.
func (r *Report) git(p *portfolio.Portfolio, repo *portfolio.Repo, tx *portfolio.Tx, now time.Time) {
	stale := repo.StaleLocks(now, staleLockAge)
	for _, l := range stale {
		if tx != nil {
			if err := tx.RemoveStaleLock(repo, now, staleLockAge, l); err == nil {
				r.fixed("removed the stale git lock %s", l)
				continue
			}
		}
		r.problem(fmt.Sprintf("stale git lock %s: git commands fail while it exists", l), "if no git command is running, 'pmfolio doctor --fix' removes it")
	}
	if len(stale) == 0 {
		r.ok("no stale git lock")
	}
	if probs, err := repo.IndexProblems(); err != nil {
		r.problem(err.Error(), "'git status' says more")
	} else if len(probs) > 0 {
		r.problem("the git index differs from HEAD:\n"+strings.Join(probs, "\n"), "commit them with 'git commit', or unstage them with 'git restore --staged FILE'")
	} else {
		r.ok("git index matches HEAD for pmfolio's files")
	}
	if docs, err := p.NotCommitted(repo); err != nil {
		r.problem(err.Error(), "")
	} else if len(docs) > 0 {
		r.problem("not committed:\n"+strings.Join(docs, "\n"), "commit them: git add FILE && git commit")
	} else {
		r.ok("every document is committed")
	}
}

// objects checks the repository's loose objects against git's gc.auto,
// and the temporary packs an interrupted packing left; tx, when set, packs
// them and removes the leftovers.
func (r *Report) objects(sess *session.Session, repo *portfolio.Repo, tx *portfolio.Tx) {
	for _, t := range repo.TempPacks() {
		if tx != nil {
			if err := tx.RemoveTempPack(repo, t); err == nil {
				r.fixed("removed the temporary pack %s", t)
				continue
			}
		}
		r.problem(fmt.Sprintf("temporary pack %s, left by an interrupted 'doctor --fix'", t), "'pmfolio doctor --fix' removes it")
	}
	limit, err := portfolio.GCAuto(repo, sess.Env)
	if err != nil {
		r.problem(err.Error(), "set gc.auto to a number ('git config gc.auto 6700'), or 0 to never pack")
		return
	}
	n, err := repo.LooseObjects()
	switch {
	case err != nil:
		r.problem(fmt.Sprintf("count loose objects: %v", err), "'git count-objects -v' says more")
		return
	case limit == 0:
		r.ok("%d loose git objects (gc.auto is 0: packing them is left to you)", n)
		return
	case n <= limit:
		r.ok("%d loose git objects (git packs them past gc.auto, %d)", n, limit)
		return
	}
	if tx != nil {
		res, err := tx.PackLoose(repo)
		if err == nil {
			r.fixed("packed %d loose git objects into %s", res.Objects, res.Pack)
			return
		}
		r.problem(fmt.Sprintf("pack loose git objects: %v", err), "nothing was lost; 'git gc' packs them too")
		return
	}
	r.problem(fmt.Sprintf("%d loose git objects, more than git's gc.auto (%d): every git command that reads the history reads them one file at a time", n, limit),
		"'pmfolio doctor --fix' packs them (as 'git gc' does)")
}

// files checks temporary files and documents that cannot be read; tx,
// when set, removes temporary files.
func (r *Report) files(p *portfolio.Portfolio, tx *portfolio.Tx) {
	tmps, err := p.TempFiles()
	if err != nil {
		r.problem(err.Error(), "")
	}
	for _, t := range tmps {
		if tx != nil {
			if err := tx.RemoveTemp(p, t); err == nil {
				r.fixed("removed the temporary file %s", t)
				continue
			}
		}
		r.problem(fmt.Sprintf("temporary file %s, left by an interrupted write", t), "'pmfolio doctor --fix' removes it")
	}
	if len(tmps) == 0 && err == nil {
		r.ok("no temporary file")
	}
	_, broken, err := p.List()
	if err != nil {
		r.problem(err.Error(), "")
	}
	for _, b := range broken {
		r.problem(fmt.Sprintf("cannot read %v", b), "fix the front matter at the top of the file")
	}
}

// drafts checks drafts that cannot be read or were forgotten.
func (r *Report) drafts(st *portfolio.State, now time.Time) {
	list, err := st.Drafts("")
	if err != nil {
		r.problem(err.Error(), "")
		return
	}
	for _, d := range list {
		if _, err := create.ReadDraft(d); err != nil {
			r.problem(fmt.Sprintf("draft %s cannot be read: %v", d.ID, err), "pmfolio drafts discard "+d.ID)
			continue
		}
		if age := now.Sub(d.Updated); age > staleDraftAge {
			r.problem(fmt.Sprintf("draft %s was left %d days ago", d.ID, int(age.Hours()/24)),
				fmt.Sprintf("continue it with 'pmfolio new %s --resume', or 'pmfolio drafts discard %s'", d.Kind, d.ID))
		}
	}
	if len(list) > 0 {
		r.ok("%d draft(s); 'pmfolio drafts' lists them", len(list))
	}
}
