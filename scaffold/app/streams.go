package app

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// Streams are the command's input and output, injected so that tests run
// the real CLI in-process and so that no command touches os.Stdout.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// TTYIn and TTYOut are set when In and Out are terminals; prompts need
	// both.
	TTYIn  *os.File
	TTYOut *os.File
	// OutTerminal is set when Out is a terminal, whatever In is: output
	// may be coloured.
	OutTerminal bool
}

// OSStreams are the process's standard streams.
func OSStreams() Streams {
	s := Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, OutTerminal: isTerminal(os.Stdout)}
	if isTerminal(os.Stdin) && isTerminal(os.Stdout) {
		s.TTYIn, s.TTYOut = os.Stdin, os.Stdout
	}
	return s
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Terminal reports a terminal on stdin and stdout, which prompts need.
func (s Streams) Terminal() bool { return s.TTYIn != nil && s.TTYOut != nil }
