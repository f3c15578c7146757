// Package check holds portfolio documents to the document standard: rules
// (built into pmfolio or declared as data by a pack), findings with a rule
// id, severity, file, line and framework, scores, baselines, and the
// reporters CI systems read (text, JSON, JUnit XML, GitHub workflow
// commands, SARIF). It knows documents through package doc and packs
// through Spec, and imports no CLI, prompt or git library.
package check

// Spec is what check needs to know about a template pack. The command line
// fills it from the pack's manifest, so that check does not depend on how
// packs are loaded.
type Spec struct {
	Pack    string
	Version string
	Kinds   []Kind
	// Plan is what the portfolio rules measure the portfolio against; nil
	// is no plan.
	Plan *Plan
}

// Plan is a course's plan: milestones, each due some days after the
// portfolio's start, with the documents the portfolio has by then.
type Plan struct {
	// Name is what findings call it: "90-day plan", "10-week plan".
	Name       string
	Milestones []Milestone
}

// Milestone is one milestone of a plan.
type Milestone struct {
	// Name is how findings name it: "month 1", "Discovery".
	Name string
	// Days is when it falls, counted from the plan's start.
	Days int
	// Documents are how many documents of each kind the portfolio has by
	// then, in all.
	Documents []Due
}

// Due is how many documents of a kind a milestone expects.
type Due struct {
	Kind  string
	Count int
}

// Kind is one document kind of the pack.
type Kind struct {
	ID   string
	Name string
	// Folder is where the kind's documents live, e.g. "prd": a document
	// without a kind in its front matter takes the kind of its folder.
	Folder string
	// Target is how many documents of the kind the plan expects by its
	// end (0: none).
	Target   int
	Sections []Section
	Rules    []Pattern
}

// Section is a `##` section a document of the kind must or may have. Its
// fields are those of pack.Section, so that one converts to the other.
type Section struct {
	Heading string
	// Aliases are other headings people give the section.
	Aliases  []string
	Required bool
	MinWords int
	MaxWords int
	Track    string
	Hint     string
	Line     int
}

// Pattern is a rule declared as data in a pack: see pack.Rule, whose
// fields it shares so that one converts to the other.
type Pattern struct {
	ID        string
	Severity  string
	Message   string
	Section   string
	Require   string
	Forbid    string
	MinWords  int
	MaxWords  int
	MinItems  int
	MaxItems  int
	Track     string
	Framework string
	Explain   string
	// Suppressible false: neither inline directives nor the portfolio's
	// configuration can turn the rule off or change its severity.
	Suppressible *bool
	Line         int
}

// DocPack is what the caller says of the pack a document's front matter
// names: the spec to hold the document to, and how its version stands
// against the portfolio's pin.
type DocPack struct {
	// Spec is the pack at the version the document was rendered with, or
	// the pinned version when that one cannot be had; nil with Unknown.
	Spec *Spec
	// Unknown is set when the portfolio pins no pack of that name: the
	// document is reported (doc/pack-unknown) and held to no kind, never
	// to another pack's kind of the same name. Reason completes "which
	// ..." (default: "the portfolio does not pin"); Hint says what to do.
	Unknown bool
	Reason  string
	Hint    string
	// Pinned is the version the portfolio pins, set when the document's is
	// older: the document is reported as behind it (doc/pack-outdated).
	Pinned string
	// Upgrade is the command that brings the document forward; Changes
	// say what changed since its version, by kind, one change a line.
	Upgrade string
	Changes map[string][]string
	// Unavailable says why the document's own version could not be had:
	// Spec is then the pinned version (whose sections the caller gives
	// the headings they had in the document's version as aliases, so that
	// a renamed section is found under its old heading).
	Unavailable string
}

// onTrack reports whether something declared for track applies to a
// document on docTrack.
func onTrack(track, docTrack string) bool {
	return track == "" || track == "both" || track == docTrack
}

// kind returns the kind with id, or nil.
func (s *Spec) kind(id string) *Kind {
	for i := range s.Kinds {
		if s.Kinds[i].ID == id {
			return &s.Kinds[i]
		}
	}
	return nil
}

// reports says whether dp has something to report of the document (its
// pack unknown, its version behind the pin): what depends on the pin,
// not on the document, so such results are not cached.
func (dp *DocPack) reports() bool {
	return dp != nil && (dp.Unknown || dp.Pinned != "")
}
