package check

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
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
	jw := newJUnitWriter(bufio.NewWriterSize(w, 64<<10))
	suites := 0
	// A suite is written as soon as it is made: its map, cases and
	// buffers serve the next one.
	byRule := map[string][]*Finding{}
	var cases []JUnitCase
	var notes, text []byte
	add := func(name, file string, props []JUnitProperty, ran, off []string, fs, suppressed []Finding, before string, plan bool) {
		for id, rfs := range byRule {
			byRule[id] = rfs[:0]
		}
		for i := range fs {
			byRule[fs[i].Rule] = append(byRule[fs[i].Rule], &fs[i])
		}
		s := JUnitSuite{Package: "pmfolio", ID: suites, Name: name, Timestamp: stamp, Hostname: "localhost",
			// Checks are not timed one by one: a document takes
			// microseconds.
			Time: "0", Properties: props, Cases: cases[:0]}
		// notes are the suite's output, a finding a line.
		notes = notes[:0]
		for _, id := range ran {
			var c JUnitCase
			c, text = junitTestCase(o, name, file, id, byRule[id], plan, text[:0])
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Skipped != nil:
				s.Skipped++
			default:
				for _, f := range byRule[id] {
					notes = appendJUnitLine(notes, o, f)
				}
			}
			s.Cases = append(s.Cases, c)
		}
		for _, id := range off {
			s.Cases = append(s.Cases, JUnitCase{Name: id, Classname: name, Time: "0", File: file, Skipped: &JUnitMessage{Message: "turned off in the configuration"}})
			s.Skipped++
		}
		for i := range suppressed {
			notes = appendJUnitLine(notes, o, &suppressed[i])
		}
		if len(suppressed) > 0 {
			s.Properties = append(s.Properties, JUnitProperty{"suppressed", fmt.Sprint(len(suppressed))})
		}
		s.Tests = len(s.Cases)
		s.SystemOut = before + string(notes)
		suites++
		jw.Write(&s)
		cases = s.Cases
	}
	for _, d := range r.Documents {
		props := []JUnitProperty{{"kind", d.Kind}, {"track", d.Track}, {"score", strconv.Itoa(d.Score)}}
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
	return jw.Close()
}

// JUnitWriter writes a JUnit document, <testsuites> and its suites one
// at a time, byte for byte as encoding/xml's Encoder indenting by two
// spaces writes the same JUnitSuites (TestJUnitWriterIsXMLs holds it to
// that): each element on a line of its own, one whose content is text
// closed on its line, every attribute but an empty file written, text
// escaped as xml.EscapeText escapes it. Tens of thousands of suites went
// through encoding/xml's reflection and escaping at a cost above checking
// them. Write errors are kept until Close.
type JUnitWriter struct {
	w      *bufio.Writer
	suites int
}

// NewJUnitWriter starts a JUnit document on w: the XML header and the
// <testsuites> element.
func NewJUnitWriter(w io.Writer) *JUnitWriter { return newJUnitWriter(bufio.NewWriter(w)) }

func newJUnitWriter(w *bufio.Writer) *JUnitWriter {
	w.WriteString(xml.Header)
	w.WriteString("<testsuites>")
	return &JUnitWriter{w: w}
}

// Close ends the document and flushes it, returning the first error
// writing it met.
func (j *JUnitWriter) Close() error {
	if j.suites > 0 {
		j.w.WriteByte('\n')
	}
	j.w.WriteString("</testsuites>\n")
	return j.w.Flush()
}

// Write writes a test suite.
func (j *JUnitWriter) Write(s *JUnitSuite) {
	j.suites++
	w := j.w
	w.WriteString("\n  <testsuite")
	xmlAttr(w, "package", s.Package)
	xmlAttr(w, "id", strconv.Itoa(s.ID))
	xmlAttr(w, "name", s.Name)
	xmlAttr(w, "timestamp", s.Timestamp)
	xmlAttr(w, "hostname", s.Hostname)
	xmlAttr(w, "tests", strconv.Itoa(s.Tests))
	xmlAttr(w, "failures", strconv.Itoa(s.Failures))
	xmlAttr(w, "errors", strconv.Itoa(s.Errors))
	xmlAttr(w, "skipped", strconv.Itoa(s.Skipped))
	xmlAttr(w, "time", s.Time)
	w.WriteString(">\n    <properties>")
	if len(s.Properties) > 0 {
		for _, p := range s.Properties {
			w.WriteString("\n      <property")
			xmlAttr(w, "name", p.Name)
			xmlAttr(w, "value", p.Value)
			w.WriteString("></property>")
		}
		w.WriteString("\n    ")
	}
	w.WriteString("</properties>")
	for i := range s.Cases {
		c := &s.Cases[i]
		w.WriteString("\n    <testcase")
		xmlAttr(w, "name", c.Name)
		xmlAttr(w, "classname", c.Classname)
		xmlAttr(w, "time", c.Time)
		if c.File != "" {
			xmlAttr(w, "file", c.File)
		}
		w.WriteByte('>')
		if c.Skipped != nil {
			w.WriteString("\n      <skipped")
			xmlAttr(w, "message", c.Skipped.Message)
			w.WriteByte('>')
			xmlText(w, c.Skipped.Text)
			w.WriteString("</skipped>")
		}
		junitFailureElement(w, "error", c.Error)
		junitFailureElement(w, "failure", c.Failure)
		if c.Skipped != nil || c.Error != nil || c.Failure != nil {
			w.WriteString("\n    ")
		}
		w.WriteString("</testcase>")
	}
	w.WriteString("\n    <system-out>")
	xmlText(w, s.SystemOut)
	w.WriteString("</system-out>\n    <system-err>")
	xmlText(w, s.SystemErr)
	w.WriteString("</system-err>\n  </testsuite>")
}

