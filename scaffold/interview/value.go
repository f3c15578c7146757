package interview

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/internal/recache"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// MaxAnswerBytes bounds one answer. A PRD section is a few KB; anything
// larger is a mistake or an attack, not writing.
const MaxAnswerBytes = 64 << 10

// Coerce converts a raw value (from YAML, JSON, --set or a prompt) to the
// question's type and validates it. The error says what is wrong and what
// is expected, without the question's name, which callers add.
func (q *Question) Coerce(raw any) (any, error) {
	switch q.Type {
	case Confirm:
		switch v := raw.(type) {
		case bool:
			return v, nil
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(strings.ToLower(v)))
			if err != nil {
				switch strings.ToLower(strings.TrimSpace(v)) {
				case "yes", "y":
					return true, nil
				case "no", "n":
					return false, nil
				}
				return nil, fmt.Errorf("want yes or no, got %q", clip(v))
			}
			return b, nil
		}
		return nil, fmt.Errorf("want yes or no, got %s", describe(raw))
	case MultiSelect:
		items, err := toStrings(raw)
		if err != nil {
			return nil, err
		}
		if q.ChoicesFrom != "" && slices.ContainsFunc(items, isNoneYet) {
			if len(items) > 1 {
				return nil, fmt.Errorf("%q stands alone: give paths, or %s", NoneYet, NoneYet)
			}
			return []string{NoneYet}, nil
		}
		for _, it := range items {
			if err := q.checkChoice(it); err != nil {
				return nil, err
			}
		}
		if q.Min > 0 && len(items) < q.Min {
			return nil, fmt.Errorf("choose at least %d", q.Min)
		}
		if q.Max > 0 && len(items) > q.Max {
			return nil, fmt.Errorf("choose at most %d", q.Max)
		}
		return items, nil
	case Group:
		return q.coerceRows(raw)
	default:
		s, err := toString(raw)
		if err != nil {
			return nil, err
		}
		if q.Type == Select && q.ChoicesFrom != "" && isNoneYet(s) {
			return NoneYet, nil
		}
		if q.Type == Select && s != "" {
			if err := q.checkChoice(s); err != nil {
				return nil, err
			}
		}
		if (q.Type == Input || q.Type == Date) && strings.ContainsAny(s, "\r\n") {
			return nil, fmt.Errorf("want a single line")
		}
		if q.Type == Date {
			s = strings.TrimSpace(s)
			if err := checkDate(s); err != nil {
				return nil, err
			}
		}
		if err := q.checkString(s); err != nil {
			return nil, err
		}
		return s, nil
	}
}

// checkChoice accepts one of the declared choices, or for choices_from a
// document path in the portfolio (existing or not).
func (q *Question) checkChoice(s string) error {
	if q.ChoicesFrom == "" {
		if !slices.Contains(q.Choices, s) {
			return fmt.Errorf("%q is not one of: %s", clip(s), strings.Join(q.Choices, ", "))
		}
		return nil
	}
	if !docPathRE().MatchString(s) || strings.Contains(s, "..") {
		return fmt.Errorf("%q is not a document path such as %s/2026-01-05-title.md", clip(s), q.ChoicesFrom)
	}
	return q.checkString(s)
}

var docPathRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[^/\\:]+(/[^/\\:]+)*\.md$`) })

// patterns are the questions' patterns, compiled, by source: the same
// few dozen are matched against every answer of every document an upgrade
// renders again.
var patterns = recache.New(512, 0)

// checkString applies required, anonymous and pattern to a string answer.
func (q *Question) checkString(s string) error {
	if strings.TrimSpace(s) == "" {
		if q.Required {
			return fmt.Errorf("an answer is required")
		}
		return nil
	}
	if q.Anonymous {
		if c := doc.ContactDetails(s); len(c) > 0 {
			a := "a"
			if c[0].Kind == doc.Email {
				a = "an"
			}
			return fmt.Errorf("%q looks like %s %s: give a role or a description, never contact details", clip(s[c[0].Start:c[0].End]), a, c[0].Kind)
		}
	}
	if q.Pattern == "" {
		return nil
	}
	re, err := patterns.Compile(q.Pattern)
	if err != nil {
		return fmt.Errorf("pattern: %v", err)
	}
	if !re.MatchString(s) {
		if q.PatternMessage != "" {
			return fmt.Errorf("%s", q.PatternMessage)
		}
		return fmt.Errorf("must match %s", q.Pattern)
	}
	return nil
}

func (q *Question) coerceRows(raw any) (any, error) {
	var list []any
	switch v := raw.(type) {
	case nil:
	case []any:
		list = v
	case []map[string]any:
		for _, m := range v {
			list = append(list, m)
		}
	default:
		return nil, fmt.Errorf("want a list of rows (each with %s), got %s", q.fieldNames(), describe(raw))
	}
	rows := make([]map[string]any, 0, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("row %d: want a mapping with %s, got %s", i+1, q.fieldNames(), describe(item))
		}
		row := make(map[string]any, len(q.Fields))
		for k := range m {
			if q.field(k) == nil {
				return nil, fmt.Errorf("row %d: unknown field %q (fields: %s)", i+1, clip(k), q.fieldNames())
			}
		}
		for fi := range q.Fields {
			f := &q.Fields[fi]
			v, present := m[f.Name]
			if !present {
				v = f.Default
			}
			if v == nil {
				v = f.Zero()
			}
			c, err := f.Coerce(v)
			if err != nil {
				return nil, fmt.Errorf("row %d: %s: %w", i+1, f.Name, err)
			}
			row[f.Name] = c
		}
		rows = append(rows, row)
	}
	if q.Required && len(rows) == 0 && q.Min == 0 {
		return nil, fmt.Errorf("at least one row is required")
	}
	if q.Min > 0 && len(rows) < q.Min {
		return nil, fmt.Errorf("at least %d rows are required, got %d", q.Min, len(rows))
	}
	if q.Max > 0 && len(rows) > q.Max {
		return nil, fmt.Errorf("at most %d rows are allowed, got %d", q.Max, len(rows))
	}
	return rows, nil
}

func (q *Question) field(name string) *Question {
	for i := range q.Fields {
		if q.Fields[i].Name == name {
			return &q.Fields[i]
		}
	}
	return nil
}

func (q *Question) fieldNames() string {
	names := make([]string, len(q.Fields))
	for i, f := range q.Fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// IsEmpty reports whether a coerced value counts as no answer.
func IsEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []string:
		return len(x) == 0
	case []map[string]any:
		return len(x) == 0
	}
	return false
}

func toString(raw any) (string, error) {
	var s string
	switch v := raw.(type) {
	case nil:
		return "", nil
	case string:
		s = v
	case bool:
		s = strconv.FormatBool(v)
	case int:
		s = strconv.Itoa(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case uint64:
		s = strconv.FormatUint(v, 10)
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	case time.Time:
		// YAML reads an unquoted 2026-01-31 as a timestamp.
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
			s = v.Format("2006-01-02")
		} else {
			s = v.Format(time.RFC3339)
		}
	default:
		return "", fmt.Errorf("want text, got %s", describe(raw))
	}
	if len(s) > MaxAnswerBytes {
		return "", fmt.Errorf("answer is %d bytes; the limit is %d", len(s), MaxAnswerBytes)
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("answer is not valid UTF-8 text")
	}
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("answer contains a NUL byte (binary content?)")
	}
	return s, nil
}

func toStrings(raw any) ([]string, error) {
	switch v := raw.(type) {
	case nil:
		return []string{}, nil
	case []string:
		return v, nil
	case string:
		// --set name=a,b,c
		if strings.TrimSpace(v) == "" {
			return []string{}, nil
		}
		parts := strings.Split(v, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, it := range v {
			s, err := toString(it)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a list, got %s", describe(raw))
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case string:
		return "text"
	case bool:
		return "yes/no"
	case int, int64, uint64, float64:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

func clip(s string) string { return yamlfile.Clip(s, 40) }

var dateRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`) })

// checkDate accepts "" (a question that is not required may be left
// empty) and a real day of the calendar as YYYY-MM-DD: 2026-02-30 is
// refused at the prompt, not later by whatever reads the answer.
func checkDate(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if !dateRE().MatchString(s) {
		return fmt.Errorf("%q is not a date: use YYYY-MM-DD, e.g. 2026-01-05", clip(s))
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return fmt.Errorf("%q is not a day of the calendar: use YYYY-MM-DD, e.g. 2026-01-05", s)
	}
	return nil
}
