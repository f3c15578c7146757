package pack

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Message is one thing lint found, at a place in the pack. The highest
// severity found decides the outcome.
type Message struct {
	Severity doc.Severity `json:"severity"`
	File     string       `json:"file,omitempty"`
	Line     int          `json:"line,omitempty"`
	Col      int          `json:"col,omitempty"`
	Text     string       `json:"message"`
}

func (m Message) String() string {
	if m.File == "" {
		return m.Text
	}
	return (&render.Error{File: m.File, Line: m.Line, Col: m.Col, Msg: m.Text}).Error()
}

// Checker checks a rendered sample document of kind k on track against
// the pack's own rules.
type Checker func(k *Kind, track, path string, content []byte, d *doc.Document) []Message

// LintOptions control Lint.
type LintOptions struct {
	// Date is the injected clock samples are rendered with.
	Date time.Time
	// Check checks each rendered sample; nil is CheckSections.
	Check Checker
	// Builtin lints the embedded default pack itself, which may be named
	// default.
	Builtin bool
}

// Lint checks the pack in fsys as helm lint checks a chart: the manifest's
// keys and types; that every template parses; that every answer a
// template reads is a declared question and every question is read; that
// every kind renders from the pack's sample answers, on both tracks, to a
// safe output path and a document that passes Check. It returns the pack
// when it loads. err is for what stops lint from judging the pack at all:
// a refused pack (*RefusedError) or files it cannot read.
func Lint(fsys fs.FS, source string, reg *Registry, o LintOptions) (*Pack, []Message, error) {
	if o.Check == nil {
		o.Check = CheckSections
	}
	if o.Date.IsZero() {
		o.Date = zeroTime
	}
	l := &linter{o: o, seen: map[Message]bool{}}
	files, err := ReadFiles(fsys, source)
	if err != nil {
		return nil, nil, err
	}
	data, ok := fileData(files, ManifestFile)
	if !ok {
		l.fromErr(errNoManifest)
		return nil, l.msgs, nil
	}
	if _, err := ParseManifest(ManifestFile, data); err != nil {
		l.fromErr(err)
		return nil, l.msgs, nil
	}
	// One file at a time, so that every broken template is reported at once.
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".tmpl") {
			if err := render.New(zeroTime, render.DefaultLimits).Parse([]render.File{{Name: f.Path, Text: string(f.Data)}}); err != nil {
				l.fromErr(err)
			}
		}
	}
	if len(l.msgs) > 0 {
		return nil, l.msgs, nil
	}
	p, err := loadFiles(fsys, files, source, reg)
	if err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			return nil, nil, err
		}
		l.fromErr(err)
		return nil, l.msgs, nil
	}
	l.authoring(p)
	l.migrations(p)
	l.plan(p)
	for _, k := range p.OrderedKinds() {
		l.answers(p, k)
		l.choicesFrom(p, k)
		l.samples(p, k)
		if k.Folder() == "" {
			l.add(Message{Severity: doc.Warning, File: ManifestFile, Line: k.Line,
				Text: fmt.Sprintf("kind %q: output %q puts documents at the portfolio's root, beside README.md; start it with a folder", k.ID, k.Output)})
		}
	}
	return p, l.msgs, nil
}

type linter struct {
	o    LintOptions
	msgs []Message
	seen map[Message]bool
}

func (l *linter) add(m Message) {
	if m.Severity == doc.Off {
		m.Severity = doc.Error
	}
	if !l.seen[m] {
		l.seen[m] = true
		l.msgs = append(l.msgs, m)
	}
}

// fromErr turns an error into a message at the file and line it names.
func (l *linter) fromErr(err error) {
	var ye *yamlfile.Error
	var re *render.Error
	var me *ManifestError
	switch {
	case errors.As(err, &me):
		for _, e := range me.Errs {
			l.add(Message{File: e.File, Line: e.Line, Text: e.Msg})
		}
	case errors.As(err, &re):
		l.add(Message{File: re.File, Line: re.Line, Col: re.Col, Text: re.Msg})
	case errors.As(err, &ye):
		l.add(Message{File: ye.File, Line: ye.Line, Text: ye.Msg})
	default:
		var pe *Error
		if errors.As(err, &pe) {
			err = pe.Err
		}
		l.add(Message{Text: err.Error()})
	}
}

