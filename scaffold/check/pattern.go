package check

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pmfolio/pmfolio/scaffold/doc"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// compilePattern turns a pack's data rule into a Rule. The manifest was
// validated when the pack loaded; errors here mean a Spec built by hand.
func compilePattern(packName, kind string, p Pattern) (*Rule, []*matcher, error) {
	sev, err := doc.ParseRuleSeverity(p.Severity)
	if err != nil {
		return nil, nil, fmt.Errorf("pack %q: rule %q: %v", packName, p.ID, err)
	}
	var require, forbid *matcher
	if p.Require != "" {
		re, err := regexp.Compile(p.Require)
		if err != nil {
			return nil, nil, fmt.Errorf("pack %q: rule %q: require: %v", packName, p.ID, err)
		}
		require = newMatcher(re)
	}
	if p.Forbid != "" {
		re, err := regexp.Compile(p.Forbid)
		if err != nil {
			return nil, nil, fmt.Errorf("pack %q: rule %q: forbid: %v", packName, p.ID, err)
		}
		forbid = newMatcher(re)
	}
	explain := p.Explain
	if explain == "" {
		explain = p.Message
	}
	r := &Rule{
		ID:        p.ID,
		Kind:      kind,
		Track:     p.Track,
		Severity:  sev,
		Message:   p.Message,
		Framework: p.Framework,
		Explain:   strings.TrimSpace(explain),
		Origin:    fmt.Sprintf("pack %q", packName),
		links:     strings.Contains(p.Require, `\]\(`),
		Locked:    p.Suppressible != nil && !*p.Suppressible,
	}
	r.doc = func(c *Ctx) { checkPattern(c, &p, require, forbid) }
	var ms []*matcher
	for _, m := range []*matcher{require, forbid} {
		if m != nil {
			ms = append(ms, m)
		}
	}
	return r, ms, nil
}

// checkPattern applies a data rule to its section, or to the whole body
// when it names none. A missing or empty section is left to
// doc/section-missing and doc/section-empty.
func checkPattern(c *Ctx, p *Pattern, require, forbid *matcher) {
	text, base, line := c.prose(), 0, c.titleLine()
	var sections []*doc.Section
	if p.Section != "" {
		s, _, ok := c.section(p.Section)
		if !ok {
			return
		}
		text, base, line = c.sectionProse(s), s.Start, s.Line
		sections = []*doc.Section{s}
	} else {
		for i := range c.Doc.Sections {
			sections = append(sections, &c.Doc.Sections[i])
		}
	}
	// where is for the messages about counts only: most documents
	// never need it.
	where := func() string {
		if p.Section != "" {
			return message("section %q", p.Section)
		}
		return "the document"
	}
	if require != nil && !require.match(text) {
		c.report(line, "%s", p.Message)
	}
	if forbid != nil {
		for _, m := range forbid.find(text, 20) {
			c.report(c.Doc.LineOf(base+m[0]), "%s: %q", p.Message, clip(text.text[m[0]:m[1]]))
		}
	}
	if p.MinWords > 0 || p.MaxWords > 0 {
		var n int
		if p.Section != "" {
			n = c.wordsIn(sections[0])
		} else {
			n = c.wordsBetween(0, len(text.text))
		}
		switch {
		case p.MinWords > 0 && n < p.MinWords:
			c.report(line, "%s (%s has %d words; at least %d)", p.Message, where(), n, p.MinWords)
		case p.MaxWords > 0 && n > p.MaxWords:
			c.report(line, "%s (%s has %d words; at most %d)", p.Message, where(), n, p.MaxWords)
		}
	}
	if p.MinItems > 0 || p.MaxItems > 0 {
		lists := 0
		for _, s := range sections {
			for _, l := range s.Lists() {
				lists += len(l.Items)
			}
		}
		switch {
		case p.MinItems > 0 && lists < p.MinItems:
			c.report(line, "%s (%s has %d list items; at least %d)", p.Message, where(), lists, p.MinItems)
		case p.MaxItems > 0 && lists > p.MaxItems:
			c.report(line, "%s (%s has %d list items; at most %d)", p.Message, where(), lists, p.MaxItems)
		}
	}
}

// clipMax is how much of a text a message quotes, in bytes.
const clipMax = 60

// clip shortens matched text for a one-line message: its words, spacing
// collapsed, cut to clipMax bytes. Only the words the message can show
// are collapsed (a section's text may run to pages): clipping a longer
// prefix cuts at the same place, since the cut is clipMax-3 bytes in and
// depends on nothing after the character it falls on.
func clip(s string) string {
	b := make([]byte, 0, clipMax+16)
	i := 0
	for len(b) <= clipMax {
		i = spaceEnd(s, i, true)
		if i == len(s) {
			break
		}
		start := i
		i = spaceEnd(s, i, false)
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, s[start:i]...)
	}
	return yamlfile.Clip(string(b), clipMax)
}

// spaceEnd is the offset of the first byte from i on that is not space
// (space true) or is (space false), as strings.Fields tells space apart.
func spaceEnd(s string, i int, space bool) int {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if (byteClass[c] == 1) != space {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) != space {
			return i
		}
		i += n
	}
	return i
}
