package pack

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"gopkg.in/yaml.v3"
)

// MaxExtends bounds a chain of packs extending packs.
const MaxExtends = 4

// Registry finds the packs that packs extend: the embedded default pack,
// and any other through Open. It loads each pack once and refuses cycles.
type Registry struct {
	// Open loads the pack called name, passing reg on to Load for the
	// packs that one extends. Nil knows no pack but the default.
	Open func(name string, reg *Registry) (*Pack, error)

	loaded  map[string]*Pack
	loading []string
}

// ErrUnknownPack is wrapped by the error for a pack name nobody knows.
var ErrUnknownPack = errors.New("unknown pack")

// ErrExtendsChain is wrapped by the error for packs that extend each
// other in a circle, or more than MaxExtends deep.
var ErrExtendsChain = errors.New("packs extend packs")

// Get returns the pack called name.
func (r *Registry) Get(name string) (*Pack, error) { return r.get(name, "") }

func (r *Registry) get(name, from string) (*Pack, error) {
	if name == from {
		return nil, errors.New("a pack cannot extend itself")
	}
	if name == DefaultName {
		return Default()
	}
	if r == nil || r.Open == nil {
		return nil, fmt.Errorf("%w %q: only %q is built in", ErrUnknownPack, name, DefaultName)
	}
	if p, ok := r.loaded[name]; ok {
		return p, nil
	}
	if slices.Contains(r.loading, name) {
		return nil, &chainError{fmt.Sprintf("packs extend each other in a circle: %s -> %s", strings.Join(r.loading, " -> "), name)}
	}
	if len(r.loading) >= MaxExtends {
		return nil, &chainError{fmt.Sprintf("packs extend packs more than %d deep: %s -> %s", MaxExtends, strings.Join(r.loading, " -> "), name)}
	}
	r.loading = append(r.loading, name)
	defer func() { r.loading = r.loading[:len(r.loading)-1] }()
	p, err := r.Open(name, r)
	if err != nil {
		return nil, err
	}
	if p.Name != name {
		return nil, fmt.Errorf("the pack pinned as %q calls itself %q in its %s", name, p.Name, ManifestFile)
	}
	if r.loaded == nil {
		r.loaded = map[string]*Pack{}
	}
	r.loaded[name] = p
	return p, nil
}

// extend makes p the result of overriding base with p's own declarations.
// A kind p declares afresh is added after base's kinds. A kind that base
// declares too is overridden key by key: keys p sets win, keys it leaves
// out are inherited. Questions (by name) and rules (by id) replace the
// base's entry of the same name or are added after them; sections describe
// one template's output, so they replace the base's list as a whole (a
// section of the same heading keeps the base's aliases unless it lists
// its own); sample
// answers are read after the base's. Templates and partials are inherited
// unless p has a file of that name.
func (p *Pack) extend(base *Pack) {
	p.Base = base
	own := map[string]bool{}
	for _, f := range p.files {
		own[f.Name] = true
	}
	for _, f := range base.files {
		if !own[f.Name] {
			p.files = append(p.files, f)
		}
	}
	if p.Init == nil {
		p.Init = base.Init
	}
	if p.PlanDecl == nil {
		p.PlanDecl = base.PlanDecl
	}
	kinds := make(map[string]*Kind, len(base.Kinds)+len(p.Kinds))
	var order []string
	for _, id := range base.KindOrder {
		merged := *base.Kinds[id]
		if k, ok := p.Kinds[id]; ok {
			merged = overrideKind(merged, k)
		} else {
			// A kind inherited whole is reported, when lint has something
			// to say about it, at the line that inherits it: extends.
			merged = rebaseLines(merged, p.KeyLine("extends"), nil)
		}
		kinds[id] = &merged
		order = append(order, id)
	}
	for _, id := range p.KindOrder {
		if _, ok := kinds[id]; !ok {
			kinds[id] = p.Kinds[id]
			order = append(order, id)
		}
	}
	p.Kinds, p.KindOrder = kinds, order
}