// authoring reports what loads but is most likely a mistake: a pack
// named like the built-in one, a kind that overrides a base kind where a
// new kind was meant, a pattern students would see bare.
func (l *linter) authoring(p *Pack) {
	if p.Name == DefaultName && !l.o.Builtin {
		l.add(Message{File: ManifestFile, Line: p.KeyLine("name"),
			Text: fmt.Sprintf("name %q is the built-in pack's; 'pmfolio pack add' refuses it: give the pack a name of its own", p.Name)})
	}
	for _, k := range p.OrderedKinds() {
		if o := k.override; o != nil && (o.Name != "" && o.Name != k.base.Name || o.Template != "" && o.Title != "" && o.Output != "") {
			l.add(Message{Severity: doc.Warning, File: ManifestFile, Line: k.Line,
				Text: fmt.Sprintf("kind %q is also a kind of pack %q (%s): your keys override its keys one by one, and its questions, sections and rules are merged with yours; if you meant a kind of your own, give it another id, e.g. %q",
					k.ID, p.Extends.Name, k.base.Name, p.Name+"-"+k.ID)})
		}
	}
	if p.Init != nil && (p.Base == nil || p.Init != p.Base.Init) {
		l.barePatterns("init", p.Init.Questions, nil)
		for _, q := range p.Init.Questions {
			if !slices.Contains(initAnswers, q.Name) {
				l.add(Message{Severity: doc.Warning, File: ManifestFile, Line: q.Line,
					Text: fmt.Sprintf("init: question %q is asked, but pmfolio.yaml has no place for its answer (init records %s)", q.Name, strings.Join(initAnswers, ", "))})
			}
		}
	}
	for _, k := range p.OrderedKinds() {
		l.barePatterns(fmt.Sprintf("kind %q", k.ID), k.Questions, k)
	}
}

// migrations checks that what migrations rename and split lead to the
// kinds, sections and questions the pack has now.
func (l *linter) migrations(p *Pack) {
	all, err := p.MigrationsBetween("0.0.0", p.Version)
	if err != nil {
		return
	}
	for _, mg := range all {
		for _, id := range sortedKeys(mg.Kinds) {
			if _, ok := p.Kinds[id]; !ok {
				l.add(Message{Severity: doc.Warning, File: ManifestFile, Line: mg.Kinds[id].Line,
					Text: fmt.Sprintf("migrations: version %s: kind %q is not a kind of the pack (%s)", mg.Version, id, strings.Join(p.KindOrder, ", "))})
			}
		}
	}
	for _, k := range p.OrderedKinds() {
		c := ComposeKind(all, k.ID)
		for _, r := range c.RenameSections {
			if sectionOf(k, r.To) == nil {
				l.add(Message{File: ManifestFile, Line: r.Line,
					Text: fmt.Sprintf("migrations: kind %q: section %q is renamed %q, which is not one of the kind's sections", k.ID, r.From, r.To)})
			}
		}
		targets := map[string]int{}
		for _, r := range c.RenameQuestions {
			targets[r.To] = r.Line
		}
		for _, sp := range c.SplitQuestions {
			for _, t := range sp.To {
				targets[t] = sp.Line
			}
		}
		for _, name := range sortedKeys(targets) {
			if questionOf(k, name) == nil {
				l.add(Message{File: ManifestFile, Line: targets[name],
					Text: fmt.Sprintf("migrations: kind %q: an answer moves to question %q, which is not a question of the kind", k.ID, name)})
			}
		}
	}
}

