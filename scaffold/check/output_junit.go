package check

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML as the Apache Ant schema defines it (GitLab and Jenkins read
// it): a testsuite per document, a testcase per rule that ran. A rule with
// errors or warnings in the document fails, as linters' JUnit reports
// have it (ESLint's, markdownlint's), so that a document with warnings
// does not look all green in a merge request's test tab: the failure's
// type says error or warning, and whether the run fails is check's exit
// status, as it says in the text report. The 90-day plan is a suite of
// its own whose warnings (schedule, not quality) stay in its output. A rule whose findings are all in
// the baseline is skipped ("in the baseline"), with their locations; a
// rule the configuration turned off is skipped too. Info findings, which
// never count, go to the suite's output. Every testcase has a file
// attribute, the document's path from the repository's root, which
// GitLab reads to link the file (Ant's schema has no such attribute;
// GitLab's and Jenkins' parsers read it).

// JUnitSuite is a test suite of the Ant schema; JUnitProperty,
// JUnitCase, JUnitMessage and JUnitFailure are its parts. pmfolio grade
// writes the same format (a suite per student) with these types.
type JUnitSuite struct {
	XMLName    xml.Name        `xml:"testsuite"`
	Package    string          `xml:"package,attr"`
	ID         int             `xml:"id,attr"`
	Name       string          `xml:"name,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []JUnitProperty `xml:"properties>property"`
	Cases      []JUnitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

// JUnitProperty is a property of a suite.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is a test case: at most one of Skipped, Error and Failure.
// File is the document's path (GitLab and Jenkins read it), left out
// when empty.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Skipped   *JUnitMessage `xml:"skipped"`
	Error     *JUnitFailure `xml:"error"`
	Failure   *JUnitFailure `xml:"failure"`
}

// JUnitMessage is a skipped test's reason.
type JUnitMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// JUnitFailure is a failure or an error, with its text.
type JUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit streams the test suites one by one: a portfolio of 10,000
// documents has 10,000 suites of some thirty test cases each.
func writeJUnit(w io.Writer, r *Report, o *Output) error {
	stamp := o.Now.UTC().Format("2006-01-02T15:04:05")
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	root := xml.StartElement{Name: xml.Name{Local: "testsuites"}}
	if err := enc.EncodeToken(root); err != nil {
		return err
	}
	suites := 0
	var encErr error
	add := func(name, file string, props []JUnitProperty, ran, off []string, fs, suppressed []Finding, before string, plan bool) {
		if encErr != nil {
			return
		}
		byRule := map[string][]Finding{}
		for _, f := range fs {
			byRule[f.Rule] = append(byRule[f.Rule], f)
		}
		s := JUnitSuite{Package: "pmfolio", ID: suites, Name: name, Timestamp: stamp, Hostname: "localhost",
			// Checks are not timed one by one: a document takes
			// microseconds.
			Time: "0", Properties: props}
		var notes []string
		for _, id := range ran {
			c := junitTestCase(o, name, file, id, byRule[id], plan)
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Skipped != nil:
				s.Skipped++
			default:
				for _, f := range byRule[id] {
					notes = append(notes, junitLine(o, f))
				}
			}
			s.Cases = append(s.Cases, c)
		}
		for _, id := range off {
			s.Cases = append(s.Cases, JUnitCase{Name: id, Classname: name, Time: "0", File: file, Skipped: &JUnitMessage{Message: "turned off in the configuration"}})
			s.Skipped++
		}
		for _, f := range suppressed {
			notes = append(notes, junitLine(o, f))
		}
		if len(suppressed) > 0 {
			s.Properties = append(s.Properties, JUnitProperty{"suppressed", fmt.Sprint(len(suppressed))})
		}
		s.Tests = len(s.Cases)
		if len(notes) > 0 {
			s.SystemOut = strings.Join(notes, "\n") + "\n"
		}
		s.SystemOut = before + s.SystemOut
		suites++
		encErr = enc.Encode(s)
	}
	for _, d := range r.Documents {
		props := []JUnitProperty{{"kind", d.Kind}, {"track", d.Track}, {"score", fmt.Sprint(d.Score)}}
		add(o.path(d.Path), o.path(d.Path), props, d.Rules, d.Disabled, d.Findings, d.Suppressed, "", false)
	}
	if r.Whole {
		// The plan's progress is schedule, not a test: it goes to the
		// suite's output, before its notes.
		before := ""
		if r.Progress != nil {
			before = progressText(r.Progress)
		}
		add(r.planName(), o.path(r.ConfigFile), []JUnitProperty{{"score", fmt.Sprint(r.Score)}}, r.PlanRules, nil, r.Plan, r.PlanSuppressed, before, true)
	}
	if encErr != nil {
		return encErr
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	if _, err := bw.WriteString("\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// junitTestCase is the test case of rule id in a suite, from its
// findings there: failed by errors and warnings not in the baseline,
// skipped when they all are, passed otherwise. The plan's warnings are
// schedule, not quality: its cases fail only by findings that fail the
// run (--strict-plan).
func junitTestCase(o *Output, suite, file, id string, fs []Finding, plan bool) JUnitCase {
	c := JUnitCase{Name: id, Classname: suite, Time: "0", File: file}
	var failing, baselined []Finding
	typ := "warning"
	for _, f := range fs {
		switch {
		case f.Baselined:
			baselined = append(baselined, f)
		case f.Failing || (f.Severity >= Warning && !plan):
			failing = append(failing, f)
			if f.Severity == Error {
				typ = "error"
			}
		}
	}
	if len(failing) == 0 && len(baselined) == 0 {
		return c
	}
	first := baselined
	if len(failing) > 0 {
		first = failing
	}
	if p := first[0].Path; p != "" {
		// A plan rule's finding may be about a document rather than the
		// configuration.
		c.File = o.path(p)
	}
	var lines []string
	for _, f := range fs {
		lines = append(lines, junitLine(o, f))
	}
	text := strings.Join(lines, "\n") + "\n"
	if len(failing) == 0 {
		c.Skipped = &JUnitMessage{Message: fmt.Sprintf("%s in the baseline", describe(len(baselined), "finding", "findings")), Text: text}
		return c
	}
	c.Failure = &JUnitFailure{Message: failing[0].Message, Type: typ, Text: text}
	return c
}

// junitLine is a finding as one line of a failure's text.
func junitLine(o *Output, f Finding) string {
	loc := o.path(f.Path)
	if f.Line > 0 {
		loc += fmt.Sprintf(":%d", f.Line)
	}
	s := fmt.Sprintf("%s: %s: %s", loc, f.Severity, f.Message)
	if f.Framework != "" {
		s += " (" + f.Framework + ")"
	}
	if f.Baselined {
		s += " [in baseline]"
	}
	if sup := f.Suppression; sup != nil {
		at := o.path(sup.File)
		if sup.Line > 0 {
			at += fmt.Sprintf(":%d", sup.Line)
		}
		s += fmt.Sprintf(" [suppressed %s: %s at %s]", sup.Kind, sup.By, at)
	}
	return s
}
