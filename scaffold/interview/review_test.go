package interview

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// TestReviewGoesBack: after the last question the person reviews the
// answers, picks one to change (here a typo), answers it again and writes
// the document; a change that makes a question apply asks it.
func TestReviewGoesBack(t *testing.T) {
	t.Parallel()
	qs := questions(t)
	script := NewScript(
		"Chekout", "chekout", false, []string{"a"}, // title with a typo, slug, staged, tags
		"Conversion", "18%", false, // one metric row, no second
		"title: Chekout", "Checkout", // review: fix the title
		"staged", true, "Two stages", // review: now staged, so stages applies
		WriteChoice,
	)
	got, err := Run(qs, Options{Track: doc.TrackCore, Expand: plainExpander{}, Prompter: script, Review: true})
	if err != nil {
		t.Fatalf("%v\nasked: %q", err, script.Asked)
	}
	if got["title"] != "Checkout" || got["staged"] != true || got["stages"] != "Two stages" || got["slug"] != "chekout" {
		t.Errorf("answers after the review: %#v", got)
	}
	reviews := 0
	for _, a := range script.Asked {
		if strings.HasPrefix(a, "Review your answers") {
			reviews++
		}
	}
	if reviews != 3 {
		t.Errorf("the review was shown %d times, want 3: %q", reviews, script.Asked)
	}
}

