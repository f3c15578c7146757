package check_test

import (
	"bytes"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// brokenStory is the example story with a weasel word (a warning) and a
// result without numbers (an error).
func brokenStory(t *testing.T, p portfolio) string {
	t.Helper()
	s := "story/2026-03-16-wrong-match-spike-in-the-beta.md"
	d := setSection(t, string(p[s]), "Result", "It went significantly better afterwards.")
	p[s] = []byte(d)
	return s
}

func findings(rep *check.Report, path string) []check.Finding {
	for _, d := range rep.Documents {
		if d.Path == path {
			return d.Findings
		}
	}
	return nil
}

func rules(fs []check.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"="+f.Severity.String())
	}
	slices.Sort(out)
	return out
}

func TestOverrides(t *testing.T) {
	base := examplePortfolio(t, "core")
	story := brokenStory(t, base)
	prd := base.only("prd")
	base[prd] = []byte(setSection(t, string(base[prd]), "Launch plan", "Staged rollout, significantly safer: 10% of accounts on 2026-02-09, every account on 2026-02-23."))

	for _, tc := range []struct {
		name      string
		overrides []check.Override
		story     []string
		prd       []string
	}{
		{"none", nil,
			[]string{"doc/weasel-words=warning", "story/result-quantified=error"},
			[]string{"doc/weasel-words=warning", "prd/rollback=error"}},
		{"off everywhere", []check.Override{{Rule: "doc/weasel-words", Severity: check.Off}},
			[]string{"story/result-quantified=error"},
			[]string{"prd/rollback=error"}},
		{"severity", []check.Override{{Rule: "story/result-quantified", Severity: check.Info}},
			[]string{"doc/weasel-words=warning", "story/result-quantified=info"},
			[]string{"doc/weasel-words=warning", "prd/rollback=error"}},
		{"glob of rules, glob of paths", []check.Override{{Rule: "*", Paths: []string{"story/**"}, Severity: check.Off}},
			nil,
			[]string{"doc/weasel-words=warning", "prd/rollback=error"}},
		{"later wins", []check.Override{
			{Rule: "doc/*", Severity: check.Error},
			{Rule: "doc/weasel-words", Paths: []string{"prd/*.md"}, Severity: check.Info}},
			[]string{"doc/weasel-words=error", "story/result-quantified=error"},
			[]string{"doc/weasel-words=info", "prd/rollback=error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := run(t, base.clone(), tc.overrides...)
			if got := rules(findings(rep, story)); !slices.Equal(got, tc.story) {
				t.Errorf("story: %v, want %v", got, tc.story)
			}
			if got := rules(findings(rep, prd)); !slices.Equal(got, tc.prd) {
				t.Errorf("prd: %v, want %v", got, tc.prd)
			}
		})
	}

	t.Run("turned off rules are listed per document", func(t *testing.T) {
		rep := run(t, base.clone(), check.Override{Rule: "story/*", Paths: []string{"story/2026-03-16-*.md"}, Severity: check.Off})
		for _, d := range rep.Documents {
			off := slices.Contains(d.Disabled, "story/result-quantified")
			ran := slices.Contains(d.Rules, "story/result-quantified")
			if want := d.Path == story; off != want || (d.Kind == "story" && ran == want) {
				t.Errorf("%s: disabled %v, ran %v", d.Path, off, ran)
			}
		}
	})
}

func TestOverrideErrors(t *testing.T) {
	pk, err := pack.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		o    check.Override
		want string
	}{
		{check.Override{Rule: "prd/guardrial", Line: 7}, `pmfolio.yaml:7: check: rule "prd/guardrial" matches no rule; did you mean "prd/guardrail"? 'pmfolio check --list-rules' lists them`},
		{check.Override{Rule: "zz/*", Line: 3}, `pmfolio.yaml:3: check: rule "zz/*" matches no rule; 'pmfolio check --list-rules' lists them`},
		{check.Override{Rule: "prd/[", Line: 4}, `pmfolio.yaml:4: check: rule "prd/[" is not a valid pattern`},
		{check.Override{Rule: "prd/*", Paths: []string{"prd/[x"}, Line: 9}, `pmfolio.yaml:9: check: path "prd/[x" is not a valid glob`},
	} {
		_, err := check.New(packcheck.Spec(pk), check.Options{Read: func(string) ([]byte, error) { return nil, nil }, ConfigFile: "pmfolio.yaml", Overrides: []check.Override{tc.o}})
		var ce *yamlfile.Error
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %s...", tc.o, err, tc.want)
		}
	}
}

