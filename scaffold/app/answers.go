package app

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"github.com/urfave/cli/v2"
)

// answerFlags are shared by every command that interviews: init and new.
func answerFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "answers", Aliases: []string{"a"}, Usage: "read answers from `FILE` (YAML or JSON; - for stdin); repeatable, later files win", TakesFile: true},
		&cli.StringSliceFlag{Name: "set", Usage: "answer one question: `NAME=VALUE` (lists and groups in YAML flow syntax: 'a=[x, y]'); repeatable, wins over --answers"},
		&cli.BoolFlag{Name: "defaults", Usage: "take each question's default instead of asking it"},
		&cli.BoolFlag{Name: "no-input", Usage: "never prompt; fail on a missing required answer"},
		&cli.StringFlag{Name: "date", Usage: "use `YYYY-MM-DD` as today's date (reproducible output)"},
	}
}

// answerOptions are the parsed answer flags.
type answerOptions struct {
	Files    []string
	Sets     []string
	Defaults bool
	NoInput  bool
	Date     string
}

func readAnswerOptions(c *cli.Context) answerOptions {
	return answerOptions{
		Files:    c.StringSlice("answers"),
		Sets:     c.StringSlice("set"),
		Defaults: c.Bool("defaults"),
		NoInput:  c.Bool("no-input"),
		Date:     c.String("date"),
	}
}

// given loads answers files (relative to dir) and --set values.
func (o answerOptions) given(dir string, stdin io.Reader) (*interview.Given, error) {
	g := interview.NewGiven()
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
			return nil, withHint(fmt.Errorf("read answers: %w", err), "answers take a few KB: check that --answers names an answers file ('pmfolio questions KIND' lists what one holds)")
		}
		if err != nil {
			return nil, withHint(fmt.Errorf("read answers: %w", err), "check the path given to --answers")
		}
		if err := g.LoadFile(name, data); err != nil {
			return nil, withHint(err, "an answers file maps question names to answers; 'pmfolio questions KIND' lists them")
		}
	}
	for _, s := range o.Sets {
		if err := g.Set(s); err != nil {
			return nil, withHint(usagef("%v", err), "example: --set title=\"Checkout redesign\"")
		}
	}
	return g, nil
}

// inputs are the answers files, as absolute paths: files whose edits this
// run consumes, so that it may replace them.
func (o answerOptions) inputs(dir string) map[string]bool {
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

// today is the injected clock: --date, else the local calendar date. It is
// the only place pmfolio reads the wall clock for document content.
func (o answerOptions) today() (time.Time, error) {
	if o.Date != "" {
		t, err := time.Parse("2006-01-02", o.Date)
		if err != nil {
			return time.Time{}, withHint(usagef("--date %q is not a date", o.Date), "use YYYY-MM-DD, e.g. --date 2026-03-14")
		}
		return t, nil
	}
	y, m, d := time.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// prompter returns the terminal prompter, or nil when pmfolio must not ask.
func (o answerOptions) prompter(s Streams) interview.Prompter {
	if o.NoInput || !s.CanPrompt() {
		return nil
	}
	editor := s.getenv("VISUAL")
	if editor == "" {
		editor = s.getenv("EDITOR")
	}
	return interview.NewSurvey(interview.Terminal{In: s.TTYIn, Out: s.TTYOut, Err: s.Err, Editor: editor})
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

// interview settles qs from the given answers, defaults and the prompter,
// and turns the engine's errors into messages that point at the answer's
// file and line. what names the interview ("prd", "init") in messages.
func runInterview(what string, qs []interview.Question, g *interview.Given, o interview.Options) (map[string]any, error) {
	if unknown := interview.Unknown(qs, g.Values); len(unknown) > 0 {
		var lines []string
		for _, u := range unknown {
			lines = append(lines, g.Locate(u, "not a question of "+what))
		}
		return nil, withHint(errors.New(strings.Join(lines, "\n")), "'pmfolio questions %s' lists the questions", what)
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
		return nil, withHint(errors.New(strings.Join(lines, "\n")),
			"give them in --answers FILE or with --set NAME=VALUE, or run in a terminal to be asked; nothing was written\n'pmfolio questions %s' lists every question", what)
	}
	return answers, err
}
