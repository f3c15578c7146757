package check

import (
	"path"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// matchRule reports whether a rule id matches an override's rule: an id,
// a glob over ids ("prd/*", "*/trade-off") or "*" for every rule.
func matchRule(pattern, id string) bool {
	if pattern == "*" || pattern == id {
		return true
	}
	ok, _ := path.Match(pattern, id)
	return ok
}

func (o *Override) matchPath(p string) bool {
	if len(o.Paths) == 0 {
		return true
	}
	for _, g := range o.Paths {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
}

// validateOverrides rejects an override that can never apply: a rule
// pattern that matches no rule (a typo would silently keep the rule on)
// or a malformed path glob.
func (c *Checker) validateOverrides() error {
	for _, o := range c.opts.Overrides {
		bad := func(format string, args ...any) error {
			return yamlfile.Errorf(c.opts.ConfigFile, o.Line, format, args...)
		}
		if _, err := path.Match(o.Rule, ""); err != nil {
			return bad("check: rule %q is not a valid pattern", o.Rule)
		}
		matched := false
		for _, r := range c.rules {
			if matchRule(o.Rule, r.ID) {
				matched = true
				break
			}
		}
		if !matched {
			return bad("check: rule %q matches no rule; %s'pmfolio check --list-rules' lists them", o.Rule, c.didYouMean(o.Rule))
		}
		for _, g := range o.Paths {
			if !doublestar.ValidatePattern(g) {
				return bad("check: path %q is not a valid glob", g)
			}
		}
	}
	return nil
}

// severity is the severity a finding of rule id with default severity def
// takes in the document at p, after the overrides.
func (c *Checker) severity(id string, def Severity, p string) Severity {
	sev := def
	for i := range c.opts.Overrides {
		o := &c.opts.Overrides[i]
		if matchRule(o.Rule, id) && o.matchPath(p) {
			sev = o.Severity
		}
	}
	return sev
}
