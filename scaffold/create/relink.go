package create

import (
	"bytes"
	"path"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"gopkg.in/yaml.v3"
)

// relink rewrites what points at the document moving from one path to
// another: the links of the other documents (and of their bases), and the
// answers that name it (a retro's PRD), so that the next rendering links
// the new path too. A link's text that pmfolio wrote (the one its base
// has) becomes the document's new title; text written by hand stays. It
// returns the files to write.
func relink(p *portfolio.Portfolio, from, to, title string) ([]portfolio.File, error) {
	var out []portfolio.File
	for rel, err := range p.Markdown(".") {
		if err != nil {
			return nil, err
		}
		if rel == from {
			continue
		}
		data, err := p.ReadFile(rel)
		if err != nil {
			continue
		}
		generated := map[string]bool{}
		if rec, _, err := readRecorded(p.ReadFile, rel, data); err == nil {
			base, _ := recordedBase(p, p.ReadFile, rec, rel, data)
			for _, l := range linksTo(rel, base, from) {
				generated[l.Text] = true
			}
			// A copy of the base is moved along; a blob is history.
			if rec.BaseBlob == "" && base != nil {
				if moved := relinkDoc(rel, base, from, to, generated, title); moved != nil {
					out = append(out, portfolio.File{Path: portfolio.BasePath(rel), Data: moved})
				}
			}
		}
		if moved := relinkDoc(rel, data, from, to, generated, title); moved != nil {
			out = append(out, portfolio.File{Path: rel, Data: moved})
		}
		sidecar := portfolio.AnswersPath(rel)
		if data, err := p.ReadFile(sidecar); err == nil {
			if moved := relinkAnswers(data, from, to); moved != nil {
				out = append(out, portfolio.File{Path: sidecar, Data: moved})
			}
		}
	}
	return out, nil
}

// linksTo returns the links of the document at rel (content data) that
// lead to the portfolio path target.
func linksTo(rel string, data []byte, target string) []doc.Link {
	d, err := doc.Parse(rel, data)
	if err != nil {
		return nil
	}
	var out []doc.Link
	for _, l := range d.Links {
		dest, _, _ := strings.Cut(l.Dest, "#")
		at := dest
		if !strings.HasPrefix(dest, "/") {
			at = path.Join(path.Dir(rel), dest)
		}
		if dest != "" && !strings.Contains(dest, "://") && path.Clean(strings.TrimPrefix(at, "/")) == target {
			out = append(out, l)
		}
	}
	return out
}

// relinkDoc rewrites the links of the document at rel (its content data)
// that lead to from so that they lead to to, in the form they were
// written (relative or from the root, with their #anchor), and gives
// those whose text is one of texts the text title; nil when no link
// leads to from.
func relinkDoc(rel string, data []byte, from, to string, texts map[string]bool, title string) []byte {
	links := linksTo(rel, data, from)
	if len(links) == 0 {
		return nil
	}
	esc := strings.NewReplacer("[", `\[`, "]", `\]`)
	var pairs []string
	for _, l := range links {
		dest, anchor, _ := strings.Cut(l.Dest, "#")
		moved := relative(path.Dir(rel), to)
		switch {
		case strings.HasPrefix(dest, "/"):
			moved = "/" + to
		case strings.HasPrefix(dest, "./") && !strings.HasPrefix(moved, "../"):
			moved = "./" + moved
		}
		if anchor != "" {
			moved += "#" + anchor
		}
		if texts[l.Text] || l.Text == "" {
			pairs = append(pairs, "["+esc.Replace(l.Text)+"]("+l.Dest, "["+esc.Replace(title)+"]("+moved)
		}
		// A destination is written after "](" (inline links) or "]: "
		// (reference definitions), maybe in <angle brackets>.
		for _, open := range []string{"](", "](<", "]: ", "]: <"} {
			pairs = append(pairs, open+l.Dest, open+moved)
		}
	}
	body := string(data[len(data)-len(bodyOf(data)):])
	out := append([]byte{}, data[:len(data)-len(body)]...)
	return append(out, strings.NewReplacer(pairs...).Replace(body)...)
}

// bodyOf is the document without its front matter.
func bodyOf(data []byte) []byte {
	_, body, _, err := doc.SplitFrontMatter(data)
	if err != nil {
		return data
	}
	return body
}

// relative is the path of target (from the portfolio root) from dir.
func relative(dir, target string) string {
	if dir == "." {
		return target
	}
	up := strings.Repeat("../", strings.Count(dir, "/")+1)
	return up + target
}

// relinkAnswers rewrites the answers (in an answers file) that are the
// path from, to to; nil when none is. The file is pmfolio's own YAML,
// written again as pmfolio writes it.
func relinkAnswers(data []byte, from, to string) []byte {
	if !bytes.Contains(data, []byte(from)) {
		return nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil
	}
	changed := false
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && n.Value == from {
			n.Value, changed = to, true
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	if !changed {
		return nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil
	}
	_ = enc.Close()
	return b.Bytes()
}
