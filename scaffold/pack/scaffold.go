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

// Scaffold returns the files of a new pack called name that starts from
// something that lints clean. With extends empty it is a copy of the
// default pack: pack.yaml (renamed, at version 0.1.0), every template and
// partial, and the default pack's sample answers in samples/. With extends
// set it is a pack.yaml that extends that pack and changes nothing yet,
// with the keys to start from in comments. Both come with a README saying
// what to do next.
func Scaffold(name, extends string) ([]File, error) {
	if !packNameRE().MatchString(name) || name == DefaultName {
		return nil, fmt.Errorf("pack name %q must be lower case letters, digits and - (and not %q)", name, DefaultName)
	}
	readme := File{Path: "README.md", Data: scaffoldReadme(name)}
	if extends != "" {
		if !packNameRE().MatchString(extends) || extends == name {
			return nil, fmt.Errorf("extends %q is not the name of another pack", extends)
		}
		return []File{{Path: ManifestFile, Data: extendingManifest(name, extends)}, readme}, nil
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
	return append(files, readme), nil
}

func extendingManifest(name, extends string) []byte {
	return []byte(fmt.Sprintf(`# The %[1]s pack. It extends the %[2]s pack: every kind of %[2]s is
# inherited, and this file changes only what it declares. Every key is
# documented in docs/pack-reference.md of the pmfolio repository.
name: %[1]s
version: %[3]s
description: The %[1]s pack, built on the %[2]s pack.
extends: %[2]s

# kinds:
#   # Override a kind key by key: keys given here replace the base's, the
#   # rest is inherited. Questions are added (or replace the base's question
#   # of the same name); sections replace the base's list as a whole.
#   prd:
#     template: prd.md.tmpl      # your own; the default PRD's sections are partials (prd.summary, ...)
#     questions:
#       - name: hypothesis
#         prompt: What is your hypothesis?
#         type: text
#         required: true
#     sections:
#       - heading: Hypothesis
#         required: true
#
#   # Add a kind of your own; give it sample answers in samples/KIND.yaml.
#   case-study:
#     name: Case study
#     template: case-study.md.tmpl
#     title: '{{ .Answers.title }}'
#     output: 'case-study/{{ .Date | date "2006-01-02" }}-{{ .Slug }}.md'
#     questions:
#       - name: title
#         prompt: What is the case study called?
#         required: true
`, name, extends, ScaffoldVersion))
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

It starts at version %[2]s, a draft. When it is ready for students, set
version: 1.0.0 in pack.yaml, push this folder to a git repository and tag
the release with the same version:

    git tag v1.0.0 && git push origin main v1.0.0

Students start a portfolio on it, or pin it in theirs, with

    pmfolio init --pack https://example.com/your/%[1]s.git@v1.0.0 my-portfolio
    pmfolio pack add https://example.com/your/%[1]s.git@v1.0.0 --default

Before each later release, compare it with the one before, so that its
version says honestly what it breaks:

    pmfolio pack lint --against v1.0.0 .

The reference for every key of pack.yaml is docs/pack-reference.md in the
pmfolio repository.
`, name, ScaffoldVersion))
}
