package check_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/pack"
)

// section finds "## heading" and the body after it, up to the next `##`.
func sectionBounds(t testing.TB, doc, heading string) (int, int) {
	t.Helper()
	h := "\n## " + heading + "\n"
	i := strings.Index(doc, h)
	if i < 0 {
		t.Fatalf("no section %q in\n%s", heading, doc)
	}
	start := i + len(h)
	end := strings.Index(doc[start:], "\n## ")
	if end < 0 {
		return start, len(doc)
	}
	return start, start + end + 1
}

// setSection replaces a section's body.
func setSection(t testing.TB, doc, heading, body string) string {
	t.Helper()
	s, e := sectionBounds(t, doc, heading)
	return doc[:s] + "\n" + body + "\n\n" + doc[e:]
}

// dropSection removes a section, heading and all.
func dropSection(t testing.TB, doc, heading string) string {
	t.Helper()
	s, e := sectionBounds(t, doc, heading)
	return doc[:s-len("## "+heading+"\n")] + doc[e:]
}

func replace(t testing.TB, doc, old, new string) string {
	t.Helper()
	if !strings.Contains(doc, old) {
		t.Fatalf("%q is not in the document", old)
	}
	return strings.Replace(doc, old, new, 1)
}

func words(n int) string {
	return strings.TrimSpace(strings.Repeat("Clerks matched the payments by hand again. ", n/7+1))
}

// ruleCase breaks one example document (or the portfolio) so that exactly
// the rule under test has something to say.
type ruleCase struct {
	rule, kind, track string
	doc               func(t testing.TB, d string) string
	portfolio         func(t testing.TB, p portfolio)
}

var tradeOffRE = regexp.MustCompile(`(?i)trade-?off|instead of|rather than|at the cost of`)

