package portfolio

import (
	"strings"
	"testing"
)

const configWithComments = `# pmfolio portfolio configuration: https://github.com/pmfolio/pmfolio
version: 1
name: Ada
role: PM # the role I am after
track: core
# start of the 90-day plan
start: "2026-01-05"
pack: old
packs:
  old:
    source: https://example.com/old.git
    ref: v1.0.0
    commit: 0123456789abcdef0123456789abcdef01234567
    version: 1.0.0
    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
`

// pmfolio edits pmfolio.yaml when it pins packs; the owner's comments stay.
func TestUpdateKeepsComments(t *testing.T) {
	c, err := ParseConfig("pmfolio.yaml", []byte(configWithComments))
	if err != nil {
		t.Fatal(err)
	}
	if c.Packs["old"].Line != 11 {
		t.Errorf("pin line %d", c.Packs["old"].Line)
	}
	delete(c.Packs, "old")
	c.Packs["new"] = &PackPin{Source: "packs/new", Version: "2.0.0", Digest: "sha256:" + strings.Repeat("a", 64)}
	c.Pack = "new"
	out, err := c.Update([]byte(configWithComments))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{"role: PM # the role I am after\n", "# start of the 90-day plan\nstart: \"2026-01-05\"\n", "pack: new\n", "  new:\n    source: packs/new\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "old") {
		t.Errorf("the removed pin is still there:\n%s", got)
	}
	if _, err := ParseConfig("pmfolio.yaml", out); err != nil {
		t.Errorf("the result does not parse: %v", err)
	}
}

func TestPinValidation(t *testing.T) {
	cases := []struct{ old, new, want string }{
		{"digest: sha256:0000", "digest: sha256:abc #", `pmfolio.yaml:11: packs: old: digest "sha256:abc" is not sha256: and 64 hex digits`},
		{"commit: 0123456789abcdef0123456789abcdef01234567", "commit: main", `commit "main" is not a full commit hash`},
		{"source: https://example.com/old.git", `source: ""`, "source is empty"},
		{"ref: v1.0.0", "ref: v1.0.0\n    extra: 1", `pmfolio.yaml:13: unknown key "extra"`},
		{"packs:\n", "packs:\n  default: {source: x, digest: y}\n", "packs: default: is not a pack name a pin can have"},
	}
	for _, c := range cases {
		text := strings.Replace(configWithComments, c.old, c.new, 1)
		_, err := ParseConfig("pmfolio.yaml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.new, err, c.want)
		}
	}
}
