// Package hint attaches to an error the line that tells a person how to
// fix it. Any package may return one; the command line prints it as a
// `hint:` line under the error.
package hint

import (
	"errors"
	"fmt"
)

// Error carries a hint telling the user how to fix Err. A hint may have
// several lines.
type Error struct {
	Err  error
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Wrap attaches a hint to err; nil stays nil.
func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Hint: fmt.Sprintf(format, args...)}
}

// Add adds a line to err's hint, or gives it one; nil stays nil.
func Add(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	line := fmt.Sprintf(format, args...)
	if h := Of(err); h != "" {
		return &Error{Err: err, Hint: h + "\n" + line}
	}
	return &Error{Err: err, Hint: line}
}

// Of is the hint err carries, "" when none.
func Of(err error) string {
	var he *Error
	if errors.As(err, &he) {
		return he.Hint
	}
	return ""
}
