package check_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// reportFixture checks testdata/report as a whole portfolio: a PRD with
// errors and warnings (one of them in a baseline), a story with a rule
// turned off for it, a clean retro, and a 90-day plan far from done.
func reportFixture(t *testing.T) *check.Report {
	t.Helper()
	p := portfolio{}
	err := filepath.WalkDir("testdata/report", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(name)
		rel, _ := filepath.Rel("testdata/report", name)
		p[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	off := check.Override{Rule: "story/first-person", Paths: []string{"story/*.md"}, Severity: check.Off}
	rep := run(t, p, off)

	// The baseline holds the PRD's weasel word.
	var all bytes.Buffer
	if err := rep.WriteBaseline(&all); err != nil {
		t.Fatal(err)
	}
	var bf map[string]any
	if err := json.Unmarshal(all.Bytes(), &bf); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, f := range bf["findings"].([]any) {
		if f.(map[string]any)["rule"] == "doc/weasel-words" {
			kept = append(kept, f)
		}
	}
	bf["findings"] = kept
	data, _ := json.Marshal(bf)
	bl, err := check.ReadBaseline("baseline.json", data)
	if err != nil || bl.Len() != 1 {
		t.Fatalf("baseline: %v %v", bl, err)
	}
	rep.Apply(check.Policy{Baseline: bl})
	return rep
}

var goldenOutput = check.Output{
	Version: "0.0.0-test",
	Now:     time.Date(2026, 4, 10, 9, 30, 0, 0, time.UTC),
	// As printed from a folder above the portfolio.
	Path: func(p string) string { return "portfolio/" + p },
}

var goldenFiles = map[string]string{
	"text": "report.txt", "json": "report.json", "junit": "report.xml", "github": "report.github", "sarif": "report.sarif",
}

func writeReport(t *testing.T, rep *check.Report, format string, color bool) []byte {
	t.Helper()
	o := goldenOutput
	o.Format, o.Color = format, color
	var b bytes.Buffer
	if err := check.Write(&b, rep, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", name, file, firstDiff(string(got), string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got " + a + "\nwant " + b
		}
	}
	return ""
}

func TestGoldenReports(t *testing.T) {
	rep := reportFixture(t)
	for format, file := range goldenFiles {
		t.Run(format, func(t *testing.T) { golden(t, file, writeReport(t, rep, format, false)) })
	}
	t.Run("text in colour", func(t *testing.T) {
		out := writeReport(t, rep, "text", true)
		if !bytes.Contains(out, []byte("\x1b[31merror")) {
			t.Error("no red error in coloured text")
		}
		golden(t, "report.color.txt", out)
	})
	for _, format := range check.Formats {
		if !strings.Contains(string(writeReport(t, rep, format, false)), "portfolio/prd/2026-01-26-suggested") {
			t.Errorf("%s does not print paths through Output.Path", format)
		}
	}
	if err := check.Write(&bytes.Buffer{}, rep, check.Output{Format: "yaml"}); err == nil {
		t.Error("an unknown format was accepted")
	}
}

// TestFixtureCoversTheReport keeps the golden reports meaningful: they
// must show every severity, a baselined finding, a turned-off rule, the
// plan, and a path that needs escaping (the PRD's has a space).
func TestFixtureCoversTheReport(t *testing.T) {
	rep := reportFixture(t)
	c := rep.Counts()
	if c.Errors == 0 || c.Warnings == 0 || c.Baselined != 1 || c.Failing == 0 || len(rep.Plan) == 0 {
		t.Errorf("counts %+v, plan %d", c, len(rep.Plan))
	}
	disabled := false
	for _, d := range rep.Documents {
		disabled = disabled || len(d.Disabled) > 0
	}
	if !disabled {
		t.Error("no rule is turned off")
	}
}

// sarifSchema finds the OASIS SARIF 2.1.0 schema: $PMFOLIO_SARIF_SCHEMA,
// else the shared copy beside the repository.
func sarifSchema(t *testing.T) string {
	if p := os.Getenv("PMFOLIO_SARIF_SCHEMA"); p != "" {
		return p
	}
	p, _ := filepath.Abs("../../../shared/schemas/sarif-schema-2.1.0.json")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no SARIF schema at %s; set PMFOLIO_SARIF_SCHEMA to the OASIS sarif-schema-2.1.0.json to validate", p)
	}
	return p
}

