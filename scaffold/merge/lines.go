// Package merge is pmfolio's three-way merge of documents: the text a
// document was rendered as (base), the file as its owner left it (yours),
// and a new rendering (theirs: new answers, or a new pack version). It
// works section by section, matching `##` sections by heading (from the
// Markdown tree, so a heading inside a code fence is not one), and merges
// lines inside a section with diff3, writing git's conflict markers where
// both sides changed the same lines. Front matter is merged key by key. It
// is pure: no files, no git; git merge-file is its oracle in tests.
package merge

import (
	"github.com/sergi/go-diff/diffmatchpatch"
)

// Labels name the sides in conflict markers: "<<<<<<< Yours",
// "||||||| Base", "=======", ">>>>>>> Theirs".
type Labels struct {
	Yours, Base, Theirs string
}

// marker lines, each ending in a newline.
func (l Labels) open() string   { return label("<<<<<<<", l.Yours) }
func (l Labels) base() string   { return label("|||||||", l.Base) }
func (l Labels) theirs() string { return label(">>>>>>>", l.Theirs) }

const splitMarker = "=======\n"

func label(m, name string) string {
	if name == "" {
		return m + "\n"
	}
	return m + " " + name + "\n"
}

// Lines merges three versions of a text given as lines (each with its
// newline, the last one possibly without) the way `git merge-file -p
// --diff3` does: a change on one side only is taken, the same change on
// both sides is taken once, and different changes to the same or adjacent
// lines become a conflict, written with markers that show yours, the base
// and theirs. It returns the merged lines and the number of conflicts.
func Lines(base, yours, theirs []string, l Labels) ([]string, int) {
	var out []string
	n := 0
	for _, h := range diff3(base, yours, theirs) {
		if h.conflict {
			n++
			out = appendConflict(out, h.yours, h.base, h.theirs, l)
			continue
		}
		out = append(out, h.yours...)
	}
	return out, n
}

// appendConflict writes one conflict: each side's lines end in a newline,
// so that a marker always starts a line.
func appendConflict(out, yours, base, theirs []string, l Labels) []string {
	out = append(out, l.open())
	out = appendTerminated(out, yours)
	out = append(out, l.base())
	out = appendTerminated(out, base)
	out = append(out, splitMarker)
	out = appendTerminated(out, theirs)
	return append(out, l.theirs())
}

func appendTerminated(out, lines []string) []string {
	for i, s := range lines {
		if i == len(lines)-1 && (s == "" || s[len(s)-1] != '\n') {
			s += "\n"
		}
		out = append(out, s)
	}
	return out
}

// hunk is a run of the merge: lines all three agree on, lines one side
// changed (resolved, in yours), or a conflict.
type hunk struct {
	base, yours, theirs []string
	conflict            bool
}

// diff3 is the classic algorithm (Khanna, Kunal and Pierce, "A Formal
// Investigation of Diff3"): lines of the base matched on both sides at the
// same offsets are stable; between stable runs, a side equal to the base
// yields to the other, equal sides agree, and different sides conflict.
func diff3(base, yours, theirs []string) []hunk {
	ids := interner{}
	o, a, b := ids.of(base), ids.of(yours), ids.of(theirs)
	ma, mb := matches(o, a), matches(o, b)
	var out []hunk
	i, j, k := 0, 0, 0
	for i < len(o) || j < len(a) || k < len(b) {
		// The stable run: base lines matched on both sides in step.
		n := 0
		for i+n < len(o) && ma[i+n] == j+n && mb[i+n] == k+n {
			n++
		}
		if n > 0 {
			out = append(out, hunk{base: base[i : i+n], yours: yours[j : j+n], theirs: theirs[k : k+n]})
			i, j, k = i+n, j+n, k+n
			continue
		}
		// The next base line matched on both sides ends the unstable run.
		ni, nj, nk := len(o), len(a), len(b)
		for x := i; x < len(o); x++ {
			if ma[x] >= 0 && mb[x] >= 0 {
				ni, nj, nk = x, ma[x], mb[x]
				break
			}
		}
		out = append(out, resolve(base[i:ni], yours[j:nj], theirs[k:nk]))
		i, j, k = ni, nj, nk
	}
	return out
}

