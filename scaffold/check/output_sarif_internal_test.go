package check

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// appendSARIFResult writes what encoding/json writes for the same result
// (without HTML escaping), whatever its strings hold and whichever of its
// optional parts it has.
func TestSARIFResultIsJSONs(t *testing.T) {
	texts := []string{"", "plain", "quote \" back\\slash", "<!-- x --> & <b>", "line\nbreak\r\ttab\b\f", "\x01\x1f", "é 製 🚀", "bad \xff byte", "\u2028\u2029", "\uFFFD", "%SRCROOT%"}
	r, text := randomTexts(texts)
	loc := func() sarifLocation {
		return sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: text(), URIBaseID: text()}, Region: sarifRegion{StartLine: r.Intn(2000) - 5}}}
	}
	for i := 0; i < 20000; i++ {
		res := sarifResult{RuleID: text(), RuleIndex: r.Intn(50) - 1, Level: text(), Message: sarifText{Text: text()}, BaselineState: text()}
		if r.Intn(4) == 0 {
			res.Message.Markdown = text()
		}
		if r.Intn(5) > 0 {
			res.Locations = []sarifLocation{}
			for n := r.Intn(3); n > 0; n-- {
				res.Locations = append(res.Locations, loc())
			}
		}
		if r.Intn(5) > 0 {
			res.PartialFingerprints = map[string]string{}
			for n := r.Intn(3); n > 0; n-- {
				res.PartialFingerprints[text()] = text()
			}
		}
		for n := r.Intn(3); n > 0; n-- {
			s := sarifSuppress{Kind: text(), Justification: text()}
			if r.Intn(2) == 0 {
				l := loc()
				s.Location = &l
			}
			res.Suppressions = append(res.Suppressions, s)
		}
		want, err := marshalIndent(res, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if got := appendSARIFResult(nil, &res); string(got) != string(want) {
			t.Fatalf("appendSARIFResult wrote\n%s\nencoding/json writes\n%s", got, want)
		}
	}
}

// randomTexts returns a source of random numbers and a maker of random
// strings of one to three of texts, for the hand encoders' differential
// tests.
func randomTexts(texts []string) (*rand.Rand, func() string) {
	r := rand.New(rand.NewSource(1))
	return r, func() string {
		var b strings.Builder
		for n := r.Intn(3); n >= 0; n-- {
			b.WriteString(texts[r.Intn(len(texts))])
		}
		return b.String()
	}
}

// The hand encoders know every field of the types they encode: a field
// added to one must be written by them too.
func TestHandEncodersKnowEveryField(t *testing.T) {
	for _, c := range []struct {
		v any
		n int
	}{
		{sarifResult{}, 8}, {sarifText{}, 2}, {sarifLocation{}, 1}, {sarifPhysical{}, 2}, {sarifArtifact{}, 2}, {sarifRegion{}, 1}, {sarifSuppress{}, 3},
		{JUnitSuite{}, 15}, {JUnitProperty{}, 2}, {JUnitCase{}, 7}, {JUnitMessage{}, 2}, {JUnitFailure{}, 3},
	} {
		v, n := c.v, c.n
		if got := reflect.TypeOf(v).NumField(); got != n {
			t.Errorf("%T has %d fields; appendSARIFResult and JUnitWriter write %d: write the new one there too", v, got, n)
		}
	}
}

// appendDocumentJSON writes what encoding/json writes for the same
// document, findings and suppressions included.
func TestDocumentJSONIsJSONs(t *testing.T) {
	texts := []string{"", "plain", "quote \" back\\slash", "<!-- x --> & <b>", "line\nbreak\ttab", "\x01", "é 🚀", "bad \xff", "\u2028"}
	r := rand.New(rand.NewSource(1))
	text := func() string { return texts[r.Intn(len(texts))] + texts[r.Intn(len(texts))] }
	finding := func() Finding {
		f := Finding{Rule: text(), Severity: Severity(r.Intn(4)), Path: text(), Line: r.Intn(100), Message: text(), Framework: text(),
			Fingerprint: text(), Content: text(), Section: text(), Baselined: r.Intn(2) == 0, Failing: r.Intn(2) == 0, Points: r.Intn(30),
			units: 3, subject: "x", cost: 7}
		if r.Intn(3) == 0 {
			f.Suppression = &Suppression{Kind: text(), By: text(), File: text(), Line: r.Intn(3)}
		}
		return f
	}
	findings := func() []Finding {
		switch r.Intn(4) {
		case 0:
			return nil
		case 1:
			return []Finding{}
		}
		var fs []Finding
		for n := r.Intn(4) + 1; n > 0; n-- {
			fs = append(fs, finding())
		}
		return fs
	}
	for i := 0; i < 5000; i++ {
		d := Document{Path: text(), Kind: text(), Track: text(), Title: text(), KindFrom: text(), Status: text(), Score: r.Intn(101),
			Findings: findings(), DependsOn: text(), Suppressed: findings(), Rules: []string{"a"}, Disabled: []string{"b"},
			Filled: []string{"c"}, Starved: []string{"d"}}
		want, err := marshalIndent(d, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if got := appendDocumentJSON(nil, &d); string(got) != string(want) {
			t.Fatalf("appendDocumentJSON wrote\n%s\nencoding/json writes\n%s", got, want)
		}
	}
	for _, c := range []struct {
		v any
		n int
	}{{Document{}, 14}, {Finding{}, 16}, {Suppression{}, 4}} {
		if got := reflect.TypeOf(c.v).NumField(); got != c.n {
			t.Errorf("%T has %d fields; appendDocumentJSON writes %d: write the new one there too", c.v, got, c.n)
		}
	}
}