var ruleCases = []ruleCase{
	{rule: "doc/encoding", kind: "story", doc: func(t testing.TB, d string) string { return d + "\xff\xfe\n" }},
	{rule: "doc/front-matter", kind: "prd", doc: func(t testing.TB, d string) string {
		return regexp.MustCompile(`(?m)^author: .*\n`).ReplaceAllString(d, "")
	}},
	{rule: "doc/kind", kind: "prd", doc: func(t testing.TB, d string) string { return replace(t, d, "kind: prd", "kind: memo") }},
	{rule: "doc/pack-unknown", kind: "prd", doc: func(t testing.TB, d string) string { return replace(t, d, "name: default", "name: removed-course") }},
	{rule: "doc/pack-outdated", kind: "story", doc: func(t testing.TB, d string) string {
		return regexp.MustCompile(`(?m)^  version: .*$`).ReplaceAllString(d, "  version: 0.9.0")
	}},
	{rule: "doc/title", kind: "story", doc: func(t testing.TB, d string) string { return d + "\n# A second title\n" }},
	{rule: "doc/section-missing", kind: "prd", doc: func(t testing.TB, d string) string { return dropSection(t, d, "Goals") }},
	{rule: "doc/section-empty", kind: "prd", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Goals", "<!-- to do after the review -->")
	}},
	{rule: "doc/placeholder", kind: "retro", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Surprises", "- TODO: ask support what surprised them")
	}},
	{rule: "doc/hint-text", kind: "story", doc: func(t testing.TB, d string) string { return setSection(t, d, "Task", "What you owned.") }},
	{rule: "doc/min-words", kind: "prd", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Problem", "Customers abandon 38% of checkouts. [brief](../brief/2026-01-21-manual-payment-matching-at-month-end-close.md)")
	}},
	{rule: "doc/max-words", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Situation", "Our rule matched 62% of payments. "+words(70))
	}},
	{rule: "doc/weasel-words", kind: "teardown", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "What works", "- Reconciliation is significantly faster than a spreadsheet.")
	}},
	{rule: "doc/link-resolves", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Learning", "I wrote it down in [my notes](../notes/learning.md) and now validate every parameter on 3 customers.")
	}},
	{rule: "doc/directive", kind: "story", doc: func(t testing.TB, d string) string {
		return replace(t, d, "## Learning\n", "<!-- pmfolio-disable-next-line story/no-such-rule -->\n## Learning\n")
	}},
	{rule: "doc/conflict-markers", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Learning", "<<<<<<< yours\nValidate on 3 customers.\n||||||| base (pack v1.0.0)\nValidate.\n=======\nValidate on more than one customer.\n>>>>>>> pack v1.1.0")
	}},

	{rule: "interview/quote", kind: "interview", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Memorable quote", "She said she spends the first days of the month searching for money.")
	}},
	{rule: "interview/story-steps", kind: "interview", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Story", "She exported the queue, searched e-mail for remittances and matched payments by hand over two and a half days, then parked the rest in suspense for her controller.")
	}},
	{rule: "interview/hypothetical-quote", kind: "interview", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Memorable quote", `> "I would pay for a tool that matched payments for me."`)
	}},
	{rule: "interview/contact-details", kind: "interview", doc: func(t testing.TB, d string) string {
		return replace(t, d, "- **Role:** AR specialist", "- **Role:** AR specialist (ana.silva@example.com, +44 20 7946 0958)")
	}},

	{rule: "brief/customer-size", kind: "brief", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Customer and segment", "AR specialists, and the controllers they report to, at mid-market companies paid mostly by bank transfer.")
	}},
	{rule: "brief/problem-cost", kind: "brief", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Problem", "Today, at each month-end close, an AR specialist clears the Unmatched queue by exporting it to a spreadsheet, searching e-mail for remittance advice and matching payments one at a time, which takes most of the close.")
	}},
	{rule: "brief/solution-in-disguise", kind: "brief", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Opportunities", "- Build a matching engine for payments\n- Know which invoice a payment covers (5 of 5 interviews)")
	}},
	{rule: "brief/opportunity-count", kind: "brief", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Opportunities", "- Know which invoice a payment covers (5 of 5 interviews)")
	}},
	{rule: "brief/risk-types", kind: "brief", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Risks and assumptions", "- Clerks may not trust a suggested match.")
	}},
	{rule: "brief/recommendation", kind: "brief", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Recommendation", "We should think about it some more.")
	}},
	{rule: "brief/one-page", kind: "brief", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Why now, why us", words(120))
	}},
	{rule: "brief/outcome-quantified", kind: "brief", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Desired outcome", "More payments matched without a manual search, and fewer wrong matches.")
	}},
	{rule: "brief/evidence-interviews", kind: "brief", doc: func(t testing.TB, d string) string {
		return regexp.MustCompile(`(?m)^\*\*Interview notes.*\n`).ReplaceAllString(d, "")
	}},

	{rule: "prd/guardrail", kind: "prd", doc: func(t testing.TB, d string) string {
		return regexp.MustCompile(`(?m)^- \*\*Guardrail.*\n`).ReplaceAllString(d, "")
	}},
	{rule: "prd/links-brief", kind: "prd", doc: func(t testing.TB, d string) string {
		return regexp.MustCompile(`(?m)^Opportunity brief: .*\n`).ReplaceAllString(d, "")
	}},
	{rule: "prd/p0", kind: "prd", doc: func(t testing.TB, d string) string { return strings.ReplaceAll(d, "| P0 |", "| P1 |") }},
	{rule: "prd/trade-off", kind: "prd", doc: func(t testing.TB, d string) string { return tradeOffRE.ReplaceAllString(d, "and") }},
	{rule: "prd/rollout", kind: "prd", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Launch plan", "**Rollback trigger:** turn the flag off if wrong matches exceed three percent.")
	}},
	{rule: "prd/rollback-threshold", kind: "prd", doc: func(t testing.TB, d string) string {
		return replace(t, d, "goes above 3% on any day or above 2% for 3 days in a row", "goes above too many on any day")
	}},
	{rule: "prd/rollback", kind: "prd", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Launch plan", "Staged rollout: 10% of accounts on 2026-02-09, then every account on 2026-02-23.")
	}},
	{rule: "prd/metric-quantified", kind: "prd", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Success metrics", "- **Primary — Auto-match rate:** up a lot, soon after launch.\n- **Guardrail — Wrong-match rate:** stays at 2%.")
	}},
	{rule: "prd/non-goal-reason", kind: "prd", doc: func(t testing.TB, d string) string {
		return replace(t, d, "| Non-goal | Reason |\n|---|---|\n", "| Non-goal | Reason |\n|---|---|\n| Matching vendor refunds | |\n")
	}},
	{rule: "prd/status", kind: "prd", doc: func(t testing.TB, d string) string { return replace(t, d, "status: Launch review", "status: Shipped") }},
	{rule: "prd/breaking-change-date", kind: "prd", track: "technical", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Compatibility and migration", "**Breaking change:** the match_status field gains a new value that strict clients may reject, so integrators must update their parsers.")
	}},
	{rule: "prd/api-surface", kind: "prd", track: "technical", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "API surface", "- Suggestions for each payment\n- Confirm and reject actions")
	}},
	{rule: "prd/slo-objective", kind: "prd", track: "technical", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Non-functional requirements and SLOs", "| SLI | Objective | Window |\n|---|---|---|\n| Latency | fast enough | rolling window |")
	}},
	{rule: "prd/slo-window", kind: "prd", track: "technical", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Non-functional requirements and SLOs", "| SLI | Objective | Window |\n|---|---|---|\n| Latency | p95 under 300 ms | always |")
	}},
	{rule: "prd/time-to-first-call", kind: "prd", track: "technical", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Docs and developer experience", "A quickstart with curl snippets, reference pages and a migration guide.")
	}},

	{rule: "retro/links-prd", kind: "retro", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Goals", "Halve the time an AR specialist spends clearing the Unmatched queue.")
	}},
	{rule: "retro/went-well", kind: "retro", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "What went well", "The launch went well.")
	}},
	{rule: "retro/went-poorly", kind: "retro", doc: func(t testing.TB, d string) string { return setSection(t, d, "What went poorly", "Not much.") }},
	{rule: "retro/blameless", kind: "retro", doc: func(t testing.TB, d string) string {
		return replace(t, d, "not in anyone's work.", "not in anyone's work. The first alert was missed through human error.")
	}},
	{rule: "retro/decision", kind: "retro", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Decision", "**Keep going.** We look again in May, after the close.")
	}},
	{rule: "retro/metrics-table", kind: "retro", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Metrics vs target", "The auto-match rate rose and wrong matches stayed low.")
	}},
	{rule: "retro/metric-from-prd", kind: "retro", doc: func(t testing.TB, d string) string {
		return replace(t, d, "| Auto-match rate |", "| Customer happiness |")
	}},
	{rule: "retro/action-owner-date", kind: "retro", doc: func(t testing.TB, d string) string {
		return replace(t, d, "| Action | Owner | Due |\n|---|---|---|\n", "| Action | Owner | Due |\n|---|---|---|\n| Write the runbook | | soon |\n")
	}},

	{rule: "teardown/jtbd", kind: "teardown", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Job to be done", "Sellers want transfers applied to invoices automatically.")
	}},
	{rule: "teardown/recommendation-trade-off", kind: "teardown", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Recommendation", "When a transfer cannot be reconciled automatically, suggest the open invoices it most likely pays and apply them in one click.")
	}},
	{rule: "teardown/metric-target", kind: "teardown", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Success metrics", "- **Share of transfers applied to an invoice:** much higher than today")
	}},
	{rule: "teardown/sources", kind: "teardown", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Sources", "- My own test-mode account and screenshots")
	}},
	{rule: "teardown/time-to-first-call", kind: "teardown", track: "technical", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Onboarding and time to first call", "1. Created an account.\n2. Made a first call with the test key.")
	}},
	{rule: "teardown/friction-evidence", kind: "teardown", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Friction points", "- **Applying funds by hand is slow.** Evidence: it felt slow to me")
	}},

	{rule: "story/action-trade-off", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Action", "1. I turned the feature flag off within 40 minutes of the alert, before any customer closed their books.\n2. I traced the spike with our data engineer to the threshold I had tuned on one customer.\n3. I labelled 1,500 payments from 3 more customers and re-tuned the threshold to 0.9.")
	}},
	{rule: "story/action-steps", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Action", "1. I turned the feature flag off within 40 minutes of the alert, before any customer closed their books.\n2. I re-tuned the threshold on 3 customers' data.\n\n**Trade-off:** I chose precision over coverage.")
	}},
	{rule: "story/situation-baseline", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Situation", "Our exact-reference rule missed many incoming payments, and the beta of suggested matches went wrong on its second day.")
	}},
	{rule: "story/length", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Learning", "I now validate every tuned parameter on 3 customers' data. "+words(150))
	}},
	{rule: "story/result-quantified", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Result", "It went much better afterwards, and customers noticed.")
	}},
	{rule: "story/first-person", kind: "story", doc: func(t testing.TB, d string) string {
		return setSection(t, d, "Action", "1. We turned the feature flag off within 40 minutes.\n2. We traced the spike to the threshold.\n3. We re-tuned it on 3 customers' data; I wrote to the beta accounts.\n\n**Trade-off:** we chose precision over coverage.")
	}},

	{rule: "plan/documents", portfolio: func(t testing.TB, p portfolio) {
		delete(p, "interview/2026-01-16-staff-accountant-manufacturer.md")
	}},
	{rule: "plan/brief-links-interviews", portfolio: func(t testing.TB, p portfolio) {
		b := p.only("brief")
		p[b] = []byte(regexp.MustCompile(`[,;] \[2026-01-1[346][^\]]*\]\([^)]*\)`).ReplaceAllString(string(p[b]), ""))
	}},
	{rule: "plan/retro-follows-prd", portfolio: func(t testing.TB, p portfolio) {
		r := p.only("retro")
		p[r] = []byte(strings.ReplaceAll(string(p[r]), "| Auto-match rate |", "| Conversion |"))
		p[r] = []byte(strings.ReplaceAll(string(p[r]), "| Median days to clear the Unmatched queue |", "| Time to close |"))
		p[r] = []byte(strings.ReplaceAll(string(p[r]), "| Wrong-match rate |", "| Errors |"))
	}},
	{rule: "plan/story-competencies", portfolio: func(t testing.TB, p portfolio) {
		for k, v := range p {
			if strings.HasPrefix(k, "story/") {
				p[k] = []byte(regexp.MustCompile(`(?s)## Competency\n\n[^\n]*`).ReplaceAllString(string(v), "## Competency\n\nFailure"))
			}
		}
	}},
	{rule: "plan/failure-story", portfolio: func(t testing.TB, p portfolio) {
		s := "story/2026-03-16-wrong-match-spike-in-the-beta.md"
		p[s] = []byte(replace(t, string(p[s]), "\nFailure (also answers", "\nChallenge (also answers"))
	}},
}

