// Package redact replaces what must not be published — company names,
// people, product code names, figures under NDA — with pseudonyms, and
// checks published files for anything that survived. The rules come from
// a redact.yaml:
//
//	terms:
//	  - term: Acme Corp
//	    replace: Company A
//	  - pattern: '\bProject [A-Z]\w+'
//	    replace: the project
//
// A term matches in any case, with any run of spaces, hyphens or
// underscores between its words (or none: "AcmeCorp", "acme-corp"), and
// with a possessive or plural ending ("Acme's", "Acmes"); a pattern is a
// Go regular expression. Every match of a rule gets the rule's
// replacement, so the same term always reads as the same pseudonym; in a
// link, a path or an address the replacement is written as a slug
// ("company-a"), so that the link still parses.
package redact

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// File is the redaction file's default name, at the portfolio's root.
const File = "redact.yaml"

// Rule is one entry of redact.yaml: a literal term or a pattern, and what
// replaces it.
type Rule struct {
	Term    string `yaml:"term,omitempty"`
	Pattern string `yaml:"pattern,omitempty"`
	Replace string `yaml:"replace"`
	Line    int    `yaml:"-"`
}

// Name is the rule as the person wrote it: its term or its pattern.
func (r Rule) Name() string {
	if r.Term != "" {
		return r.Term
	}
	return r.Pattern
}

type manifest struct {
	Terms []Rule `yaml:"terms"`
}

// Redactor applies the rules of one redaction file. The zero of *Redactor
// (nil) redacts nothing.
type Redactor struct {
	file  string
	rules []*compiled
}

type compiled struct {
	Rule
	re *regexp.Regexp
	// term marks a literal term, whose match must stand at word
	// boundaries.
	term bool
	slug string
}

// Load reads and validates the redaction file at path; shown names it in
// errors.
func Load(path, shown string) (*Redactor, error) {
	data, err := yamlfile.ReadFile(path, shown, yamlfile.MaxSize)
	if err != nil {
		return nil, err
	}
	return Parse(shown, data)
}

// Parse decodes and validates a redaction file; file names it in errors.
func Parse(file string, data []byte) (*Redactor, error) {
	var m manifest
	if err := yamlfile.Decode(file, data, &m); err != nil {
		return nil, err
	}
	r := &Redactor{file: file}
	for _, rule := range m.Terms {
		c, err := compile(rule)
		if err != nil {
			return nil, yamlfile.Errorf(file, rule.Line, "terms: %v", err)
		}
		r.rules = append(r.rules, c)
	}
	// Longer terms first: "Acme Corp" is replaced before "Acme". Patterns
	// follow, in the file's order.
	sort.SliceStable(r.rules, func(i, j int) bool {
		a, b := r.rules[i], r.rules[j]
		if a.term != b.term {
			return a.term
		}
		return a.term && len(a.Term) > len(b.Term)
	})
	for _, c := range r.rules {
		if hit := r.matches(c.Replace); hit != nil {
			return nil, yamlfile.Errorf(file, c.Line, "terms: the replacement %q of %q is itself redacted by %q; the leak check would always fail", c.Replace, c.Name(), hit.Name())
		}
	}
	return r, nil
}

func compile(rule Rule) (*compiled, error) {
	term, pattern := strings.TrimSpace(rule.Term), rule.Pattern
	switch {
	case term == "" && pattern == "":
		return nil, errors.New("an entry needs a term (a literal word or name) or a pattern (a regular expression)")
	case term != "" && pattern != "":
		return nil, fmt.Errorf("%q: give a term or a pattern, not both", term)
	case strings.TrimSpace(rule.Replace) == "":
		return nil, fmt.Errorf("%q: replace is empty; say what to write instead, e.g. replace: Company A", rule.Name())
	}
	c := &compiled{Rule: rule, term: term != "", slug: Slugify(rule.Replace)}
	var err error
	if c.term {
		words := strings.FieldsFunc(term, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '_' })
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		c.re, err = regexp.Compile(`(?i)` + strings.Join(words, `[\s\x{00A0}_-]*`) + `(?:['’]s|s['’]?)?`)
	} else {
		c.re, err = regexp.Compile(pattern)
		if err == nil && c.re.MatchString("") {
			err = fmt.Errorf("pattern %q matches empty text", pattern)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%q: %v", rule.Name(), err)
	}
	return c, nil
}

