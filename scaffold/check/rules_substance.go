package check

import (
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// The kind-specific rules that need more than a pattern. Each names the
// default pack's kind and section it reads; in a pack without them it
// finds nothing to check and stays silent.

func substanceRules() []*Rule {
	return []*Rule{
		{
			ID: "interview/contact-details", Kind: "interview", Severity: Warning,
			Framework: "Research ethics: anonymised participants",
			Message:   "the note holds no e-mail address or phone number",
			Explain: `Interview notes go into a portfolio hiring managers read. Participants agreed
to a conversation, not to being identifiable: keep a role and a segment, never
a name, an e-mail address or a phone number.

Fix: remove the contact details; keep them, if at all, outside the portfolio.`,
			doc: checkContactDetails,
		},
		{
			ID: "brief/outcome-quantified", Kind: "brief", Severity: Error,
			Framework: "Working Backwards (Amazon); Cagan's opportunity assessment",
			Message:   "the desired outcome has a number and a timeframe",
			Explain: `An outcome is a metric moving from a baseline to a target by a date: "share
of payments matched without a manual search, from 62% to 80% by 2026-06-30".
Without a number nobody can tell whether the opportunity was worth it; without
a timeframe nobody can tell when to look.

Fix: name the metric, its baseline and target, and a date or a window
("within 90 days", "by Q3", "by 2026-06-30").`,
			doc: checkBriefOutcome,
		},
		{
			ID: "brief/evidence-interviews", Kind: "brief", Severity: Error,
			Framework: "Continuous discovery (Teresa Torres): interview snapshots",
			Message:   "the evidence links at least five interview notes",
			Explain: `One conversation is an anecdote; five show a pattern. The brief's evidence
links the interview notes it is built on, so a reader can check the quotes and
counts against the conversations.

Fix: link each interview note in the Evidence section, e.g.
[AR specialist](../interview/2026-01-09-ar-specialist-midsize-distributor.md),
or answer the brief's 'interviews' question with their paths.`,
			doc:   checkBriefEvidence,
			links: true,
		},
		{
			ID: "prd/metric-quantified", Kind: "prd", Severity: Error,
			Framework: "Kevin Yien's and Figma's PRD templates; Working Backwards",
			Message:   "a success metric moves from a baseline to a target within a timeframe",
			Explain: `The primary metric line is the PRD's promise: "checkout conversion from 12% to
18% within 30 days of launch". It needs two numbers (the baseline and the
target) and a timeframe, all on one line or list item, so that the retro can
report against it.

Fix: write the primary metric as "METRIC: from BASELINE to TARGET within N
days" (or "by DATE").`,
			doc: checkPRDMetric,
		},
		{
			ID: "prd/non-goal-reason", Kind: "prd", Severity: Error,
			Framework: "Kevin Yien's PRD template (non-goals)",
			Message:   "every non-goal gives its reason",
			Explain: `A non-goal without a reason reads as an omission; with a reason it shows
judgement and stops the scope discussion before it starts.

Fix: give each non-goal its reason, in the table's Reason column or after
"because" in a list item.`,
			doc: checkNonGoals,
		},
		{
			ID: "prd/breaking-change-date", Kind: "prd", Track: doc.TrackTechnical, Severity: Error,
			Framework: "Google AIP-180 (backwards compatibility)",
			Message:   "a breaking change names the date it takes effect",
			Explain: `Integrators plan around breaking changes. AIP-180 treats a change that can
break clients as a new version or an opt-in with a published date; a breaking
change without a date cannot be planned for.

Fix: state the date the change takes effect (and how clients opt in until
then), or say "Breaking changes: none".`,
			doc: checkBreakingChange,
		},
		{
			ID: "prd/status", Kind: "prd", Severity: Warning,
			Framework: "PRD review stages",
			Message:   "the status is a review stage: Draft, Problem review, Solution review, Launch review or Launched",
			Explain: `A PRD moves through reviews: Draft → Problem review → Solution review →
Launch review → Launched. A status outside that list tells the reader nothing
about what has been agreed.

Fix: set 'status:' in the front matter to one of the stages.`,
			doc: checkPRDStatus,
		},
		{
			ID: "prd/rollback-threshold", Kind: "prd", Severity: Error,
			Framework: "Launch review practice; SRE",
			Message:   "the rollback or kill criterion has a threshold, a number",
			Explain: `A rollback trigger without a number is a judgement made during the incident,
under pressure: "turn the flag off if wrong matches go above too many" decides
nothing. The standard asks for the threshold, as the interview does.

Fix: give the number and its window: "turn the flag off if the wrong-match
rate goes above 3% on any day".`,
			doc: checkRollbackThreshold,
		},
		{
			ID: "retro/metrics-table", Kind: "retro", Severity: Error,
			Framework: "Google SRE postmortem; Amazon Correction of Errors",
			Message:   "the metrics table has a row with a numeric target and actual",
			Explain: `A retrospective reports the launch against what the PRD promised: a table
of metric, baseline, target, actual and window. Without numbers for target and
actual, "it went well" cannot be checked.

Fix: add a table under "Metrics vs target":
| Metric | Baseline | Target | Actual | Window |
with at least one row of numbers.`,
			doc: checkRetroMetrics,
		},
		{
			ID: "retro/metric-from-prd", Kind: "retro", Severity: Warning,
			Framework: "Google SRE postmortem; Amazon Correction of Errors",
			Message:   "the metrics in the table are the ones the linked PRD named",
			Explain: `A retro that reports different metrics from the ones its PRD promised moves
the goalposts. Name each metric as the PRD's success metrics did.

Fix: use the PRD's metric names in the table's first column, or update the
PRD if the metric really changed (and say why in the retro).`,
			doc: checkRetroMetricNames,
		},
		{
			ID: "retro/action-owner-date", Kind: "retro", Severity: Error,
			Framework: "Google SRE postmortem (action items); Amazon COE",
			Message:   "every action item has an owner and a due date",
			Explain: `An action item without one owner and a due date does not get done; SRE
postmortems track each one like a bug.

Fix: give each item an owner and a date, e.g. in a table
| Action | Owner | Due |.`,
			doc: checkActionItems,
		},
		{
			ID: "teardown/friction-evidence", Kind: "teardown", Severity: Error,
			Framework: "Product teardown practice",
			Message:   "each friction point carries evidence: a link, an image or a number",
			Explain: `A friction point without evidence is an opinion. A link to the docs, a
screenshot or a measurement ("6 clicks across 2 pages") makes it a finding.

Fix: add the evidence after each friction point.`,
			doc: checkFriction,
		},
		{
			ID: "story/result-quantified", Kind: "story", Severity: Error,
			Framework: "STAR method (Situation, Task, Action, Result)",
			Message:   "the result has a number and a timeframe, or a before → after",
			Explain: `Interviewers remember results in numbers: "wrong matches fell from 9% to 1.4%
within 30 days". A result without one sounds like an activity.

Fix: quantify the result and say over what time, or from what to what.`,
			doc: checkStoryResult,
		},
		{
			ID: "story/first-person", Kind: "story", Severity: Error,
			Framework: "STAR method: the interviewer is hiring you, not your team",
			Message:   "the action says \"I\" at least as often as \"we\"",
			Explain: `Behavioural interviews probe what you did. An action told as "we" hides your
part; interviewers will ask "and what did you do?".

Fix: rewrite the steps in the first person: "I decided", "I wrote", "I
convinced".`,
			doc: checkFirstPerson,
		},
	}
}

// unit is a piece of a section a quantity must fit in: a list item, a
// table row or a line.
type unit struct {
	text string
	line int
}

func units(s *doc.Section, text string) []unit {
	var out []unit
	for _, l := range s.Lists() {
		for _, it := range l.Items {
			out = append(out, unit{it.Text, it.Line})
		}
	}
	for _, t := range s.Tables() {
		for _, r := range t.Rows {
			out = append(out, unit{strings.Join(r.Cells, " "), r.Line})
		}
	}
	for i, l := range strings.Split(text, "\n") {
		// Lines of lists and tables are already in as items and rows.
		if t := strings.TrimLeft(l, " \t"); t == "" || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "+ ") || listNumberRE().MatchString(t) {
			continue
		}
		out = append(out, unit{l, s.BodyLine + i})
	}
	return out
}

var listNumberRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d+[.)]\s`) })

func checkBriefOutcome(c *Ctx) {
	s, text, ok := c.section("Desired outcome")
	if !ok {
		return
	}
	q := quantify(text)
	switch {
	case q.numbers == 0 && !q.timeframe:
		c.report(s.Line, "the desired outcome has no number and no timeframe: give the metric from its baseline to a target by a date")
	case q.numbers == 0:
		c.report(s.Line, "the desired outcome has no number: give the metric's baseline and target")
	case !q.timeframe:
		c.report(s.Line, "the desired outcome has no timeframe: say by when (a date, a quarter, \"within 90 days\")")
	}
}

// kindFolder is the folder of kind id in the pack, or "".
func (c *Ctx) kindFolder(id string) string {
	if k := c.checker.spec.kind(id); k != nil {
		return k.Folder
	}
	return ""
}

func checkBriefEvidence(c *Ctx) {
	s, _, ok := c.section("Evidence")
	if !ok {
		return
	}
	need := 5
	if k := c.checker.spec.kind("interview"); k != nil && k.Target > 0 {
		need = k.Target
	}
	folder := c.kindFolder("interview")
	notes := map[string]bool{}
	for _, l := range c.Doc.LinksIn(s) {
		if p := resolve(c.Path, l.Dest); p != "" && strings.HasSuffix(p, ".md") && (folder == "" || path.Dir(p) == folder) {
			notes[p] = true
		}
	}
	if len(notes) < need {
		c.report(s.Line, "the evidence links %s; link at least %d", describe(len(notes), "interview note", "interview notes"), need)
	}
}

func checkPRDMetric(c *Ctx) {
	s, text, ok := c.section("Success metrics")
	if !ok {
		return
	}
	for _, u := range units(s, text) {
		if q := quantify(u.text); q.numbers >= 2 && q.timeframe {
			return
		}
	}
	c.report(s.Line, "no success metric moves from a baseline to a target within a timeframe, e.g. \"from 12%% to 18%% within 30 days\"")
}

var reasonRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:because|since|as|so|due to|reasons?|until|instead|given|rather than|to keep|to avoid|for now|out of scope)\b|[:—–(]|\s-\s`)
})

