package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"
)

// KindDigest is a digest of everything that decides how a document of
// kind renders from its answers: the kind's declaration (title, output,
// date, status, template, questions) and the templates its template can
// run (see render.Templates.Source). A document rendered when the pack
// had the same KindDigest renders the same again from the same answers,
// save the pack's version in its front matter; "" when those templates
// read .Pack (then the version shows in the body too) or the kind is
// unknown.
func (p *Pack) KindDigest(kind string) string {
	if d, ok := p.kindDigests.Load(kind); ok {
		return d.(string)
	}
	d := p.kindDigest(kind)
	p.kindDigests.Store(kind, d)
	return d
}

func (p *Pack) kindDigest(kind string) string {
	k, ok := p.Kinds[kind]
	if !ok || p.templates == nil {
		return ""
	}
	decl, err := json.Marshal(struct {
		Template, Title, Output, Date, Status string
		Questions                             any
	}{k.Template, k.Title, k.Output, k.Date, k.Status, k.Questions})
	if err != nil {
		return ""
	}
	h := sha256.New()
	h.Write(decl)
	src, _ := p.templates.Source(k.Template)
	for _, s := range src {
		if strings.Contains(s, ".Pack") {
			return ""
		}
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
