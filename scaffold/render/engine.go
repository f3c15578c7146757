// Package render executes pack templates in a sandbox: text/template with
// sprig's functions minus everything that reaches outside (environment,
// network, key generators), an injected clock instead of the wall clock,
// strict missing keys, and limits on output size, allocation, work and
// time. Parsed templates are rewritten so that loops, template calls and
// prints pass through guards (instrument.go); every function measures its
// inputs and results (measure.go, funcs.go); dicts cannot contain
// themselves (cycles.go).
//
// It is the only package that imports sprig.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	"text/template/parse"
	"time"
)

// Limits bound what one render may cost. Templates come from packs, and a
// pack is untrusted whoever wrote it.
type Limits struct {
	// MaxOutput is the largest rendered result, in bytes; it also bounds any
	// single string a function may return.
	MaxOutput int
	// MaxItems bounds the items a function may return (until, seq, lists)
	// and counts such as repeat and indent widths.
	MaxItems int
	// Timeout stops a render that runs longer.
	Timeout time.Duration
	// MaxSteps bounds the work of one render: every function call, every
	// template call and every item a range walks costs one step. Unlike the
	// timeout it also ends work nobody waits for any more (see Render).
	MaxSteps int64
}

// DefaultLimits are generous for any real document and small enough that a
// hostile template cannot exhaust the machine.
var DefaultLimits = Limits{MaxOutput: 1 << 20, MaxItems: 10000, Timeout: 5 * time.Second, MaxSteps: 2_000_000}

// Engine renders templates against an injected clock. It is safe for
// concurrent use.
type Engine struct {
	now    time.Time
	limits Limits
	// titles are the titles of the documents the answers link, by
	// portfolio path, for doctitle.
	titles map[string]string

	mu sync.Mutex
	// expansions are the one-line templates Expand parsed, by name and text.
	expansions map[[2]string]*Templates
}

// WithTitles returns an engine whose templates find the titles of other
// documents with doctitle PATH: the caller reads them (templates read no
// files), for the documents a document links.
func (e *Engine) WithTitles(titles map[string]string) *Engine {
	return &Engine{now: e.now, limits: e.limits, titles: titles, expansions: map[[2]string]*Templates{}}
}

// New returns an engine whose templates see now as the current time.
func New(now time.Time, limits Limits) *Engine {
	if limits.MaxOutput <= 0 {
		limits.MaxOutput = DefaultLimits.MaxOutput
	}
	if limits.MaxItems <= 0 {
		limits.MaxItems = DefaultLimits.MaxItems
	}
	if limits.Timeout <= 0 {
		limits.Timeout = DefaultLimits.Timeout
	}
	if limits.MaxSteps <= 0 {
		limits.MaxSteps = DefaultLimits.MaxSteps
	}
	return &Engine{now: now, limits: limits, expansions: map[[2]string]*Templates{}}
}

// Now is the engine's injected clock.
func (e *Engine) Now() time.Time { return e.now }

// File is one template source: a pack's document template or a partial.
type File struct {
	Name string
	Text string
}

// Error locates a template failure in its file.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// stopFlag is one render's brake: set when the render timed out, and the
// count of steps it has taken.
type stopFlag struct {
	v     atomic.Bool
	steps atomic.Int64
	// includes is how deep include calls are nested now.
	includes atomic.Int32
}

// MaxIncludeDepth bounds nested include calls. Each include starts a fresh
// execution, which text/template's own depth limit does not see, so a
// partial that includes itself would otherwise grow the stack until the
// process dies (helm bounds include recursion for the same reason).
const MaxIncludeDepth = 100

type depthError struct{ name string }

func (e *depthError) Error() string {
	return fmt.Sprintf("%v: include %q nested more than %d deep", ErrLimit, e.name, MaxIncludeDepth)
}

func (e *depthError) Unwrap() error { return ErrLimit }

func (s *stopFlag) stopped() bool { return s.v.Load() }

// spend takes n steps from the render's budget.
func (s *stopFlag) spend(n, max int64) error {
	if s.steps.Add(n) > max {
		s.v.Store(true)
		return fmt.Errorf("%w: rendering took more than %d steps (loop items and function calls)", ErrLimit, max)
	}
	return nil
}

// Templates are parsed, instrumented templates, ready to be rendered any
// number of times, concurrently too. Parsing binds no function: each
// render binds its own guarded functions, and only those the templates
// call (see bind).
type Templates struct {
	// trees are the templates by name; renders share them and never
	// change them.
	trees map[string]*parse.Tree
	// used are the names of the functions the templates' actions call.
	used []string
}

