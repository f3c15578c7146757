package pack

import (
	"fmt"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/interview"
)

// Diff is what changed between two versions of a pack, for the students
// who use it: per kind, the sections, the questions and the rules. Renames
// and splits come from the newer version's migrations; anything else that
// disappeared was removed.
type Diff struct {
	// From and To are the two versions compared.
	From, To string
	Kinds    []KindDiff
	// Plan lists how the plan changed: its length, milestones moved,
	// added or dropped, documents due.
	Plan []string
}

// KindDiff is what changed in one kind.
type KindDiff struct {
	Kind string
	// Added and Removed are set when the whole kind is new or gone.
	Added, Removed bool

	SectionsAdded   []string
	SectionsRemoved []string
	SectionsRenamed []Rename
	// SectionsStricter are sections made required or given a higher
	// minimum of words (ID is the heading).
	SectionsStricter []RuleChange

	// RequiredAdded are new required questions (not the target of a
	// rename or split); MadeRequired were optional and are required now.
	RequiredAdded    []string
	MadeRequired     []string
	QuestionsAdded   []string
	QuestionsRemoved []string
	QuestionsRenamed []Rename
	QuestionsSplit   []Split

	RulesAdded    []string
	RulesRemoved  []string
	RulesStricter []RuleChange

	// newKind is the kind in the newer version, to tell whether a new
	// required question has a default.
	newKind *Kind
	added   map[string]Rule
}

// RuleChange is a rule (or section) that became stricter: what it was and
// what it is now, in words.
type RuleChange struct {
	ID, Was, Now string
}

// Compare lists what changed from old to new.
func Compare(old, new *Pack) *Diff {
	d := &Diff{From: old.Version, To: new.Version}
	ms, _ := new.MigrationsBetween(old.Version, new.Version)
	for _, id := range new.KindOrder {
		nk := new.Kinds[id]
		ok, had := old.Kinds[id]
		if !had {
			d.Kinds = append(d.Kinds, KindDiff{Kind: id, Added: true, newKind: nk})
			continue
		}
		if kd := compareKind(ok, nk, ms); !kd.empty() {
			d.Kinds = append(d.Kinds, kd)
		}
	}
	for _, id := range old.KindOrder {
		if _, ok := new.Kinds[id]; !ok {
			d.Kinds = append(d.Kinds, KindDiff{Kind: id, Removed: true})
		}
	}
	d.Plan = comparePlans(old.Plan(), new.Plan())
	return d
}

// comparePlans says how a plan changed, milestone by milestone (by name).
func comparePlans(old, new *Plan) []string {
	var out []string
	if old.Name != new.Name {
		out = append(out, fmt.Sprintf("the %s is now a %s", old.Name, new.Name))
	}
	counts := func(m Milestone) string {
		var parts []string
		for _, kc := range m.Documents {
			parts = append(parts, fmt.Sprintf("%d %s", kc.Count, kc.Kind))
		}
		return strings.Join(parts, ", ")
	}
	was := map[string]Milestone{}
	for _, m := range old.Milestones {
		was[m.Name] = m
	}
	for _, m := range new.Milestones {
		o, ok := was[m.Name]
		delete(was, m.Name)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("new milestone %q, due %s: %s", m.Name, m.Due.Ordinal(), counts(m)))
		case o.Due.Days() != m.Due.Days():
			out = append(out, fmt.Sprintf("milestone %q is due %s (was %s)", m.Name, m.Due.Ordinal(), o.Due.Ordinal()))
		}
		if ok && counts(o) != counts(m) {
			out = append(out, fmt.Sprintf("milestone %q expects %s (was %s)", m.Name, counts(m), counts(o)))
		}
	}
	for _, m := range old.Milestones {
		if _, gone := was[m.Name]; gone {
			out = append(out, fmt.Sprintf("milestone %q removed", m.Name))
		}
	}
	return out
}

// Empty reports whether nothing changed for students.
func (d *Diff) Empty() bool { return len(d.Kinds) == 0 && len(d.Plan) == 0 }

// Kind returns the changes of kind id, nil when it did not change.
func (d *Diff) Kind(id string) *KindDiff {
	for i := range d.Kinds {
		if d.Kinds[i].Kind == id {
			return &d.Kinds[i]
		}
	}
	return nil
}

