package check

import "sync"

// A literal index finds every occurrence of every literal the
// document-wide matchers need in one pass over a document (an Aho-Corasick
// automaton over ASCII-lower-cased bytes). The rules of the default pack
// look for a hundred-odd literals; a strings.Index per literal is a pass
// over the document each, and was most of the time check spent on rules.

// litSet is the automaton: a DFA over byte classes whose states are trie
// nodes. Bytes that no literal holds share one class, and upper-case
// ASCII letters share their lower-case letter's, which keeps the table
// small enough for the cache.
type litSet struct {
	// hits recycles scan results between documents: a document's hits
	// die with its check, and thousands of documents would otherwise
	// allocate a slice per literal each.
	hits sync.Pool

	lits    []string // lower case
	class   [256]uint8
	classes int
	// delta[state*classes+class] is the next state's row,
	// next*classes, with outFlag set when literals end there; out[state]
	// lists them, its own and those of its suffixes.
	delta []int32
	out   [][]int32
}

const outFlag = 1 << 30

// lowerByte is ASCII lower-casing, the folding literals are compared with.
func lowerByte(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func newLitSet(lits []string) *litSet {
	s := &litSet{lits: lits, classes: 1}
	for _, l := range lits {
		for i := 0; i < len(l); i++ {
			b := lowerByte(l[i])
			if s.class[b] == 0 {
				s.class[b] = uint8(s.classes)
				s.classes++
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		s.class[b] = s.class[b+'a'-'A']
	}
	// The trie, with -1 for a missing edge.
	newRow := func() {
		for j := 0; j < s.classes; j++ {
			s.delta = append(s.delta, -1)
		}
		s.out = append(s.out, nil)
	}
	newRow()
	for id, l := range lits {
		state := int32(0)
		for i := 0; i < len(l); i++ {
			e := int(state)*s.classes + int(s.class[l[i]])
			if s.delta[e] < 0 {
				s.delta[e] = int32(len(s.out))
				newRow()
			}
			state = s.delta[e]
		}
		s.out[state] = append(s.out[state], int32(id))
	}
	// Breadth first, the failure link of each state completes its row:
	// a missing edge goes where the longest proper suffix's edge goes.
	fail := make([]int32, len(s.out))
	var queue []int32
	for c := 0; c < s.classes; c++ {
		if next := s.delta[c]; next > 0 {
			queue = append(queue, next)
		} else {
			s.delta[c] = 0
		}
	}
	for len(queue) > 0 {
		state := queue[0]
		queue = queue[1:]
		s.out[state] = append(s.out[state], s.out[fail[state]]...)
		for c := 0; c < s.classes; c++ {
			e := int(state)*s.classes + c
			if next := s.delta[e]; next >= 0 {
				fail[next] = s.delta[int(fail[state])*s.classes+c]
				queue = append(queue, next)
			} else {
				s.delta[e] = s.delta[int(fail[state])*s.classes+c]
			}
		}
	}
	// Entries hold the next state's row offset, so that the scan adds a
	// class instead of multiplying; outFlag marks states where literals
	// end.
	for e, next := range s.delta {
		v := next * int32(s.classes)
		if len(s.out[next]) > 0 {
			v |= outFlag
		}
		s.delta[e] = v
	}
	return s
}

// scan returns, for each literal, the offsets in text where it starts,
// ascending, overlapping occurrences included. Give the result back with
// release when done with it.
func (s *litSet) scan(text string) [][]int {
	hits, _ := s.hits.Get().([][]int)
	if hits == nil {
		hits = make([][]int, len(s.lits))
	}
	row, n := int32(0), int32(s.classes)
	delta, class := s.delta, &s.class
	for i := 0; i < len(text); i++ {
		row = delta[row+int32(class[text[i]])]
		if row&outFlag != 0 {
			row &^= outFlag
			for _, id := range s.out[row/n] {
				hits[id] = append(hits[id], i+1-len(s.lits[id]))
			}
		}
	}
	return hits
}

// release recycles a result of scan.
func (s *litSet) release(hits [][]int) {
	for i := range hits {
		hits[i] = hits[i][:0]
	}
	s.hits.Put(hits)
}
