package check

import (
	"strings"
)

// summary is what the portfolio rules need of a document, kept instead of
// the parsed document so that checking 10,000 documents holds 10,000
// small records, not 10,000 syntax trees.
type summary struct {
	path string
	kind string
	// links are the Markdown files a brief or a retro links, resolved.
	links []string
	// competency is a story's primary competency, lower case.
	competency string
	// metrics are a retro's metric names; metricsText a PRD's success
	// metrics; both normalised.
	metrics     []string
	metricsText string
	// hash is the content hash of a linked document, for the cache.
	hash string
}

func summarize(c *Ctx) *summary {
	s := &summary{path: c.Path}
	if c.Kind == nil {
		return s
	}
	s.kind = c.Kind.ID
	// The plan follows the links of briefs (to interview notes) and of
	// retros (to the PRD); other documents' links it never reads.
	if s.kind == "brief" || s.kind == "retro" {
		for _, l := range c.Doc.Links {
			if p := resolve(c.Path, l.Dest); p != "" && strings.HasSuffix(p, ".md") {
				s.links = append(s.links, p)
			}
		}
	}
	switch s.kind {
	case "story":
		if _, text, ok := c.section("Competency"); ok {
			s.competency = primaryCompetency(text)
		}
	case "retro":
		if sec, _, ok := c.section("Metrics vs target"); ok {
			for _, r := range metricNames(sec) {
				s.metrics = append(s.metrics, normalize(r.Cells[0]))
			}
		}
	case "prd":
		if _, text, ok := c.section("Success metrics"); ok {
			s.metricsText = normalize(text)
		}
	}
	return s
}

// primaryCompetency reads "Failure (also answers: challenge)" or "Company
// principle: Earn trust" as its first competency.
func primaryCompetency(text string) string {
	t := normalize(text)
	if i := strings.IndexAny(t, "(:\n;,"); i >= 0 {
		t = t[:i]
	}
	return strings.TrimSpace(t)
}
