package pack

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/interview"
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
		return nil, fmt.Errorf("packs extend each other in a circle: %s -> %s", strings.Join(r.loading, " -> "), name)
	}
	if len(r.loading) >= MaxExtends {
		return nil, fmt.Errorf("packs extend packs more than %d deep: %s -> %s", MaxExtends, strings.Join(r.loading, " -> "), name)
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
// one template's output, so they replace the base's list as a whole; sample
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
	kinds := make(map[string]*Kind, len(base.Kinds)+len(p.Kinds))
	var order []string
	for _, id := range base.KindOrder {
		merged := *base.Kinds[id]
		if k, ok := p.Kinds[id]; ok {
			merged = overrideKind(merged, k)
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
	if o.Month != 0 {
		k.Month = o.Month
	}
	if o.Target != 0 {
		k.Target = o.Target
	}
	// An override's samples are read over the base's, as later answers
	// files win: they need only answer what the override adds or changes.
	k.samples = append(slices.Clone(k.samples), o.samples...)
	k.Questions = mergeByName(k.Questions, o.Questions, func(q interview.Question) string { return q.Name })
	k.Rules = mergeByName(k.Rules, o.Rules, func(r Rule) string { return r.ID })
	if o.Sections != nil {
		k.Sections = o.Sections
		// A base rule about a section the override no longer has does not
		// apply to the course's structure; the override's own rules must
		// still name sections it has (validated as usual).
		own := map[string]bool{}
		for _, r := range o.Rules {
			own[r.ID] = true
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
