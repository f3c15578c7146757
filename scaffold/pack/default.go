package pack

import (
	"fmt"
	"hash/crc32"
	"io/fs"
	"path"
	"reflect"
	"sync"

	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/templates"
)

// DefaultName is the name of the pack embedded in pmfolio.
const DefaultName = "default"

// The default pack is loaded once, on first use. (A sync.OnceValues
// variable would make an initialisation cycle: Load can reach Default
// through extends.)
var (
	defaultOnce sync.Once
	defaultPack *Pack
	defaultErr  error
)

func loadDefault() (*Pack, error) {
	const source = "embedded default pack"
	files, err := ReadFiles(templates.FS, source)
	if err != nil {
		return nil, err
	}
	data, _ := fileData(files, ManifestFile)
	m, err := defaultManifest(data)
	if err != nil {
		return nil, &Error{Pack: source, Err: err}
	}
	p, err := fromManifest(templates.FS, files, m, source, nil)
	if err != nil {
		return nil, err
	}
	// The default pack's sample answers are the examples users read, so
	// they live in examples/ rather than in the pack's folder.
	for _, k := range p.Kinds {
		name := path.Join("answers", k.ID+".yaml")
		if data, err := fs.ReadFile(examples.Answers, name); err == nil {
			k.samples = []SampleFile{{File: path.Join("examples", name), Data: data}}
		}
	}
	return p, nil
}

// defaultManifest is the manifest of the default pack, whose pack.yaml is
// data: compiled into Go (default_compiled.go) when data is the file that
// was compiled, which spares every command parsing 90 KB of YAML; parsed
// when it was edited since.
func defaultManifest(data []byte) (*Manifest, error) {
	if manifestDigest(data) == compiledDefaultDigest {
		return compiledDefault(), nil
	}
	return ParseManifest(ManifestFile, data)
}

// manifestDigest tells one pack.yaml, read into one version of the
// Manifest type, from another: the file's length and CRC-32, and a CRC-32
// of the type's shape (every field's name, type and tag, nested). It
// guards against a pack.yaml edited, or the manifest's Go types changed,
// without compiling it again (the test then fails too), so checksums the
// processor computes in microseconds do.
func manifestDigest(data []byte) string {
	return fmt.Sprintf("%d:%08x:%08x", len(data), crc32.ChecksumIEEE(data), manifestShape())
}

// manifestShape is a CRC-32 of the Manifest type's shape.
var manifestShape = sync.OnceValue(func() uint32 {
	h := crc32.NewIEEE()
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		fmt.Fprintf(h, "%s;", t)
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				fmt.Fprintf(h, "%s %q{", f.Name, f.Tag)
				walk(f.Type)
				h.Write([]byte("}"))
			}
		}
	}
	walk(reflect.TypeOf(Manifest{}))
	return h.Sum32()
})

// Preload starts loading the default pack in the background, for a
// command that will need it: parsing its manifest is the biggest piece of
// work a short command does, and it can overlap with the command's own
// reading of the portfolio and git on another core. Default waits for it.
func Preload() { go Default() }

// Default returns the embedded default pack.
func Default() (*Pack, error) {
	defaultOnce.Do(func() {
		// Preload loads it on a goroutine of its own, where a panic would
		// end the process with a stack trace: it becomes an error instead.
		defer func() {
			if r := recover(); r != nil {
				defaultPack, defaultErr = nil, fmt.Errorf("load the embedded default pack: %v", r)
			}
		}()
		defaultPack, defaultErr = loadDefault()
	})
	return defaultPack, defaultErr
}

// Folder is the portfolio folder a kind's documents go to: the fixed part
// of its output path before the first template action.
func (k *Kind) Folder() string {
	out := k.Output
	if i := indexAction(out); i >= 0 {
		out = out[:i]
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] == '/' {
			return out[:i]
		}
	}
	return ""
}

func indexAction(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '{' && s[i+1] == '{' {
			return i
		}
	}
	return -1
}
