package app

import (
	"context"
	"os"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// Factory is what every command shares, built once per process (the model
// is gh's cmdutil.Factory): the streams, the environment, the clock and
// the prompter. Through Session it gives the use cases the portfolio
// opener and the lock; through packstore, the pack store. Tests build
// their own with a fake environment, clock and prompter, and run pmfolio
// in-process with MainWith.
type Factory struct {
	Streams Streams
	// Env is the environment, read once.
	Env *environ.Env
	// Now is the clock.
	Now func() time.Time
	// Prompter asks questions; nil when nobody can be asked.
	Prompter interview.Prompter
	// Context is the parent of the context each run gets (which SIGINT
	// and SIGTERM cancel); nil is context.Background.
	Context context.Context
}

// OSFactory is the factory of the real process: its environment, the wall
// clock, and a terminal prompter when stdin and stdout are terminals and
// CI is not set. It is the only place pmfolio reads the environment and
// the wall clock (a test keeps it so).
func OSFactory(s Streams) *Factory {
	env := environ.New(os.Environ())
	return &Factory{Streams: s, Env: env, Now: time.Now, Prompter: TerminalPrompter(s, env)}
}

// TerminalPrompter asks questions on the streams' terminal with survey;
// nil without a terminal on stdin and stdout, or in CI, where a script or
// a job must never hang on a question.
func TerminalPrompter(s Streams, env *environ.Env) interview.Prompter {
	if !s.Terminal() || env.InCI() {
		return nil
	}
	return interview.NewSurvey(interview.Terminal{In: s.TTYIn, Out: s.TTYOut, Err: s.Err, Editor: env.Editor()})
}

// session is what the use cases get of the factory.
func (f *Factory) session() *session.Session {
	return &session.Session{Env: f.Env, Now: f.Now, Stdin: f.Streams.In, Log: f.Streams.Err, Prompter: f.Prompter}
}
