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
	r := rand.New(rand.NewSource(1))
	text := func() string {
		var b strings.Builder
		for n := r.Intn(3); n >= 0; n-- {
			b.WriteString(texts[r.Intn(len(texts))])
		}
		return b.String()
	}
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

// The hand encoders know every field of the types they encode: a field
// added to one must be written by them too.
func TestHandEncodersKnowEveryField(t *testing.T) {
	for _, c := range []struct {
		v any
		n int
	}{
		{sarifResult{}, 8}, {sarifText{}, 2}, {sarifLocation{}, 1}, {sarifPhysical{}, 2}, {sarifArtifact{}, 2}, {sarifRegion{}, 1}, {sarifSuppress{}, 3},
		{junitSuite{}, 15}, {junitProperty{}, 2}, {junitCase{}, 6}, {junitMessage{}, 2}, {junitFailure{}, 3},
	} {
		v, n := c.v, c.n
		if got := reflect.TypeOf(v).NumField(); got != n {
			t.Errorf("%T has %d fields; appendSARIFResult and writeSuite write %d: write the new one there too", v, got, n)
		}
	}
}