// TestReviewGroupKeepsRows: a group picked in the review is asked row by
// row with its rows as the defaults.
func TestReviewGroupKeepsRows(t *testing.T) {
	t.Parallel()
	qs := questions(t)
	var defaults []any
	reviews := 0
	p := promptFunc(func(pr Prompt) (any, error) {
		switch {
		case strings.HasPrefix(pr.Message, "Review"):
			reviews++
			if reviews == 1 {
				return "metrics", nil
			}
			return WriteChoice, nil
		case pr.Message == "metric 1: Metric?":
			defaults = append(defaults, pr.Default)
			if pr.Default == nil {
				return "Conversion", nil
			}
			return pr.Default, nil
		case strings.HasPrefix(pr.Message, "Add another"):
			return false, nil
		}
		return pr.Default, nil
	})
	got, err := Run(qs, Options{Track: doc.TrackCore, Expand: plainExpander{}, Prompter: p, Review: true,
		Given: map[string]any{"title": "T", "tags": []any{}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(defaults) != 2 || defaults[0] != nil || defaults[1] != "Conversion" {
		t.Errorf("the fields' defaults when asked again: %q", defaults)
	}
	if rows := got["metrics"].([]map[string]any); len(rows) != 1 || rows[0]["metric"] != "Conversion" {
		t.Errorf("metrics %v", got["metrics"])
	}
}

type promptFunc func(Prompt) (any, error)

func (f promptFunc) Ask(p Prompt) (any, error) { return f(p) }

// TestDefaultsAreRecordedAnswers: an edited document's answers are the
// defaults; without a prompter they are its answers, given ones win.
func TestDefaultsAreRecordedAnswers(t *testing.T) {
	t.Parallel()
	qs := questions(t)
	recorded := map[string]any{"title": "Checkout", "slug": "checkout-v1", "staged": true, "stages": "Beta, then all",
		"metrics": []map[string]any{{"metric": "Conversion", "target": "18%"}}}
	got, err := Run(qs, Options{Track: doc.TrackCore, Expand: plainExpander{}, Defaults: recorded, Given: map[string]any{"stages": "All at once"}})
	if err != nil {
		t.Fatal(err)
	}
	if got["title"] != "Checkout" || got["slug"] != "checkout-v1" || got["stages"] != "All at once" || !reflect.DeepEqual(got["metrics"], recorded["metrics"]) {
		t.Errorf("answers %#v", got)
	}
	// In a terminal, each recorded answer is the default offered.
	var offered []any
	p := promptFunc(func(pr Prompt) (any, error) {
		offered = append(offered, pr.Default)
		return pr.Default, nil
	})
	if _, err := Run(qs, Options{Track: doc.TrackCore, Expand: plainExpander{}, Defaults: recorded, Prompter: p}); err != nil {
		t.Fatal(err)
	}
	if len(offered) < 4 || offered[0] != "Checkout" || offered[1] != "checkout-v1" || offered[2] != true {
		t.Errorf("defaults offered %q", offered)
	}
}

// TestCheckRefusesAtThePrompt: an answer the caller's check refuses is
// asked again at the prompt, with the reason; a kept (Retry) answer it
// refuses is asked again rather than failing; other given answers are the
// caller's to judge later.
func TestCheckRefusesAtThePrompt(t *testing.T) {
	t.Parallel()
	qs := questions(t)[:1]
	taken := func(name string, v any, _ map[string]any) error {
		if name == "title" && v == "Checkout" {
			return errors.New("prd/2026-01-26-checkout.md already has this title")
		}
		return nil
	}
	script := NewScript("Checkout", "Checkout v2")
	got, err := Run(qs, Options{Prompter: script, Check: taken})
	if err != nil || got["title"] != "Checkout v2" || len(script.Refused) != 1 || !strings.Contains(script.Refused[0], "already has this title") {
		t.Errorf("got %v, %v; refused %q", got, err, script.Refused)
	}
	if got, err := Run(qs, Options{Given: map[string]any{"title": "Checkout"}, Check: taken}); err != nil || got["title"] != "Checkout" {
		t.Errorf("a given title that is taken: %v, %v", got, err)
	}
	script = NewScript("Checkout v3")
	got, err = Run(qs, Options{Given: map[string]any{"title": "Checkout"}, Retry: map[string]bool{"title": true}, Prompter: script, Check: taken})
	if err != nil || got["title"] != "Checkout v3" || !strings.Contains(script.Asked[0], "already has this title") {
		t.Errorf("a kept title that is taken: %v, %v, asked %q", got, err, script.Asked)
	}
}

func TestParagraphs(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Teams announce deploys in Slack by hand\nA weekly spreadsheet tracks them": "Teams announce deploys in Slack by hand\n\nA weekly spreadsheet tracks them",
		"Intro:\n- one\n- two\n  more of two\nAfter":                                "Intro:\n\n- one\n- two\n  more of two\n\nAfter",
		"Para one\n\nPara two": "Para one\n\nPara two",
		"1. first\n2. second":  "1. first\n2. second",
		"one line":             "one line",
	} {
		if got := Paragraphs(in); got != want {
			t.Errorf("Paragraphs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNoneYetAndAnonymous(t *testing.T) {
	t.Parallel()
	brief := Question{Name: "brief", Prompt: "Brief?", Type: Select, ChoicesFrom: "brief", Required: true, Pattern: `^brief/`}
	interviews := Question{Name: "interviews", Prompt: "Notes?", Type: MultiSelect, ChoicesFrom: "interview", Min: 1, Required: true}
	role := Question{Name: "participant", Prompt: "Role?", Anonymous: true}
	for _, q := range []*Question{&brief, &interviews, &role} {
		if err := q.Validate(false); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := brief.Coerce(" None yet "); err != nil || v != NoneYet {
		t.Errorf("brief: %v, %v", v, err)
	}
	if v, err := interviews.Coerce([]any{"none yet"}); err != nil || !slices.Equal(v.([]string), []string{NoneYet}) {
		t.Errorf("interviews: %v, %v", v, err)
	}
	if _, err := interviews.Coerce([]any{"none yet", "interview/a.md"}); err == nil {
		t.Error("none yet with paths was accepted")
	}
	for _, bad := range []string{"ada@example.com", "AR lead, +44 20 7946 0958"} {
		if _, err := role.Coerce(bad); err == nil || !strings.Contains(err.Error(), "never contact details") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := role.Coerce("AR specialist at a 200-person distributor"); err != nil {
		t.Error(err)
	}
	// At the prompt, the documents to pick from end with none yet.
	var choices []string
	p := promptFunc(func(pr Prompt) (any, error) { choices = pr.Choices; return NoneYet, nil })
	got, err := Run([]Question{brief}, Options{Prompter: p, Documents: func(string) []string { return []string{"brief/a.md"} }})
	if err != nil || got["brief"] != NoneYet || !slices.Equal(choices, []string{"brief/a.md", NoneYet}) {
		t.Errorf("got %v, %v; choices %q", got, err, choices)
	}
}

// TestReplaceRecord: the record of an answers file replaced, the answers
// and comments as they were; the same as writing it all again.
func TestReplaceRecord(t *testing.T) {
	t.Parallel()
	qs := questions(t)
	answers := map[string]any{"title": "Checkout", "tags": []string{"a"}, "metrics": []map[string]any{{"metric": "Conversion", "target": "18%"}}}
	rec := Record{Kind: "prd", Date: "2026-01-26", Track: "core", Pack: "course", Version: "1.0.0", BaseBlob: "abc"}
	old := MarshalRecorded(rec, qs, answers, "Answers of prd/x.md.\nRevise it: pmfolio edit prd/x.md")
	rec.Version, rec.Digest = "1.1.0", "sha256:0123"
	got, ok := ReplaceRecord(old, rec)
	if want := MarshalRecorded(rec, qs, answers, "Answers of prd/x.md.\nRevise it: pmfolio edit prd/x.md"); !ok || string(got) != string(want) {
		t.Errorf("got %v:\n%s\nwant:\n%s", ok, got, want)
	}
	if _, ok := ReplaceRecord([]byte("title: x\n"), rec); ok {
		t.Error("a file without a record had one replaced")
	}
}

// TestContactDetailsReasked: an e-mail address typed where the
// participant's role is asked is refused at the prompt, with the reason,
// and the question asked again.
func TestContactDetailsReasked(t *testing.T) {
	t.Parallel()
	q := Question{Name: "participant", Prompt: "What is the participant's role (no name)?", Required: true, Anonymous: true}
	if err := q.Validate(false); err != nil {
		t.Fatal(err)
	}
	script := NewScript("ada@example.com", "AR specialist")
	got, err := Run([]Question{q}, Options{Prompter: script})
	if err != nil || got["participant"] != "AR specialist" {
		t.Fatalf("got %v, %v", got, err)
	}
	if len(script.Refused) != 1 || !strings.Contains(script.Refused[0], "looks like an e-mail address") || len(script.Asked) != 2 {
		t.Errorf("asked %q, refused %q", script.Asked, script.Refused)
	}
}
