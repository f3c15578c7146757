package render

import (
	"sort"
	"text/template/parse"
)

// Source is the text of the templates a render of entry can run, in a
// canonical form (the parse trees printed), sorted by name: entry, the
// templates it calls with {{ template }}, the partials it includes with a
// constant name, and theirs in turn. all is false when a template includes
// one by a name computed at render time: then any template can run, and
// the source is every template's.
func (t *Templates) Source(entry string) (src []string, all bool) {
	seen := map[string]bool{}
	var visit func(name string) bool
	visit = func(name string) bool {
		if seen[name] {
			return true
		}
		tree, ok := t.trees[name]
		if !ok {
			return true
		}
		seen[name] = true
		ok = true
		walkCalls(tree.Root, func(callee string, constant bool) {
			if !constant {
				ok = false
				return
			}
			if ok {
				ok = visit(callee)
			}
		})
		return ok
	}
	names := []string{}
	if visit(entry) {
		for name := range seen {
			names = append(names, name)
		}
	} else {
		all = true
		for name := range t.trees {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		src = append(src, name+"\x00"+t.trees[name].Root.String())
	}
	return src, all
}

// walkCalls reports each template n calls: {{ template "x" }} and
// include "x" (constant is false for include with any other argument).
func walkCalls(n parse.Node, call func(name string, constant bool)) {
	inspect(n, func(n parse.Node) {
		switch n := n.(type) {
		case *parse.TemplateNode:
			call(n.Name, true)
		case *parse.CommandNode:
			if len(n.Args) < 2 {
				return
			}
			if id, ok := n.Args[0].(*parse.IdentifierNode); !ok || id.Ident != "include" {
				return
			}
			if s, ok := n.Args[1].(*parse.StringNode); ok {
				call(s.Text, true)
			} else {
				call("", false)
			}
		}
	})
}
