package render

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

var testNow = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)

func render(t *testing.T, text string, data any) (string, error) {
	t.Helper()
	e := New(testNow, Limits{MaxOutput: 4096, MaxItems: 100, Timeout: 2 * time.Second})
	return e.Render([]File{{Name: "t.md.tmpl", Text: text}}, "t.md.tmpl", data)
}

// A pack must never read the environment: CI secrets live there.
func TestEnvironmentIsUnavailable(t *testing.T) {
	t.Setenv("PMFOLIO_SECRET", "hunter2")
	for _, fn := range []string{"env", "expandenv", "getHostByName", "genPrivateKey", "derivePassword", "genCA", "bcrypt", "randBytes"} {
		text := `{{ ` + fn + ` "PMFOLIO_SECRET" }}`
		if fn == "expandenv" {
			text = `{{ expandenv "$PMFOLIO_SECRET" }}`
		}
		out, err := render(t, text, nil)
		if err == nil {
			t.Errorf("%s: rendered %q, want an error", fn, out)
			continue
		}
		if !strings.Contains(err.Error(), `function "`+fn+`" not defined`) {
			t.Errorf("%s: error %q does not say the function is not defined", fn, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error leaks the secret", fn)
		}
	}
	e := New(testNow, DefaultLimits)
	fm := e.funcMap(&stopFlag{})
	for _, name := range Removed() {
		if _, ok := fm[name]; ok {
			t.Errorf("function map still has %s", name)
		}
	}
	if _, ok := os.LookupEnv("PMFOLIO_SECRET"); !ok {
		t.Fatal("test setup: secret not in environment")
	}
}

func TestInjectedClock(t *testing.T) {
	t.Setenv("TZ", "America/Los_Angeles")
	out, err := render(t, `{{ now | date "2006-01-02" }} {{ .D | date "Jan 2" }} {{ ago .D }}`, map[string]any{"D": testNow.Add(-48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "2026-03-14 Mar 12 48h0m0s"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestMissingKeyIsAnError(t *testing.T) {
	_, err := render(t, "line one\n{{ .Answers.nope }}", map[string]any{"Answers": map[string]any{"title": "x"}})
	var re *Error
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a *render.Error", err)
	}
	if re.File != "t.md.tmpl" || re.Line != 2 || !strings.Contains(re.Msg, `"nope"`) {
		t.Errorf("got %+v, want t.md.tmpl line 2 naming the key", re)
	}
}

func TestParseErrorHasLine(t *testing.T) {
	e := New(testNow, DefaultLimits)
	err := e.Parse([]File{{Name: "prd.md.tmpl", Text: "# ok\n\n{{ if }}\n"}})
	if err == nil || !strings.HasPrefix(err.Error(), "prd.md.tmpl:3: ") {
		t.Fatalf("got %v, want prd.md.tmpl:3: ...", err)
	}
}

func TestLimits(t *testing.T) {
	cases := map[string]string{
		"repeat":        `{{ repeat 100000 "x" }}`,
		"until":         `{{ range until 1000000 }}{{ end }}`,
		"untilStep":     `{{ range untilStep 0 1000000 1 }}{{ end }}`,
		"seq":           `{{ seq 1000000 }}`,
		"indent":        `{{ indent 1000000 "x" }}`,
		"printf width":  `{{ printf "%0999999999d" 1 }}`,
		"printf star":   `{{ printf "%*d" 999999999 1 }}`,
		"output":        `{{ range until 99 }}{{ repeat 90 "x" }}{{ end }}`,
		"doubling":      `{{ $s := "xxxxxxxxxxxxxxxx" }}{{ range until 20 }}{{ $s = print $s $s }}{{ end }}{{ len $s }}`,
		"list doubling": `{{ $l := list 1 2 }}{{ range until 20 }}{{ $l = concat $l $l }}{{ end }}{{ len $l }}`,
		"replace":       `{{ replace "" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }}`,
		"randAlpha":     `{{ randAlpha 1000000 }}`,
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := render(t, text, nil)
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("got %d bytes, err %v; want ErrLimit", len(out), err)
			}
		})
	}
}

func TestTimeoutStopsRender(t *testing.T) {
	// A budget too big to matter here: this test is about the clock.
	e := New(testNow, Limits{MaxOutput: 1 << 20, MaxItems: 10000, Timeout: 100 * time.Millisecond, MaxSteps: 1 << 62})
	start := time.Now()
	_, err := e.Render([]File{{Name: "loop", Text: `{{ range until 10000 }}{{ range until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}{{ end }}`}}, "loop", nil)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "stopped") {
		t.Fatalf("got %v, want a timeout error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("render returned after %s", d)
	}
}

// Loops and template calls that call no function and write nothing used to
// run until the process ended; the step budget ends them, deterministically.
func TestStepBudgetEndsSilentWork(t *testing.T) {
	cases := map[string]string{
		"range over an integer": `{{ range 100000000000 }}{{ end }}`,
		"range over arithmetic": `{{ range mul 100000 100000 }}{{ end }}`,
		"nested ranges":         `{{ $l := until 10000 }}{{ range $l }}{{ range $l }}{{ range $l }}{{ end }}{{ end }}{{ end }}`,
		"recursive templates":   `{{ define "a" }}{{ template "a" }}{{ template "a" }}{{ end }}{{ template "a" }}`,
		"include recursion":     `{{ define "a" }}{{ include "a" . }}{{ end }}{{ include "a" . }}`,
		"include doubling":      `{{ define "a" }}{{ include "a" . }}{{ include "a" . }}{{ end }}{{ include "a" . }}`,
		"block recursion":       `{{ define "b" }}{{ block "c" . }}{{ template "b" . }}{{ template "b" . }}{{ end }}{{ end }}{{ template "b" 1 }}`,
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			e := New(testNow, Limits{MaxOutput: 4096, MaxItems: 10000, Timeout: time.Minute, MaxSteps: 100000})
			start := time.Now()
			_, err := e.Render([]File{{Name: "t", Text: text}}, "t", nil)
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("got %v, want ErrLimit", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("stopped after %s", d)
			}
		})
	}
}

