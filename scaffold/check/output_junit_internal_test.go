package check

import (
	"bytes"
	"encoding/xml"
	"testing"
)

// JUnitWriter writes what encoding/xml's Encoder writes for the same
// suites, indenting by two spaces inside <testsuites>, whatever their
// text (quotes, markup, line breaks, control characters, invalid UTF-8),
// errors and empty file attributes (pmfolio grade's) included.
func TestJUnitWriterIsXMLs(t *testing.T) {
	texts := []string{"", "plain", "a \"quote\" and 'apostrophe'", "<!-- x --> & more", "line\nbreak\r\ttab", "é 製 🚀", "\x01ctl", "del\x7f", "bad \xff byte", "\uFFFD", "\u2028"}
	r, text := randomTexts(texts)
	for i := 0; i < 300; i++ {
		var suites []JUnitSuite
		for n := r.Intn(4); n > 0; n-- {
			s := JUnitSuite{Package: text(), ID: r.Intn(100), Name: text(), Timestamp: text(), Hostname: text(),
				Tests: r.Intn(30), Failures: r.Intn(5), Errors: r.Intn(2), Skipped: r.Intn(3), Time: text(), SystemOut: text(), SystemErr: text()}
			for k := r.Intn(4); k > 0; k-- {
				s.Properties = append(s.Properties, JUnitProperty{text(), text()})
			}
			for k := r.Intn(5); k > 0; k-- {
				c := JUnitCase{Name: text(), Classname: text(), Time: text(), File: text()}
				switch r.Intn(4) {
				case 1:
					c.Skipped = &JUnitMessage{Message: text(), Text: text()}
				case 2:
					c.Failure = &JUnitFailure{Message: text(), Type: text(), Text: text()}
				case 3:
					c.Error = &JUnitFailure{Message: text(), Type: text(), Text: text()}
				}
				s.Cases = append(s.Cases, c)
			}
			suites = append(suites, s)
		}
		var want bytes.Buffer
		want.WriteString(xml.Header)
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
		want.WriteString("\n")
		var got bytes.Buffer
		w := NewJUnitWriter(&got)
		for i := range suites {
			w.Write(&suites[i])
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("JUnitWriter wrote\n%s\nencoding/xml writes\n%s", got.String(), want.String())
		}
	}
}
