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
	// Getenv reads the environment (CI, NO_COLOR); nil means os.Getenv.
	Getenv func(string) string
}

// OSStreams are the process's standard streams.
func OSStreams() Streams {
	s := Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv, OutTerminal: isTerminal(os.Stdout)}
	if isTerminal(os.Stdin) && isTerminal(os.Stdout) {
		s.TTYIn, s.TTYOut = os.Stdin, os.Stdout
	}
	return s
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

func (s Streams) getenv(k string) string {
	if s.Getenv == nil {
		return os.Getenv(k)
	}
	return s.Getenv(k)
}

// CanPrompt is true only with a terminal on stdin and stdout and outside CI:
// a script or a CI job must never hang on a question.
func (s Streams) CanPrompt() bool {
	return s.TTYIn != nil && s.TTYOut != nil && !s.InCI()
}

// InCI reports a CI environment by the CI variable every major CI system sets.
func (s Streams) InCI() bool {
	switch s.getenv("CI") {
	case "", "0", "false", "FALSE", "False":
		return false
	}
	return true
}