// Printing a dict that contains itself would overflow the stack, which no
// recover catches: such a dict cannot be made.
func TestNoCycles(t *testing.T) {
	for name, text := range map[string]string{
		"set":                `{{ $d := dict }}{{ $_ := set $d "k" $d }}{{ $d }}`,
		"set nested":         `{{ $d := dict }}{{ $_ := set $d "k" (list 1 (dict "x" $d)) }}{{ $d }}`,
		"merge":              `{{ $d := dict "a" 1 }}{{ $_ := merge $d (dict "k" $d) }}{{ $d }}`,
		"mergeOverwrite":     `{{ $d := dict "a" 1 }}{{ $_ := mergeOverwrite $d (dict "k" (list $d)) }}{{ $d }}`,
		"mustMerge":          `{{ $d := dict "a" 1 }}{{ $_ := mustMerge $d $d }}{{ $d }}`,
		"mustMergeOverwrite": `{{ $d := dict "a" 1 }}{{ $_ := mustMergeOverwrite $d (dict "k" $d) }}{{ $d }}`,
	} {
		_, err := render(t, text, nil)
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "inside itself") {
			t.Errorf("%s: got %v", name, err)
		}
	}
	out, err := render(t, `{{ $d := dict }}{{ $e := dict "x" 1 }}{{ $_ := set $d "a" $e }}{{ $_ := set $d "b" $e }}{{ $_ := merge $d (dict "c" 2) }}{{ toJson $d }}`, nil)
	if err != nil || out != `{"a":{"x":1},"b":{"x":1},"c":2}` {
		t.Errorf("shared values are not cycles: %q %v", out, err)
	}
}

