package redact

import (
	"strings"
	"testing"
)

const example = `terms:
  - term: Acme Corp
    replace: Company A
  - term: Acme
    replace: Company B
  - term: Priya Natarajan
    replace: a finance lead
  - pattern: '\bProject [A-Z]\w+'
    replace: the project
`

func mustParse(t *testing.T, src string) *Redactor {
	t.Helper()
	r, err := Parse("redact.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestText(t *testing.T) {
	t.Parallel()
	r := mustParse(t, example)
	cases := []struct{ in, want string }{
		{"Acme Corp signed.", "Company A signed."},
		{"ACME CORP and acme corp and Acme-Corp and AcmeCorp", "Company A and Company A and Company A and Company A"},
		{"Acme\nCorp wrapped over a line", "Company A wrapped over a line"},
		{"Acme Corp's team and Acme’s", "Company A's team and Company B’s"},
		{"the Acme tools", "the Company B tools"},
		{"Acmeville and Subacme stay", "Acmeville and Subacme stay"},
		{"Priya Natarajan said so", "a finance lead said so"},
		{"Project Falcon ships; project falcon does not match the pattern", "the project ships; project falcon does not match the pattern"},
		{"see [the deck](https://acme.com/acme-corp/deck) or mail jo@acme.com", "see [the deck](https://company-b.com/company-a/deck) or mail jo@company-b.com"},
		{"[notes](../brief/2026-01-21-acme-corp-pilot.md)", "[notes](../brief/2026-01-21-company-a-pilot.md)"},
	}
	for _, c := range cases {
		if got := r.Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q\nwant %q", c.in, got, c.want)
		}
	}
	if got := r.Slug("brief/2026-01-21-acme-corp-pilot.md"); got != "brief/2026-01-21-company-a-pilot.md" {
		t.Errorf("Slug = %q", got)
	}
	// The link's path and the document's path redact alike, so links
	// between documents still resolve.
	if a, b := r.Text("](../x/acme-corp.md)"), r.Slug("../x/acme-corp.md"); a != "]("+b+")" {
		t.Errorf("link %q and path %q redact differently", a, b)
	}
	var none *Redactor
	if none.Text("Acme") != "Acme" || none.Scan("x", []byte("Acme")) != nil {
		t.Error("a nil redactor changed something")
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ src, want string }{
		{"terms:\n  - replace: X\n", "redact.yaml:2: terms: an entry needs a term"},
		{"terms:\n  - term: A\n    pattern: B\n    replace: X\n", "redact.yaml:2: terms: \"A\": give a term or a pattern, not both"},
		{"terms:\n  - term: Acme\n", "replace is empty"},
		{"terms:\n  - pattern: '(['\n    replace: X\n", "redact.yaml:2: terms: \"([\": error parsing regexp"},
		{"terms:\n  - pattern: 'a*'\n    replace: X\n", "matches empty text"},
		{"terms:\n  - term: Acme\n    replace: Acme Inc\n", "redact.yaml:2: terms: the replacement \"Acme Inc\" of \"Acme\" is itself redacted"},
		{"terms:\n  - term: Acme\n    replace: X\n    with: Y\n", "redact.yaml:4"},
	}
	for _, c := range cases {
		_, err := Parse("redact.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want %q", c.src, err, c.want)
		}
	}
}

func TestScanFindsEveryDisguise(t *testing.T) {
	t.Parallel()
	r := mustParse(t, example)
	leaks := []struct{ name, data, in string }{
		{"a.html", "<p>Signed with ACME CORP.</p>", "text"},
		{"a.html", "<p>Acme Corp's deal</p>", "text"},
		{"a.html", "<p>Acme&#32;Corp</p>", "HTML entities"},
		{"a.html", "<p>Acme&nbsp;Corp</p>", "HTML entities"},
		{"a.html", `<a href="https://x.test/?q=Ac%6De%20Corp">x</a>`, "URL-encoded"},
		{"a.html", "<p><em>Acme</em> Corp</p>", "split by markup"},
		{"prd/acme-corp-rollout.html", "<p>clean</p>", "name"},
		{"prd/acme%20corp.html", "<p>clean</p>", "name"},
		{"a.html", "<p>Project Falcon</p>", "text"},
		{"a.pdf", "%PDF-1.4\n<< /Title <FEFF00410063006D006500200043006F00720070> >>", "PDF metadata"},
		{"a.pdf", "%PDF-1.4\n<< /Title (Ac\\155e \\(Corp\\)) >>", "PDF metadata"},
	}
	for _, l := range leaks {
		got := r.Scan(l.name, []byte(l.data))
		if len(got) == 0 {
			t.Errorf("Scan(%q, %q) found nothing", l.name, l.data)
			continue
		}
		if got[0].In != l.in {
			t.Errorf("Scan(%q, %q) found it in %q, want %q", l.name, l.data, got[0].In, l.in)
		}
	}
	clean := []string{"<p>Company A and the project; Acmeville</p>", "<p>project falcon</p>"}
	for _, c := range clean {
		if got := r.Scan("a.html", []byte(c)); len(got) > 0 {
			t.Errorf("Scan(%q) = %v, want nothing", c, got)
		}
	}
	got := r.Scan("site/a.html", []byte("line 1\nline 2 Acme Corp\n"))
	if len(got) != 2 || got[0].Line != 2 || got[0].Error() != `site/a.html:2: "Acme Corp" survived redaction` {
		t.Errorf("Scan = %v, want Acme Corp at line 2 (and Acme)", got)
	}
}

func TestRedactedTextPassesTheScan(t *testing.T) {
	t.Parallel()
	r := mustParse(t, example)
	in := "Acme Corp's Project Falcon, run by Priya Natarajan at [acme](https://acme.com/acme-corp) — AcmeCorp, acme_corp."
	out := r.Text(in)
	if leaks := r.Scan(r.Slug("notes/acme-corp.html"), []byte(out)); len(leaks) > 0 {
		t.Errorf("after redaction %q still leaks: %v", out, leaks)
	}
}
