package check_test

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/render"
)

// The example answers render one document of each kind; the brief links
// five interview notes and the plan wants five stories, so the portfolio
// adds the other four of each with their own titles (and, for stories,
// competencies), as `pmfolio new --set` would.
var exampleDates = map[string]string{
	"interview": "2026-01-09", "brief": "2026-01-21", "prd": "2026-01-26",
	"teardown": "2026-03-09", "story": "2026-03-16", "retro": "2026-03-26",
}

type extra struct {
	kind, date string
	set        []string
}

var exampleExtras = []extra{
	{"interview", "2026-01-07", []string{"title=Controller, logistics company"}},
	{"interview", "2026-01-13", []string{"title=AR team lead, healthcare group"}},
	{"interview", "2026-01-14", []string{"title=Finance ops manager, SaaS scale-up"}},
	{"interview", "2026-01-16", []string{"title=Staff accountant, manufacturer"}},
	{"story", "2026-03-17", []string{"title=Challenge story", "competency=Challenge"}},
	{"story", "2026-03-18", []string{"title=Success story", "competency=Success"}},
	{"story", "2026-03-19", []string{"title=Teamwork story", "competency=Teamwork"}},
	{"story", "2026-03-20", []string{"title=Leadership story", "competency=Leadership and influence"}},
}

// portfolio is a portfolio in memory: path to content.
type portfolio map[string][]byte

func (p portfolio) clone() portfolio {
	out := portfolio{}
	for k, v := range p {
		out[k] = append([]byte(nil), v...)
	}
	return out
}

