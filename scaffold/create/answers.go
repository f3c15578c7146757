// Package create holds the use cases that interview a person and write
// what their answers render to: a new document (pmfolio new), a new
// portfolio (pmfolio init), the questions to answer for either, and the
// drafts that keep an interrupted interview's answers. Everything they
// write goes through the portfolio's transaction.
package create

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/pmfolio/pmfolio/scaffold/session"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Answers are where an interview's answers come from besides the person:
// the answer flags of init and new.
type Answers struct {
	// Files are answers files (YAML or JSON; "-" for standard input),
	// relative to the request's folder; later files win.
	Files []string
	// Sets are NAME=VALUE answers, winning over Files.
	Sets []string
	// Defaults takes each question's default instead of asking it.
	Defaults bool
	// NoInput never prompts.
	NoInput bool
	// Date is today's date (YYYY-MM-DD), "" for the clock's.
	Date string
}

// given loads answers files (relative to dir) and --set values, over
// samples (a pack's sample answers, of which only the answers to qs are
// kept: a base's samples answer what an override dropped).
func (o Answers) given(dir string, stdin io.Reader, samples []pack.SampleFile, qs []interview.Question) (*interview.Given, error) {
	g := interview.NewGiven()
	for _, s := range samples {
		if err := g.LoadFile(s.File, s.Data); err != nil {
			return nil, err
		}
	}
	for _, name := range interview.Unknown(qs, g.Values) {
		delete(g.Values, name)
	}
	for _, f := range o.Files {
		var data []byte
		var err error
		name := f
		if f == "-" {
			name = "stdin"
			data, err = yamlfile.ReadAll(stdin, name, yamlfile.MaxSize)
		} else {
			p := f
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			data, err = yamlfile.ReadFile(p, name, yamlfile.MaxSize)
		}
		var big *yamlfile.TooBigError
		if errors.As(err, &big) {
			return nil, hint.Wrap(fmt.Errorf("read answers: %w", err), "answers take a few KB: check that --answers names an answers file ('pmfolio questions KIND' lists what one holds)")
		}
		if err != nil {
			return nil, hint.Wrap(fmt.Errorf("read answers: %w", err), "check the path given to --answers")
		}
		if err := g.LoadFile(name, data); err != nil {
			return nil, hint.Wrap(err, "an answers file maps question names to answers; 'pmfolio questions KIND' lists them")
		}
	}
	for _, s := range o.Sets {
		if err := g.Set(s); err != nil {
			return nil, hint.Wrap(err, "example: --set title=\"Checkout redesign\"")
		}
	}
	return g, nil
}

// inputs are the answers files, as absolute paths: files whose edits this
// run consumes, so that it may replace them.
func (o Answers) inputs(dir string) map[string]bool {
	out := map[string]bool{}
	for _, f := range o.Files {
		if f == "-" {
			continue
		}
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		if real, err := filepath.EvalSymlinks(f); err == nil {
			f = real
		}
		out[filepath.Clean(f)] = true
	}
	return out
}

// prompter is the session's prompter, or nil when pmfolio must not ask.
func (o Answers) prompter(sess *session.Session) interview.Prompter {
	if o.NoInput {
		return nil
	}
	return sess.Prompter
}

// expander renders question defaults and conditions with the same context
// documents get.
type expander struct {
	engine *render.Engine
	ctx    pack.Context
}

func (x expander) Expand(name, text string, answers map[string]any) (string, error) {
	return pack.Expander{Engine: x.engine, Context: x.ctx}.Expand(name, text, answers)
}

// runInterview settles qs from the given answers, defaults and the
// prompter, and turns the engine's errors into messages that point at the
// answer's file and line. what names the interview ("prd", "init") in
// messages; args are the arguments of the questions command that lists
// its questions ("prd --pack bootcamp").
func runInterview(what, args string, qs []interview.Question, g *interview.Given, o interview.Options) (map[string]any, error) {
	if unknown := interview.Unknown(qs, g.Values); len(unknown) > 0 {
		var lines []string
		for _, u := range unknown {
			lines = append(lines, g.Locate(u, "not a question of "+what))
		}
		return nil, hint.Wrap(errors.New(strings.Join(lines, "\n")), "%s", questionsHint(args, "the questions"))
	}
	o.Given = g.Values
	answers, err := interview.Run(qs, o)
	var ae *interview.AnswersError
	if errors.As(err, &ae) {
		var lines []string
		for _, p := range ae.Invalid {
			lines = append(lines, g.Locate(p.Name, p.Msg))
		}
		if len(ae.Missing) > 0 {
			sort.Strings(ae.Missing)
			lines = append(lines, fmt.Sprintf("missing required answers for %s: %s", what, strings.Join(ae.Missing, ", ")))
		}
		h := "give them in --answers FILE or with --set NAME=VALUE, or run in a terminal to be asked; nothing was written"
		if q := questionsHint(args, "every question"); q != "" {
			h += "\n" + q
		}
		return nil, hint.Wrap(errors.New(strings.Join(lines, "\n")), "%s", h)
	}
	return answers, err
}

// questionsHint points at the questions command that lists what; none
// without args (a pack not pinned yet, which it cannot load).
func questionsHint(args, what string) string {
	if args == "" {
		return ""
	}
	return fmt.Sprintf("'pmfolio questions %s' lists %s", args, what)
}
