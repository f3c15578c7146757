// Package yamlfile decodes the YAML files pmfolio reads (pmfolio.yaml,
// pack.yaml, answers files) strictly: unknown keys and wrong types are
// errors that name the file and line, so that a typo is reported instead of
// silently ignored.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxSize bounds a YAML file pmfolio will read.
const MaxSize = 1 << 20

// Error is a problem at a place in a file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errorf builds an Error at line of file.
func Errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads data into a YAML node after checking size and encoding; JSON
// parses too, as JSON is YAML.
func Parse(file string, data []byte) (*yaml.Node, error) {
	if len(data) > MaxSize {
		return nil, Errorf(file, 0, "file is %d bytes; the limit is %d", len(data), MaxSize)
	}
	if !utf8.Valid(data) {
		return nil, Errorf(file, InvalidLine(data), "not valid UTF-8 text (is it a binary file?)")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, Errorf(file, bytes.Count(data[:bytes.IndexByte(data, 0)], []byte("\n"))+1, "contains a NUL byte (is it a binary file?)")
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, convert(file, err)
	}
	if len(n.Content) == 0 {
		return nil, Errorf(file, 0, "file is empty")
	}
	return n.Content[0], nil
}

// Decode parses data strictly into v, a pointer to a struct (or map).
func Decode(file string, data []byte, v any) error {
	n, err := Parse(file, data)
	if err != nil {
		return err
	}
	return DecodeNode(file, n, v)
}

// DecodeNode decodes n strictly into v and fills every `Line int` field
// tagged yaml:"-" with the line its mapping started on. It returns the
// first problem; DecodeNodeAll returns every one.
func DecodeNode(file string, n *yaml.Node, v any) error {
	if errs := DecodeNodeAll(file, n, v); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// DecodeNodeAll is DecodeNode reporting every unknown key and every shape
// that cannot fit, in file order, so that a file with three mistakes
// takes one run to fix, not three.
func DecodeNodeAll(file string, n *yaml.Node, v any) []*Error {
	rv := reflect.ValueOf(v)
	var errs []*Error
	check(file, n, rv.Type().Elem(), &errs)
	if len(errs) > 0 {
		return errs
	}
	if err := n.Decode(v); err != nil {
		return []*Error{convert(file, err)}
	}
	setLines(n, rv.Elem())
	return nil
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// check walks node and type together, reporting unknown keys and shapes
// that cannot fit, each with its line.
func check(file string, n *yaml.Node, t reflect.Type, errs *[]*Error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		// A type that decodes itself checks its own shapes and keys.
		return
	}
	bad := func(line int, format string, args ...any) {
		*errs = append(*errs, Errorf(file, line, format, args...))
	}
	switch t.Kind() {
	case reflect.Struct:
		if t.String() == "time.Time" {
			return
		}
		if n.Kind != yaml.MappingNode {
			bad(n.Line, "want a mapping of keys to values, got %s", shape(n))
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if !ok {
				known := keys(fields)
				if dym := DidYouMean(Similar(k.Value, known)); dym != "" {
					bad(k.Line, "unknown key %q; %s (known keys: %s)", k.Value, dym, strings.Join(known, ", "))
				} else {
					bad(k.Line, "unknown key %q (known keys: %s)", k.Value, strings.Join(known, ", "))
				}
				continue
			}
			check(file, val, f.Type, errs)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if t.Elem().Kind() != reflect.Uint8 {
				bad(n.Line, "want a list, got %s", shape(n))
			}
			return
		}
		for _, c := range n.Content {
			check(file, c, t.Elem(), errs)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			bad(n.Line, "want a mapping, got %s", shape(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			check(file, n.Content[i+1], t.Elem(), errs)
		}
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64:
		if n.Kind != yaml.ScalarNode {
			bad(n.Line, "want a single value, got %s", shape(n))
		}
	}
}

func shape(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return strconv.Quote(clip(n.Value))
	}
	return "something else"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f
	}
	return out
}

func keys(m map[string]reflect.StructField) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// setLines fills Line fields; it mirrors check's walk over decoded values.
func setLines(n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return
		}
		if f := v.FieldByName("Line"); f.IsValid() && f.Kind() == reflect.Int && f.CanSet() {
			f.SetInt(int64(n.Line))
		}
		fields := yamlFields(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			if f, ok := fields[n.Content[i].Value]; ok {
				setLines(n.Content[i+1], v.FieldByIndex(f.Index))
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, c := range n.Content {
			if i < v.Len() {
				setLines(c, v.Index(i))
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode || v.Type().Elem().Kind() != reflect.Pointer {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			mv := v.MapIndex(reflect.ValueOf(n.Content[i].Value))
			if mv.IsValid() {
				setLines(n.Content[i+1], mv)
			}
		}
	}
}

var lineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// convert turns a yaml.v3 error into an Error with its line.
func convert(file string, err error) *Error {
	line, msg := Locate(err)
	return &Error{File: file, Line: line, Msg: msg}
}

// parserErrors are yaml.v3's parser (not scanner) messages. yaml.v3 reports
// their line 0-based while it reports scanner errors 1-based (its fail()
// adds one only for scanner errors), so a parser error would point at the
// line above the mistake.
var parserErrors = []string{
	"did not find expected key",
	"did not find expected node content",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
}

// Locate returns the 1-based line a yaml.v3 error is about (0 when it has
// none) and its message reworded for people.
func Locate(err error) (int, string) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	for _, pe := range parserErrors {
		if strings.HasPrefix(msg, pe) {
			line++
			break
		}
	}
	return line, friendly(msg)
}

var unmarshalRE = regexp.MustCompile("cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)")

// friendly rewords yaml.v3's Go-flavoured messages for people.
func friendly(msg string) string {
	if m := unmarshalRE.FindStringSubmatch(msg); m != nil {
		want := m[3]
		switch {
		case strings.HasPrefix(want, "[]"):
			want = "a list"
		case strings.HasPrefix(want, "map"):
			want = "a mapping"
		case want == "bool":
			want = "true or false"
		case want == "int":
			want = "a whole number"
		case want == "string":
			want = "text"
		}
		if m[2] == "" {
			// yaml.v3 quotes no value for a mapping or a list.
			return fmt.Sprintf("%s is not valid here: want %s", map[string]string{"map": "a mapping", "seq": "a list"}[m[1]], want)
		}
		return fmt.Sprintf("%q is not valid here: want %s", clip(m[2]), want)
	}
	return msg
}

// InvalidLine is the 1-based line of the first byte of data that is not
// UTF-8, for messages about binary or mis-encoded files.
func InvalidLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}
