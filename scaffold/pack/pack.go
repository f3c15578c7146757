package pack

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/pmfolio/pmfolio/scaffold/version"
)

// Limits on what a pack may contain; a pack is untrusted input.
const (
	MaxFileSize  = 256 << 10
	MaxFiles     = 200
	MaxTotalSize = 4 << 20
)

// Pack is a loaded, validated template pack.
type Pack struct {
	Manifest
	// FS holds the pack's files; manifest paths are relative to its root.
	FS fs.FS
	// Source says where the pack came from, for messages: "embedded", a
	// folder, or a git URL and commit.
	Source string

	files []render.File
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
func Load(fsys fs.FS, source string) (*Pack, error) {
	data, err := readFile(fsys, ManifestFile)
	if err != nil {
		return nil, &Error{Pack: source, Err: err}
	}
	m, err := ParseManifest(ManifestFile, data)
	if err != nil {
		return nil, &Error{Pack: source, Err: err}
	}
	p := &Pack{Manifest: *m, FS: fsys, Source: source}
	if err := p.load(); err != nil {
		return nil, &Error{Pack: p.Name, Err: err}
	}
	return p, nil
}

func (p *Pack) load() error {
	if p.MinPmfolio != "" {
		min, _ := semver.NewVersion(p.MinPmfolio)
		cur, err := semver.NewVersion(version.Number())
		if err == nil && cur.LessThan(min) {
			return fmt.Errorf("needs pmfolio %s or newer; this is %s", p.MinPmfolio, version.Number())
		}
	}
	var total, count int
	err := fs.WalkDir(p.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s: is a symbolic link; packs may not contain links", name)
		}
		if d.IsDir() {
			if name != "." && (d.Name() == ".git" || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: is not a regular file", name)
		}
		count++
		if count > MaxFiles {
			return fmt.Errorf("more than %d files", MaxFiles)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > MaxFileSize {
			return fmt.Errorf("%s: %d bytes is over the %d-byte limit for a pack file", name, info.Size(), MaxFileSize)
		}
		total += int(info.Size())
		if total > MaxTotalSize {
			return fmt.Errorf("files total over %d bytes", MaxTotalSize)
		}
		if !strings.HasSuffix(name, ".tmpl") {
			return nil
		}
		text, err := readFile(p.FS, name)
		if err != nil {
			return err
		}
		p.files = append(p.files, render.File{Name: name, Text: string(text)})
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(p.files, func(i, j int) bool { return p.files[i].Name < p.files[j].Name })
	for _, id := range p.KindOrder {
		k := p.Kinds[id]
		if !p.hasFile(k.Template) {
			return fmt.Errorf("%s:%d: kind %q: template %q does not exist in the pack", ManifestFile, k.Line, id, k.Template)
		}
	}
	// Parsing now reports a broken template with its file and line before
	// anyone has answered a single question.
	if err := render.New(zeroTime, render.DefaultLimits).Parse(p.files); err != nil {
		return err
	}
	return nil
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

// Kind returns the kind declared under id.
func (p *Pack) Kind(id string) (*Kind, error) {
	if k, ok := p.Kinds[id]; ok {
		return k, nil
	}
	return nil, &UnknownKindError{Pack: p.Name, Kind: id, Known: p.KindOrder}
}

// UnknownKindError names a kind the pack does not declare.
type UnknownKindError struct {
	Pack  string
	Kind  string
	Known []string
}

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

func readFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file in the pack", name)
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes is over the %d-byte limit for a pack file", name, info.Size(), MaxFileSize)
	}
	return fs.ReadFile(fsys, path.Clean(name))
}
