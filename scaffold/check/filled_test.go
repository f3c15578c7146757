package check_test

import (
	"io/fs"
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
			Read: func(name string) ([]byte, error) {
				if name == "story/s.md" {
					return []byte(text), nil
				}
				return nil, fs.ErrNotExist
			}})
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