func checkNonGoals(c *Ctx) {
	s, _, ok := c.section("Non-goals")
	if !ok {
		return
	}
	if len(s.Tables()) > 0 {
		for _, t := range s.Tables() {
			col := len(t.Header) - 1
			for i, h := range t.Header {
				if hl := strings.ToLower(h); strings.Contains(hl, "reason") || strings.Contains(hl, "why") {
					col = i
				}
			}
			for _, r := range t.Rows {
				reason := ""
				if col > 0 && col < len(r.Cells) {
					reason = r.Cells[col]
				}
				if countWords(reason) < 2 {
					c.report(r.Line, "non-goal %q gives no reason", clip(first(r.Cells)))
				}
			}
		}
		return
	}
	for _, l := range s.Lists() {
		for _, it := range l.Items {
			if !reasonRE().MatchString(it.Text) {
				c.report(it.Line, "non-goal %q gives no reason: add why it is out of scope", clip(it.Text))
			}
		}
	}
}

func first(cells []string) string {
	if len(cells) == 0 {
		return ""
	}
	return cells[0]
}

var noBreakingRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:no|none|without|zero|not)\b[^.\n]{0,30}breaking|breaking[^.\n]{0,20}\b(?:none|no)\b`)
})

func checkBreakingChange(c *Ctx) {
	s, text, ok := c.section("Compatibility and migration")
	if !ok {
		return
	}
	if !strings.Contains(strings.ToLower(text), "breaking") || noBreakingRE().MatchString(text) || hasDate(text) {
		return
	}
	c.report(s.Line, "a breaking change is mentioned without the date it takes effect")
}

var prdStages = []string{"draft", "problem review", "solution review", "launch review", "launched"}

func checkPRDStatus(c *Ctx) {
	fm := c.Doc.Front
	if fm == nil || fm.Status == "" {
		return
	}
	st := strings.ToLower(strings.TrimSpace(fm.Status))
	for _, s := range prdStages {
		if st == s {
			return
		}
	}
	c.report(keyLine(c.Doc.FrontNode, "status"), "status %q is not a review stage: Draft, Problem review, Solution review, Launch review or Launched", fm.Status)
}

// column finds the first header containing one of names, or -1.
func column(t *doc.Table, names ...string) int {
	for i, h := range t.Header {
		hl := strings.ToLower(h)
		for _, n := range names {
			if strings.Contains(hl, n) {
				return i
			}
		}
	}
	return -1
}

func cell(r doc.Row, i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

func checkRetroMetrics(c *Ctx) {
	s, _, ok := c.section("Metrics vs target")
	if !ok {
		return
	}
	if len(s.Tables()) == 0 {
		c.report(s.Line, "no metrics table: add | Metric | Baseline | Target | Actual | Window | with a row per metric")
		return
	}
	for _, t := range s.Tables() {
		tc, ac := column(&t, "target"), column(&t, "actual")
		if tc < 0 || ac < 0 {
			continue
		}
		for _, r := range t.Rows {
			if hasDigit(cell(r, tc)) && hasDigit(cell(r, ac)) {
				return
			}
		}
		c.report(t.Line, "no row of the metrics table has a number for both target and actual")
		return
	}
	c.report(s.Tables()[0].Line, "the metrics table has no Target and Actual columns")
}

// metricNames are the first-column cells of a retro's metrics table.
func metricNames(s *doc.Section) []doc.Row {
	var rows []doc.Row
	for _, t := range s.Tables() {
		mc := column(&t, "metric")
		if mc < 0 {
			mc = 0
		}
		for _, r := range t.Rows {
			if name := cell(r, mc); name != "" {
				rows = append(rows, doc.Row{Line: r.Line, Cells: []string{name}})
			}
		}
	}
	return rows
}

// linkTo returns the first link of d into kind's folder, resolved.
func (c *Ctx) linkTo(kind string) string {
	folder := c.kindFolder(kind)
	if folder == "" {
		return ""
	}
	for _, l := range c.Doc.Links {
		if p := resolve(c.Path, l.Dest); p != "" && path.Dir(p) == folder && strings.HasSuffix(p, ".md") {
			return p
		}
	}
	return ""
}

func checkRetroMetricNames(c *Ctx) {
	s, _, ok := c.section("Metrics vs target")
	if !ok {
		return
	}
	prd := c.linkTo("prd")
	if prd == "" {
		return
	}
	sum := c.checker.linkedSummary(prd)
	if sum != nil {
		c.deps = append(c.deps, cacheDep{Path: prd, Hash: sum.hash})
	} else {
		c.deps = append(c.deps, cacheDep{Path: prd, Exists: false})
	}
	if sum == nil || sum.metricsText == "" {
		return
	}
	for _, r := range metricNames(s) {
		if !strings.Contains(sum.metricsText, normalize(r.Cells[0])) {
			c.report(r.Line, "metric %q is not one of the success metrics of %s; use the PRD's name for it", clip(r.Cells[0]), prd)
		}
	}
}

var ownerRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i:\bowner\b)|@[\w.-]+|[—–]\s*\p{Lu}|\(\p{Lu}\p{Ll}+`)
})