// plan checks that a declared plan's milestones name kinds of the pack,
// and warns of kinds' month and target keys the plan makes meaningless.
func (l *linter) plan(p *Pack) {
	pl := p.PlanDecl
	if pl == nil || (p.Base != nil && pl == p.Base.PlanDecl) {
		return
	}
	for _, ms := range pl.Milestones {
		for _, kc := range ms.Documents {
			if _, ok := p.Kinds[kc.Kind]; !ok {
				l.add(Message{File: ManifestFile, Line: ms.Line,
					Text: fmt.Sprintf("plan: milestone %q expects documents of kind %q, which the pack does not have (%s)", ms.Name, kc.Kind, strings.Join(p.KindOrder, ", "))})
			}
		}
	}
	for _, k := range p.OrderedKinds() {
		own := k.override
		if own == nil && (p.Base == nil || p.Base.Kinds[k.ID] == nil) {
			own = k
		}
		if own != nil && (own.Month != 0 || own.Target != 0) {
			l.add(Message{Severity: doc.Warning, File: ManifestFile, Line: k.Line,
				Text: fmt.Sprintf("kind %q: month and target are not used: the pack's plan: says when documents are due and how many", k.ID)})
		}
	}
}

// initAnswers are the answers of init's questions that pmfolio.yaml
// records.
var initAnswers = []string{"name", "email", "role", "track", "start", "about", "links"}

// barePatterns warns of questions with a pattern but no pattern_message:
// a student who misses it would read the regular expression.
func (l *linter) barePatterns(where string, qs []interview.Question, k *Kind) {
	for _, q := range qs {
		if k != nil && k.Inherited(q.Name) {
			continue
		}
		for _, f := range append([]interview.Question{q}, q.Fields...) {
			if f.Pattern != "" && strings.TrimSpace(f.PatternMessage) == "" {
				l.add(Message{Severity: doc.Warning, File: ManifestFile, Line: f.Line,
					Text: fmt.Sprintf("%s: question %q has a pattern but no pattern_message, so a student whose answer misses it reads \"must match %s\"; say what the answer needs, e.g. pattern_message: include a number", where, f.Name, f.Pattern)})
			}
		}
	}
}

// answers checks that templates read only declared questions and read
// every one of them.
func (l *linter) answers(p *Pack, k *Kind) {
	texts := map[string]string{}
	for _, f := range p.files {
		texts[f.Name] = f.Text
	}
	trees, err := parseTrees(texts)
	if err != nil {
		l.fromErr(err)
		return
	}
	w := newAnswerWalker(trees)
	w.template(k.Template)
	used := w.uses
	// Titles, output paths, dates, defaults and conditions read answers too; what
	// they read is reported at their line in pack.yaml.
	snippets := []snippet{{k.Title, k.Line}, {k.Output, k.Line}, {k.Date, k.Line}}
	for _, q := range k.Questions {
		if d, ok := q.Default.(string); ok {
			snippets = append(snippets, snippet{d, q.Line})
		}
		snippets = append(snippets, snippet{q.When, q.Line})
	}
	at := func(line int) string { return fmt.Sprintf("%s:%d", ManifestFile, line) }
	for _, s := range snippets {
		if !strings.Contains(s.text, "{{") {
			continue
		}
		set := map[string]string{"snippet": s.text}
		for n, t := range texts {
			set[n] = t
		}
		tr, err := parseTrees(set)
		if err != nil {
			l.add(Message{File: ManifestFile, Line: s.line, Text: fmt.Sprintf("kind %q: %v", k.ID, err)})
			continue
		}
		sw := newAnswerWalker(tr)
		sw.template("snippet")
		for name := range sw.uses.names {
			if _, ok := used.names[name]; !ok {
				used.names[name] = at(s.line)
			}
		}
		if sw.uses.dynamic != "" && used.dynamic == "" {
			used.dynamic = at(s.line)
		}
	}
	declared := map[string]bool{}
	for _, q := range k.Questions {
		declared[q.Name] = true
	}
	for _, name := range sortedKeys(used.names) {
		if !declared[name] {
			m := atLocation(used.names[name])
			m.Text = fmt.Sprintf("kind %q: .Answers.%s is not a question of the kind; declare it under questions, or fix the name", k.ID, name)
			l.add(m)
		}
	}
	if used.dynamic != "" {
		m := atLocation(used.dynamic)
		m.Severity = doc.Info
		m.Text = fmt.Sprintf("kind %q: .Answers is used as a whole here, so lint cannot tell whether every question is used", k.ID)
		l.add(m)
		return
	}
	var inherited []string
	for _, q := range k.Questions {
		// pmfolio itself reads status into the front matter.
		if _, ok := used.names[q.Name]; ok || q.Name == "status" {
			continue
		}
		if k.Inherited(q.Name) {
			inherited = append(inherited, q.Name)
			continue
		}
		l.add(Message{File: ManifestFile, Line: q.Line,
			Text: fmt.Sprintf("kind %q: question %q is asked but nothing uses its answer; use it in %s or remove it", k.ID, q.Name, k.Template)})
	}
	switch len(inherited) {
	case 0:
	case 1:
		l.add(Message{File: ManifestFile, Line: k.Line,
			Text: fmt.Sprintf("kind %q: inherited question %q (from pack %q) is asked, but %s does not use its answer; %s, or remove it from the kind with drop_questions: [%s]",
				k.ID, inherited[0], p.Extends.Name, k.Template, howToUse(p, k, inherited[0]), inherited[0])})
	default:
		l.add(Message{File: ManifestFile, Line: k.Line,
			Text: fmt.Sprintf("kind %q: %d inherited questions (from pack %q) are asked, but %s does not use their answers: %s; use them in the template, or remove them from the kind with drop_questions: [%s]",
				k.ID, len(inherited), p.Extends.Name, k.Template, strings.Join(inherited, ", "), strings.Join(inherited, ", "))})
	}
}

