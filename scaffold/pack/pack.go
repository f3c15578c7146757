package pack

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/pmfolio/pmfolio/scaffold/version"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Pack is a loaded, validated template pack.
type Pack struct {
	Manifest
	// FS holds the pack's own files; manifest paths are relative to its root.
	FS fs.FS
	// Source says where the pack came from, for messages: "embedded", a
	// folder, or a git URL and commit.
	Source string
	// Base is the pack this one extends, nil when it extends none.
	Base *Pack

	// files are the templates: the base's, overridden by the pack's own.
	files []render.File
	// templates are files, parsed.
	templates *render.Templates

	// kindDigests caches KindDigest.
	kindDigests sync.Map
}

// Error is a problem with a pack, naming the pack and the file.
type Error struct {
	Pack string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("pack %q: %v", e.Pack, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Load reads pack.yaml and every template of a pack from fsys and checks
// them. source names the pack's origin in errors until its name is known.
// The pack may extend only the default pack: see LoadWith.
func Load(fsys fs.FS, source string) (*Pack, error) { return LoadWith(fsys, source, nil) }

// LoadWith is Load for a pack that may extend any pack reg finds.
func LoadWith(fsys fs.FS, source string, reg *Registry) (*Pack, error) {
	files, err := ReadFiles(fsys, source)
	if err != nil {
		return nil, err
	}
	return loadFiles(fsys, files, source, reg)
}

var errNoManifest = yamlfile.Errorf(ManifestFile, 0, "no such file; a pack is a folder with a %s", ManifestFile)

func loadFiles(fsys fs.FS, files []File, source string, reg *Registry) (*Pack, error) {
	data, ok := fileData(files, ManifestFile)
	if !ok {
		return nil, &Error{Pack: source, Err: errNoManifest}
	}
	m, err := ParseManifest(ManifestFile, data)
	if err != nil {
		return nil, &Error{Pack: source, Err: err}
	}
	return fromManifest(fsys, files, m, source, reg)
}

// fromManifest makes the pack of manifest m and files.
func fromManifest(fsys fs.FS, files []File, m *Manifest, source string, reg *Registry) (*Pack, error) {
	p := &Pack{Manifest: *m, FS: fsys, Source: source}
	if err := p.load(files, reg); err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			return nil, err
		}
		return nil, &Error{Pack: p.Name, Err: err}
	}
	return p, nil
}

func (p *Pack) load(files []File, reg *Registry) error {
	if p.MinPmfolio != "" {
		min, _ := semver.NewVersion(p.MinPmfolio)
		cur, err := semver.NewVersion(version.Number())
		if err == nil && cur.LessThan(min) {
			return fmt.Errorf("needs pmfolio %s or newer; this is %s", p.MinPmfolio, version.Number())
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".tmpl") {
			p.files = append(p.files, render.File{Name: f.Path, Text: string(f.Data)})
		}
	}
	if err := p.loadSamples(files); err != nil {
		return err
	}
	if p.Extends.Name != "" {
		base, err := reg.get(p.Extends.Name, p.Name)
		if err != nil {
			return &causeError{yamlfile.Errorf(ManifestFile, p.KeyLine("extends"), "extends %q: %v", p.Extends.Name, err), err}
		}
		p.extend(base)
		if err := p.validateKinds(ManifestFile); err != nil {
			return err
		}
		if err := p.checkDrops(); err != nil {
			return err
		}
	}
	sort.Slice(p.files, func(i, j int) bool { return p.files[i].Name < p.files[j].Name })
	for _, id := range p.KindOrder {
		k := p.Kinds[id]
		if !p.hasFile(k.Template) {
			return yamlfile.Errorf(ManifestFile, k.Line, "kind %q: template %q does not exist in the pack", id, k.Template)
		}
	}
	// Parsing now reports a broken template with its file and line before
	// anyone has answered a single question; the parsed templates are kept
	// for rendering.
	t, err := render.Parse(p.files)
	if err != nil {
		return err
	}
	p.templates = t
	return nil
}

// loadSamples reads each kind's sample answers: the file its sample key
// names, else samples/KIND.yaml when the pack has one.
func (p *Pack) loadSamples(files []File) error {
	for _, id := range p.KindOrder {
		k := p.Kinds[id]
		name := k.Sample
		if name == "" {
			name = path.Join(SamplesDir, id+".yaml")
		}
		data, ok := fileData(files, name)
		if !ok {
			if k.Sample != "" {
				return yamlfile.Errorf(ManifestFile, k.Line, "kind %q: sample %q does not exist in the pack", id, k.Sample)
			}
			continue
		}
		k.samples = []SampleFile{{File: name, Data: data}}
	}
	return nil
}

// SamplesDir is where a pack keeps sample answers by default.
const SamplesDir = "samples"

// SampleAnswers returns the kind's sample answers files, to be read in
// order (later answers win); none when the kind has no samples.
func (k *Kind) SampleAnswers() []SampleFile { return k.samples }

func fileData(files []File, name string) ([]byte, bool) {
	for _, f := range files {
		if f.Path == name {
			return f.Data, true
		}
	}
	return nil, false
}

func (p *Pack) hasFile(name string) bool {
	for _, f := range p.files {
		if f.Name == name {
			return true
		}
	}
	return false
}

// Files returns the pack's template files: document templates and partials.
func (p *Pack) Files() []render.File { return p.files }

// Kind returns the kind declared under id, whatever its case: kind ids are
// lower case (the manifest says so), and "new PRD" means "new prd".
func (p *Pack) Kind(id string) (*Kind, error) {
	if k, ok := p.Kinds[strings.ToLower(id)]; ok {
		return k, nil
	}
	return nil, &UnknownKindError{Pack: p.Name, Kind: id, Known: p.KindOrder, Similar: yamlfile.Similar(id, p.KindOrder)}
}

// UnknownKindError names a kind the pack does not declare.
type UnknownKindError struct {
	Pack  string
	Kind  string
	Known []string
	// Similar are the kinds the user may have meant.
	Similar []string
}

// Suggestions are the kinds the user may have meant, for a "did you mean"
// hint.
func (e *UnknownKindError) Suggestions() []string { return e.Similar }

func (e *UnknownKindError) Error() string {
	return fmt.Sprintf("unknown kind %q: pack %q has %s", e.Kind, e.Pack, strings.Join(e.Known, ", "))
}

// OrderedKinds returns the kinds in declaration order.
func (p *Pack) OrderedKinds() []*Kind {
	out := make([]*Kind, 0, len(p.KindOrder))
	for _, id := range p.KindOrder {
		out = append(out, p.Kinds[id])
	}
	return out
}

// causeError is an error at a place of pack.yaml that keeps its cause for
// errors.Is (an unknown pack, a circle of packs).
type causeError struct {
	at    *yamlfile.Error
	cause error
}

func (e *causeError) Error() string   { return e.at.Error() }
func (e *causeError) Unwrap() []error { return []error{e.at, e.cause} }
