package doc

import (
	"errors"
	"strings"
	"testing"
)

const sample = `---
kind: prd
title: Checkout redesign
author: Ada
date: "2026-03-14"
status: Draft
track: core
pack:
  name: default
  version: 1.0.0
---
# Checkout redesign

## Summary

Owner: Ada.

### Detail

More.

## Problem
Customers abandon.
`

func TestParseSectionsAndLines(t *testing.T) {
	d, err := Parse("prd/x.md", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if d.Front.Kind != "prd" || d.Front.Pack.Version != "1.0.0" || d.Front.Date != "2026-03-14" {
		t.Errorf("front matter %+v", d.Front)
	}
	if d.Title() != "Checkout redesign" {
		t.Errorf("title %q", d.Title())
	}
	if len(d.Sections) != 2 {
		t.Fatalf("sections %+v", d.Sections)
	}
	s := d.Sections[0]
	if s.Heading != "Summary" || s.Line != 14 || s.BodyLine != 15 || !strings.Contains(s.Body, "### Detail") || !strings.Contains(s.Body, "More.") {
		t.Errorf("summary %+v", s)
	}
	p, ok := d.Section("problem")
	if !ok || p.Line != 22 || strings.TrimSpace(p.Body) != "Customers abandon." || p.BodyLine != 23 {
		t.Errorf("problem %+v", p)
	}
}

func TestNoFrontMatter(t *testing.T) {
	d, err := Parse("x.md", []byte("# Hi\n\n## A\ntext\n"))
	if err != nil || d.Front != nil || len(d.Sections) != 1 || d.Sections[0].Line != 3 {
		t.Fatalf("%+v %v", d, err)
	}
}

func TestBadFrontMatter(t *testing.T) {
	for name, in := range map[string]string{
		"unclosed": "---\nkind: prd\n# Title\n",
		"bad yaml": "---\nkind: prd\ntitle: [unclosed\n---\n# T\n",
		"list":     "---\n- a\n---\n",
		"binary":   "---\nkind: \xff\xfe\n---\n",
	} {
		_, err := Parse("x.md", []byte(in))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line == 0 {
			t.Errorf("%s: got %v, want a SyntaxError with a line", name, err)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	fm := FrontMatter{Kind: "story", Title: `Shipped "fast": a story`, Author: "Ada", Date: "2026-01-02", Status: "draft", Track: "technical", Pack: PackRef{"default", "1.0.0"}}
	got, _, _, _, err := ParseFrontMatter(append(fm.Marshal(), "# x\n"...))
	if err != nil || *got != fm {
		t.Fatalf("round trip: %+v %v", got, err)
	}
}
