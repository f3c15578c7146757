package check

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
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
	// Locked rules cannot be suppressed or re-graded by the document's
	// directives or the portfolio's configuration (a pack's rule marked
	// suppressible: false): a course grades with them whatever a student
	// writes.
	Locked bool

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

// Suggestions are the rule ids the user may have meant, for a "did you
// mean" hint.
func (e *UnknownRuleError) Suggestions() []string { return e.Similar }

// Lookup returns the rule with id, or an UnknownRuleError listing rules
// the user may have meant: a misspelling of an id, a part of one, or a
// kind's rules for a kind alone.
func (c *Checker) Lookup(id string) (*Rule, error) {
	if r, ok := c.byID[id]; ok {
		return r, nil
	}
	return nil, &UnknownRuleError{ID: id, Similar: c.similar(id)}
}

// similar lists the rule ids the user may have meant by id: a misspelling
// of one, a part of one, or a kind's rules for a kind alone.
func (c *Checker) similar(id string) []string {
	var out []string
	kind, name, _ := strings.Cut(id, "/")
	for _, r := range c.rules {
		k, n, _ := strings.Cut(r.ID, "/")
		if (name != "" && strings.Contains(n, name)) || (name == "" && k == kind) {
			out = append(out, r.ID)
		}
	}
	for _, s := range yamlfile.Similar(id, c.ids()) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// ids are the rules' ids, in the rules' order.
func (c *Checker) ids() []string {
	ids := make([]string, len(c.rules))
	for i, r := range c.rules {
		ids[i] = r.ID
	}
	return ids
}

// Rules returns every rule the checker knows, sorted by id.
func (c *Checker) Rules() []*Rule { return c.rules }

// didYouMean is "did you mean "x"? " for a rule id no rule has, when one
// is close, to go in front of a message's pointer to --list-rules; "" when
// none is close or the id is a pattern.
func (c *Checker) didYouMean(id string) string {
	if strings.ContainsAny(id, "*?[") {
		return ""
	}
	if q := yamlfile.DidYouMean(c.similar(id)); q != "" {
		return q + " "
	}
	return ""
}
