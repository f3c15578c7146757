package yamlfile

import (
	"strings"
	"testing"
)

type inner struct {
	Name string `yaml:"name"`
	Line int    `yaml:"-"`
}

type outer struct {
	Title string            `yaml:"title"`
	Count int               `yaml:"count"`
	Items []inner           `yaml:"items"`
	Named map[string]*inner `yaml:"named"`
	Line  int               `yaml:"-"`
}

func TestDecodeStrictWithLines(t *testing.T) {
	var o outer
	err := Decode("f.yaml", []byte("title: x\ncount: 2\nitems:\n  - name: a\n  - name: b\nnamed:\n  k:\n    name: c\n"), &o)
	if err != nil {
		t.Fatal(err)
	}
	if o.Line != 1 || o.Items[1].Line != 5 || o.Named["k"].Line != 8 || o.Named["k"].Name != "c" {
		t.Errorf("lines: %+v %+v %+v", o, o.Items, o.Named["k"])
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"unknown key":     {"title: x\ncolor: red\n", `f.yaml:2: unknown key "color" (known keys: count, items, named, title)`},
		"nested unknown":  {"items:\n  - name: a\n    size: 3\n", `f.yaml:3: unknown key "size" (known keys: name)`},
		"misspelt key":    {"title: x\ncuont: 2\n", `f.yaml:2: unknown key "cuont"; did you mean "count"? (known keys: count, items, named, title)`},
		"wrong type":      {"count: many\n", `f.yaml:1: "many" is not valid here: want a whole number`},
		"list for scalar": {"title: [a]\n", `f.yaml:1: want a single value, got a list`},
		"scalar for list": {"items: a\n", `f.yaml:1: want a list, got "a"`},
		"flow unclosed":   {"title: x\ncount: [1\n", `f.yaml:2: did not find expected ',' or ']'`},
		"bad indent":      {"title: x\n  count: 2\n", `f.yaml:2: mapping values are not allowed in this context`},
		"tab":             {"title: x\n\tcount: 2\n", `f.yaml:2: found a tab character`},
		"binary":          {"title: \x00\n", `f.yaml:1: contains a NUL byte`},
		"not utf-8":       {"title: ok\ntitle2: \xc3\x28\n", `f.yaml:2: not valid UTF-8`},
		"empty":           {"", `f.yaml: file is empty`},
		"too big":         {strings.Repeat("#", MaxSize+1), `f.yaml: file is`},
	} {
		var o outer
		err := Decode("f.yaml", []byte(c.in), &o)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v, want prefix %q", name, err, c.want)
		}
	}
}