// howToUse says how an override's template can use an inherited answer:
// through the base's partial that writes it, when there is one.
func howToUse(p *Pack, k *Kind, name string) string {
	plain := fmt.Sprintf("write {{ .Answers.%s }} where it belongs", name)
	if p.Base == nil || k.base == nil {
		return plain
	}
	texts := map[string]string{}
	for _, f := range p.Base.files {
		texts[f.Name] = f.Text
	}
	trees, err := parseTrees(texts)
	if err != nil {
		return plain
	}
	w := newAnswerWalker(trees)
	w.template(k.base.Template)
	if in := w.uses.in[name]; in != "" && in != k.base.Template {
		return fmt.Sprintf(`write {{ template %q . }} where its section belongs (the base's partial that uses it)`, in)
	}
	return plain
}

// choicesFrom checks that every choices_from names a kind of the pack.
func (l *linter) choicesFrom(p *Pack, k *Kind) {
	var check func(qs []interview.Question)
	check = func(qs []interview.Question) {
		for _, q := range qs {
			if q.ChoicesFrom != "" {
				if _, ok := p.Kinds[q.ChoicesFrom]; !ok {
					l.add(Message{File: ManifestFile, Line: q.Line,
						Text: fmt.Sprintf("kind %q: question %q: choices_from %q is not a kind of the pack (it has %s)", k.ID, q.Name, q.ChoicesFrom, strings.Join(p.KindOrder, ", "))})
				}
			}
			check(q.Fields)
		}
	}
	check(k.Questions)
}