// TestEveryRule: each rule finds nothing in the examples and something in
// an example broken for it, and every rule has such a case.
func TestEveryRule(t *testing.T) {
	covered := map[string]bool{}
	for _, rc := range ruleCases {
		covered[rc.rule] = true
		t.Run(rc.rule, func(t *testing.T) {
			track := rc.track
			if track == "" {
				track = "core"
			}
			p := examplePortfolio(t, track)
			if n := count(run(t, p), rc.rule); n != 0 {
				t.Fatalf("the examples already have %d %s finding(s)", n, rc.rule)
			}
			if rc.portfolio != nil {
				rc.portfolio(t, p)
			} else {
				path := p.only(rc.kind)
				p[path] = []byte(rc.doc(t, string(p[path])))
			}
			rep := run(t, p)
			if count(rep, rc.rule) == 0 {
				var all []check.Finding
				for _, d := range rep.Documents {
					all = append(all, d.Findings...)
				}
				t.Fatalf("no %s finding; found:%s", rc.rule, describeFindings(append(all, rep.Plan...)))
			}
		})
	}
	for _, r := range newChecker(t, portfolio{}).Rules() {
		if !covered[r.ID] {
			t.Errorf("rule %s has no case in ruleCases", r.ID)
		}
	}
}

func count(rep *check.Report, rule string) int {
	n := 0
	for _, d := range rep.Documents {
		for _, f := range d.Findings {
			if f.Rule == rule {
				n++
			}
		}
	}
	for _, f := range rep.Plan {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

// TestPackVersions: a document behind its pack's pin is reported with
// what changed and the command that brings it forward; held to the pinned
// version (its own cannot be had), a section renamed since is found under
// its old heading. A document of a pack the portfolio does not pin is
// held to no kind: another pack's kind of the same name does not apply.
func TestPackVersions(t *testing.T) {
	p := examplePortfolio(t, "core")
	s := p.only("story")
	old := regexp.MustCompile(`(?m)^  version: .*$`).ReplaceAllString(string(p[s]), "  version: 0.9.0")
	p[s] = []byte(replace(t, old, "\n## Action\n", "\n## Acts\n"))
	prd := p.only("prd")
	p[prd] = []byte(replace(t, dropSection(t, string(p[prd]), "Goals"), "name: default", "name: removed-course"))
	rep := run(t, p)
	for _, d := range rep.Documents {
		switch d.Path {
		case s:
			if len(d.Findings) != 1 || d.Findings[0].Rule != "doc/pack-outdated" {
				t.Fatalf("story:%s", describeFindings(d.Findings))
			}
			def, _ := pack.Default()
			want := `rendered with pack "default" 0.9.0; the portfolio pins ` + def.Version + ` (0.9.0 is not available here: not in the cache; so it is held to ` + def.Version +
				`); since then: section "Acts" renamed "Action"; bring it forward with 'pmfolio upgrade default'`
			if f := d.Findings[0]; f.Message != want || f.Severity != check.Info || f.Line != 8 {
				t.Errorf("story: %+v\nwant %s", f, want)
			}
		case prd:
			var rules []string
			for _, f := range d.Findings {
				rules = append(rules, f.Rule)
			}
			if strings.Join(rules, " ") != "doc/pack-unknown" {
				t.Errorf("prd of an unknown pack (held to no kind, so no prd rule and no missing Goals):%s", describeFindings(d.Findings))
			}
			if f := d.Findings[0]; !strings.Contains(f.Message, `rendered with pack "removed-course" `) || !strings.Contains(f.Message, "pin it again") || f.Severity != check.Error {
				t.Errorf("prd: %+v", f)
			}
		}
	}
}
