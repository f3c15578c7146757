package portfolio

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"github.com/pmfolio/pmfolio/scaffold/crash"
)

// The lock is the right to write the portfolio and the git index: one
// pmfolio at a time. It is an flock(2) on State.Dir/lock, which the kernel
// drops when the process dies however it dies, so a lock left by a killed
// process is never stale: the next pmfolio simply gets it. The file keeps
// the holder's pid, only for the message a waiting process prints; it is
// never removed, as removing a locked file would let two processes lock
// two different files of the same name. Only a transaction (Tx) holds it.

// BusyError says another process holds the lock.
type BusyError struct {
	// Pid is the holder's process id, 0 when unknown.
	Pid int
}

func (e *BusyError) Error() string {
	if e.Pid == 0 {
		return "another pmfolio is writing this portfolio"
	}
	return fmt.Sprintf("another pmfolio is writing this portfolio (pid %d)", e.Pid)
}

// DefaultLockWait is how long a second pmfolio waits for the first: longer
// than any write of a document takes, short enough that a person or a CI
// job is not left hanging.
const DefaultLockWait = 3 * time.Second

// lock takes the state's lock, waiting up to wait for another holder, or
// until ctx ends.
func (s *State) lock(ctx context.Context, wait time.Duration) (*flock.Flock, error) {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", s.Dir, err)
	}
	fl := flock.New(s.lockPath(), flock.SetFlag(os.O_CREATE|os.O_RDWR))
	ok, err := fl.TryLock()
	if !ok && err == nil && wait > 0 {
		wctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		ok, err = fl.TryLockContext(wctx, 10*time.Millisecond)
		if cerr := ctx.Err(); cerr != nil {
			// Interrupted while waiting, rather than timed out.
			_ = fl.Close()
			return nil, cerr
		}
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("lock %s: %w", s.lockPath(), err)
	}
	if !ok {
		_ = fl.Close()
		return nil, &BusyError{Pid: s.LockHolder()}
	}
	writePid(s.lockPath())
	crash.At("lock-acquired")
	return fl, nil
}

// Busy reports whether another process holds the lock, without taking it
// and without creating or changing anything: a read-only command (doctor
// without --fix) may ask. A lock file that does not exist is not held.
func (s *State) Busy() error {
	fl := flock.New(s.lockPath(), flock.SetFlag(os.O_RDONLY))
	ok, err := fl.TryRLock()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("lock %s: %w", s.lockPath(), err)
	case !ok:
		return &BusyError{Pid: s.LockHolder()}
	}
	_ = fl.Unlock()
	return nil
}

// writePid records our pid in the lock file, over the one a killed holder
// may have left. It is written in place at a fixed width, never truncated
// first, so that a waiting process reading it never sees an empty file.
// It goes through the path because flock's descriptor is private.
func writePid(path string) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = fmt.Fprintf(f, "%-11d\n", os.Getpid())
}

// LockHolder is the pid recorded in the lock file, 0 when there is none.
func (s *State) LockHolder() int {
	data, err := os.ReadFile(s.lockPath())
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	return pid
}
