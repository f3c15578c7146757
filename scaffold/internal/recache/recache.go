// Package recache keeps compiled regular expressions by source, for
// patterns that come from packs: the same few are matched against every
// answer of every document, and an upgrade renders a thousand documents,
// so each is compiled once. A cache is bounded, as packs declare the
// patterns.
package recache

import (
	"regexp"
	"sync"
)

// Cache holds up to max compiled patterns, each at most maxLen bytes long
// (0: any length); a pattern past either bound is compiled and not kept.
// It is safe for concurrent use.
type Cache struct {
	max, maxLen int

	mu sync.Mutex
	m  map[string]*regexp.Regexp
}

// New returns an empty cache with those bounds.
func New(max, maxLen int) *Cache { return &Cache{max: max, maxLen: maxLen} }

// Compile returns src compiled, from the cache when it holds it.
func (c *Cache) Compile(src string) (*regexp.Regexp, error) {
	c.mu.Lock()
	re, ok := c.m[src]
	c.mu.Unlock()
	if ok {
		return re, nil
	}
	re, err := regexp.Compile(src)
	if err != nil || c.maxLen > 0 && len(src) > c.maxLen {
		return re, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*regexp.Regexp{}
	}
	if len(c.m) < c.max {
		c.m[src] = re
	}
	c.mu.Unlock()
	return re, nil
}