func (kd *KindDiff) empty() bool {
	return !kd.Added && !kd.Removed && len(kd.SectionsAdded)+len(kd.SectionsRemoved)+len(kd.SectionsRenamed)+len(kd.SectionsStricter)+
		len(kd.RequiredAdded)+len(kd.MadeRequired)+len(kd.QuestionsAdded)+len(kd.QuestionsRemoved)+len(kd.QuestionsRenamed)+len(kd.QuestionsSplit)+
		len(kd.RulesAdded)+len(kd.RulesRemoved)+len(kd.RulesStricter) == 0
}

func compareKind(ok, nk *Kind, ms []Migration) KindDiff {
	kd := KindDiff{Kind: nk.ID, newKind: nk, added: map[string]Rule{}}
	// Sections, through the renames.
	reached := map[string]bool{}
	for _, s := range ok.Sections {
		to := MigrateHeading(ms, nk.ID, s.Heading)
		ns := sectionOf(nk, to)
		switch {
		case ns == nil:
			kd.SectionsRemoved = append(kd.SectionsRemoved, s.Heading)
			continue
		case !strings.EqualFold(to, s.Heading):
			kd.SectionsRenamed = append(kd.SectionsRenamed, Rename{From: s.Heading, To: ns.Heading})
		}
		reached[strings.ToLower(ns.Heading)] = true
		if ns.Required && !s.Required {
			kd.SectionsStricter = append(kd.SectionsStricter, RuleChange{ID: ns.Heading, Was: "optional", Now: "required"})
		}
		if ns.MinWords > s.MinWords {
			was := "no minimum of words"
			if s.MinWords > 0 {
				was = fmt.Sprintf("at least %d words", s.MinWords)
			}
			kd.SectionsStricter = append(kd.SectionsStricter, RuleChange{ID: ns.Heading, Was: was, Now: fmt.Sprintf("at least %d words", ns.MinWords)})
		}
	}
	for _, s := range nk.Sections {
		if !reached[strings.ToLower(s.Heading)] {
			kd.SectionsAdded = append(kd.SectionsAdded, s.Heading)
		}
	}
	// Questions, through the renames and splits.
	comp := ComposeKind(ms, nk.ID)
	targets := map[string]bool{}
	oldNames := map[string]*interview.Question{}
	for i := range ok.Questions {
		oldNames[ok.Questions[i].Name] = &ok.Questions[i]
	}
	for _, r := range comp.RenameQuestions {
		if oldNames[r.From] != nil && questionOf(nk, r.To) != nil {
			kd.QuestionsRenamed = append(kd.QuestionsRenamed, r)
			targets[r.To] = true
			delete(oldNames, r.From)
		}
	}
	for _, s := range comp.SplitQuestions {
		if oldNames[s.From] != nil {
			kd.QuestionsSplit = append(kd.QuestionsSplit, s)
			for _, t := range s.To {
				targets[t] = true
			}
			delete(oldNames, s.From)
		}
	}
	for _, q := range ok.Questions {
		if _, still := oldNames[q.Name]; still && questionOf(nk, q.Name) == nil {
			kd.QuestionsRemoved = append(kd.QuestionsRemoved, q.Name)
		}
	}
	for _, q := range nk.Questions {
		was := oldNames[q.Name]
		switch {
		case targets[q.Name]:
		case was == nil && q.Required:
			kd.RequiredAdded = append(kd.RequiredAdded, q.Name)
		case was == nil:
			kd.QuestionsAdded = append(kd.QuestionsAdded, q.Name)
		case q.Required && !was.Required:
			kd.MadeRequired = append(kd.MadeRequired, q.Name)
		}
	}
	// Rules, by id.
	oldRules := map[string]Rule{}
	for _, r := range ok.Rules {
		oldRules[r.ID] = r
	}
	for _, r := range nk.Rules {
		was, had := oldRules[r.ID]
		delete(oldRules, r.ID)
		if !had {
			kd.RulesAdded = append(kd.RulesAdded, r.ID)
			kd.added[r.ID] = r
			continue
		}
		if c, stricter := stricterRule(was, r); stricter {
			kd.RulesStricter = append(kd.RulesStricter, c)
		}
	}
	for _, r := range ok.Rules {
		if _, gone := oldRules[r.ID]; gone {
			kd.RulesRemoved = append(kd.RulesRemoved, r.ID)
		}
	}
	return kd
}

