package check_test

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
)

// TestFilled: with Options.Sections, a document lists the kind's sections
// it has and fills, whatever heading or label matched them; an empty
// section, one holding only a placeholder and a missing one are not
// filled. The rules that read a section the document lacks are starved
// (those reading the missing Action, or the sections' words), not
// story/result-quantified, which reads the Result that is there. Without
// Sections, nothing is listed.
func TestFilled(t *testing.T) {
	t.Parallel()
	pk, err := pack.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := storyFM + "# T\n\n## Headline\n\nI cut wrong matches from 9% to 1.4% in 30 days.\n\n" +
		"## Competency\n\nTBD\n\n## Task\n\n## Background\n\n**Situation:** Our matching rule matched 62% of payments.\n\n## Result\n\nWrong matches fell to 1.4% within 30 days.\n"
	for _, sections := range []bool{true, false} {
		c, err := check.New(packcheck.Spec(pk), check.Options{Sections: sections, Track: "core",
			Read: portfolio{"story/s.md": []byte(text)}.read})
		if err != nil {
			t.Fatal(err)
		}
		d, _, err := c.Document(check.Input{Path: "story/s.md", Explicit: true})
		if err != nil {
			t.Fatal(err)
		}
		want, starved := "Headline,Situation,Result", "doc/min-words,story/action-steps,story/action-trade-off,story/first-person"
		if !sections {
			want, starved = "", ""
		}
		if got := strings.Join(d.Filled, ","); got != want {
			t.Errorf("sections %v: filled %q, want %q", sections, got, want)
		}
		if got := strings.Join(d.Starved, ","); got != starved {
			t.Errorf("sections %v: starved %q, want %q", sections, got, starved)
		}
	}
}

// TestFork: a fork checks other documents exactly as a checker made for
// them would, and leaves its parent as it was.
func TestFork(t *testing.T) {
	t.Parallel()
	pk, err := pack.Default()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]map[string]string{}
	for _, name := range []string{"story", "prd"} {
		data, err := os.ReadFile("../../examples/documents/core/" + name + ".md")
		if err != nil {
			t.Fatal(err)
		}
		files[name] = map[string]string{name + "/x.md": string(data)}
	}
	files["prd"]["prd/x.md"] = strings.Replace(files["prd"]["prd/x.md"], "## Non-goals", "## Non goals\n\nTBD\n\n## Other", 1)
	reader := func(m map[string]string) func(string) ([]byte, error) {
		return func(p string) ([]byte, error) {
			if s, ok := m[p]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		}
	}
	exists := func(string) bool { return true }
	opts := check.Options{Read: reader(files["story"]), Exists: exists, Track: "core", NoInlineConfig: true, Sections: true}
	parent, err := check.New(packcheck.Spec(pk), opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Read = reader(files["prd"])
	fresh, err := check.New(packcheck.Spec(pk), opts)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := parent.Fork(reader(files["prd"]), exists, "core").Document(check.Input{Path: "prd/x.md"})
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := fresh.Document(check.Input{Path: "prd/x.md"})
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got.Findings) == 0 {
		t.Errorf("the fork found\n%v\nthe fresh checker\n%v", got, want)
	}
	if d, _, err := parent.Document(check.Input{Path: "story/x.md"}); err != nil || d == nil || d.Kind != "story" {
		t.Errorf("the parent after a fork: %v %v", d, err)
	}
}
