// Package yamlfile decodes the YAML files pmfolio reads (pmfolio.yaml,
// pack.yaml, answers files) strictly: unknown keys and wrong types are
// errors that name the file and line, so that a typo is reported instead of
// silently ignored.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"gopkg.in/yaml.v3"
)

// MaxSize bounds a YAML file pmfolio will read: answers files, drafts,
// pmfolio.yaml and pack.yaml are a few KB.
const MaxSize = 1 << 20

// TooBigError says an input is over its size limit. pmfolio refuses such
// an input whole rather than read part of it: answers cut short would lose
// their last keys, a baseline cut short would not parse.
type TooBigError struct {
	// File names the input: its path as given, or "stdin".
	File  string
	Limit int64
}

func (e *TooBigError) Error() string {
	return fmt.Sprintf("%s is larger than %s; nothing of it was read", e.File, limitText(e.Limit))
}

// limitText is how messages state a size limit.
func limitText(limit int64) string {
	if limit >= 1<<20 && limit%(1<<20) == 0 {
		return fmt.Sprintf("the %d MiB limit (%d bytes)", limit>>20, limit)
	}
	return fmt.Sprintf("the %d-byte limit", limit)
}

// ReadFile reads the file at path whole, or refuses it: a folder, or a
// file over limit bytes (a *TooBigError). name is what messages call the
// file. Every input pmfolio reads in full goes through ReadFile or ReadAll.
func ReadFile(path, name string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a file", name)
	}
	if fi.Size() > limit {
		return nil, &TooBigError{File: name, Limit: limit}
	}
	// The size may change between the stat and the read: ReadAll checks
	// what it reads, too.
	return ReadAll(f, name, limit)
}

// ReadAll reads r to its end, refusing an input of more than limit bytes
// with a *TooBigError instead of cutting it short.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	// A file says how big it is: one buffer of that size, not a growing
	// one (a size that changed meanwhile is still caught below).
	var buf bytes.Buffer
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() <= limit {
			buf.Grow(int(fi.Size()) + bytes.MinRead)
		}
	}
	_, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, &TooBigError{File: name, Limit: limit}
	}
	return data, nil
}

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
		return nil, Errorf(file, 0, "file is %d bytes, larger than %s", len(data), limitText(MaxSize))
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
		return strconv.Quote(Clip(n.Value, 40))
	}
	return "something else"
}

// Clip shortens text quoted in a one-line message to at most max bytes,
// ending it with "..." when it had to be cut. It cuts between
// user-perceived characters, never inside one: not inside a UTF-8
// sequence, and not between a letter and its combining accent, the parts
// of an emoji sequence or the two halves of a flag.
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return Truncate(s, max-len("...")) + "..."
}

// Truncate returns the longest prefix of s of at most max bytes that ends
// between user-perceived characters (see Clip).
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	// Between two ASCII characters there is always a boundary, except
	// inside a CR LF: what would join them (accents, joiners, variation
	// selectors, prepended marks, flag halves) is never ASCII. Messages
	// clip thousands of ASCII lines; walking their clusters was most of
	// the cost of a message.
	if max > 0 && s[max-1] < utf8.RuneSelf && s[max] < utf8.RuneSelf && !(s[max-1] == '\r' && s[max] == '\n') {
		return s[:max]
	}
	return truncateClusters(s, max)
}

// truncateClusters is Truncate, cluster by cluster.
func truncateClusters(s string, max int) string {
	end := 0
	state := -1
	for rest := s; rest != ""; {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if end+len(cluster) > max {
			break
		}
		end += len(cluster)
	}
	return s[:end]
}

// fieldCache holds yamlFields' answer per struct type: decoding a pack
// walks the same few types thousands of times.
var fieldCache sync.Map // reflect.Type -> map[string]reflect.StructField

// yamlFields maps the YAML keys of struct type t to its fields. The map is
// shared: callers must not change it.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.StructField)
	}
	m := buildFields(t)
	fieldCache.Store(t, m)
	return m
}

func buildFields(t reflect.Type) map[string]reflect.StructField {
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

var lineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`) })

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
	if m := lineRE().FindStringSubmatch(msg); m != nil {
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

var unmarshalRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)") })

// friendly rewords yaml.v3's Go-flavoured messages for people.
func friendly(msg string) string {
	if m := unmarshalRE().FindStringSubmatch(msg); m != nil {
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
		return fmt.Sprintf("%q is not valid here: want %s", Clip(m[2], 40), want)
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