// resolve settles an unstable run.
func resolve(o, a, b []string) hunk {
	h := hunk{base: o, yours: a, theirs: b}
	switch {
	case equal(a, o):
		h.yours = b
	case equal(b, o), equal(a, b):
	default:
		h.conflict = true
	}
	return h
}

func equal(x, y []string) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// interner numbers distinct lines, as runes for the diff: a rune per line
// turns go-diff's character diff into a line diff. Surrogate code points
// are skipped, since a []rune holding one does not survive conversions.
type interner map[string]rune

func (in interner) of(lines []string) []rune {
	out := make([]rune, len(lines))
	for i, l := range lines {
		r, ok := in[l]
		if !ok {
			r = rune(len(in) + 1)
			if r >= 0xD800 {
				r += 0x800
			}
			in[l] = r
		}
		out[i] = r
	}
	return out
}

// matches returns, for each line of x, the line of y it is matched with by
// a shortest line diff, or -1 where x's line was deleted. Ambiguous runs of
// inserted or deleted lines are slid down as far as they go, as git's
// xdiff does, so that the hunks (and so the conflicts) are git's.
func matches(x, y []rune) []int {
	dmp := diffmatchpatch.New()
	// No deadline: a shortest diff, the same on every machine. Documents
	// are small.
	dmp.DiffTimeout = 0
	ops := slideDown(toOps(dmp.DiffMainRunes(x, y, false)))
	m := make([]int, len(x))
	i, j := 0, 0
	for _, op := range ops {
		switch op.kind {
		case diffmatchpatch.DiffEqual:
			for range op.lines {
				m[i] = j
				i, j = i+1, j+1
			}
		case diffmatchpatch.DiffDelete:
			for range op.lines {
				m[i] = -1
				i++
			}
		case diffmatchpatch.DiffInsert:
			j += len(op.lines)
		}
	}
	return m
}

type op struct {
	kind  diffmatchpatch.Operation
	lines []rune
}

func toOps(diffs []diffmatchpatch.Diff) []op {
	out := make([]op, 0, len(diffs))
	for _, d := range diffs {
		if d.Text == "" {
			continue
		}
		r := []rune(d.Text)
		if n := len(out); n > 0 && out[n-1].kind == d.Type {
			out[n-1].lines = append(out[n-1].lines, r...)
			continue
		}
		out = append(out, op{d.Type, r})
	}
	return out
}

// slideDown moves each lone insertion or deletion (one between two runs of
// equal lines) down while the line after it equals its first line: the
// same diff, its hunk placed where xdiff places it. A hunk that reaches
// the next change joins it.
func slideDown(ops []op) []op {
	for i := 0; i < len(ops); i++ {
		if ops[i].kind == diffmatchpatch.DiffEqual {
			continue
		}
		if i > 0 && ops[i-1].kind != diffmatchpatch.DiffEqual {
			continue // part of a change that deletes and inserts
		}
		for i+1 < len(ops) && ops[i+1].kind == diffmatchpatch.DiffEqual && len(ops[i+1].lines) > 0 && ops[i].lines[0] == ops[i+1].lines[0] {
			first := ops[i].lines[0]
			if i > 0 {
				ops[i-1].lines = append(ops[i-1].lines, first)
			} else {
				ops = append([]op{{diffmatchpatch.DiffEqual, []rune{first}}}, ops...)
				i++
			}
			ops[i].lines = append(ops[i].lines[1:], first)
			ops[i+1].lines = ops[i+1].lines[1:]
			if len(ops[i+1].lines) == 0 {
				ops = append(ops[:i+1], ops[i+2:]...)
				break
			}
		}
	}
	return ops
}
