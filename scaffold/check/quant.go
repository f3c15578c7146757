package check

import (
	"regexp"
	"strings"
)

// The standard's quantities. A NUMBER is a figure with an optional unit
// (12%, 3.5x, 200 ms, 40 users, $10k); a TIMEFRAME is "within/by/over/after
// N days|weeks|months|quarters", a quarter (Q3), a date, or "N-day".

const monthName = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`

const period = `(?:days?|weeks?|months?|quarters?|years?|sprints?|hours?)`

// dateExpr is an ISO date, "2 January 2026", "Jan 2, 2026" or "March 2026".
const dateExpr = `\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\s+` + monthName + `\.?,?\s+\d{4}\b|\b` + monthName + `\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|\b` + monthName + `\s+\d{4}\b`

var (
	dateRE = regexp.MustCompile(`(?i)` + dateExpr)

	timeframeRE = regexp.MustCompile(`(?i)` + strings.Join([]string{
		`\b(?:within|by|over|after|in|for|during)\s+(?:the\s+)?(?:first\s+|next\s+|last\s+)?\d+(?:\.\d+)?\s*(?:business\s+|working\s+|calendar\s+)?` + period + `\b`,
		`\b\d+-` + `(?:day|week|month|quarter|year|sprint)\b`,
		`\b[QH][1-4](?:\s*(?:FY)?'?\d{2,4})?\b`,
		dateExpr,
		`\b(?:by|in|before|until)\s+(?:the\s+)?(?:end\s+of\s+)?` + monthName + `\b`,
	}, "|"))

	numberRE = regexp.MustCompile(`[$€£]?\b\d+(?:[.,]\d+)*(?:\s?(?:%|x\b|k\b|m\b|bn\b))?`)

	// beforeAfterRE is a change from one number to another: "from 9% to
	// 1.4%", "62% → 71%", "3.0 -> 1.8 days".
	beforeAfterRE = regexp.MustCompile(`(?i)\bfrom\s+(?:about\s+|around\s+|~)?[$€£]?\d[\d.,]*\s*\S*\s+to\s+(?:about\s+|around\s+|~)?[$€£]?\d|\d[^\n→]{0,40}(?:→|->|=>)\s*[$€£]?\d`)
)

// hasTimeframe reports whether s states a TIMEFRAME.
func hasTimeframe(s string) bool { return timeframeRE.MatchString(s) }

// hasDate reports whether s holds a calendar date.
func hasDate(s string) bool { return dateRE.MatchString(s) }

// countNumbers counts the NUMBERs of s that are not part of a timeframe:
// "75% within 30 days" is one number, so that a target and a window are
// not mistaken for a baseline and a target.
func countNumbers(s string) int {
	return len(numberRE.FindAllStringIndex(timeframeRE.ReplaceAllString(s, " "), -1))
}

// hasBeforeAfter reports a change from one number to another.
func hasBeforeAfter(s string) bool { return beforeAfterRE.MatchString(s) }