func sectionOf(k *Kind, heading string) *Section {
	for i := range k.Sections {
		if strings.EqualFold(strings.TrimSpace(k.Sections[i].Heading), strings.TrimSpace(heading)) {
			return &k.Sections[i]
		}
	}
	return nil
}

func questionOf(k *Kind, name string) *interview.Question {
	for i := range k.Questions {
		if k.Questions[i].Name == name {
			return &k.Questions[i]
		}
	}
	return nil
}

// severityRank orders severities; "" is error, as in a rule.
func severityRank(s string) int {
	switch s {
	case "info":
		return 1
	case "warning":
		return 2
	}
	return 3
}

func severityName(s string) string {
	if s == "" {
		return "error"
	}
	return s
}

// stricterRule tells whether rule now can fail a document that rule was
// passed: a higher severity, a tighter bound, another pattern, another
// track or section it applies to.
func stricterRule(was, now Rule) (RuleChange, bool) {
	var wasD, nowD []string
	add := func(w, n string) {
		wasD = append(wasD, w)
		nowD = append(nowD, n)
	}
	if severityRank(now.Severity) > severityRank(was.Severity) {
		add(severityName(was.Severity), severityName(now.Severity))
	}
	bound := func(name string, w, n int, isMin bool) {
		tighter := (isMin && n > w) || (!isMin && n > 0 && (w == 0 || n < w))
		if tighter {
			add(fmt.Sprintf("%s %d", name, w), fmt.Sprintf("%s %d", name, n))
		}
	}
	bound("min_words", was.MinWords, now.MinWords, true)
	bound("max_words", was.MaxWords, now.MaxWords, false)
	bound("min_items", was.MinItems, now.MinItems, true)
	bound("max_items", was.MaxItems, now.MaxItems, false)
	if now.Require != was.Require && now.Require != "" {
		add(fmt.Sprintf("require %q", was.Require), fmt.Sprintf("require %q", now.Require))
	}
	if now.Forbid != was.Forbid && now.Forbid != "" {
		add(fmt.Sprintf("forbid %q", was.Forbid), fmt.Sprintf("forbid %q", now.Forbid))
	}
	wasTrack, nowTrack := orBoth(was.Track), orBoth(now.Track)
	if nowTrack != wasTrack && nowTrack == doc.TrackBoth {
		add("track "+wasTrack, "track both")
	}
	if was.Section != "" && now.Section == "" {
		add("section "+was.Section, "the whole document")
	}
	if len(nowD) == 0 {
		return RuleChange{}, false
	}
	return RuleChange{ID: now.ID, Was: strings.Join(wasD, ", "), Now: strings.Join(nowD, ", ")}, true
}

func orBoth(t string) string {
	if t == "" {
		return doc.TrackBoth
	}
	return t
}

// Change is one line of a diff, for people: what changed in a kind, and
// whether it breaks documents written, or answers stored, with the
// earlier version.
type Change struct {
	Kind string
	Text string
	// Breaking changes need a new major version; Why says what they break.
	Breaking bool
	Why      string
}

// Changes lists the diff one change a line, kind by kind.
func (d *Diff) Changes() []Change {
	var out []Change
	for _, kd := range d.Kinds {
		out = append(out, kd.changes()...)
	}
	for _, p := range d.Plan {
		out = append(out, Change{Kind: "plan", Text: p})
	}
	return out
}