// A list of references to one big string is small in memory but huge when
// printed; fmt would build it all before any output check.
func TestPrintingIsMeasuredFirst(t *testing.T) {
	big := `{{ $s := repeat 4000 "x" }}{{ $l := list }}{{ range until 1000 }}{{ $l = append $l $s }}{{ end }}`
	for name, text := range map[string]string{
		"print site": big + `{{ $l }}`,
		"function":   big + `{{ $j := toJson $l }}`,
		"join":       big + `{{ $j := join "," $l }}`,
		"html":       big + `{{ $j := html $l }}`,
		"printf":     big + `{{ $j := printf "%v" $l }}`,
	} {
		e := New(testNow, Limits{MaxOutput: 1 << 20, MaxItems: 10000, Timeout: time.Minute})
		_, err := e.Render([]File{{Name: "t", Text: text}}, "t", nil)
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "input is over") {
			t.Errorf("%s: got %v", name, err)
		}
	}
	// A value that reaches a print without any function: measured there.
	s := strings.Repeat("x", 4000)
	l := make([]string, 1000)
	for i := range l {
		l[i] = s
	}
	_, err := render(t, `{{ .L }}`, map[string]any{"L": l})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "error calling output: template limit exceeded: output: its input is over") {
		t.Errorf("print site: got %v", err)
	}
}