func overrideKind(k Kind, o *Kind) Kind {
	base := &Kind{}
	*base = k
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&k.Name, o.Name)
	set(&k.Description, o.Description)
	set(&k.Template, o.Template)
	set(&k.Title, o.Title)
	set(&k.Output, o.Output)
	set(&k.Date, o.Date)
	set(&k.Status, o.Status)
	set(&k.Summary, o.Summary)
	set(&k.Visibility, o.Visibility)
	if o.Month != 0 {
		k.Month = o.Month
	}
	if o.Target != 0 {
		k.Target = o.Target
	}
	// An override's samples are read over the base's, as later answers
	// files win: they need only answer what the override adds or changes.
	k.samples = append(slices.Clone(k.samples), o.samples...)
	k.base, k.override = base, o
	own := map[string]bool{}
	for _, q := range o.Questions {
		own[q.Name] = true
	}
	k.inherited = map[string]bool{}
	for _, q := range k.Questions {
		if !own[q.Name] {
			k.inherited[q.Name] = true
		}
	}
	// What the override inherits is reported at the override's line: the
	// course can act there, not in the base pack's file.
	k = rebaseLines(k, o.Line, o)
	k.Questions = mergeByName(k.Questions, o.Questions, func(q interview.Question) string { return q.Name })
	k.Questions = slices.DeleteFunc(k.Questions, func(q interview.Question) bool { return slices.Contains(o.DropQuestions, q.Name) })
	k.DropQuestions, k.dropped = nil, o.DropQuestions
	k.Rules = mergeByName(k.Rules, o.Rules, func(r Rule) string { return r.ID })
	k.inheritedSections = o.Sections == nil
	if o.Sections != nil {
		// A section the override keeps (by heading) keeps the base's
		// aliases unless it lists its own; "aliases: []" drops them.
		base := k.Sections
		k.Sections = slices.Clone(o.Sections)
		for i := range k.Sections {
			if k.Sections[i].Aliases != nil {
				continue
			}
			for _, b := range base {
				if doc.HeadingKey(b.Heading) == doc.HeadingKey(k.Sections[i].Heading) {
					k.Sections[i].Aliases = b.Aliases
				}
			}
		}
		// A base rule about a section the override no longer has does not
		// apply to the course's structure; the override's own rules must
		// still name sections it has (validated as usual).
		own := map[string]bool{}
		for _, r := range o.Rules {
			own[r.ID] = true
		}
		// Likewise an inherited summary section the override dropped: its
		// documents are summed up by their first paragraph instead.
		if o.Summary == "" && !slices.ContainsFunc(k.Sections, func(sec Section) bool { return strings.EqualFold(sec.Heading, k.Summary) }) {
			k.Summary = ""
		}
		k.Rules = slices.DeleteFunc(k.Rules, func(r Rule) bool {
			return !own[r.ID] && r.Section != "" && !slices.ContainsFunc(k.Sections, func(sec Section) bool {
				return strings.EqualFold(sec.Heading, r.Section)
			})
		})
	}
	k.Line = o.Line
	return k
}

// mergeByName returns base with each of over's entries replacing the entry
// of the same name in place, or appended when base has none.
func mergeByName[T any](base, over []T, name func(T) string) []T {
	out := slices.Clone(base)
	for _, o := range over {
		i := slices.IndexFunc(out, func(b T) bool { return name(b) == name(o) })
		if i >= 0 {
			out[i] = o
		} else {
			out = append(out, o)
		}
	}
	return out
}

// rebaseLines returns k with the lines of what it inherits (every line but
// those of o's own declarations) set to line, in copies: the base's kind
// is shared.
func rebaseLines(k Kind, line int, o *Kind) Kind {
	k.Line = line
	k.Questions = slices.Clone(k.Questions)
	for i := range k.Questions {
		k.Questions[i].Line = line
		k.Questions[i].Fields = slices.Clone(k.Questions[i].Fields)
		for j := range k.Questions[i].Fields {
			k.Questions[i].Fields[j].Line = line
		}
	}
	if o == nil || o.Sections == nil {
		k.Sections = slices.Clone(k.Sections)
		for i := range k.Sections {
			k.Sections[i].Line = line
		}
	}
	k.Rules = slices.Clone(k.Rules)
	for i := range k.Rules {
		k.Rules[i].Line = line
	}
	return k
}

// checkDrops checks each override's drop_questions against the questions
// it inherits.
func (p *Pack) checkDrops() error {
	pr := &problems{file: ManifestFile}
	for _, k := range p.OrderedKinds() {
		for _, name := range k.dropped {
			if k.base == nil || questionOf(k.base, name) == nil {
				pr.add(k.Line, "kind %q: drop_questions: %q is not a question the kind inherits from pack %q", k.ID, name, p.Extends.Name)
			}
		}
	}
	return manifestErr(pr.errs)
}

// BaseRef is pack.yaml's extends: the name of the pack this one builds on,
// and, optionally, where it is published, so that the pack can be linted
// (and its base found) outside a portfolio that pins the base:
//
//	extends: default
//	extends: {name: launch-school-pm, source: https://github.com/ls/pm-pack.git, ref: v1.0.0}
type BaseRef struct {
	Name string `yaml:"name"`
	// Source and Ref are as in 'pmfolio pack add SOURCE@REF'; Subdir is
	// the base's folder in the repository. A relative local Source is
	// relative to the pack's folder.
	Source string `yaml:"source,omitempty"`
	Ref    string `yaml:"ref,omitempty"`
	Subdir string `yaml:"subdir,omitempty"`
}

// UnmarshalYAML reads a name, or a mapping of name, source, ref and
// subdir, strictly.
func (b *BaseRef) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*b = BaseRef{Name: n.Value}
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: extends is a pack name, or a mapping of name, source, ref and subdir", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !slices.Contains([]string{"name", "source", "ref", "subdir"}, k) {
			return fmt.Errorf("line %d: extends: unknown key %q (known keys: name, ref, source, subdir)", n.Content[i].Line, k)
		}
		if n.Content[i+1].Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: extends: %s is one value", n.Content[i+1].Line, n.Content[i].Value)
		}
	}
	type plain BaseRef
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	if p.Name == "" {
		return fmt.Errorf("line %d: extends: name is empty", n.Line)
	}
	*b = BaseRef(p)
	return nil
}

// IsZero makes an empty extends disappear from marshalled YAML.
func (b BaseRef) IsZero() bool { return b == BaseRef{} }

// chainError is a circle or too long a chain of packs extending packs.
type chainError struct{ msg string }

func (e *chainError) Error() string        { return e.msg }
func (e *chainError) Is(target error) bool { return target == ErrExtendsChain }