func (kd *KindDiff) changes() []Change {
	var out []Change
	add := func(breaking bool, why, format string, args ...any) {
		out = append(out, Change{Kind: kd.Kind, Text: fmt.Sprintf(format, args...), Breaking: breaking, Why: why})
	}
	switch {
	case kd.Added:
		add(false, "", "new kind %q", kd.Kind)
		return out
	case kd.Removed:
		add(true, "its documents are no longer known to the pack", "kind %q removed", kd.Kind)
		return out
	}
	for _, r := range kd.SectionsRenamed {
		add(false, "", "section %q renamed %q", r.From, r.To)
	}
	for _, h := range kd.SectionsRemoved {
		add(true, "documents that have it keep a section the pack no longer declares; add a rename_sections migration if it was renamed", "section %q removed", h)
	}
	for _, h := range kd.SectionsAdded {
		req := ""
		if s := sectionOf(kd.newKind, h); s != nil && s.Required {
			req = "required "
		}
		add(false, "", "new %ssection %q", req, h)
	}
	for _, c := range kd.SectionsStricter {
		add(true, "documents that passed check may fail it", "section %q: %s (was %s)", c.ID, c.Now, c.Was)
	}
	for _, r := range kd.QuestionsRenamed {
		add(false, "", "question %q renamed %q", r.From, r.To)
	}
	for _, s := range kd.QuestionsSplit {
		add(false, "", "question %q split into %s (its answer goes to %s)", s.From, strings.Join(quoteAll(s.To), ", "), splitTargets(s))
	}
	for _, q := range kd.RequiredAdded {
		if qq := questionOf(kd.newKind, q); qq != nil && qq.Default != nil {
			add(false, "", "new required question %q (default: %v)", q, qq.Default)
			continue
		}
		add(true, "answers stored with the earlier version lack it, so re-rendering them stops to ask it; give it a default, or make it a split_questions target", "new required question %q", q)
	}
	for _, q := range kd.MadeRequired {
		if qq := questionOf(kd.newKind, q); qq != nil && qq.Default != nil {
			add(false, "", "question %q is now required (default: %v)", q, qq.Default)
			continue
		}
		add(true, "answers stored with the earlier version may have left it empty", "question %q is now required", q)
	}
	for _, q := range kd.QuestionsAdded {
		add(false, "", "new question %q", q)
	}
	for _, q := range kd.QuestionsRemoved {
		add(true, "answers stored with the earlier version answer a question the pack no longer has, so re-rendering them fails; add a rename_questions or split_questions migration if it was renamed", "question %q removed", q)
	}
	for _, id := range kd.RulesAdded {
		r := kd.added[id]
		if severityRank(r.Severity) == 3 {
			add(true, "documents that passed check may fail it", "new rule %s (error): %s", id, r.Message)
			continue
		}
		add(false, "", "new rule %s (%s): %s", id, severityName(r.Severity), r.Message)
	}
	for _, c := range kd.RulesStricter {
		add(true, "documents that passed check may fail it", "rule %s is stricter: %s (was %s)", c.ID, c.Now, c.Was)
	}
	for _, id := range kd.RulesRemoved {
		add(false, "", "rule %s removed", id)
	}
	return out
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func splitTargets(s Split) string {
	if s.AnswerMode() == SplitAll {
		return "each of them"
	}
	return fmt.Sprintf("%q", s.To[0])
}

// Breaking returns the changes that break documents or stored answers.
func (d *Diff) Breaking() []Change {
	return slices.DeleteFunc(d.Changes(), func(c Change) bool { return !c.Breaking })
}

// AgainstRelease is what `pack lint --against REF` says of new compared
// with an earlier release, old: a version that does not move forward is
// an error; so is each breaking change in a release that keeps the major
// version, since `pmfolio pack update` moves students to it unasked. Other
// changes are listed as info, so the author sees what students will see.
func AgainstRelease(old, new *Pack, ref string) []Message {
	at := func(sev doc.Severity, format string, args ...any) Message {
		return Message{Severity: sev, File: ManifestFile, Line: new.KeyLine("version"), Text: fmt.Sprintf(format, args...)}
	}
	ov, err1 := semver.NewVersion(old.Version)
	nv, err2 := semver.NewVersion(new.Version)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []Message
	if !nv.GreaterThan(ov) {
		out = append(out, at(doc.Error, "version %s is not newer than %s's %s; bump it for the release", new.Version, ref, old.Version))
	}
	major := nv.Major() > ov.Major()
	next := fmt.Sprintf("%d.0.0", ov.Major()+1)
	for _, c := range Compare(old, new).Changes() {
		switch {
		case c.Breaking && !major:
			out = append(out, at(doc.Error, "breaking change since %s (%s), in a release of the same major version: kind %q: %s: %s; release it as %s, or make it compatible",
				ref, old.Version, c.Kind, c.Text, c.Why, next))
		case c.Breaking:
			out = append(out, at(doc.Info, "breaking change since %s (%s), as %s's major version says: kind %q: %s", ref, old.Version, new.Version, c.Kind, c.Text))
		default:
			out = append(out, at(doc.Info, "since %s (%s): kind %q: %s", ref, old.Version, c.Kind, c.Text))
		}
	}
	return out
}