func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	schemaFile := sarifSchema(t)
	c := jsonschema.NewCompiler()
	schema, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatalf("compile %s: %v", schemaFile, err)
	}
	for name, rep := range map[string]*check.Report{
		"fixture":  reportFixture(t),
		"examples": run(t, examplePortfolio(t, "technical")),
	} {
		out := writeReport(t, rep, "sarif", false)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", name, err)
		}
	}
}

// junitSuites mirrors what the Ant JUnit schema requires, to check the
// report without an XSD validator.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Attrs   []xml.Attr
	Suites  []struct {
		Package   string `xml:"package,attr"`
		ID        string `xml:"id,attr"`
		Name      string `xml:"name,attr"`
		Timestamp string `xml:"timestamp,attr"`
		Hostname  string `xml:"hostname,attr"`
		Tests     int    `xml:"tests,attr"`
		Failures  int    `xml:"failures,attr"`
		Errors    *int   `xml:"errors,attr"`
		Skipped   int    `xml:"skipped,attr"`
		Time      string `xml:"time,attr"`
		Props     *struct {
			Props []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"property"`
		} `xml:"properties"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			File      string `xml:"file,attr"`
			Skipped   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"skipped"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
		SystemOut *string `xml:"system-out"`
		SystemErr *string `xml:"system-err"`
	} `xml:"testsuite"`
}

