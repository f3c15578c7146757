package doc

import (
	"encoding/json"
	"testing"
)

// One severity serves check's findings and configuration and pack lint's
// messages: it reads and writes the same names everywhere.
func TestSeverity(t *testing.T) {
	for _, s := range []Severity{Off, Info, Warning, Error} {
		got, err := ParseSeverity(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
	}
	if !(Off < Info && Info < Warning && Warning < Error) {
		t.Error("severities are not ordered least first")
	}
	out, err := json.Marshal(struct {
		S Severity `json:"severity"`
	}{Warning})
	if err != nil || string(out) != `{"severity":"warning"}` {
		t.Errorf("JSON %s, %v", out, err)
	}
	var back struct {
		S Severity `json:"severity"`
	}
	if err := json.Unmarshal([]byte(`{"severity":"info"}`), &back); err != nil || back.S != Info {
		t.Errorf("from JSON: %v, %v", back.S, err)
	}
	if _, err := ParseSeverity("loud"); err == nil || err.Error() != `severity "loud" must be error, warning, info or off` {
		t.Errorf("ParseSeverity(loud): %v", err)
	}
	for in, want := range map[string]Severity{"": Error, "error": Error, "warning": Warning, "info": Info} {
		if got, err := ParseRuleSeverity(in); err != nil || got != want {
			t.Errorf("ParseRuleSeverity(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"off", "loud"} {
		if _, err := ParseRuleSeverity(in); err == nil || err.Error() != `severity "`+in+`" must be error, warning or info` {
			t.Errorf("ParseRuleSeverity(%q): %v", in, err)
		}
	}
}
