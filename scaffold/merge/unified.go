package merge

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// context is how many unchanged lines a hunk shows around a change, as
// diff -u does.
const context = 3

// Unified is the unified diff (diff -u, git diff) from a to b, labelled
// aName and bName; nil when they are the same.
func Unified(aName, bName string, a, b []byte) []byte {
	if string(a) == string(b) {
		return nil
	}
	x, y := splitLines(string(a)), splitLines(string(b))
	ids := interner{}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ops := slideDown(toOps(dmp.DiffMainRunes(ids.of(x), ids.of(y), false)))
	// Each line of the edit script: ' ', '-' or '+', and its text.
	type line struct {
		op   byte
		text string
	}
	var script []line
	i, j := 0, 0
	for _, o := range ops {
		for range o.lines {
			switch o.kind {
			case diffmatchpatch.DiffEqual:
				script = append(script, line{' ', x[i]})
				i, j = i+1, j+1
			case diffmatchpatch.DiffDelete:
				script = append(script, line{'-', x[i]})
				i++
			case diffmatchpatch.DiffInsert:
				script = append(script, line{'+', y[j]})
				j++
			}
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	// Hunks: changes with their context, joined when their contexts meet.
	for start := 0; start < len(script); {
		first := start
		for first < len(script) && script[first].op == ' ' {
			first++
		}
		if first == len(script) {
			break
		}
		from := max(first-context, start)
		end := first
		for k := first; k < len(script); k++ {
			if script[k].op != ' ' {
				end = k + 1
				continue
			}
			if k-end >= 2*context {
				break
			}
		}
		to := min(end+context, len(script))
		// Line numbers of the hunk's first line in a and in b.
		la, lb := 1, 1
		for _, l := range script[:from] {
			if l.op != '+' {
				la++
			}
			if l.op != '-' {
				lb++
			}
		}
		na, nb := 0, 0
		for _, l := range script[from:to] {
			if l.op != '+' {
				na++
			}
			if l.op != '-' {
				nb++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(la, na), hunkRange(lb, nb))
		for _, l := range script[from:to] {
			out.WriteByte(l.op)
			out.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		start = to
	}
	return []byte(out.String())
}

// hunkRange is a hunk's start and length as diff -u writes them: an empty
// range starts at the line before it.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
