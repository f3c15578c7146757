package interview

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// Terminal is what survey needs: file descriptors it can put in raw mode.
type Terminal struct {
	In  terminal.FileReader
	Out terminal.FileWriter
	Err io.Writer
	// Editor is the command editor questions run ($VISUAL or $EDITOR);
	// empty means survey's default. survey reads the environment only once,
	// when the program starts, so it is passed in.
	Editor string
}

// Survey asks questions in a terminal with github.com/AlecAivazis/survey/v2.
// survey is archived; this file is the only one that imports it, so that
// replacing it touches nothing else.
type Survey struct {
	t Terminal
}

// NewSurvey returns a Prompter on the given terminal.
func NewSurvey(t Terminal) *Survey { return &Survey{t: t} }

// Ask implements Prompter.
func (s *Survey) Ask(p Prompt) (any, error) {
	opts := []survey.AskOpt{survey.WithStdio(s.t.In, s.t.Out, s.t.Err)}
	if p.Validate != nil {
		opts = append(opts, survey.WithValidator(func(ans any) error {
			return p.Validate(plain(ans))
		}))
	}
	var prompt survey.Prompt
	var resp any
	def, _ := p.Default.(string)
	switch p.Type {
	case Confirm:
		b, _ := p.Default.(bool)
		prompt = &survey.Confirm{Message: p.Message, Help: p.Help, Default: b}
		resp = new(bool)
	case Select:
		sel := &survey.Select{Message: p.Message, Help: p.Help, Options: p.Choices}
		if def != "" {
			sel.Default = def
		}
		prompt = sel
		resp = new(string)
	case MultiSelect:
		ms := &survey.MultiSelect{Message: p.Message, Help: p.Help, Options: p.Choices}
		if d, ok := p.Default.([]string); ok && len(d) > 0 {
			ms.Default = d
		}
		prompt = ms
		resp = new([]string)
	case Text:
		return s.askText(p, opts)
	case Editor:
		prompt = &survey.Editor{Message: p.Message, Help: p.Help, Default: def, AppendDefault: true, HideDefault: true, FileName: "*.md", Editor: s.t.Editor}
		resp = new(string)
	default:
		prompt = &survey.Input{Message: p.Message, Help: p.Help, Default: def}
		resp = new(string)
	}
	if err := survey.AskOne(prompt, resp, opts...); err != nil {
		return nil, mapErr(err)
	}
	switch r := resp.(type) {
	case *bool:
		return *r, nil
	case *[]string:
		return *r, nil
	case *string:
		return *r, nil
	}
	return nil, fmt.Errorf("unexpected answer type %T", resp)
}

// askText uses survey's multi-line prompt, which has no help key: a lone
// "?" shows the help and asks again.
func (s *Survey) askText(p Prompt, opts []survey.AskOpt) (any, error) {
	def, _ := p.Default.(string)
	msg := p.Message
	if p.Help != "" {
		msg += " (? alone for help)"
	}
	validate := p.Validate
	for {
		var ans string
		prompt := &survey.Multiline{Message: msg, Default: def}
		o := opts
		if validate != nil {
			o = append(opts[:1:1], survey.WithValidator(func(a any) error {
				if strings.TrimSpace(fmt.Sprint(a)) == "?" {
					return nil
				}
				return validate(plain(a))
			}))
		}
		if err := survey.AskOne(prompt, &ans, o...); err != nil {
			return nil, mapErr(err)
		}
		if strings.TrimSpace(ans) == "?" && p.Help != "" {
			fmt.Fprintf(s.t.Out, "%s\n\n", p.Help)
			continue
		}
		return ans, nil
	}
}

func plain(ans any) any {
	switch v := ans.(type) {
	case core.OptionAnswer:
		return v.Value
	case []core.OptionAnswer:
		out := make([]string, len(v))
		for i, o := range v {
			out[i] = o.Value
		}
		return out
	}
	return ans
}

func mapErr(err error) error {
	if errors.Is(err, terminal.InterruptErr) {
		return fmt.Errorf("%w (Ctrl-C)", ErrInterrupted)
	}
	// A terminal that goes away (its window closed, the connection lost)
	// reads as EIO: the person is gone, as at the end of input.
	if errors.Is(err, io.EOF) || errors.Is(err, syscall.EIO) {
		return fmt.Errorf("%w (end of input)", ErrInterrupted)
	}
	return err
}