// snippet is a one-line template in pack.yaml and its line.
type snippet struct {
	text string
	line int
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// atLocation parses text/template's "file:line:col".
func atLocation(loc string) Message {
	parts := strings.Split(loc, ":")
	m := Message{File: loc}
	if len(parts) >= 2 {
		if n, err := strconv.Atoi(parts[1]); err == nil {
			m.File, m.Line = parts[0], n
		}
		if len(parts) >= 3 {
			m.Col, _ = strconv.Atoi(parts[2])
		}
	}
	return m
}

// Tracks are the tracks samples are rendered on: a kind's technical-only
// sections only render on the technical one.
var tracks = []string{doc.TrackCore, doc.TrackTechnical}

// samples renders the kind from its sample answers on every track and
// checks the result.
func (l *linter) samples(p *Pack, k *Kind) {
	samples := k.SampleAnswers()
	if len(samples) == 0 {
		l.add(Message{File: ManifestFile, Line: k.Line,
			Text: fmt.Sprintf("kind %q has no sample answers, so lint cannot render it; add %s/%s.yaml or set sample:", k.ID, SamplesDir, k.ID)})
		return
	}
	g := interview.NewGiven()
	for _, s := range samples {
		if err := g.LoadFile(s.File, s.Data); err != nil {
			l.fromErr(err)
			return
		}
	}
	file := samples[len(samples)-1].File
	for _, name := range interview.Unknown(k.Questions, g.Values) {
		if slices.Contains(k.dropped, name) {
			// The base's sample answers what the override dropped.
			delete(g.Values, name)
			continue
		}
		m := atLocation(g.Where[name])
		m.Text = fmt.Sprintf("%s: not a question of kind %q", name, k.ID)
		l.add(m)
	}
	for _, track := range tracks {
		engine := render.New(l.o.Date, render.DefaultLimits)
		ctx := Context{Kind: k.ID, Track: track, Author: "Sample Author", Role: "Product Manager", Date: l.o.Date,
			Pack: PackInfo{Name: p.Name, Version: p.Version}}
		answers, err := interview.Run(k.Questions, interview.Options{
			Track: track, Given: g.Values, UseDefaults: true, Expand: Expander{Engine: engine, Context: ctx},
		})
		var ae *interview.AnswersError
		if errors.As(err, &ae) {
			if len(ae.Missing) > 0 {
				l.add(Message{File: file, Text: fmt.Sprintf("kind %q: the sample lacks required answers on the %s track: %s", k.ID, track, strings.Join(ae.Missing, ", "))})
			}
			for _, pr := range ae.Invalid {
				m := atLocation(g.Where[pr.Name])
				m.Text = fmt.Sprintf("%s: %s", pr.Name, pr.Msg)
				l.add(m)
			}
			continue
		}
		if err != nil {
			l.fromErr(err)
			continue
		}
		out, err := p.Generate(engine, Input{Kind: k.ID, Answers: answers, Track: track, Author: ctx.Author, Role: ctx.Role, Date: l.o.Date})
		var pe *PathError
		switch {
		case errors.As(err, &pe):
			l.add(Message{File: ManifestFile, Line: k.Line, Text: fmt.Sprintf("kind %q: refused output path %q: %v", k.ID, pe.Path, pe.Err)})
			continue
		case err != nil:
			l.fromErr(err)
			continue
		}
		d, err := doc.Parse(out.Path, out.Content)
		if err != nil {
			l.add(Message{File: file, Text: fmt.Sprintf("kind %q: the rendered sample does not parse: %v", k.ID, err)})
			continue
		}
		for _, m := range l.o.Check(k, track, out.Path, out.Content, d) {
			l.add(m)
		}
	}
}

// CheckSections is the check lint applies to samples: every required
// section of the track is present and not empty.
func CheckSections(k *Kind, track, _ string, _ []byte, d *doc.Document) []Message {
	var out []Message
	for _, s := range k.Sections {
		if !s.Required || !s.OnTrack(track) {
			continue
		}
		sec, ok := d.Section(s.Heading)
		switch {
		case !ok && k.inheritedSections:
			out = append(out, Message{Severity: doc.Error, File: ManifestFile, Line: s.Line,
				Text: fmt.Sprintf("kind %q: section %q is required by the sections the kind inherits, but %s renders no \"## %s\" on the %s track; render it, or declare the kind's sections: (your list replaces the inherited one)", k.ID, s.Heading, k.Template, s.Heading, track)})
		case !ok:
			out = append(out, Message{Severity: doc.Error, File: ManifestFile, Line: s.Line,
				Text: fmt.Sprintf("kind %q: section %q is required, but the sample renders no \"## %s\" on the %s track", k.ID, s.Heading, s.Heading, track)})
		case strings.TrimSpace(sec.Body) == "":
			out = append(out, Message{Severity: doc.Error, File: ManifestFile, Line: s.Line,
				Text: fmt.Sprintf("kind %q: section %q is required, but the sample renders it empty on the %s track", k.ID, s.Heading, track)})
		}
	}
	return out
}

// Failed reports whether msgs hold an error.
func Failed(msgs []Message) bool {
	for _, m := range msgs {
		if m.Severity == doc.Error {
			return true
		}
	}
	return false
}
