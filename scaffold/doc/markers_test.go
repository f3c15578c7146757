package doc

import (
	"slices"
	"testing"
)

func TestConflictMarkers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []int
	}{
		{"a\n<<<<<<< yours\nx\n||||||| base\ny\n=======\nz\n>>>>>>> pack v1.1.0\nb\n", []int{2}},
		{"<<<<<<<\nx\n=======\ny\n>>>>>>>\n<<<<<<< a\r\n=======\r\n>>>>>>> b\r\n", []int{1, 6}},
		// A setext heading's underline, and markers out of order or
		// incomplete, are not conflicts.
		{"Title\n=======\n\ntext\n", nil},
		{"<<<<<<< yours\nx\n>>>>>>> theirs\n", nil},
		{">>>>>>> a\n=======\n<<<<<<< b\n", nil},
		{"<<<<<<<< eight\n=======\n>>>>>>>\n", nil},
	} {
		if got := ConflictMarkers([]byte(tc.in)); !slices.Equal(got, tc.want) {
			t.Errorf("%q: markers at %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestOutline(t *testing.T) {
	t.Parallel()
	body := "# T\n\n## A\n\n```\n## not a heading\n```\n\n##\n\n- ## in a list\n\nB\n---\n"
	var got []string
	var offsets []int
	for _, h := range Outline([]byte(body)) {
		got = append(got, h.Text)
		offsets = append(offsets, h.Offset)
	}
	if want := []string{"T", "A", "", "B"}; !slices.Equal(got, want) {
		t.Errorf("headings %q, want %q", got, want)
	}
	if want := []int{0, 5, 37, 57}; !slices.Equal(offsets, want) {
		t.Errorf("offsets %v, want %v", offsets, want)
	}
}
