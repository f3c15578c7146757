package render

import (
	"fmt"
	"reflect"
	"text/template/parse"
)

// Names of the functions instrument calls. They are keywords, so a template
// can never call them itself, and errors read "error calling range: ...".
const (
	rangeGuard    = "range"
	templateGuard = "template"
	// outputGuard is not a keyword: text/template has none that fits.
	outputGuard = "output"
)

// instrument rewrites a parsed template so that every range, every
// template call and every printed value passes through a guard function:
// `range X` becomes `range X | range`, `template "t" X` becomes
// `template "t" X | template` and `{{ X }}` becomes `{{ X | output }}`
// (see measure).
//
// text/template runs loops and template calls without calling any function,
// so without this a template such as {{ range 100000000000 }}{{ end }}, or a
// template that calls itself twice, would burn CPU without ever meeting a
// check: the timeout could only abandon it. The guards charge each loop's
// length and each call to the render's step budget and check the stop flag,
// so every render ends, and soon, whether or not anyone still waits for it.
func instrument(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			instrument(c)
		}
	case *parse.ActionNode:
		// An action that prints: its value is measured before fmt builds it.
		if len(n.Pipe.Decl) == 0 {
			n.Pipe.Cmds = append(n.Pipe.Cmds, guardCommand(n.Pipe, outputGuard))
		}
	case *parse.IfNode:
		instrument(n.List)
		instrument(n.ElseList)
	case *parse.WithNode:
		instrument(n.List)
		instrument(n.ElseList)
	case *parse.RangeNode:
		n.Pipe.Cmds = append(n.Pipe.Cmds, guardCommand(n.Pipe, rangeGuard))
		instrument(n.List)
		instrument(n.ElseList)
	case *parse.TemplateNode:
		if n.Pipe == nil {
			// No argument: the guard's nil result is what the template
			// would have received.
			n.Pipe = &parse.PipeNode{NodeType: parse.NodePipe, Pos: n.Pos, Line: n.Line}
		}
		n.Pipe.Cmds = append(n.Pipe.Cmds, guardCommand(n.Pipe, templateGuard))
	}
}

func guardCommand(pipe *parse.PipeNode, name string) *parse.CommandNode {
	id := parse.NewIdentifier(name).SetPos(pipe.Pos)
	return &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pipe.Pos, Args: []parse.Node{id}}
}

// guardFuncs are the functions instrument's rewrites call.
func guardFuncs(stop *stopFlag, lim Limits) map[string]any {
	return map[string]any{
		rangeGuard: func(v any) (any, error) {
			n, err := rangeLen(v, lim.MaxItems)
			if err != nil {
				return nil, err
			}
			if err := stop.spend(n, lim.MaxSteps); err != nil {
				return nil, err
			}
			return v, nil
		},
		// The measuring is guard's, which wraps every function.
		outputGuard: func(v any) any { return v },
		templateGuard: func(v ...any) (any, error) {
			if err := stop.spend(1, lim.MaxSteps); err != nil {
				return nil, err
			}
			if len(v) == 0 {
				return nil, nil
			}
			return v[0], nil
		},
	}
}

// rangeLen is how many items ranging over v walks; an integer range over
// the item limit is refused outright, as until would refuse to build it.
func rangeLen(v any, limit int) (int64, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return 0, nil
		}
		rv = rv.Elem()
	}
	var n int64
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n = rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if rv.Uint() > uint64(limit) {
			return 0, fmt.Errorf("%w: range over %d is over %d items", ErrLimit, rv.Uint(), limit)
		}
		n = int64(rv.Uint())
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		n = int64(rv.Len())
	case reflect.Chan, reflect.Func:
		// Nothing a template can reach yields these; refuse rather than
		// walk something whose length is unknown.
		return 0, fmt.Errorf("%w: range over a %s", ErrLimit, rv.Kind())
	}
	if n > int64(limit) {
		return 0, fmt.Errorf("%w: range over %d items is over %d", ErrLimit, n, limit)
	}
	// An empty range still costs its evaluation.
	return max(n, 1), nil
}