// Parse parses files with the sandbox's function names, so that a pack can
// be checked, and its templates kept, before anything renders. As with
// text/template, a later definition of a template replaces an earlier
// one unless it is empty.
func Parse(files []File) (*Templates, error) {
	t := &Templates{trees: map[string]*parse.Tree{}}
	for _, f := range files {
		// The parser only looks names up in the maps: no copy is made.
		trees, err := parse.Parse(f.Name, f.Text, "", "", parseFuncs())
		if err != nil {
			return nil, locate(f.Name, err)
		}
		for name, tree := range trees {
			if t.trees[name] != nil && parse.IsEmptyTree(tree.Root) {
				continue
			}
			t.trees[name] = tree
		}
	}
	seen := map[string]bool{}
	for _, tree := range t.trees {
		instrument(tree.Root)
		called(tree.Root, func(name string) {
			if !seen[name] {
				seen[name] = true
				t.used = append(t.used, name)
			}
		})
	}
	return t, nil
}

// Parse checks that files parse with the sandboxed function map.
func (e *Engine) Parse(files []File) error {
	_, err := Parse(files)
	return err
}

// parseFuncs names every function a template may call, text/template's
// builtins included, for the parser. Each is bound to a stub that fails:
// a render binds its own functions (see bind), and a name it did not bind
// can never run unguarded.
var parseFuncs = sync.OnceValue(func() template.FuncMap {
	stub := func(...any) (any, error) { return nil, errUnbound }
	fm := template.FuncMap{"include": stub}
	for name := range New(time.Time{}, DefaultLimits).funcMap(&stopFlag{}) {
		fm[name] = stub
	}
	for _, name := range []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"} {
		fm[name] = stub
	}
	return fm
})

var errUnbound = errors.New("function not bound for this render")

// bind returns the guarded functions one render of root calls: include,
// which renders root's templates, and every name in used.
func (e *Engine) bind(root *template.Template, used []string, stop *stopFlag) template.FuncMap {
	fm := e.funcMap(stop)
	// include renders a named template into a string, as in helm, so that a
	// partial's output can be piped through functions such as indent.
	fm["include"] = func(name string, data any) (string, error) {
		if root.Lookup(name) == nil {
			return "", fmt.Errorf("no such template %q: include renders the pack's templates, never files", name)
		}
		if stop.includes.Add(1) > MaxIncludeDepth {
			stop.includes.Add(-1)
			return "", &depthError{name}
		}
		defer stop.includes.Add(-1)
		var buf bytes.Buffer
		w := &limitWriter{max: e.limits.MaxOutput, stop: stop, buf: &buf}
		if err := root.ExecuteTemplate(w, name, data); err != nil {
			// Report the runaway include once, not once per level.
			var de *depthError
			if errors.As(err, &de) {
				return "", de
			}
			return "", err
		}
		return buf.String(), nil
	}
	out := make(template.FuncMap, len(used))
	for _, name := range used {
		// Builtins such as eq and index are not in the map: text/template
		// runs its own.
		if f, ok := fm[name]; ok {
			out[name] = guard(name, f, stop, e.limits)
		}
	}
	return out
}

// called reports the name of every function n's actions call.
func called(n parse.Node, use func(string)) {
	inspect(n, func(n parse.Node) {
		if id, ok := n.(*parse.IdentifierNode); ok {
			use(id.Ident)
		}
	})
}

// inspect calls visit on n and on every node below it, parents first: the
// one walk of a template's tree that what reads templates shares.
func inspect(n parse.Node, visit func(parse.Node)) {
	switch n := n.(type) {
	case nil:
		return
	case *parse.ListNode:
		if n == nil {
			return
		}
		visit(n)
		for _, c := range n.Nodes {
			inspect(c, visit)
		}
		return
	case *parse.PipeNode:
		if n == nil {
			return
		}
		visit(n)
		for _, c := range n.Cmds {
			inspect(c, visit)
		}
		return
	}
	visit(n)
	switch n := n.(type) {
	case *parse.ActionNode:
		inspect(n.Pipe, visit)
	case *parse.IfNode:
		inspect(&n.BranchNode, visit)
	case *parse.RangeNode:
		inspect(&n.BranchNode, visit)
	case *parse.WithNode:
		inspect(&n.BranchNode, visit)
	case *parse.BranchNode:
		inspect(n.Pipe, visit)
		inspect(n.List, visit)
		inspect(n.ElseList, visit)
	case *parse.TemplateNode:
		inspect(n.Pipe, visit)
	case *parse.CommandNode:
		for _, a := range n.Args {
			inspect(a, visit)
		}
	case *parse.ChainNode:
		inspect(n.Node, visit)
	}
}

