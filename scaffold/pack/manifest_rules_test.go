package pack

import (
	"strings"
	"testing"
)

// manifestWithRule is a one-kind pack whose kind declares rule (YAML, at
// the rules: list's indentation).
func manifestWithRule(rule string) string {
	return `name: test
version: 1.0.0
kinds:
  note:
    name: Note
    template: note.md.tmpl
    title: 'x'
    output: 'note/x.md'
    questions: []
    sections:
      - heading: Summary
        required: true
    rules:
` + rule
}

func TestRuleValidation(t *testing.T) {
	for name, tc := range map[string]struct {
		rule, err string
	}{
		"require": {`      - id: note/has-number
        section: Summary
        require: '\d'
        message: the summary has a number
`, ""},
		"bounds only": {`      - id: note/length
        min_words: 10
        max_words: 600
        min_items: 1
        max_items: 5
        severity: warning
        message: the note is one page
`, ""},
		"no message": {`      - id: note/x
        require: a
`, `pack.yaml:14: kind "note": rule "note/x" has no message`},
		"no condition": {`      - id: note/x
        message: m
`, `rule "note/x" needs require, forbid, min_words, max_words, min_items or max_items`},
		"bad pattern": {`      - id: note/x
        forbid: '(unclosed'
        message: m
`, `rule "note/x": error parsing regexp`},
		"unknown section": {`      - id: note/x
        section: Sumary
        require: a
        message: m
`, `rule "note/x": section "Sumary" is not one of the kind's sections`},
		"min over max": {`      - id: note/x
        min_words: 10
        max_words: 5
        message: m
`, `rule "note/x": a minimum is above its maximum`},
		"negative": {`      - id: note/x
        min_items: -1
        message: m
`, `rule "note/x": word and item bounds cannot be negative`},
		"unknown key": {`      - id: note/x
        requires: a
        message: m
`, `unknown key "requires"`},
	} {
		_, err := ParseManifest(ManifestFile, []byte(manifestWithRule(tc.rule)))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: got %v, want %s", name, err, tc.err)
		}
	}
}

func TestSectionWordBounds(t *testing.T) {
	m := strings.Replace(manifestWithRule(`      - id: note/x
        require: a
        message: m
`), "        required: true\n", "        required: true\n        min_words: 50\n        max_words: 10\n", 1)
	if _, err := ParseManifest(ManifestFile, []byte(m)); err == nil || !strings.Contains(err.Error(), `section "Summary": min_words and max_words`) {
		t.Errorf("got %v", err)
	}
}

// TestDefaultPackRules: the default pack loads with its rules, each with
// a message, a framework and an explanation for --explain.
func TestDefaultPackRules(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range p.OrderedKinds() {
		if k.Target <= 0 || k.Month == 0 {
			t.Errorf("kind %s: target %d month %d; the 90-day plan needs both", k.ID, k.Target, k.Month)
		}
		for _, r := range k.Rules {
			n++
			if !strings.HasPrefix(r.ID, k.ID+"/") || r.Framework == "" || strings.TrimSpace(r.Explain) == "" {
				t.Errorf("rule %s of kind %s: id, framework or explanation missing", r.ID, k.ID)
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d data rules in the default pack", n)
	}
}
