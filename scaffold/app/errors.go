package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
)

// Exit codes. CI systems read them: 1 is reserved for "the portfolio has
// failing findings", so no crash or usage error may ever produce it.
const (
	ExitOK          = 0
	ExitFindings    = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// exitCodes says what each exit code means, for the help and the man
// page.
var exitCodes = []struct {
	Code    int
	Meaning string
}{
	{ExitOK, "success"},
	{ExitFindings, "check found failing findings, doctor found problems, pack lint found errors, publish found a redacted term, new or edit refused a failing document (check.on_write: fail), edit or upgrade wrote conflict markers, upgrade --check found documents behind their pack"},
	{ExitUsage, "usage, input or configuration error (the message names the file and line)"},
	{ExitInterrupted, "interrupted (Ctrl-C); nothing was written"},
}

// exitCodeTable is exitCodes as a block of the help.
func exitCodeTable() string {
	var b strings.Builder
	b.WriteString("Exit codes:")
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "\n   %-4d %s", e.Code, e.Meaning)
	}
	return b.String()
}

// FindingsError says check found failing findings (or edit and upgrade
// wrote conflict markers); it maps to exit 1.
type FindingsError struct {
	Count int
	// Reason, when set, says why the run fails instead of the count.
	Reason string
}

func (e *FindingsError) Error() string {
	if e.Reason != "" {
		return e.Reason
	}
	return fmt.Sprintf("%d failing finding(s)", e.Count)
}

// HintError carries a hint line telling the user how to fix the error;
// any package may return one (see package hint).
type HintError = hint.Error

// withHint attaches a hint to err.
func withHint(err error, format string, args ...any) error {
	return hint.Wrap(err, format, args...)
}

// usageError is a mistake in how pmfolio was called. Its message may wrap
// an error (%w), which then stays visible to errors.As: an unknown kind
// keeps its suggestions.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return errors.Unwrap(e.err) }

func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// quietError has already been reported (e.g. check printed its findings);
// only the exit code remains.
type quietError struct{ err error }

func (e *quietError) Error() string { return e.err.Error() }
func (e *quietError) Unwrap() error { return e.err }

// ExitCode is the one place errors become exit codes.
func ExitCode(err error) int {
	var fe *FindingsError
	var we *create.WriteRefusedError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &fe), errors.As(err, &we):
		return ExitFindings
	case errors.Is(err, interview.ErrInterrupted), errors.Is(err, context.Canceled):
		// context.Canceled comes only from SIGINT or SIGTERM (see MainWith).
		return ExitInterrupted
	default:
		// Usage, input, configuration and I/O errors alike: never 1.
		return ExitUsage
	}
}

// report prints err as `pmfolio: what went wrong` and, when known, a
// `hint:` line; never a stack trace.
func report(w io.Writer, err error) {
	var q *quietError
	if errors.As(err, &q) {
		return
	}
	msg := err.Error()
	if errors.Is(err, interview.ErrInterrupted) || errors.Is(err, context.Canceled) {
		msg = "interrupted; nothing was written"
	}
	fmt.Fprintf(w, "pmfolio: %s\n", strings.TrimSpace(msg))
	if q := didYouMean(err); q != "" {
		fmt.Fprintf(w, "hint: %s\n", q)
	}
	if h := hint.Of(err); h != "" {
		for _, line := range strings.Split(h, "\n") {
			fmt.Fprintf(w, "hint: %s\n", line)
		}
	}
}
