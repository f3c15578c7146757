package check

import (
	"fmt"
	"path"
	"strings"

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
	sev, _ := c.severityBy(id, def, p)
	return sev
}

// severityBy is severity and the override that decided it (nil: none). A
// locked rule keeps its severity whatever the configuration says.
func (c *Checker) severityBy(id string, def Severity, p string) (Severity, *Override) {
	if r := c.byID[id]; r != nil && r.Locked {
		return def, nil
	}
	sev := def
	var by *Override
	for i := range c.opts.Overrides {
		o := &c.opts.Overrides[i]
		if matchRule(o.Rule, id) && o.matchPath(p) {
			sev, by = o.Severity, o
		}
	}
	return sev, by
}

// configSuppression records an override that turned a finding off.
func (c *Checker) configSuppression(o *Override) *Suppression {
	by := fmt.Sprintf("check: rules: %s off", o.Rule)
	if len(o.Paths) > 0 {
		by += " in " + strings.Join(o.Paths, ", ")
	}
	return &Suppression{Kind: External, By: by, File: c.opts.ConfigFile, Line: o.Line}
}
