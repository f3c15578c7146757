package check

import (
	"fmt"
	"sort"
	"strings"
)

// Rule is one check: its stable id, the kinds and track it applies to, its
// default severity, a one-line message, the framework it comes from and
// an explanation of why it matters and how to fix a finding.
type Rule struct {
	ID string
	// Kind limits the rule to one kind; "" is every kind.
	Kind string
	// Track limits the rule to core or technical documents; "" is both.
	Track     string
	Severity  Severity
	Message   string
	Framework string
	Explain   string
	// Origin says where the rule is declared: "pmfolio" for rules built
	// into pmfolio, `pack "NAME"` for a pack's data rules.
	Origin string
	// Portfolio rules run once, when the whole portfolio is checked.
	Portfolio bool

	// links marks a rule that asks for links to other documents: in a
	// document that says a link is to come, its errors are warnings.
	links bool

	doc  func(*Ctx)
	plan func(*planCtx)
}

// appliesTo reports whether the per-document rule runs on a document of
// kind and track.
func (r *Rule) appliesTo(kind, track string) bool {
	return !r.Portfolio && (r.Kind == "" || r.Kind == kind) && onTrack(r.Track, track)
}

// builtinOrigin is the Origin of the rules compiled into pmfolio.
const builtinOrigin = "pmfolio"

// builtinRules returns the rules written in Go: those every document gets,
// the kind-specific substance rules that need more than a pattern, and
// the 90-day plan.
func builtinRules() []*Rule {
	var rs []*Rule
	rs = append(rs, documentRules()...)
	rs = append(rs, substanceRules()...)
	rs = append(rs, planRules()...)
	for _, r := range rs {
		r.Origin = builtinOrigin
	}
	return rs
}

// UnknownRuleError names a rule id that no rule has.
type UnknownRuleError struct {
	ID      string
	Similar []string
}

func (e *UnknownRuleError) Error() string {
	return fmt.Sprintf("no rule %q", e.ID)
}

// Lookup returns the rule with id, or an UnknownRuleError listing rules
// the user may have meant: a misspelling of an id, a part of one, or a
// kind's rules for a kind alone.
func (c *Checker) Lookup(id string) (*Rule, error) {
	if r, ok := c.byID[id]; ok {
		return r, nil
	}
	e := &UnknownRuleError{ID: id}
	kind, name, _ := strings.Cut(id, "/")
	for _, r := range c.rules {
		k, n, _ := strings.Cut(r.ID, "/")
		if (name != "" && strings.Contains(n, name)) || (name == "" && k == kind) || distance(id, r.ID) <= 2 {
			e.Similar = append(e.Similar, r.ID)
		}
	}
	sort.Strings(e.Similar)
	return nil, e
}

// distance is the Levenshtein distance between a and b, in bytes: rule
// ids are ASCII.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Rules returns every rule the checker knows, sorted by id.
func (c *Checker) Rules() []*Rule { return c.rules }
