package doc

import (
	"reflect"
	"testing"
)

const structured = `---
kind: retro
---
# Retro

<!-- pmfolio-disable retro/decision -->

## Metrics vs target

| Metric | Target | Actual |
|---|---|---|
| Auto-match **rate** | 75% | 71% |
| Wrong matches | 2% | |

## What went well

- First, see [the PRD](../prd/x.md)
  over two lines
  - nested item
- Second <!-- inline note -->

1. one
2. two

## Sources

<https://example.com/a> and ![shot](img/a.png)

<!--
multi-line
-->
`

func TestStructure(t *testing.T) {
	d, err := Parse("retro/r.md", []byte(structured))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := d.Section("Metrics vs target")
	if len(m.Tables()) != 1 {
		t.Fatalf("tables %+v", m.Tables())
	}
	tb := m.Tables()[0]
	if !reflect.DeepEqual(tb.Header, []string{"Metric", "Target", "Actual"}) || len(tb.Rows) != 2 {
		t.Fatalf("table %+v", tb)
	}
	if r := tb.Rows[0]; r.Line != 12 || r.Cells[0] != "Auto-match rate" {
		t.Errorf("row 0 %+v", r)
	}
	if c, ok := tb.Cell(tb.Rows[1], "actual"); !ok || c != "" {
		t.Errorf("empty cell %q %v", c, ok)
	}
	if _, ok := tb.Cell(tb.Rows[1], "window"); ok {
		t.Error("a missing column was found")
	}
	if m.EndLine != 14 {
		t.Errorf("metrics section ends on %d, want 14", m.EndLine)
	}

	w, _ := d.Section("What went well")
	if len(w.Lists()) != 2 || w.Lists()[0].Ordered || !w.Lists()[1].Ordered {
		t.Fatalf("lists %+v", w.Lists())
	}
	items := w.Lists()[0].Items
	if len(items) != 2 || items[0].Text != "First, see the PRD over two lines" || items[0].Line != 17 || items[1].Text != "Second" || items[1].Line != 20 {
		t.Errorf("items %+v", items)
	}

	wantLinks := []Link{
		{Dest: "../prd/x.md", Text: "the PRD", Line: 17},
		{Dest: "https://example.com/a", Text: "https://example.com/a", Line: 27},
		{Dest: "img/a.png", Text: "shot", Line: 27, Image: true},
	}
	if !reflect.DeepEqual(d.Links, wantLinks) {
		t.Errorf("links\n got %+v\nwant %+v", d.Links, wantLinks)
	}
	s, _ := d.Section("Sources")
	if got := d.LinksIn(s); len(got) != 2 {
		t.Errorf("links in Sources: %+v", got)
	}

	var texts []string
	var lines []int
	for _, c := range d.Comments {
		texts = append(texts, c.Text)
		lines = append(lines, c.Line)
		if got := structured[len("---\nkind: retro\n---\n")+c.Start:]; got[:4] != "<!--" {
			t.Errorf("comment offset %d does not point at <!--", c.Start)
		}
	}
	if !reflect.DeepEqual(texts, []string{"pmfolio-disable retro/decision", "inline note", "multi-line"}) || !reflect.DeepEqual(lines, []int{6, 20, 29}) {
		t.Errorf("comments %q at %v", texts, lines)
	}
}

func TestLineOfMatchesCounting(t *testing.T) {
	d, err := Parse("x.md", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	line := d.BodyLine
	for i := range d.Body {
		if got := d.LineOf(i); got != line {
			t.Fatalf("LineOf(%d) = %d, want %d", i, got, line)
		}
		if d.Body[i] == '\n' {
			line++
		}
	}
}
