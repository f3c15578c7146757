// Package session holds what every use case needs from the process it runs
// in: the environment, the clock, the person's terminal (or none), and the
// steps all writing commands share — open the portfolio, take its lock,
// find who signs the commit. The command line builds one Session per run
// (its factory); tests build their own, with a fake environment, clock and
// prompter, and run in parallel.
package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// Session is one run's view of the process.
type Session struct {
	// Env is the environment, read once when the process started.
	Env *environ.Env
	// Now is the clock.
	Now func() time.Time
	// Stdin is read for answers given as --answers -.
	Stdin io.Reader
	// Log receives notices meant for the person rather than the command's
	// output: a finished interrupted operation, a draft that cannot be
	// saved (standard error).
	Log io.Writer
	// Prompter asks questions; nil when nobody can be asked (no terminal,
	// CI).
	Prompter interview.Prompter
}

// Today is the calendar date of Now, at midnight UTC: the date documents
// and the 90-day plan are measured with.
func (s *Session) Today() time.Time {
	y, m, d := s.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a --date flag's YYYY-MM-DD; "" is Today.
func (s *Session) ParseDate(flag, value string) (time.Time, error) {
	if value == "" {
		return s.Today(), nil
	}
	t, err := time.Parse("2006-01-02", value)
	if err != nil {
		return time.Time{}, hint.Wrap(fmt.Errorf("%s %q is not a date", flag, value), "use YYYY-MM-DD, e.g. %s 2026-03-14", flag)
	}
	return t, nil
}

// Open finds the portfolio enclosing dir. It creates and changes nothing.
func (s *Session) Open(dir string) (*portfolio.Portfolio, error) {
	p, err := portfolio.Open(dir)
	var nf *portfolio.NotFoundError
	if errors.As(err, &nf) {
		return nil, hint.Wrap(err, "create one with 'pmfolio init DIR', or point at one with -C DIR")
	}
	return p, err
}

// State is the state (lock, journal, drafts) of the portfolio at dir.
func (s *Session) State(dir string) (*portfolio.State, error) {
	return portfolio.StateFor(dir, s.Env)
}

// Begin takes the lock every command that writes the portfolio or the git
// index holds, then finishes whatever operation a crash interrupted, so
// that the command starts from a consistent portfolio; what it finished is
// told on Log. A run whose context has ended (SIGINT, SIGTERM) begins
// nothing.
func (s *Session) Begin(ctx context.Context, st *portfolio.State) (*portfolio.Tx, error) {
	// Interrupted already (Ctrl-C while the person was answering, or while
	// a pack was fetched): nothing is written.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tx, err := st.Begin(ctx, s.Env.LockWait(portfolio.DefaultLockWait))
	var be *portfolio.BusyError
	var re *portfolio.RecoverError
	switch {
	case errors.As(err, &be):
		return nil, hint.Wrap(err, "wait for it to finish, then run the command again")
	case errors.As(err, &re):
		return nil, hint.Wrap(err, "run 'pmfolio doctor' to see what is wrong")
	case err != nil:
		return nil, err
	}
	ReportRecovery(s.Log, tx.Recovered())
	return tx, nil
}

// ReportRecovery tells what a transaction's recovery did: it is news to
// the person, not output of the command they ran.
func ReportRecovery(w io.Writer, rec *portfolio.Recovery) {
	if rec == nil {
		return
	}
	if rec.Completed {
		fmt.Fprintf(w, "pmfolio: finished the interrupted '%s': %s\n", rec.What, strings.Join(rec.Paths, ", "))
		return
	}
	fmt.Fprintf(w, "pmfolio: warning: could not finish the interrupted '%s': %s changed since; left as it is\n", rec.What, strings.Join(rec.Changed, ", "))
	fmt.Fprintf(w, "hint: check 'git status'; the files it wrote are %s\n", strings.Join(rec.Paths, ", "))
}

// IdentityHint says how to give pmfolio a commit identity.
const IdentityHint = "git config --global user.name \"Your Name\" && git config --global user.email you@example.com\n" +
	"or add author: {name: ..., email: ...} to pmfolio.yaml, or use --no-commit"

// Signer opens p's repository and finds who signs its commits, before
// anything is written, so that a missing repository or identity costs
// nothing.
func (s *Session) Signer(p *portfolio.Portfolio) (*portfolio.Repo, portfolio.Identity, error) {
	repo, err := p.Repo()
	if errors.Is(err, portfolio.ErrNoRepo) {
		return nil, portfolio.Identity{}, hint.Wrap(fmt.Errorf("%s is not in a git repository", p.Dir), "use --no-commit, or create one with 'git init'")
	}
	if err != nil {
		return nil, portfolio.Identity{}, err
	}
	who, err := portfolio.ResolveIdentity(p.Config, repo, s.Env)
	if err != nil {
		return nil, who, hint.Wrap(err, "%s", IdentityHint)
	}
	return repo, who, nil
}

// Commit describes a commit of repo signed by author, now.
func (s *Session) Commit(repo *portfolio.Repo, author portfolio.Identity, message string) (*portfolio.CommitInfo, error) {
	committer, err := portfolio.ResolveCommitter(author, repo, s.Env)
	if err != nil {
		return nil, err
	}
	return &portfolio.CommitInfo{Repo: repo, Message: message, Author: author, Committer: committer, When: s.Now()}, nil
}
