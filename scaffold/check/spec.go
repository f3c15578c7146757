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
}

// Kind is one document kind of the pack.
type Kind struct {
	ID   string
	Name string
	// Folder is where the kind's documents live, e.g. "prd": a document
	// without a kind in its front matter takes the kind of its folder.
	Folder string
	// Month is the month of the 90-day plan the kind belongs to and Target
	// how many documents of it the plan expects (0: none).
	Month    int
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
	Line      int
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