// The guards must not change what a template means.
func TestInstrumentKeepsMeaning(t *testing.T) {
	text := `{{ define "item" }}<{{ . }}>{{ end }}{{ define "none" }}[{{ . }}]{{ end }}` +
		`{{ range $i, $v := list "a" "b" }}{{ $i }}{{ template "item" $v }}{{ end }}` +
		`{{ range $k, $v := .M }}{{ $k }}={{ $v }};{{ end }}{{ range 3 }}{{ . }}{{ end }}` +
		`{{ range .Empty }}x{{ else }}empty{{ end }}{{ template "none" }}{{ template "item" . | len }}`
	out, err := render(t, text, map[string]any{"M": map[string]int{"b": 2, "a": 1}, "Empty": []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "0<a>1<b>a=1;b=2;012empty[<no value>]<2>"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestIncludeAndTruthy(t *testing.T) {
	e := New(testNow, DefaultLimits)
	out, err := e.Render([]File{
		{Name: "_item.md.tmpl", Text: `{{ define "_item" }}- {{ . }}{{ end }}`},
		{Name: "doc.md.tmpl", Text: `{{ include "_item" "a" | indent 2 }}`},
	}, "doc.md.tmpl", nil)
	if err != nil || out != "  - a" {
		t.Fatalf("got %q, %v", out, err)
	}
	for s, want := range map[string]bool{"true": true, "false": false, "": false, " 0 ": false, "yes": true} {
		if Truthy(s) != want {
			t.Errorf("Truthy(%q) = %v", s, !want)
		}
	}
}

// Each render binds guards only to the functions its templates call; a
// call anywhere in a template (nested pipelines, branches, loops, defined
// templates, included partials, arguments of template calls) must find
// its guard, and parsed templates must render again and again.
func TestEveryCallIsGuarded(t *testing.T) {
	bomb := `(repeat 1000 "abcdefgh")`
	for _, text := range []string{
		`{{ len ` + bomb + ` }}`,
		`{{ if gt (len ` + bomb + `) 1 }}x{{ end }}`,
		`{{ if false }}{{ else if eq (len ` + bomb + `) 1 }}x{{ end }}`,
		`{{ with $x := ` + bomb + ` }}{{ end }}`,
		`{{ range $i, $c := list ` + bomb + ` }}{{ end }}`,
		`{{ range list 1 }}{{ else }}{{ end }}{{ range list 1 }}{{ len ` + bomb + ` }}{{ end }}`,
		`{{ define "p" }}{{ len ` + bomb + ` }}{{ end }}{{ template "p" }}`,
		`{{ define "p" }}{{ . }}{{ end }}{{ template "p" ` + bomb + ` }}`,
		`{{ define "p" }}{{ len ` + bomb + ` }}{{ end }}{{ include "p" . }}`,
		`{{ (list ` + bomb + `).foo }}`,
	} {
		_, err := render(t, text, map[string]any{})
		if !errors.Is(err, ErrLimit) {
			t.Errorf("%s: err = %v, want the output limit", text, err)
		}
	}

	tm, err := Parse([]File{{Name: "a", Text: `{{ upper .X }} {{ include "b" . }}`}, {Name: "b", Text: `{{ .X | repeat 2 }}`}})
	if err != nil {
		t.Fatal(err)
	}
	e := New(testNow, DefaultLimits)
	for i := 0; i < 3; i++ {
		out, err := e.Execute(tm, "a", map[string]any{"X": "ab"})
		if err != nil || out != "AB abab" {
			t.Fatalf("render %d: %q, %v; want \"AB abab\"", i, out, err)
		}
	}
	if _, err := e.Execute(tm, "nope", nil); err == nil {
		t.Error("rendering a template the set lacks did not fail")
	}
}

// A function name the parser knows but a render did not bind runs a stub
// that fails: it can never run unguarded.
func TestUnboundFunctionFails(t *testing.T) {
	f, ok := parseFuncs()["repeat"]
	if !ok {
		t.Fatal("the parser does not know repeat")
	}
	if _, err := f.(func(...any) (any, error))(3, "x"); !errors.Is(err, errUnbound) {
		t.Errorf("stub returned %v, want errUnbound", err)
	}
	for name := range New(testNow, DefaultLimits).funcMap(&stopFlag{}) {
		if _, ok := parseFuncs()[name]; !ok {
			t.Errorf("the parser does not know %s", name)
		}
	}
}

// As in text/template, a later file's definition of a template replaces an
// earlier one, unless it is empty.
func TestRedefinition(t *testing.T) {
	e := New(testNow, DefaultLimits)
	for _, tc := range []struct {
		second, want string
	}{
		{`{{ define "p" }}B{{ end }}`, "B"},
		{`{{ define "p" }} {{/* nothing */}} {{ end }}`, "A"},
	} {
		tm, err := Parse([]File{{Name: "a", Text: `{{ define "p" }}A{{ end }}{{ template "p" }}`}, {Name: "b", Text: tc.second}})
		if err != nil {
			t.Fatal(err)
		}
		if out, err := e.Execute(tm, "a", nil); err != nil || out != tc.want {
			t.Errorf("second file %s: %q, %v; want %q", tc.second, out, err, tc.want)
		}
	}
}

// Parsed templates and one engine serve concurrent renders: each binds its
// own functions and step budget.
func TestConcurrentRenders(t *testing.T) {
	tm, err := Parse([]File{{Name: "a", Text: `{{ range until 50 }}{{ upper $.X }}{{ end }}`}})
	if err != nil {
		t.Fatal(err)
	}
	e := New(testNow, Limits{MaxSteps: 500})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// 50 items and 50 calls each: within the budget of one render,
			// over it if renders shared one.
			for j := 0; j < 5; j++ {
				out, err := e.Execute(tm, "a", map[string]any{"X": "x"})
				if err == nil && out != strings.Repeat("X", 50) {
					err = errors.New("wrong output " + out)
				}
				if err == nil {
					_, err = e.Expand("title", `{{ .X | lower }}`, map[string]any{"X": "Y"})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestDocTitle: doctitle finds the titles the caller gave, and nothing
// else; an engine with titles expands one-line templates as any other.
func TestDocTitle(t *testing.T) {
	e := New(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), DefaultLimits).WithTitles(map[string]string{"brief/b.md": "The brief"})
	got, err := e.Expand("t", `{{ doctitle "brief/b.md" }}|{{ doctitle "./brief/b.md" }}|{{ doctitle "prd/x.md" }}`, nil)
	if err != nil || got != "The brief|The brief|" {
		t.Errorf("got %q, %v", got, err)
	}
}