// only returns the path of the one document of kind (the first by name).
func (p portfolio) only(kind string) string {
	var names []string
	for k := range p {
		if strings.HasPrefix(k, kind+"/") {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names[0]
}

var (
	renderMu sync.Mutex
	rendered = map[string]portfolio{}
)

// examplePortfolio renders examples/answers into a whole portfolio on
// track, once per test binary.
func examplePortfolio(t testing.TB, track string) portfolio {
	t.Helper()
	renderMu.Lock()
	defer renderMu.Unlock()
	if p, ok := rendered[track]; ok {
		return p.clone()
	}
	pk, err := pack.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := portfolio{}
	gen := func(kind, date string, set []string) {
		data, err := fs.ReadFile(examples.Answers, "answers/"+kind+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		g := interview.NewGiven()
		if err := g.LoadFile(kind+".yaml", data); err != nil {
			t.Fatal(err)
		}
		for _, s := range set {
			if err := g.Set(s); err != nil {
				t.Fatal(err)
			}
		}
		day, _ := time.Parse("2006-01-02", date)
		k, err := pk.Kind(kind)
		if err != nil {
			t.Fatal(err)
		}
		engine := render.New(day, render.DefaultLimits)
		ctx := pack.Context{Kind: kind, Track: track, Author: "Jordan Reyes", Role: "Product Manager", Date: day, Pack: pack.PackInfo{Name: pk.Name, Version: pk.Version}}
		answers, err := interview.Run(k.Questions, interview.Options{Track: track, Given: g.Values, Expand: expander{engine, ctx}})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		out, err := pk.Generate(engine, pack.Input{Kind: kind, Answers: answers, Track: track, Author: "Jordan Reyes", Role: "Product Manager", Date: day})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		p[out.Path] = out.Content
	}
	for kind, date := range exampleDates {
		gen(kind, date, nil)
	}
	for _, x := range exampleExtras {
		gen(x.kind, x.date, x.set)
	}
	rendered[track] = p
	return p.clone()
}

// expander renders question defaults as `pmfolio new` does.
type expander struct {
	engine *render.Engine
	ctx    pack.Context
}

func (x expander) Expand(name, text string, answers map[string]any) (string, error) {
	c := x.ctx
	c.Answers = answers
	return x.engine.Expand(name, text, &c)
}

// read reads a file of p; a file p does not hold is fs.ErrNotExist, as on
// disk.
func (p portfolio) read(name string) ([]byte, error) {
	if d, ok := p[name]; ok {
		return d, nil
	}
	return nil, fs.ErrNotExist
}

// newChecker checks p with the default pack, the plan measured on
// 2026-04-10 from a start on 2026-01-05.
func newChecker(t testing.TB, p portfolio, overrides ...check.Override) *check.Checker {
	t.Helper()
	pk, err := pack.Default()
	if err != nil {
		t.Fatal(err)
	}
	return newCheckerWith(t, p, packcheck.Spec(pk), check.Options{Overrides: overrides, Pack: examplePacks(pk)})
}

// newCheckerWith is newChecker with another spec and more options.
func newCheckerWith(t testing.TB, p portfolio, spec check.Spec, o check.Options) *check.Checker {
	t.Helper()
	if o.Read == nil {
		o.Read = p.read
	}
	o.Exists = func(name string) bool {
		if _, ok := p[name]; ok {
			return true
		}
		for k := range p {
			if strings.HasPrefix(k, name+"/") {
				return true
			}
		}
		return false
	}
	o.Track, o.ConfigFile = "core", "pmfolio.yaml"
	o.Start = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	o.Today = time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)
	c, err := check.New(spec, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// run checks every document of p, as the whole portfolio.
func run(t testing.TB, p portfolio, overrides ...check.Override) *check.Report {
	t.Helper()
	var in []check.Input
	for k := range p {
		if path.Ext(k) == ".md" {
			in = append(in, check.Input{Path: k})
		}
	}
	sort.Slice(in, func(i, j int) bool { return in[i].Path < in[j].Path })
	rep, err := newChecker(t, p, overrides...).Run(check.Inputs(in), true)
	if err != nil {
		t.Fatal(err)
	}
	rep.Apply(check.Policy{})
	return rep
}

func describeFindings(fs []check.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s:%d %s %s: %s", f.Path, f.Line, f.Severity, f.Rule, f.Message)
	}
	return b.String()
}

// TestExamplesPass: every document rendered from examples/answers, on
// both tracks, passes check without an error or a warning, and so does
// the 90-day plan of the portfolio they make.
func TestExamplesPass(t *testing.T) {
	for _, track := range []string{"core", "technical"} {
		t.Run(track, func(t *testing.T) {
			p := examplePortfolio(t, track)
			rep := run(t, p)
			if len(rep.Documents) != len(p) {
				t.Errorf("checked %d documents of %d", len(rep.Documents), len(p))
			}
			for _, d := range rep.Documents {
				if len(d.Findings) > 0 {
					t.Errorf("%s (%s):%s", d.Path, d.Track, describeFindings(d.Findings))
				}
				if d.Track != track {
					t.Errorf("%s: track %q, want %q", d.Path, d.Track, track)
				}
			}
			if len(rep.Plan) > 0 {
				t.Errorf("plan:%s", describeFindings(rep.Plan))
			}
			if rep.Score != 100 {
				t.Errorf("portfolio score %d, want 100", rep.Score)
			}
		})
	}
}

// examplePacks is what the examples' portfolio pins: the default pack at
// its version; an earlier version of it (0.9.0, held to the current one as
// if it could not be had) is behind the pin; any other pack is unknown.
func examplePacks(pk *pack.Pack) func(name, version string) (*check.DocPack, error) {
	return func(name, version string) (*check.DocPack, error) {
		switch {
		case name == pk.Name && version == pk.Version:
			return nil, nil
		case name == pk.Name:
			// As checkrun gives it: the pin, its renamed section under the
			// heading the document's version gave it too.
			spec := packcheck.Spec(pk)
			for i := range spec.Kinds {
				for j := range spec.Kinds[i].Sections {
					if s := &spec.Kinds[i].Sections[j]; spec.Kinds[i].ID == "story" && s.Heading == "Action" {
						s.Aliases = append(slices.Clone(s.Aliases), "Acts")
					}
				}
			}
			return &check.DocPack{Spec: &spec, Pinned: pk.Version, Upgrade: "pmfolio upgrade default",
				Unavailable: "not in the cache", Changes: map[string][]string{"story": {`section "Acts" renamed "Action"`}}}, nil
		}
		return &check.DocPack{Unknown: true, Hint: "pin it again with 'pmfolio pack add SOURCE'"}, nil
	}
}
