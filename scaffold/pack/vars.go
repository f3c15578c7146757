package pack

import (
	"text/template/parse"
)

// answerUses records which answers templates read, by walking their parse
// trees for .Answers.NAME (and $.Answers.NAME, index .Answers "NAME").
type answerUses struct {
	// names maps an answer to the first place that reads it, "file:line:col";
	// in to the template (or define) that place is in.
	names map[string]string
	in    map[string]string
	// dynamic is where a template uses .Answers as a whole (ranges over it,
	// passes it on): from there on, which answers it reads is unknowable.
	dynamic string
}

// answerWalker follows a template into the partials it calls with the
// whole context, and nowhere else: a partial given .Answers.goals sees the
// goals as its dot, not the context.
type answerWalker struct {
	trees   map[string]*parse.Tree
	visited map[string]bool
	uses    *answerUses
}

func newAnswerWalker(trees map[string]*parse.Tree) *answerWalker {
	return &answerWalker{trees: trees, visited: map[string]bool{}, uses: &answerUses{names: map[string]string{}, in: map[string]string{}}}
}

// parseTrees parses files without function checks (Load has already
// checked them against the real function map) into one set of trees, the
// way text/template associates them.
func parseTrees(files map[string]string) (map[string]*parse.Tree, error) {
	set := map[string]*parse.Tree{}
	for name, text := range files {
		t := parse.New(name)
		t.Mode = parse.SkipFuncCheck
		if _, err := t.Parse(text, "", "", set); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// template walks the named template with the whole context as its dot.
func (w *answerWalker) template(name string) {
	t, ok := w.trees[name]
	if !ok || w.visited[name] {
		return
	}
	w.visited[name] = true
	w.node(t, t.Root, true, true)
}

// node walks n; dotRoot and dollarRoot say whether . and $ are the
// template context there.
func (w *answerWalker) node(t *parse.Tree, n parse.Node, dotRoot, dollarRoot bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			w.node(t, c, dotRoot, dollarRoot)
		}
	case *parse.ActionNode:
		w.pipe(t, n.Pipe, dotRoot, dollarRoot)
	case *parse.IfNode:
		w.pipe(t, n.Pipe, dotRoot, dollarRoot)
		w.node(t, n.List, dotRoot, dollarRoot)
		w.node(t, n.ElseList, dotRoot, dollarRoot)
	case *parse.RangeNode:
		w.rebinding(t, &n.BranchNode, dotRoot, dollarRoot)
	case *parse.WithNode:
		w.rebinding(t, &n.BranchNode, dotRoot, dollarRoot)
	case *parse.TemplateNode:
		if isContext(n.Pipe, dotRoot, dollarRoot) {
			w.template(n.Name)
			return
		}
		w.pipe(t, n.Pipe, dotRoot, dollarRoot)
	}
}

// rebinding walks range and with: in their body dot is the value, not the
// context; their else branch keeps the dot.
func (w *answerWalker) rebinding(t *parse.Tree, b *parse.BranchNode, dotRoot, dollarRoot bool) {
	w.pipe(t, b.Pipe, dotRoot, dollarRoot)
	w.node(t, b.List, false, dollarRoot)
	w.node(t, b.ElseList, dotRoot, dollarRoot)
}

func (w *answerWalker) pipe(t *parse.Tree, p *parse.PipeNode, dotRoot, dollarRoot bool) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		w.command(t, c, dotRoot, dollarRoot)
	}
}

func (w *answerWalker) command(t *parse.Tree, c *parse.CommandNode, dotRoot, dollarRoot bool) {
	args := c.Args
	if len(args) == 3 {
		if fn, ok := args[0].(*parse.IdentifierNode); ok {
			name, isString := args[1].(*parse.StringNode)
			switch {
			// include "partial" . renders the partial with the context.
			case fn.Ident == "include" && isString && isContextArg(args[2], dotRoot, dollarRoot):
				w.template(name.Text)
				return
			// index .Answers "name" and friends read one answer.
			case (fn.Ident == "index" || fn.Ident == "get" || fn.Ident == "hasKey") && isAnswers(args[1], dotRoot, dollarRoot):
				if key, ok := args[2].(*parse.StringNode); ok {
					w.use(t, key.Text, args[1])
					return
				}
			}
		}
	}
	for _, a := range args {
		w.arg(t, a, dotRoot, dollarRoot)
	}
}

func (w *answerWalker) arg(t *parse.Tree, a parse.Node, dotRoot, dollarRoot bool) {
	switch a := a.(type) {
	case *parse.FieldNode:
		if dotRoot {
			w.field(t, a, a.Ident)
		}
	case *parse.VariableNode:
		switch {
		case a.Ident[0] == "$" && dollarRoot:
			w.field(t, a, a.Ident[1:])
		case len(a.Ident) > 1 && a.Ident[1] == "Answers":
			// $ctx.Answers.x: a copy of the context we do not track.
			w.dynamicAt(t, a)
		}
	case *parse.PipeNode:
		w.pipe(t, a, dotRoot, dollarRoot)
	case *parse.ChainNode:
		w.arg(t, a.Node, dotRoot, dollarRoot)
	}
}

// field records a field chain read from the context: Answers.NAME....
func (w *answerWalker) field(t *parse.Tree, n parse.Node, ident []string) {
	if len(ident) == 0 || ident[0] != "Answers" {
		return
	}
	if len(ident) == 1 {
		w.dynamicAt(t, n)
		return
	}
	w.use(t, ident[1], n)
}

func (w *answerWalker) use(t *parse.Tree, name string, n parse.Node) {
	if _, ok := w.uses.names[name]; !ok {
		loc, _ := t.ErrorContext(n)
		w.uses.names[name] = loc
		w.uses.in[name] = t.Name
	}
}

func (w *answerWalker) dynamicAt(t *parse.Tree, n parse.Node) {
	if w.uses.dynamic == "" {
		w.uses.dynamic, _ = t.ErrorContext(n)
	}
}

// isContext reports a template call whose argument is the whole context.
func isContext(p *parse.PipeNode, dotRoot, dollarRoot bool) bool {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	return isContextArg(p.Cmds[0].Args[0], dotRoot, dollarRoot)
}

func isContextArg(n parse.Node, dotRoot, dollarRoot bool) bool {
	switch n := n.(type) {
	case *parse.DotNode:
		return dotRoot
	case *parse.VariableNode:
		return len(n.Ident) == 1 && n.Ident[0] == "$" && dollarRoot
	}
	return false
}

// isAnswers reports .Answers or $.Answers itself.
func isAnswers(n parse.Node, dotRoot, dollarRoot bool) bool {
	switch n := n.(type) {
	case *parse.FieldNode:
		return dotRoot && len(n.Ident) == 1 && n.Ident[0] == "Answers"
	case *parse.VariableNode:
		return dollarRoot && len(n.Ident) == 2 && n.Ident[0] == "$" && n.Ident[1] == "Answers"
	}
	return false
}
