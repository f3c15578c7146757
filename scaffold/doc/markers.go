package doc

import "bytes"

// Conflict markers as git and pmfolio's merge write them: each at the
// start of a line, seven characters long.
var (
	markerYours  = []byte("<<<<<<<")
	markerSplit  = []byte("=======")
	markerTheirs = []byte(">>>>>>>")
)

// ConflictMarkers returns the lines (1-based, in the whole file) where a
// conflict left by a merge begins: a "<<<<<<<" line followed, in order, by
// a "=======" line and a ">>>>>>>" line. A lone "=======" is a Markdown
// heading underline, and a lone "<<<<<<<" is text; only the whole set is a
// conflict.
func ConflictMarkers(data []byte) []int {
	var out []int
	open, split := 0, false
	line := 0
	for len(data) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = bytes.TrimRight(l, "\r")
		switch {
		case isMarker(l, markerYours):
			open, split = line, false
		case open > 0 && bytes.Equal(l, markerSplit):
			split = true
		case open > 0 && split && isMarker(l, markerTheirs):
			out = append(out, open)
			open, split = 0, false
		}
	}
	return out
}

// isMarker reports whether l is marker alone or followed by a space and a
// label.
func isMarker(l, marker []byte) bool {
	if !bytes.HasPrefix(l, marker) {
		return false
	}
	rest := l[len(marker):]
	return len(rest) == 0 || rest[0] == ' '
}