// ownersFirstRE is an item that starts with the people who own it: "Nick,
// Quinn, Beyang document ...", "Priya to add ...", "Sam: decide ...".
var ownersFirstRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*(?:\*\*)?(\p{Lu}[\p{L}'.-]*(?:\s\p{Lu}[\p{L}'.-]*)?)((?:\s*(?:,|&|/|\band\b)\s*\p{Lu}[\p{L}'.-]*(?:\s\p{Lu}[\p{L}'.-]*)?)*)(?:\*\*)?\s*(?::|[—–-]\s|\bto\s|\bwill\s|(\p{Ll}+)\b)`)
})

// isImperative reports whether a word, lower case, starts an action item
// that names no owner: "Add alarms", "Document the process".
func isImperative(w string) bool {
	switch w {
	case "add", "update", "create", "fix", "write", "document", "review", "investigate", "remove", "improve",
		"implement", "move", "set", "make", "check", "ensure", "monitor", "test", "build", "migrate", "automate",
		"schedule", "follow", "define", "audit", "alert", "run", "track", "identify", "ask", "better", "decide",
		"the", "a", "an", "all", "each", "every", "we", "no", "new", "more":
		return true
	}
	return false
}

// ownersFirst reports whether an action item starts with its owners.
func ownersFirst(text string) bool {
	m := ownersFirstRE().FindStringSubmatch(text)
	if m == nil {
		return false
	}
	// Several names before a verb, or one that is not a verb or a
	// determiner, before "to", "will", a colon or a verb ending in s.
	if m[2] != "" {
		return true
	}
	return !isImperative(strings.ToLower(strings.Fields(m[1])[0])) && (m[3] == "" || strings.HasSuffix(m[3], "s"))
}

func checkActionItems(c *Ctx) {
	s, _, ok := c.section("Action items")
	if !ok {
		return
	}
	for _, t := range s.Tables() {
		oc, dc := column(&t, "owner", "who"), column(&t, "due", "date", "when", "deadline")
		for _, r := range t.Rows {
			row := strings.Join(r.Cells, " ")
			if strings.TrimSpace(row) == "" {
				continue // an empty row of a template's table
			}
			owner := oc >= 0 && strings.TrimSpace(cell(r, oc)) != "" || oc < 0 && ownerRE().MatchString(row)
			due := cell(r, dc)
			if dc < 0 {
				due = row
			}
			dated := hasDate(due) || hasTimeframe(due)
			if !owner || !dated {
				c.report(r.Line, "action item %q %s", clip(first(r.Cells)), missingOwnerDate(owner, dated))
			}
		}
	}
	for _, l := range s.Lists() {
		for _, it := range l.Items {
			if strings.TrimSpace(it.Text) == "" {
				continue // doc/placeholder's: an empty item
			}
			owner, dated := ownerRE().MatchString(it.Text) || ownersFirst(it.Text), hasDate(it.Text) || hasTimeframe(it.Text)
			if !owner || !dated {
				c.report(it.Line, "action item %q %s", clip(it.Text), missingOwnerDate(owner, dated))
			}
		}
	}
	if len(s.Tables()) == 0 && len(s.Lists()) == 0 {
		c.report(s.Line, "no action items as a list or a table, each with an owner and a due date")
	}
}

func missingOwnerDate(owner, dated bool) string {
	switch {
	case !owner && !dated:
		return "has no owner and no due date"
	case !owner:
		return "has no owner"
	}
	return "has no due date"
}

var imageRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)https?://|\.(?:png|jpe?g|gif|webp|svg)\b`) })