// Render parses files and executes the template named entry with data.
func (e *Engine) Render(files []File, entry string, data any) (string, error) {
	t, err := Parse(files)
	if err != nil {
		return "", err
	}
	return e.Execute(t, entry, data)
}

// Execute renders the template named entry of t with data.
func (e *Engine) Execute(t *Templates, entry string, data any) (string, error) {
	if t.trees[entry] == nil {
		return "", &Error{File: entry, Msg: "no such template"}
	}
	stop := &stopFlag{}
	// A template set per render, sharing the parsed trees: the functions
	// bound to it are this render's, and only those its templates call.
	root := template.New("").Option("missingkey=error")
	root.Funcs(e.bind(root, t.used, stop))
	for name, tree := range t.trees {
		if _, err := root.AddParseTree(name, tree); err != nil {
			return "", locate(name, err)
		}
	}
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		var buf bytes.Buffer
		w := &limitWriter{max: e.limits.MaxOutput, stop: stop, buf: &buf}
		err := func() (err error) {
			// text/template recovers panics in functions, not in its own
			// machinery; a pack must never crash the process.
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("template panicked: %v", r)
				}
			}()
			return root.ExecuteTemplate(w, entry, data)
		}()
		done <- result{buf.String(), err}
	}()
	timer := time.NewTimer(e.limits.Timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return "", locate(entry, r.err)
		}
		return r.out, nil
	case <-timer.C:
		// text/template cannot be cancelled. The flag makes the next write,
		// function call, template call or range fail (see instrument), and
		// the step budget bounds what the abandoned goroutine can still do;
		// the caller gets its answer now either way.
		stop.v.Store(true)
		return "", &Error{File: entry, Msg: fmt.Sprintf("rendering took longer than %s and was stopped", e.limits.Timeout), Err: ErrLimit}
	}
}

// Expand renders a one-line template such as a title, an output path, a
// default or a condition. name identifies it in errors.
func (e *Engine) Expand(name, text string, data any) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	// Conditions and defaults are expanded again and again during an
	// interview: each text is parsed once.
	key := [2]string{name, text}
	e.mu.Lock()
	t, ok := e.expansions[key]
	e.mu.Unlock()
	if !ok {
		var err error
		if t, err = Parse([]File{{Name: name, Text: text}}); err != nil {
			return "", err
		}
		e.mu.Lock()
		e.expansions[key] = t
		e.mu.Unlock()
	}
	return e.Execute(t, name, data)
}

// Truthy reports whether an expanded condition holds: anything but "",
// "false", "0" and "<no value>".
func Truthy(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "false", "0", "<no value>":
		return false
	}
	return true
}

type limitWriter struct {
	max  int
	stop *stopFlag
	buf  *bytes.Buffer
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.stop.stopped() {
		return 0, fmt.Errorf("%w: rendering stopped", ErrLimit)
	}
	if w.buf.Len()+len(p) > w.max {
		return 0, fmt.Errorf("%w: output is over %d bytes", ErrLimit, w.max)
	}
	return w.buf.Write(p)
}

// text/template reports "template: NAME:LINE[:COL]: [executing "X" ]MSG".
var tmplErr = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^template: ([^:]*):(\d+)(?::(\d+))?: (?:executing "[^"]*" )?(.*)$`)
})

func locate(file string, err error) error {
	var re *Error
	if errors.As(err, &re) {
		return err
	}
	msg := err.Error()
	out := &Error{File: file, Msg: msg, Err: err}
	if m := tmplErr().FindStringSubmatch(msg); m != nil {
		out.File = m[1]
		out.Line, _ = strconv.Atoi(m[2])
		out.Col, _ = strconv.Atoi(m[3])
		out.Msg = m[4]
	}
	// A failed write or function call inside text/template keeps our
	// sentinel in the chain only as text; restore it.
	if strings.Contains(msg, ErrLimit.Error()) && !errors.Is(err, ErrLimit) {
		out.Err = fmt.Errorf("%w: %v", ErrLimit, err)
	}
	return out
}
