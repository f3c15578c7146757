package doc

import "testing"

func TestPhoneNumbers(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{
		"call +44 20 7946 0958 today":         1,
		"(555) 123-4567":                      1,
		"555-123-4567 or 555.123.4567":        2,
		"020 7946 0958":                       1,
		"+14155552671":                        1,
		"on 2026-01-14 we saw 1,100 payments": 0,
		"212 payments worth about $1.9M":      0,
		"a 12-week pilot with 15% of 3 teams": 0,
		"rolling 28 days, 99.9% of requests":  0,
		"ids 1234 5678 9012 3456 7890 1234":   0, // too many digits to dial
	} {
		if got := len(phoneNumbers(in)); got != want {
			t.Errorf("phoneNumbers(%q) found %d, want %d", in, got, want)
		}
	}
}

func TestContactDetails(t *testing.T) {
	t.Parallel()
	text := "Call ada@example.com or +44 20 7946 0958; met on 2026-01-14."
	got := ContactDetails(text)
	if len(got) != 2 || got[0].Kind != Email || text[got[0].Start:got[0].End] != "ada@example.com" || got[1].Kind != Phone || text[got[1].Start:got[1].End] != "+44 20 7946 0958" {
		t.Errorf("found %+v", got)
	}
}