func TestJUnitFollowsTheSchema(t *testing.T) {
	rep := reportFixture(t)
	out := writeReport(t, rep, "junit", false)
	var js junitSuites
	if err := xml.Unmarshal(out, &js); err != nil {
		t.Fatal(err)
	}
	stamp := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$`)
	if len(js.Suites) != len(rep.Documents)+1 {
		t.Errorf("%d suites for %d documents and the plan", len(js.Suites), len(rep.Documents))
	}
	failures := 0
	for i, s := range js.Suites {
		if s.Package == "" || s.ID != strconv.Itoa(i) || s.Name == "" || !stamp.MatchString(s.Timestamp) || s.Hostname == "" || s.Errors == nil || s.Time == "" {
			t.Errorf("suite %d lacks a required attribute: %+v", i, s)
		}
		if s.Props == nil || s.SystemOut == nil || s.SystemErr == nil {
			t.Errorf("suite %s lacks properties, system-out or system-err", s.Name)
		}
		f, sk := 0, 0
		for _, c := range s.Cases {
			if c.Name == "" || c.Classname == "" || c.Time == "" {
				t.Errorf("%s: testcase lacks name, classname or time", s.Name)
			}
			// GitLab links a test case to its file, from the repository's
			// root: the document's own path (here under portfolio/).
			if !strings.HasPrefix(c.File, "portfolio/") || (s.Name != "90-day plan" && c.File != s.Name) {
				t.Errorf("%s %s: file %q", s.Name, c.Name, c.File)
			}
			if c.Failure != nil {
				f++
				if c.Failure.Type == "" || c.Failure.Message == "" || !strings.Contains(c.Failure.Text, s.Name) {
					t.Errorf("%s %s: failure without type, message or location: %+v", s.Name, c.Name, c.Failure)
				}
			}
			if c.Skipped != nil {
				sk++
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Skipped != sk {
			t.Errorf("%s: tests=%d failures=%d skipped=%d, counted %d, %d, %d", s.Name, s.Tests, s.Failures, s.Skipped, len(s.Cases), f, sk)
		}
		failures += f
	}
	if failures == 0 {
		t.Error("no failures in the fixture's report")
	}
	// Warnings fail their test case (type warning), so that a document
	// with warnings does not look all green; the baselined finding is in
	// its own test case, skipped, with its location.
	cases := map[string]string{}
	for _, s := range js.Suites {
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				cases[s.Name+" "+c.Name] = "failure:" + c.Failure.Type
			case c.Skipped != nil:
				cases[s.Name+" "+c.Name] = "skipped:" + c.Skipped.Message + ":" + c.Skipped.Text
			}
		}
	}
	prd := "portfolio/prd/2026-01-26-suggested matches.md"
	if got := cases[prd+" prd/guardrail"]; got != "failure:warning" {
		t.Errorf("a warning's test case: %q", got)
	}
	if got := cases[prd+" prd/metric-quantified"]; got != "failure:error" {
		t.Errorf("an error's test case: %q", got)
	}
	if got := cases[prd+" doc/weasel-words"]; !strings.HasPrefix(got, "skipped:1 finding in the baseline:"+prd+":44: warning:") {
		t.Errorf("a baselined finding's test case: %q", got)
	}
	// The plan's warnings are schedule: they do not fail its test cases.
	if got := cases["90-day plan plan/documents"]; got != "" {
		t.Errorf("the plan's warnings: %q", got)
	}

	// With xmllint at hand, the Ant schema itself.
	xsd, _ := filepath.Abs("../../../shared/schemas/junit.xsd")
	if p := os.Getenv("PMFOLIO_JUNIT_XSD"); p != "" {
		xsd = p
	}
	lint, err := exec.LookPath("xmllint")
	if _, serr := os.Stat(xsd); err != nil || serr != nil {
		t.Skipf("not validated with xmllint against %s (xmllint: %v); .ci/run installs xmllint", xsd, err)
	}
	file := filepath.Join(t.TempDir(), "report.xml")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(lint, "--noout", "--schema", withFileAttribute(t, xsd), file).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, msg)
	}
}

// withFileAttribute writes a copy of the Ant JUnit schema at xsd, in a
// temporary folder, that allows the one attribute pmfolio writes beyond
// it: the testcase's file, which GitLab's JUnit parser reads
// (lib/gitlab/ci/parsers/test/junit.rb) to link a test to its file, and
// Jenkins' too. Everything else is validated as Ant defines it.
func withFileAttribute(t *testing.T, xsd string) string {
	t.Helper()
	data, err := os.ReadFile(xsd)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	// The testcase's attributes end with time; the file attribute goes
	// right after it.
	tc := strings.Index(s, `<xs:element name="testcase"`)
	at := strings.Index(s[max(tc, 0):], `<xs:attribute name="time"`)
	end := strings.Index(s[max(tc, 0)+max(at, 0):], `</xs:attribute>`)
	if tc < 0 || at < 0 || end < 0 {
		t.Fatalf("%s: no testcase time attribute to extend; is it the Ant JUnit schema?", xsd)
	}
	cut := tc + at + end + len(`</xs:attribute>`)
	s = s[:cut] + `<xs:attribute name="file" type="xs:string" use="required"/>` + s[cut:]
	out := filepath.Join(t.TempDir(), "junit-with-file.xsd")
	if err := os.WriteFile(out, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJUnitReadByJunitparser: a real consumer, the junitparser library
// (Debian's python3-junitparser, which .ci/run installs), reads the
// report: the failures, skips and files it sees are the report's.
func TestJUnitReadByJunitparser(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import junitparser").Run(); err != nil {
		t.Skipf("no junitparser for %s (Debian's python3-junitparser): %v", py, err)
	}
	file := filepath.Join(t.TempDir(), "report.xml")
	if err := os.WriteFile(file, writeReport(t, reportFixture(t), "junit", false), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import sys
from junitparser import JUnitXml, Failure, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    for case in suite:
        kinds = [type(r).__name__ + ":" + (r.type or "") if isinstance(r, Failure) else type(r).__name__ for r in case.result]
        print(suite.name, case.name, case._elem.get("file"), ",".join(kinds))
`
	out, err := exec.Command(py, "-c", script, file).CombinedOutput()
	if err != nil {
		t.Fatalf("junitparser: %v\n%s", err, out)
	}
	got := string(out)
	prd := "portfolio/prd/2026-01-26-suggested matches.md"
	for _, want := range []string{
		prd + " prd/guardrail " + prd + " Failure:warning\n",
		prd + " prd/metric-quantified " + prd + " Failure:error\n",
		prd + " doc/weasel-words " + prd + " Skipped\n",
		prd + " prd/p0 " + prd + " \n",
		"90-day plan plan/documents portfolio/pmfolio.yaml \n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("junitparser does not read %q:\n%s", want, got)
		}
	}
}