// File is the redaction file the rules came from, "" for none.
func (r *Redactor) File() string {
	if r == nil {
		return ""
	}
	return r.file
}

// Rules are the redactor's rules.
func (r *Redactor) Rules() []Rule {
	if r == nil {
		return nil
	}
	out := make([]Rule, len(r.rules))
	for i, c := range r.rules {
		out[i] = c.Rule
	}
	return out
}

// Text redacts text: prose, Markdown, front matter values, titles. A
// match inside a link, path or address (a run of text without spaces
// holding "/", "@", "://" or "](") is replaced by the replacement's slug.
func (r *Redactor) Text(s string) string {
	if r == nil {
		return s
	}
	for _, c := range r.rules {
		s = c.replace(s, false)
	}
	return s
}

// Slug redacts a file name or path: every match is replaced by the
// replacement's slug.
func (r *Redactor) Slug(s string) string {
	if r == nil {
		return s
	}
	for _, c := range r.rules {
		s = c.replace(s, true)
	}
	return s
}

func (c *compiled) replace(s string, slug bool) string {
	locs := c.matchesIn(s)
	if len(locs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range locs {
		start, end, keep := m[0], m[1], ""
		if c.term {
			// A possessive or plural ending stays with the pseudonym.
			core := c.core(s[start:end])
			keep = s[start+len(core) : end]
		}
		b.WriteString(s[last:start])
		if slug || inLink(s, start, end) {
			b.WriteString(c.slug)
		} else {
			b.WriteString(c.Replace)
		}
		b.WriteString(keep)
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// core is a term's match without its possessive or plural ending.
func (c *compiled) core(m string) string {
	for _, suf := range []string{"'s", "’s", "s'", "s’", "s"} {
		if strings.HasSuffix(strings.ToLower(m), suf) {
			// Only when the term itself does not end so.
			if !strings.HasSuffix(strings.ToLower(c.Term), suf) {
				return m[:len(m)-len(suf)]
			}
		}
	}
	return m
}

// matchesIn finds the rule's matches in s; a term's only at word
// boundaries, so that "Ann" is not found in "Annual".
func (c *compiled) matchesIn(s string) [][]int {
	all := c.re.FindAllStringIndex(s, -1)
	if !c.term {
		return all
	}
	out := all[:0]
	for _, m := range all {
		if m[1] == m[0] {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:m[0]])
		after, _ := utf8.DecodeRuneInString(s[m[1]:])
		if m[0] > 0 && wordRune(before) || m[1] < len(s) && wordRune(after) {
			continue
		}
		out = append(out, m)
	}
	return out
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// inLink reports whether s[start:end] lies in a run without spaces that
// looks like a link, a path or an address.
func inLink(s string, start, end int) bool {
	from := strings.LastIndexFunc(s[:start], unicode.IsSpace) + 1
	to := strings.IndexFunc(s[end:], unicode.IsSpace)
	if to < 0 {
		to = len(s)
	} else {
		to += end
	}
	tok := s[from:to]
	return strings.Contains(tok, "/") || strings.Contains(tok, "@") || strings.Contains(tok, "](") ||
		strings.HasPrefix(tok, "]:") || strings.HasPrefix(strings.ToLower(tok), "www.")
}

// matches returns the first rule matching s, or nil.
func (r *Redactor) matches(s string) *compiled {
	for _, c := range r.rules {
		if len(c.matchesIn(s)) > 0 {
			return c
		}
	}
	return nil
}

// Slugify writes s as a slug: lower case letters and digits, words joined
// by "-".
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}
