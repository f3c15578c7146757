package check

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"math/rand"
	"strings"
	"testing"
)

// writeSuite writes what encoding/xml's Encoder writes for the same
// suites, indenting by two spaces inside <testsuites>, whatever their
// text: quotes, markup, line breaks, control characters, invalid UTF-8.
func TestJUnitSuiteIsXMLs(t *testing.T) {
	texts := []string{"", "plain", "a \"quote\" and 'apostrophe'", "<!-- x --> & more", "line\nbreak\r\ttab", "é 製 🚀", "\x01ctl", "bad \xff byte", "\uFFFD", "\u2028"}
	r := rand.New(rand.NewSource(1))
	text := func() string {
		var b strings.Builder
		for n := r.Intn(3); n >= 0; n-- {
			b.WriteString(texts[r.Intn(len(texts))])
		}
		return b.String()
	}
	for i := 0; i < 300; i++ {
		var suites []junitSuite
		for n := r.Intn(4); n > 0; n-- {
			s := junitSuite{Package: text(), ID: r.Intn(100), Name: text(), Timestamp: text(), Hostname: text(),
				Tests: r.Intn(30), Failures: r.Intn(5), Errors: r.Intn(2), Skipped: r.Intn(3), Time: text(), SystemOut: text(), SystemErr: text()}
			for k := r.Intn(4); k > 0; k-- {
				s.Properties = append(s.Properties, junitProperty{text(), text()})
			}
			for k := r.Intn(5); k > 0; k-- {
				c := junitCase{Name: text(), Classname: text(), Time: text(), File: text()}
				switch r.Intn(3) {
				case 1:
					c.Skipped = &junitMessage{Message: text(), Text: text()}
				case 2:
					c.Failure = &junitFailure{Message: text(), Type: text(), Text: text()}
				}
				s.Cases = append(s.Cases, c)
			}
			suites = append(suites, s)
		}
		var want bytes.Buffer
		enc := xml.NewEncoder(&want)
		enc.Indent("", "  ")
		root := xml.StartElement{Name: xml.Name{Local: "testsuites"}}
		if err := enc.EncodeToken(root); err != nil {
			t.Fatal(err)
		}
		for _, s := range suites {
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
		}
		if err := enc.EncodeToken(root.End()); err != nil {
			t.Fatal(err)
		}
		enc.Flush()
		var got bytes.Buffer
		w := bufio.NewWriter(&got)
		w.WriteString("<testsuites>")
		for i := range suites {
			writeSuite(w, &suites[i])
		}
		if len(suites) > 0 {
			w.WriteByte('\n')
		}
		w.WriteString("</testsuites>")
		w.Flush()
		if got.String() != want.String() {
			t.Fatalf("writeSuite wrote\n%s\nencoding/xml writes\n%s", got.String(), want.String())
		}
	}
}