func TestGitHubCommandsEscape(t *testing.T) {
	out := string(writeReport(t, reportFixture(t), "github", false))
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !regexp.MustCompile(`^::(error|warning|notice) [^:]*::`).MatchString(line) {
			t.Errorf("not a workflow command: %q", line)
		}
	}
	if !strings.Contains(out, "file=portfolio/prd/2026-01-26-suggested matches.md,line=") || !strings.Contains(out, "title=prd/metric-quantified::") {
		t.Errorf("no located error annotation:\n%s", out)
	}
	if !strings.Contains(out, "[in baseline]") {
		t.Error("the baselined finding is not marked")
	}
}

// TestSARIFSuppressesBaselined: a baselined finding is a suppressed
// result (an external suppression: the baseline file), which code
// scanning shows as dismissed, through the one writer of suppressions
// that directives' and the configuration's go through too; new findings
// have none.
func TestSARIFSuppressesBaselined(t *testing.T) {
	o := goldenOutput
	o.Format, o.BaselineFile = "sarif", ".pmfolio-baseline.json"
	var b bytes.Buffer
	if err := check.Write(&b, reportFixture(t), o); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID        string `json:"ruleId"`
				BaselineState string `json:"baselineState"`
				Suppressions  []struct {
					Kind, Justification string
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for _, r := range log.Runs[0].Results {
		switch {
		case r.BaselineState == "unchanged":
			suppressed++
			if len(r.Suppressions) != 1 || r.Suppressions[0].Kind != "external" ||
				r.Suppressions[0].Justification != "recorded in the baseline .pmfolio-baseline.json" {
				t.Errorf("%s: suppressions %+v", r.RuleID, r.Suppressions)
			}
		case len(r.Suppressions) > 0 && !strings.HasPrefix(r.Suppressions[0].Justification, "suppressed by "):
			// Only a directive or the configuration suppresses the rest.
			t.Errorf("%s (%s) is suppressed: %+v", r.RuleID, r.BaselineState, r.Suppressions)
		}
	}
	if suppressed != 1 {
		t.Errorf("%d baselined results", suppressed)
	}
}

// TestGitHubSummary: the step summary is Markdown whose tables hold any
// message (pipes and HTML escaped, one line) and stay bounded however
// many findings there are.
func TestGitHubSummary(t *testing.T) {
	rep := &check.Report{}
	for i := range 300 {
		rep.Documents = append(rep.Documents, check.Document{Path: fmt.Sprintf("story/%03d.md", i), Kind: "story", Score: 90,
			Findings: []check.Finding{{Rule: "doc/placeholder", Severity: check.Error, Path: fmt.Sprintf("story/%03d.md", i), Line: 3, Message: "a | b <script>\nnext"}}})
	}
	var b bytes.Buffer
	if err := check.WriteGitHubSummary(&b, rep, check.Output{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "| `story/000.md` | 3 | error | `doc/placeholder` | a \\| b &lt;script&gt; next |\n") {
		t.Errorf("a finding's row:\n%s", out[:min(len(out), 2000)])
	}
	if strings.Contains(out, "story/250.md") || !strings.Contains(out, "…and 100 more documents with findings") || !strings.Contains(out, "…and 100 more findings") {
		t.Errorf("not bounded:\n%s", out[len(out)-500:])
	}
}

// TestJSONCleanFirstDocument: a document without findings has an empty
// list of them, [], not null, even when no document before it had any.
func TestJSONCleanFirstDocument(t *testing.T) {
	rep := &check.Report{Documents: []check.Document{{Path: "clean.md", Kind: "prd"}, {Path: "also-clean.md", Kind: "prd"}}}
	var got struct {
		Documents []struct {
			Findings json.RawMessage `json:"findings"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(writeReport(t, rep, "json", false), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Documents) != 2 {
		t.Fatalf("%d documents, want 2", len(got.Documents))
	}
	for i, d := range got.Documents {
		if string(d.Findings) != "[]" {
			t.Errorf("document %d: findings %s, want []", i, d.Findings)
		}
	}
}
