package check

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML as the Apache Ant schema defines it (GitLab and Jenkins read
// it): a testsuite per document, a testcase per rule that ran, a failure
// per failing rule with its findings' messages and locations. The schema
// has no place for file and line attributes, so the location leads the
// failure's text. A rule the configuration turned off is a skipped test.

type junitSuite struct {
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
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitMessage `xml:"skipped"`
	Failure   *junitFailure `xml:"failure"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
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
	add := func(name string, props []junitProperty, ran, off []string, fs, suppressed []Finding, before string) {
		if encErr != nil {
			return
		}
		byRule := map[string][]Finding{}
		for _, f := range fs {
			byRule[f.Rule] = append(byRule[f.Rule], f)
		}
		s := junitSuite{Package: "pmfolio", ID: suites, Name: name, Timestamp: stamp, Hostname: "localhost",
			// Checks are not timed one by one: a document takes
			// microseconds.
			Time: "0", Properties: props}
		var notes []string
		for _, id := range ran {
			c := junitCase{Name: id, Classname: name, Time: "0"}
			var failing, rest []Finding
			for _, f := range byRule[id] {
				if f.Failing {
					failing = append(failing, f)
				} else {
					rest = append(rest, f)
				}
			}
			if len(failing) > 0 {
				var lines []string
				for _, f := range failing {
					lines = append(lines, junitLine(o, f))
				}
				c.Failure = &junitFailure{Message: failing[0].Message, Type: failing[0].Severity.String(), Text: strings.Join(lines, "\n") + "\n"}
				s.Failures++
			}
			for _, f := range rest {
				notes = append(notes, junitLine(o, f))
			}
			s.Cases = append(s.Cases, c)
		}
		for _, id := range off {
			s.Cases = append(s.Cases, junitCase{Name: id, Classname: name, Time: "0", Skipped: &junitMessage{Message: "turned off in the configuration"}})
			s.Skipped++
		}
		for _, f := range suppressed {
			notes = append(notes, junitLine(o, f))
		}
		if len(suppressed) > 0 {
			s.Properties = append(s.Properties, junitProperty{"suppressed", fmt.Sprint(len(suppressed))})
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
		props := []junitProperty{{"kind", d.Kind}, {"track", d.Track}, {"score", fmt.Sprint(d.Score)}}
		add(o.path(d.Path), props, d.Rules, d.Disabled, d.Findings, d.Suppressed, "")
	}
	if r.Whole {
		// The plan's progress is schedule, not a test: it goes to the
		// suite's output, before its notes.
		before := ""
		if r.Progress != nil {
			before = progressText(r.Progress)
		}
		add(r.planName(), []junitProperty{{"score", fmt.Sprint(r.Score)}}, r.PlanRules, nil, r.Plan, r.PlanSuppressed, before)
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
