package grade

import (
	"math"
	"strconv"
)

// Result is one student's grade: what grades.json lists per student, and
// what a shard keeps of each student for grade merge.
type Result struct {
	Student string `json:"student"`
	Name    string `json:"name"`
	Repo    string `json:"repo"`
	Section string `json:"section,omitempty"`
	Email   string `json:"email,omitempty"`
	// Extra are the roster's other columns.
	Extra map[string]string `json:"extra,omitempty"`
	// Status is graded, late, missing or error.
	Status string `json:"status"`
	// Error says what went wrong (missing, error).
	Error  string `json:"error,omitempty"`
	Branch string `json:"branch,omitempty"`
	// Commit is the commit graded; OnTime the last commit at the
	// deadline when the graded one is late.
	Commit *CommitInfo `json:"commit,omitempty"`
	OnTime *CommitInfo `json:"on_time,omitempty"`
	// Late says what came after the deadline.
	Late     *LateInfo `json:"late,omitempty"`
	Criteria []Score   `json:"criteria"`
	Total    Points    `json:"total"`
	Penalty  Points    `json:"late_penalty"`
	Final    Points    `json:"final"`
	// Documents are the documents graded, by kind in the assignment's
	// order; Missing the kinds short of their count.
	Documents []DocResult `json:"documents"`
	Missing   []Shortfall `json:"missing_documents,omitempty"`
	// Flags mark what a person should look at: suspicious-date.
	Flags []string `json:"flags,omitempty"`
	Notes []string `json:"notes,omitempty"`

	// index is the student's place in the roster; row their roster
	// values.
	index int
	row   []string
}

// Statuses of a Result.
const (
	StatusGraded  = "graded"
	StatusLate    = "late"
	StatusMissing = "missing"
	StatusError   = "error"
)

// CommitInfo is a commit as the grade used it: its date as committed, and
// when pmfolio first saw it, which says whether the date can be trusted.
type CommitInfo struct {
	Hash string `json:"hash"`
	Date string `json:"date"`
	// FirstSeen is when pmfolio first found the commit in the
	// repository; Trust is verified (seen in time), trusted (pmfolio first
	// looked at the repository too late to tell) or suspicious (first seen
	// long after the deadline it is dated before).
	FirstSeen string `json:"first_seen,omitempty"`
	Trust     string `json:"trust,omitempty"`
}

// Trust levels of a commit's date.
const (
	TrustVerified   = "verified"
	TrustTrusted    = "trusted"
	TrustSuspicious = "suspicious"
)

// LateInfo is the work after the deadline.
type LateInfo struct {
	// Commits after the deadline (and its grace period), the last one's
	// date, and how many days late it is.
	Commits int    `json:"commits"`
	Last    string `json:"last"`
	Days    int    `json:"days"`
	// Total is what the late state earned before its penalty; Used says
	// whether it was graded (it earned more, penalty included, than the
	// state at the deadline).
	Total   Points `json:"total"`
	Penalty Points `json:"penalty"`
	Used    bool   `json:"used"`
}

// Score is one criterion's points; Points is nil for a manual criterion,
// which a person fills in.
type Score struct {
	ID     string  `json:"id"`
	Points *Points `json:"points"`
	Max    Points  `json:"max"`
	Manual bool    `json:"manual,omitempty"`
}

// DocResult is one graded document.
type DocResult struct {
	Path     string        `json:"path"`
	Kind     string        `json:"kind"`
	Title    string        `json:"title,omitempty"`
	Score    int           `json:"score"`
	Findings []FindingNote `json:"findings"`
	// Credit is the share (0 to 1) the document earns of each criterion
	// that applies to it, by criterion id.
	Credit map[string]Points `json:"credit,omitempty"`
	// Unjudged are the rubric's rules that found nothing to judge in the
	// document: the section they read is missing or empty.
	Unjudged []string `json:"unjudged,omitempty"`
}

// FindingNote is a finding of check, as the grade reports it.
type FindingNote struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
}

// Shortfall is a kind with fewer documents than the assignment asks.
type Shortfall struct {
	Kind string `json:"kind"`
	Have int    `json:"have"`
	Want int    `json:"want"`
}

// Points are points, kept to two decimals and written without trailing
// zeros (12.5, not 12.50 or 12.499999), as gradebooks import them.
type Points float64

// round2 rounds to two decimals.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

func (p Points) String() string { return strconv.FormatFloat(round2(float64(p)), 'f', -1, 64) }

// MarshalJSON writes the rounded number.
func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

func pts(v float64) *Points {
	p := Points(round2(v))
	return &p
}
