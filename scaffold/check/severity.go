package check

import "github.com/pmfolio/pmfolio/scaffold/doc"

// Severity is doc.Severity, the one severity type: check's findings and
// pack lint's messages share it.
type Severity = doc.Severity

// Severities, least first.
const (
	Off     = doc.Off
	Info    = doc.Info
	Warning = doc.Warning
	Error   = doc.Error
)

// ParseSeverity reads "error", "warning", "info" or "off".
func ParseSeverity(s string) (Severity, error) { return doc.ParseSeverity(s) }
