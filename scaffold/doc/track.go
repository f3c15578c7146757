package doc

import "fmt"

// The tracks a document is written for: core (end-user experience,
// go-to-market) or technical (platforms, APIs, developer users). A pack's
// question, section or rule may apply to both.
const (
	TrackCore      = "core"
	TrackTechnical = "technical"
	TrackBoth      = "both"
)

// ValidateTrack checks a track: a document's (front matter, pmfolio.yaml,
// --track) is core or technical; with both set, what a pack declares may
// also apply to both. It is the one check of a track, so every place says
// the same.
func ValidateTrack(t string, both bool) error {
	switch {
	case t == TrackCore || t == TrackTechnical:
		return nil
	case both && t == TrackBoth:
		return nil
	case both:
		return fmt.Errorf("track %q must be core, technical or both", t)
	}
	return fmt.Errorf("track %q must be core or technical", t)
}