func checkFriction(c *Ctx) {
	s, _, ok := c.section("Friction points")
	if !ok || len(s.Lists()) == 0 {
		return
	}
	items := s.Lists()[0].Items
	links := c.Doc.LinksIn(s)
	for i, it := range items {
		end := s.EndLine
		if i+1 < len(items) {
			end = items[i+1].Line - 1
		}
		evidence := hasDigit(it.Text) || imageRE().MatchString(it.Text)
		for _, l := range links {
			if l.Line >= it.Line && l.Line <= end {
				evidence = true
			}
		}
		if !evidence {
			c.report(it.Line, "friction point %q has no evidence: add a link, a screenshot or a number", clip(it.Text))
		}
	}
}

func checkStoryResult(c *Ctx) {
	s, text, ok := c.section("Result")
	if !ok {
		return
	}
	q := quantify(text)
	switch {
	case q.numbers == 0 && !q.change:
		c.report(s.Line, "the result has no number: quantify it, e.g. \"from 9%% to 1.4%% within 30 days\"")
	case !q.timeframe && !q.change:
		c.report(s.Line, "the result has no timeframe and no before → after: say over what time, or from what to what")
	}
}

func checkFirstPerson(c *Ctx) {
	s, text, ok := c.section("Action")
	if !ok {
		return
	}
	i, we := 0, 0
	for _, tk := range tokenize(text) {
		switch {
		case tk.kind != word:
		case text[tk.start:tk.end] == "I":
			i++
		case tk.text == "we":
			we++
		}
	}
	if we > i {
		c.report(s.Line, "the action says \"we\" %d times and \"I\" %d times: say what you did", we, i)
	}
}

// rollbackRE is a rollback or kill criterion, as prd/rollback finds it.
var rollbackRE = sync.OnceValue(func() *matcher {
	return newMatcher(regexp.MustCompile(`(?i)roll-?\s?back|\bkill\b|turn(?:s|ed)? (?:the |it )?(?:feature )?(?:flag )?off|switch(?:ed)? off|revert|\bpause|disable`))
})

func checkRollbackThreshold(c *Ctx) {
	s, text, ok := c.section("Launch plan")
	if !ok || !rollbackRE().match(c.sectionProse(s)) {
		return
	}
	var triggers []unit
	for _, u := range units(s, text) {
		if rollbackRE().matchString(u.text) {
			if hasDigit(u.text) {
				return
			}
			triggers = append(triggers, u)
		}
	}
	if len(triggers) > 0 {
		c.report(triggers[0].line, "the rollback trigger %q has no threshold: say at what number it fires, e.g. \"if wrong matches exceed 3%% on any day\"", clip(strings.TrimSpace(triggers[0].text)))
	}
}
