package check

import "strings"

// A document written for another purpose can carry a kind it does not
// fit: an incident postmortem filed as a launch retrospective has a
// timeline and contributing factors where the retro has what shipped and
// the metrics against their target. The missing-sections finding says so,
// rather than reading as a list of omissions.

// lookalike is a genre that documents of a kind are mistaken for.
type lookalike struct {
	kind string
	// name is the genre's, not is the kind's, as a sentence says them.
	name, not string
	// signs are normalised headings of the genre; need is how many a
	// document must have, and absent are the kind's sections it lacks.
	signs  []string
	need   int
	absent []string
}

var lookalikes = []lookalike{
	{
		kind: "retro", name: "an incident postmortem", not: "a launch retrospective",
		signs: []string{"timeline", "impact", "detection", "trigger", "resolution", "mitigation", "stats",
			"incident summary", "incident title", "time to detection", "time to recovery", "attendees", "staff present"},
		need:   2,
		absent: []string{"What shipped", "Metrics vs target"},
	},
}

// genreMatch is a lookalike a document is, with the signs it shows.
type genreMatch struct {
	lookalike
	seen []string
}

// genre returns the lookalike genre the document is, or nil.
func (c *Ctx) genre() *genreMatch {
	if c.Kind == nil {
		return nil
	}
	for _, g := range lookalikes {
		if g.kind != c.Kind.ID {
			continue
		}
		m := &genreMatch{lookalike: g}
		for _, h := range c.Doc.Outline {
			n := headingNorm(h.Heading)
			for _, sign := range g.signs {
				if n == sign || strings.HasPrefix(n, sign+" ") {
					m.seen = append(m.seen, h.Heading)
					break
				}
			}
		}
		lacks := true
		for _, a := range g.absent {
			if _, ok := c.find(a); ok {
				lacks = false
			}
		}
		if len(m.seen) >= g.need && lacks {
			return m
		}
	}
	return nil
}
