package doc

import "fmt"

// Severity is how much a finding about a document or a pack matters: the
// one severity of check's findings, its configuration and pack lint's
// messages. Off turns a rule off; it is never the severity of a finding.
type Severity uint8

// Severities, least first.
const (
	Off Severity = iota
	Info
	Warning
	Error
)

var severityNames = [...]string{Off: "off", Info: "info", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", s)
}

// ParseSeverity reads "error", "warning", "info" or "off".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return Off, fmt.Errorf("severity %q must be error, warning, info or off", s)
}

// MarshalText writes the severity's name, in JSON and elsewhere.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseRuleSeverity reads the severity a pack declares for one of its
// rules: error (also when s is empty), warning or info. A pack cannot
// declare a rule that is off; a portfolio turns rules off.
func ParseRuleSeverity(s string) (Severity, error) {
	if s == "" {
		return Error, nil
	}
	v, err := ParseSeverity(s)
	if err != nil || v == Off {
		return Off, fmt.Errorf("severity %q must be error, warning or info", s)
	}
	return v, nil
}
