package doc

import "testing"

func TestValidateTrack(t *testing.T) {
	for _, tc := range []struct {
		track string
		both  bool
		want  string
	}{
		{"core", false, ""},
		{"technical", false, ""},
		{"both", false, `track "both" must be core or technical`},
		{"", false, `track "" must be core or technical`},
		{"Core", false, `track "Core" must be core or technical`},
		{"sales", false, `track "sales" must be core or technical`},
		{"both", true, ""},
		{"technical", true, ""},
		{"sales", true, `track "sales" must be core, technical or both`},
	} {
		err := ValidateTrack(tc.track, tc.both)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("ValidateTrack(%q, %v) = %q, want %q", tc.track, tc.both, got, tc.want)
		}
	}
}
