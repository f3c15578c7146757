package pack

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

var zeroTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Context is what a kind's templates see as dot.
type Context struct {
	// Answers has every question of the kind: zero values for those not asked.
	Answers map[string]any
	Kind    string
	// Title is the rendered title; empty while the title itself renders.
	Title  string
	Slug   string
	Track  string
	Author string
	Role   string
	// Date is the injected clock (--date, or today): templates never see the wall clock.
	Date time.Time
	Pack PackInfo
}

// PackInfo names the pack in the template context.
type PackInfo struct {
	Name    string
	Version string
}

// Expander renders question defaults and `when` conditions with the
// context documents get, so that a default can use .Date or .Author.
type Expander struct {
	Engine  *render.Engine
	Context Context
}

// Expand renders text with answers as .Answers.
func (x Expander) Expand(name, text string, answers map[string]any) (string, error) {
	c := x.Context
	c.Answers = answers
	return x.Engine.Expand(name, text, &c)
}

// Input is everything besides the pack that a document is rendered from.
type Input struct {
	Kind    string
	Answers map[string]any
	Track   string
	Author  string
	Role    string
	Date    time.Time
}

// Output is a rendered document, not yet written.
type Output struct {
	// Path is slash-separated and relative to the portfolio root.
	Path    string
	Title   string
	Front   doc.FrontMatter
	Content []byte
}

// PathError is an output path a pack rendered that pmfolio refuses to
// write: it is checked before anything is written.
type PathError struct {
	Pack string
	Kind string
	Path string
	Err  error
}

func (e *PathError) Error() string {
	return fmt.Sprintf("pack %q: kind %q: refused output path %q: %v", e.Pack, e.Kind, e.Path, e.Err)
}

func (e *PathError) Unwrap() error { return e.Err }

// MaxTitle bounds a document title; titles are one line.
const MaxTitle = 200

// Generate renders a document of kind in.Kind: its title, body and output
// path, and the front matter pmfolio writes itself so that every document
// carries the fields check and list rely on.
func (p *Pack) Generate(e *render.Engine, in Input) (*Output, error) {
	k, ctx, out, err := p.place(e, in)
	if err != nil {
		return nil, err
	}
	body, err := e.Execute(p.templates, k.Template, ctx)
	if err != nil {
		return nil, fmt.Errorf("pack %q: %w", p.Name, err)
	}
	status := k.Status
	if s, ok := in.Answers["status"].(string); ok && strings.TrimSpace(s) != "" {
		status = s
	}
	if status == "" {
		status = "draft"
	}
	fm := doc.FrontMatter{
		Kind:   k.ID,
		Title:  ctx.Title,
		Author: in.Author,
		Date:   ctx.Date.Format("2006-01-02"),
		Status: status,
		Track:  in.Track,
		Pack:   doc.PackRef{Name: p.Name, Version: p.Version},
	}
	content := append(fm.Marshal(), '\n')
	content = append(content, tidy(body)...)
	return &Output{Path: out, Title: ctx.Title, Front: fm, Content: content}, nil
}

// OutputPath is the path a document of kind in.Kind with in.Answers
// would be written to, without rendering its body: to refuse a title
// whose document already exists when the title is entered. The answers
// may be incomplete, as long as the title and path need none of the rest.
func (p *Pack) OutputPath(e *render.Engine, in Input) (string, error) {
	_, _, out, err := p.place(e, in)
	return out, err
}

// place renders what decides where a document goes: its date (when the
// kind takes it from an answer), title and output path; ctx is the
// context its body renders with.
func (p *Pack) place(e *render.Engine, in Input) (*Kind, *Context, string, error) {
	k, err := p.Kind(in.Kind)
	if err != nil {
		return nil, nil, "", err
	}
	ctx := &Context{
		// A copy: set and merge change dicts in place, and the answers are
		// written next to the document once it has rendered.
		Answers: cloneValue(in.Answers).(map[string]any),
		Kind:    k.ID,
		Track:   in.Track,
		Author:  in.Author,
		Role:    in.Role,
		Date:    in.Date,
		Pack:    PackInfo{p.Name, p.Version},
	}
	if k.Date != "" {
		day, err := e.Expand(k.ID+".date", k.Date, ctx)
		if err != nil {
			return nil, nil, "", fmt.Errorf("pack %q: kind %q: date: %w", p.Name, k.ID, err)
		}
		if day = strings.TrimSpace(day); day != "" {
			t, err := time.Parse("2006-01-02", day)
			if err != nil {
				return nil, nil, "", fmt.Errorf("pack %q: kind %q: date %q is not a date (YYYY-MM-DD)", p.Name, k.ID, day)
			}
			ctx.Date = t
		}
	}
	title, err := e.Expand(k.ID+".title", k.Title, ctx)
	if err != nil {
		return nil, nil, "", fmt.Errorf("pack %q: kind %q: title: %w", p.Name, k.ID, err)
	}
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		return nil, nil, "", fmt.Errorf("pack %q: kind %q: the title rendered empty; answer the question it is made from", p.Name, k.ID)
	}
	if len(title) > MaxTitle {
		title = strings.TrimSpace(yamlfile.Truncate(title, MaxTitle))
	}
	ctx.Title = title
	ctx.Slug = Slug(title)
	out, err := e.Expand(k.ID+".output", k.Output, ctx)
	if err != nil {
		return nil, nil, "", fmt.Errorf("pack %q: kind %q: output: %w", p.Name, k.ID, err)
	}
	if err := ValidatePath(out); err != nil {
		return nil, nil, "", &PathError{Pack: p.Name, Kind: k.ID, Path: out, Err: err}
	}
	return k, ctx, out, nil
}

// cloneValue deep-copies answers: maps, lists and rows of them.
func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = cloneValue(x)
		}
		return out
	case []map[string]any:
		out := make([]map[string]any, len(v))
		for i, x := range v {
			out[i] = cloneValue(x).(map[string]any)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = cloneValue(x)
		}
		return out
	case []string:
		return slices.Clone(v)
	}
	return v
}

var blankRuns = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\n{3,}`) })

// tidy normalises what templates leave behind: trailing spaces, runs of
// blank lines, and the final newline. Markdown renders the same; diffs and
// markdown linters are happier.
func tidy(body string) []byte {
	lines := strings.Split(body, "\n")
	inFence := false
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = !inFence
		}
		if !inFence {
			lines[i] = strings.TrimRight(l, " \t")
		}
	}
	s := strings.Join(lines, "\n")
	s = blankRuns().ReplaceAllString(s, "\n\n")
	s = strings.TrimLeft(s, "\n")
	s = strings.TrimRight(s, "\n") + "\n"
	return bytes.Clone([]byte(s))
}
