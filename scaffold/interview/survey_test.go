package interview

import (
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/AlecAivazis/survey/v2/terminal"
)

// TestSurveyEndOfInput: Ctrl-C, end of input and a terminal that went away
// (EIO) all end the interview as an interruption (exit 130, draft kept);
// other errors stay errors.
func TestSurveyEndOfInput(t *testing.T) {
	for _, err := range []error{terminal.InterruptErr, io.EOF, fmt.Errorf("read /dev/pts/3: %w", syscall.EIO)} {
		if got := mapErr(err); !errors.Is(got, ErrInterrupted) {
			t.Errorf("mapErr(%v) = %v, want an interruption", err, got)
		}
	}
	if got := mapErr(io.ErrShortWrite); errors.Is(got, ErrInterrupted) {
		t.Errorf("mapErr(%v) = %v, want it unchanged", io.ErrShortWrite, got)
	}
}
