package pack

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"github.com/pmfolio/pmfolio/templates"
	"gopkg.in/yaml.v3"
)

// ScaffoldVersion is the version a new pack starts at.
const ScaffoldVersion = "0.1.0"

// Scaffold returns the files of a new pack called name, copied from the
// default pack so that its author starts from something that lints clean:
// pack.yaml (renamed, at version 0.1.0), every template and partial, the
// default pack's sample answers in samples/, and a README saying what to
// do next.
func Scaffold(name string) ([]File, error) {
	if !packNameRE.MatchString(name) || name == DefaultName {
		return nil, fmt.Errorf("pack name %q must be lower case letters, digits and - (and not %q)", name, DefaultName)
	}
	var files []File
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		if p == ManifestFile {
			if data, err = renameManifest(data, name); err != nil {
				return err
			}
		}
		files = append(files, File{Path: p, Data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	samples, err := fs.Glob(examples.Answers, "answers/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, s := range samples {
		if path.Base(s) == "init.yaml" {
			continue
		}
		data, err := fs.ReadFile(examples.Answers, s)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: path.Join(SamplesDir, path.Base(s)), Data: data})
	}
	files = append(files, File{Path: "README.md", Data: scaffoldReadme(name)})
	return files, nil
}

// renameManifest sets the top-level name, version and description of the
// default pack's manifest by replacing just those values in place, so that
// its comments and layout, which explain the pack, survive.
func renameManifest(data []byte, name string) ([]byte, error) {
	root, err := yamlfile.Parse(ManifestFile, data)
	if err != nil {
		return nil, err
	}
	values := map[string]string{
		"name":        name,
		"version":     ScaffoldVersion,
		"description": fmt.Sprintf("The %s pack, started from pmfolio's default pack.", name),
	}
	lines := bytes.Split(data, []byte("\n"))
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		nv, ok := values[k.Value]
		if !ok {
			continue
		}
		if v.Kind != yaml.ScalarNode || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return nil, fmt.Errorf("%s:%d: %s must be a one-line value", ManifestFile, v.Line, k.Value)
		}
		line := lines[v.Line-1]
		lines[v.Line-1] = append(line[:v.Column-1:v.Column-1], quoteYAML(nv)...)
	}
	return bytes.Join(lines, []byte("\n")), nil
}

// quoteYAML writes s as a YAML scalar, quoted only when YAML needs it.
func quoteYAML(s string) string {
	var n yaml.Node
	n.SetString(s)
	out, err := yaml.Marshal(&n)
	if err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

func scaffoldReadme(name string) []byte {
	return []byte(fmt.Sprintf(`# The %[1]s pack

A pmfolio template pack, started from pmfolio's default pack. Edit
pack.yaml (kinds, questions, sections, rules) and the templates, keep the
sample answers in samples/ in step, and check your work with

    pmfolio pack lint .

Publish it by pushing this folder to a git repository and tagging a
release (git tag v%[2]s). Students pin it with

    pmfolio pack add https://example.com/your/%[1]s.git@v%[2]s --default

The reference for every key of pack.yaml is docs/pack-reference.md in the
pmfolio repository.
`, name, ScaffoldVersion))
}
