package pack

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/interview"
)

// TestReferenceListsEveryKey: docs/pack-reference.md's key lists name
// every key pack.yaml takes, no more, so that the reference stays
// complete as keys are added.
func TestReferenceListsEveryKey(t *testing.T) {
	data, err := os.ReadFile("../../docs/pack-reference.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := func(title string) []string {
		m := regexp.MustCompile(`(?m)^- \[` + regexp.QuoteMeta(title) + `\]\([^)]*\): (.*)$`).FindStringSubmatch(string(data))
		if m == nil {
			t.Fatalf("no list of %s", title)
		}
		var keys []string
		for _, k := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(m[1], -1) {
			keys = append(keys, k[1])
		}
		slices.Sort(keys)
		return keys
	}
	keysOf := func(v any) []string {
		var keys []string
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
			if name != "" && name != "-" {
				keys = append(keys, name)
			}
		}
		slices.Sort(keys)
		return keys
	}
	for _, tc := range []struct {
		title string
		v     any
	}{
		{"Top-level keys", Manifest{}},
		{"Kind keys", Kind{}},
		{"Question keys", interview.Question{}},
		{"Section keys", Section{}},
		{"Rule keys", Rule{}},
	} {
		if got, want := listed(tc.title), keysOf(tc.v); !slices.Equal(got, want) {
			t.Errorf("%s: the reference lists %v, pack.yaml takes %v", tc.title, got, want)
		}
	}
}
