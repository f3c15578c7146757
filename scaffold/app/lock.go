package app

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// lockWait is how long a command waits for another pmfolio to finish
// writing: portfolio.DefaultLockWait, or PMFOLIO_LOCK_WAIT (a Go duration
// such as 200ms), which tests use to shorten it.
func (e *env) lockWait() time.Duration {
	if d, err := time.ParseDuration(e.streams.getenv("PMFOLIO_LOCK_WAIT")); err == nil && d >= 0 {
		return d
	}
	return portfolio.DefaultLockWait
}

// writeLock takes the lock every command that writes the portfolio or the
// git index holds, then finishes whatever operation a crash interrupted, so
// that the command starts from a consistent portfolio.
func (e *env) writeLock(st *portfolio.State) (*portfolio.Lock, *portfolio.Recovery, error) {
	l, err := st.Lock(e.lockWait())
	var be *portfolio.BusyError
	if errors.As(err, &be) {
		return nil, nil, withHint(err, "wait for it to finish, then run the command again")
	}
	if err != nil {
		return nil, nil, err
	}
	rec, err := l.Recover()
	if err != nil {
		l.Unlock()
		return nil, nil, withHint(fmt.Errorf("could not finish an interrupted operation: %w", err), "run 'pmfolio doctor' to see what is wrong")
	}
	reportRecovery(e.streams.Err, rec)
	return l, rec, nil
}

// reportRecovery tells what Recover did, on stderr: it is news to the
// person, not output of the command they ran.
func reportRecovery(w io.Writer, rec *portfolio.Recovery) {
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
