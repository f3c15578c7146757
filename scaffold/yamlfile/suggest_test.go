package yamlfile

import (
	"slices"
	"testing"
)

func TestSimilar(t *testing.T) {
	kinds := []string{"interview", "brief", "prd", "retro", "teardown", "story"}
	commands := []string{"init", "new", "list", "questions", "pack", "check", "drafts", "doctor"}
	sub := []string{"new", "lint", "add", "list", "show", "use", "remove", "update"}
	flags := []string{"answers", "a", "set", "defaults", "no-input", "date", "dry-run", "no-commit", "force", "track", "pack", "editor", "resume", "help", "h"}
	for _, c := range []struct {
		word       string
		candidates []string
		want       []string
	}{
		{"PRD", kinds, nil}, // an exact match, whatever the case, is no suggestion
		{"prd2", kinds, []string{"prd"}},
		{"pdr", kinds, []string{"prd"}}, // swapped letters: one edit
		{"sotry", kinds, []string{"story"}},
		{"Stroy", kinds, []string{"story"}},
		{"interveiw", kinds, []string{"interview"}},
		{"tear", kinds, []string{"teardown"}}, // a prefix
		{"memo", kinds, nil},
		{"nw", commands, []string{"new"}},
		{"chekc", commands, []string{"check"}},
		{"ad", sub, []string{"add"}},
		{"ls", sub, nil},
		{"dryrun", flags, []string{"dry-run"}},
		{"no-imput", flags, []string{"no-input"}},
		{"x", flags, nil},                      // one letter is too short to guess from
		{"lit", sub, []string{"lint", "list"}}, // same distance: candidate order
		{"naïve", []string{"native", "naive"}, []string{"naive"}},
	} {
		if got := Similar(c.word, c.candidates); !slices.Equal(got, c.want) {
			t.Errorf("Similar(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func TestOSADistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"abc", "abc", 0},
		{"abc", "acb", 1}, {"ca", "abc", 3}, {"kitten", "sitting", 3},
		{"dryrun", "dry-run", 1}, {"ünï", "üïn", 1},
	} {
		if got := osaDistance([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("osaDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := osaDistance([]rune(c.b), []rune(c.a)); got != c.want {
			t.Errorf("osaDistance(%q, %q) = %d, want %d (not symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"prd"}, `did you mean "prd"?`},
		{[]string{"a", "b"}, `did you mean "a" or "b"?`},
		{[]string{"a", "b", "c"}, `did you mean "a", "b" or "c"?`},
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, `did you mean "a", "b", "c", "d", "e" or one of 2 more?`},
	} {
		if got := DidYouMean(c.in); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