// junitFailureElement writes f, if any, as an element named name.
func junitFailureElement(w *bufio.Writer, name string, f *JUnitFailure) {
	if f == nil {
		return
	}
	w.WriteString("\n      <")
	w.WriteString(name)
	xmlAttr(w, "message", f.Message)
	xmlAttr(w, "type", f.Type)
	w.WriteByte('>')
	xmlText(w, f.Text)
	w.WriteString("</")
	w.WriteString(name)
	w.WriteByte('>')
}

func xmlAttr(w *bufio.Writer, name, value string) {
	w.WriteByte(' ')
	w.WriteString(name)
	w.WriteString(`="`)
	xmlText(w, value)
	w.WriteByte('"')
}

// xmlText writes s escaped as xml.EscapeText escapes it, runs of bytes
// that need no escape at a time.
func xmlText(w *bufio.Writer, s string) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if xmlPlain[c] {
			i++
			continue
		}
		esc, width := xmlEscapes[c], 1
		if c >= utf8.RuneSelf {
			var r rune
			r, width = utf8.DecodeRuneInString(s[i:])
			if (r != utf8.RuneError || width > 1) && (r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
				i += width
				continue
			}
			esc = "\uFFFD"
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		i += width
		last = i
	}
	w.WriteString(s[last:])
}

// xmlPlain are the bytes xmlText writes as they are; xmlEscapes what it
// writes for the other ASCII bytes (control characters are not XML).
var xmlPlain, xmlEscapes = func() (plain [256]bool, esc [256]string) {
	for c := 0x20; c <= 0x7f; c++ {
		plain[c] = true
	}
	for c := 0; c < 0x20; c++ {
		esc[c] = "\uFFFD"
	}
	for c, e := range map[byte]string{'"': "&#34;", '\'': "&#39;", '&': "&amp;", '<': "&lt;", '>': "&gt;", '\t': "&#x9;", '\n': "&#xA;", '\r': "&#xD;"} {
		plain[c], esc[c] = false, e
	}
	return plain, esc
}()

// junitTestCase is the test case of rule id in a suite, from its
// findings there: failed by errors and warnings not in the baseline,
// skipped when they all are, passed otherwise. The plan's warnings are
// schedule, not quality: its cases fail only by findings that fail the
// run (--strict-plan). The case's text is made in text, a buffer
// returned for the next case.
func junitTestCase(o *Output, suite, file, id string, fs []*Finding, plan bool, text []byte) (JUnitCase, []byte) {
	c := JUnitCase{Name: id, Classname: suite, Time: "0", File: file}
	var failing, baselined int
	var firstFailing, firstBaselined *Finding
	typ := "warning"
	for _, f := range fs {
		switch {
		case f.Baselined:
			if baselined == 0 {
				firstBaselined = f
			}
			baselined++
		case f.Failing || (f.Severity >= Warning && !plan):
			if failing == 0 {
				firstFailing = f
			}
			failing++
			if f.Severity == Error {
				typ = "error"
			}
		}
	}
	if failing == 0 && baselined == 0 {
		return c, text
	}
	first := firstBaselined
	if failing > 0 {
		first = firstFailing
	}
	if p := first.Path; p != "" {
		// A plan rule's finding may be about a document rather than the
		// configuration.
		c.File = o.path(p)
	}
	for _, f := range fs {
		text = appendJUnitLine(text, o, f)
	}
	if failing == 0 {
		c.Skipped = &JUnitMessage{Message: fmt.Sprintf("%s in the baseline", describe(baselined, "finding", "findings")), Text: string(text)}
		return c, text
	}
	c.Failure = &JUnitFailure{Message: firstFailing.Message, Type: typ, Text: string(text)}
	return c, text
}

// appendJUnitLine appends a finding as one line of a failure's text or a
// suite's output, its line break included. A report of 10,000 documents
// has some 100,000 of them: no fmt.
func appendJUnitLine(b []byte, o *Output, f *Finding) []byte {
	b = appendLocation(b, o.path(f.Path), f.Line)
	b = append(b, ": "...)
	b = append(b, f.Severity.String()...)
	b = append(b, ": "...)
	b = append(b, f.Message...)
	if f.Framework != "" {
		b = append(b, " ("...)
		b = append(b, f.Framework...)
		b = append(b, ')')
	}
	if f.Baselined {
		b = append(b, " [in baseline]"...)
	}
	if sup := f.Suppression; sup != nil {
		b = append(b, " [suppressed "...)
		b = append(b, sup.Kind...)
		b = append(b, ": "...)
		b = append(b, sup.By...)
		b = append(b, " at "...)
		b = appendLocation(b, o.path(sup.File), sup.Line)
		b = append(b, ']')
	}
	return append(b, '\n')
}

// appendLocation appends path, and ":line" when line is known.
func appendLocation(b []byte, path string, line int) []byte {
	b = append(b, path...)
	if line > 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(line), 10)
	}
	return b
}