func TestDirectives(t *testing.T) {
	p := examplePortfolio(t, "core")
	story := brokenStory(t, p)
	d := string(p[story])
	cases := []struct {
		name string
		doc  string
		want []string
	}{
		{"none", d, []string{"doc/weasel-words=warning", "story/result-quantified=error"}},
		{"disable from here", replace(t, d, "## Result\n", "<!-- pmfolio-disable doc/weasel-words -->\n## Result\n"),
			[]string{"story/result-quantified=error"}},
		{"disable then enable", replace(t, d, "## Result\n", "<!-- pmfolio-disable doc/weasel-words -->\n<!-- pmfolio-enable doc/weasel-words -->\n## Result\n"),
			[]string{"doc/weasel-words=warning", "story/result-quantified=error"}},
		{"next line only", replace(t, d, "It went significantly", "<!-- pmfolio-disable-next-line doc/weasel-words, story/result-quantified -->\nIt went significantly"),
			[]string{"story/result-quantified=error"}},
		{"the whole file, every rule", replace(t, d, "## Learning\n", "<!-- pmfolio-disable-file -->\n## Learning\n"), nil},
		{"an unknown rule is reported", replace(t, d, "## Result\n", "<!-- pmfolio-disable doc/weasel-wrods -->\n## Result\n"),
			[]string{"doc/directive=warning", "doc/weasel-words=warning", "story/result-quantified=error"}},
		{"an unknown directive is reported", replace(t, d, "## Result\n", "<!-- pmfolio-silence doc/weasel-words -->\n## Result\n"),
			[]string{"doc/directive=warning", "doc/weasel-words=warning", "story/result-quantified=error"}},
		{"inside code it is text", replace(t, d, "## Result\n", "```\n<!-- pmfolio-disable-file -->\n```\n## Result\n"),
			[]string{"doc/weasel-words=warning", "story/result-quantified=error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := p.clone()
			q[story] = []byte(tc.doc)
			if got := rules(findings(run(t, q), story)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("a misspelt rule gets a suggestion", func(t *testing.T) {
		q := p.clone()
		q[story] = []byte(replace(t, d, "## Result\n", "<!-- pmfolio-disable doc/weasel-wrods -->\n## Result\n"))
		want := `pmfolio-disable names no rule "doc/weasel-wrods"; did you mean "doc/weasel-words"? 'pmfolio check --list-rules' lists them`
		var got []string
		for _, f := range findings(run(t, q), story) {
			if f.Rule == "doc/directive" {
				got = append(got, f.Message)
			}
		}
		if !slices.Equal(got, []string{want}) {
			t.Errorf("messages %q, want %q", got, want)
		}
	})
}

func TestScores(t *testing.T) {
	p := examplePortfolio(t, "core")
	story := brokenStory(t, p)
	rep := run(t, p)
	var sum, n int
	for _, d := range rep.Documents {
		want := 100
		if d.Path == story {
			want = 100 - 10 - 2 // one error, one warning
		}
		if d.Score != want {
			t.Errorf("%s scores %d, want %d", d.Path, d.Score, want)
		}
		sum += d.Score
		n++
	}
	if want := (sum + n/2) / n; rep.Score != want {
		t.Errorf("portfolio %d, want the mean %d", rep.Score, want)
	}
	if below := rep.BelowScore(99); !slices.Equal(below, []string{story}) {
		t.Errorf("below 99: %v", below)
	}

	// The plan is schedule, not quality: its findings are warnings, and
	// neither a document's score nor the portfolio's moves.
	delete(p, "interview/2026-01-16-staff-accountant-manufacturer.md")
	b := p.only("brief")
	p[b] = []byte(strings.ReplaceAll(string(p[b]), ", [2026-01-16-staff-accountant-manufacturer](../interview/2026-01-16-staff-accountant-manufacturer.md)", ""))
	before := map[string]int{}
	for _, d := range rep.Documents {
		before[d.Path] = d.Score
	}
	rep = run(t, p)
	var plan []string
	for _, f := range rep.Plan {
		plan = append(plan, f.Rule+"="+f.Severity.String())
		if f.Points != 0 {
			t.Errorf("plan finding %s costs %d points", f.Rule, f.Points)
		}
	}
	slices.Sort(plan)
	if want := []string{"plan/brief-links-interviews=warning", "plan/documents=warning"}; !slices.Equal(plan, want) {
		t.Fatalf("plan %v, want %v", plan, want)
	}
	sum, n = 0, 0
	for _, d := range rep.Documents {
		if d.Path != b && d.Score != before[d.Path] {
			t.Errorf("%s scores %d behind schedule, %d on it", d.Path, d.Score, before[d.Path])
		}
		sum += d.Score
		n++
	}
	if want := (sum + n/2) / n; rep.Score != want {
		t.Errorf("portfolio %d, want the mean %d", rep.Score, want)
	}
}

// TestScheduleApartFromScores: a portfolio of good documents checked a
// week after the plan ended, and an empty one started in the past, score
// 100; the gaps are warnings, errors with StrictPlan, and the progress
// says what is done and what to write next.
func TestScheduleApartFromScores(t *testing.T) {
	p := examplePortfolio(t, "core")
	for k := range p {
		if strings.HasPrefix(k, "story/") || strings.HasPrefix(k, "retro/") {
			delete(p, k)
		}
	}
	pk, _ := pack.Default()
	for _, strict := range []bool{false, true} {
		for _, docs := range []portfolio{p, {}} {
			c, err := check.New(packcheck.Spec(pk), check.Options{Read: func(n string) ([]byte, error) { return docs[n], nil }, ConfigFile: "pmfolio.yaml",
				Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Today: time.Date(2026, 4, 17, 0, 0, 0, 0, time.UTC), StrictPlan: strict})
			if err != nil {
				t.Fatal(err)
			}
			var in []check.Input
			for k := range docs {
				in = append(in, check.Input{Path: k})
			}
			rep, err := c.Run(check.Inputs(in), true)
			if err != nil {
				t.Fatal(err)
			}
			counts := rep.Apply(check.Policy{})
			for _, d := range rep.Documents {
				if d.Score != 100 {
					t.Errorf("%s scores %d", d.Path, d.Score)
				}
			}
			if rep.Score != 100 {
				t.Errorf("strict %v, %d documents: portfolio scores %d", strict, len(docs), rep.Score)
			}
			if len(rep.Plan) == 0 {
				t.Fatalf("strict %v, %d documents: no plan findings", strict, len(docs))
			}
			want := check.Warning
			if strict {
				want = check.Error
			}
			for _, f := range rep.Plan {
				if f.Severity != want {
					t.Errorf("strict %v: %s is %s", strict, f.Rule, f.Severity)
				}
			}
			if (counts.Failing > 0) != strict {
				t.Errorf("strict %v: %d failing", strict, counts.Failing)
			}
			pr := rep.Progress
			if pr == nil || len(pr.Months) != 3 || pr.Months[2].State != "due" || pr.Next == "" {
				t.Fatalf("progress %+v", pr)
			}
			if len(docs) > 0 && (pr.Months[0].State != "done" || pr.Next != "pmfolio new retro") {
				t.Errorf("progress %+v", pr)
			}
		}
	}
}

func TestPlanNotDueYet(t *testing.T) {
	p := examplePortfolio(t, "core")
	for k := range p {
		if strings.HasPrefix(k, "story/") || strings.HasPrefix(k, "teardown/") {
			delete(p, k)
		}
	}
	// Measured on 2026-03-01, month 3 (stories, teardown) is not over:
	// info, which never fails. On 2026-04-10 it is: errors.
	for today, want := range map[string]check.Severity{"2026-03-01": check.Info, "2026-04-10": check.Warning} {
		day, _ := time.Parse("2006-01-02", today)
		pk, _ := pack.Default()
		c, err := check.New(packcheck.Spec(pk), check.Options{Read: func(n string) ([]byte, error) { return p[n], nil }, ConfigFile: "pmfolio.yaml",
			Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Today: day})
		if err != nil {
			t.Fatal(err)
		}
		var in []check.Input
		for k := range p {
			in = append(in, check.Input{Path: k})
		}
		rep, err := c.Run(check.Inputs(in), true)
		if err != nil {
			t.Fatal(err)
		}
		counts := rep.Apply(check.Policy{})
		if len(rep.Plan) != 2 {
			t.Fatalf("%s: plan %s", today, describeFindings(rep.Plan))
		}
		for _, f := range rep.Plan {
			if f.Severity != want || !strings.Contains(f.Message, "due 2026-04-05") {
				t.Errorf("%s: %s %s: %s", today, f.Rule, f.Severity, f.Message)
			}
		}
		if failing := counts.Failing > 0; failing {
			t.Errorf("%s: %d failing", today, counts.Failing)
		}
	}
}

func TestBaseline(t *testing.T) {
	p := examplePortfolio(t, "core")
	story := brokenStory(t, p)
	rep := run(t, p)
	var buf bytes.Buffer
	if err := rep.WriteBaseline(&buf); err != nil {
		t.Fatal(err)
	}
	bl, err := check.ReadBaseline("baseline.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if bl.Len() != 2 {
		t.Fatalf("baseline of %d findings:\n%s", bl.Len(), buf.String())
	}

	// Lines moved: the same findings are still known.
	p[story] = []byte(replace(t, string(p[story]), "## Headline\n", "## Headline\n\n\n\n"))
	rep = run(t, p)
	if c := rep.Apply(check.Policy{Strict: true, Baseline: bl}); c.Failing != 0 || c.Baselined != 2 {
		t.Errorf("after moving lines: %+v", c)
	}
	// A new finding fails; the known ones still do not.
	p[story] = []byte(replace(t, string(p[story]), "## Learning\n", "## Learning\n\nTODO\n"))
	rep = run(t, p)
	c := rep.Apply(check.Policy{Baseline: bl})
	if c.Failing != 1 || c.Baselined != 2 {
		t.Errorf("with a new finding: %+v", c)
	}
	for _, f := range findings(rep, story) {
		if f.Failing != (f.Rule == "doc/placeholder") {
			t.Errorf("%s failing %v", f.Rule, f.Failing)
		}
	}

	for name, data := range map[string]string{"not json": "{", "wrong version": `{"version": 9, "findings": []}`} {
		if _, err := check.ReadBaseline("b.json", []byte(data)); err == nil || !strings.HasPrefix(err.Error(), "b.json: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestStrict(t *testing.T) {
	p := examplePortfolio(t, "core")
	brokenStory(t, p)
	rep := run(t, p)
	if c := rep.Apply(check.Policy{}); c.Failing != 1 || c.Errors != 1 || c.Warnings != 1 {
		t.Errorf("not strict: %+v", c)
	}
	if c := rep.Apply(check.Policy{Strict: true}); c.Failing != 2 {
		t.Errorf("strict: %+v", c)
	}
}

func TestWhatIsADocument(t *testing.T) {
	p := examplePortfolio(t, "core")
	p["prd/README.md"] = []byte("# Product requirements documents\n\nWrite one with pmfolio new prd.\n")
	p["notes/ideas.md"] = []byte("# Ideas\n\nTODO: sort these.\n")
	p["prd/2026-02-01-handwritten.md"] = []byte("# A PRD written by hand\n\n## Summary\n\nNothing yet.\n")
	rep := run(t, p)
	var paths []string
	for _, d := range rep.Documents {
		paths = append(paths, d.Path)
	}
	if slices.Contains(paths, "prd/README.md") || slices.Contains(paths, "notes/ideas.md") {
		t.Errorf("checked an index or a note: %v", paths)
	}
	hand := findings(rep, "prd/2026-02-01-handwritten.md")
	if got := rules(hand); !slices.Contains(got, "doc/front-matter=error") || !slices.Contains(got, "doc/section-missing=error") {
		t.Errorf("a document without front matter in prd/ is a prd: %v", got)
	}

	// Named explicitly, a file with pmfolio front matter, or in a kind's
	// folder, or whose headings say its kind, is checked; a note nothing
	// says is a document is skipped, and the report says why (issue 14:
	// a pre-commit hook names every Markdown file of a commit).
	c := newChecker(t, p)
	d, _, err := c.Document(check.Input{Path: "notes/ideas.md", Explicit: true})
	if err != nil || d != nil {
		t.Fatalf("explicit note: %v %v", d, err)
	}
	p["notes/marked.md"] = []byte("---\nkind: story\n---\n# Ideas\n\nTODO: sort these.\n")
	rep, err = c.Run(check.Inputs([]check.Input{{Path: "notes/ideas.md", Explicit: true}, {Path: "prd/README.md", Explicit: true}, {Path: "notes/marked.md", Explicit: true}}), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Documents) != 1 || rep.Documents[0].Path != "notes/marked.md" || len(rep.Skipped) != 2 ||
		rep.Skipped[0].Path != "notes/ideas.md" || !strings.Contains(rep.Skipped[0].Reason, "not a portfolio document") ||
		rep.Skipped[1].Path != "prd/README.md" || !strings.Contains(rep.Skipped[1].Reason, "an index") {
		t.Errorf("documents %+v, skipped %+v", rep.Documents, rep.Skipped)
	}
	if _, _, err := c.Document(check.Input{Path: "missing.md", Explicit: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file that cannot be read is an error, not a finding: %v", err)
	}
}

func TestFrontMatterProblems(t *testing.T) {
	p := examplePortfolio(t, "core")
	s := p.only("story")
	for name, tc := range map[string]struct {
		doc  func(string) string
		want string
		line int
	}{
		// The line of the flow sequence's opening bracket (yamlfile
		// corrects yaml.v3's 0-based lines for parser errors).
		"bad yaml":  {func(d string) string { return strings.Replace(d, "title: ", "title: [", 1) }, "front matter does not parse", 3},
		"bad date":  {func(d string) string { return strings.Replace(d, `date: "2026-03-16"`, `date: 16/03/2026`, 1) }, `date "16/03/2026"`, 5},
		"bad track": {func(d string) string { return strings.Replace(d, "track: core", "track: platform", 1) }, `track "platform"`, 7},
		"unclosed":  {func(d string) string { return strings.Replace(d, "---\n\n#", "\n#", 1) }, "not closed", 1},
	} {
		q := p.clone()
		q[s] = []byte(tc.doc(string(q[s])))
		fs := findings(run(t, q), s)
		found := false
		for _, f := range fs {
			if f.Rule == "doc/front-matter" && strings.Contains(f.Message, tc.want) && f.Line == tc.line {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: %s", name, describeFindings(fs))
		}
	}
}

func TestRunErrors(t *testing.T) {
	p := examplePortfolio(t, "core")
	c := newChecker(t, p)
	in := []check.Input{{Path: "story/2026-03-16-wrong-match-spike-in-the-beta.md"}, {Path: "story/missing-1.md"}, {Path: "story/missing-2.md"}}
	if _, err := c.Run(check.Inputs(in), false); err == nil || !strings.HasPrefix(err.Error(), "story/missing-1.md: ") {
		t.Errorf("the first unreadable input in order: %v", err)
	}
	walkErr := errors.New("walk failed")
	seq := func(yield func(check.Input, error) bool) {
		if yield(in[0], nil) {
			yield(check.Input{}, walkErr)
		}
	}
	if _, err := c.Run(seq, true); !errors.Is(err, walkErr) {
		t.Errorf("an error of the sequence: %v", err)
	}
}

func TestLookupSuggests(t *testing.T) {
	c := newChecker(t, portfolio{})
	for id, want := range map[string][]string{
		"doc/weasle-words": {"doc/weasel-words"},
		"prd/metric":       {"prd/metric-quantified", "retro/metric-from-prd", "retro/metrics-table", "teardown/metric-target"},
		"plan":             {"plan/brief-links-interviews", "plan/documents", "plan/failure-story", "plan/retro-follows-prd", "plan/story-competencies"},
	} {
		_, err := c.Lookup(id)
		var ue *check.UnknownRuleError
		if !errors.As(err, &ue) || !slices.Equal(ue.Similar, want) {
			t.Errorf("%s: %v, suggested %v", id, err, ue)
		}
	}
	if r, err := c.Lookup("story/first-person"); err != nil || r.Kind != "story" || r.Origin != "pmfolio" {
		t.Errorf("%+v %v", r, err)
	}
	if r, err := c.Lookup("teardown/jtbd"); err != nil || r.Origin != `pack "default"` || r.Explain == "" {
		t.Errorf("%+v %v", r, err)
	}
}
