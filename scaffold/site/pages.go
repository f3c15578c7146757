package site

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/redact"
)

//go:embed style.css
var styleCSS string

// Generator marks the pages pmfolio builds (a meta tag): publish replaces
// a folder only when its index.html carries it.
const Generator = `<meta name="generator" content="pmfolio">`

var pageTemplates = sync.OnceValue(func() *template.Template {
	css := template.FuncMap{"css": func() template.CSS { return template.CSS(styleCSS) }}
	return template.Must(template.New("site").Funcs(css).Parse(`
{{- define "head" -}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
` + Generator + `
<title>{{.}}</title>
<style>{{css}}</style>
</head>
{{- end}}

{{- define "profile" -}}
<header class="profile">
<h1>{{.Name}}</h1>
{{- with .Role}}
<p class="role">{{.}}</p>{{end}}
{{- range .About}}
<p>{{.}}</p>{{end}}
{{- with .Links}}
<ul class="links">{{range .}}<li><a href="{{.URL}}">{{.Label}}</a></li>{{end}}</ul>{{end}}
</header>
{{- end}}

{{- define "card" -}}
<li>
<h3><a href="{{.Href}}">{{.Title}}</a></h3>
<p class="meta">{{.Kind}}{{with .Date}} · <time datetime="{{.Machine}}">{{.Human}}</time>{{end}}</p>
{{- with .Summary}}
<p>{{.}}</p>{{end}}
</li>
{{- end}}

{{- define "index" -}}
{{template "head" .Title}}
<body>
<div class="page">
{{template "profile" .Profile}}
<main>
<h2>Work</h2>
{{- if .Cards}}
<ol class="showcase">
{{range .Cards}}{{template "card" .}}
{{end}}</ol>
{{- else}}
<p>Documents will appear here.</p>
{{- end}}
</main>
{{- if .PDF}}
<footer><p><a href="{{.PDF}}">The whole portfolio as a PDF</a></p></footer>
{{- end}}
</div>
</body>
</html>
{{end}}

{{- define "docheader" -}}
<header>
<p class="kind">{{.Kind}}</p>
<h1{{with .ID}} id="{{.}}"{{end}}>{{.Title}}</h1>
<p class="meta">{{with .Author}}{{.}}{{end}}{{if and .Author .Date}} · {{end}}{{with .Date}}<time datetime="{{.Machine}}">{{.Human}}</time>{{end}}</p>
</header>
{{- end}}

{{- define "document" -}}
{{template "head" .Title}}
<body>
<div class="page">
<nav class="top" aria-label="Portfolio"><a href="{{.Home}}">← {{.Name}}</a></nav>
<main>
<article>
{{template "docheader" .Doc}}
{{.Doc.Body}}
</article>
</main>
{{- if or .Prev .Next}}
<nav class="pager" aria-label="Documents">
{{- with .Prev}}<a href="{{.Href}}" rel="prev">← {{.Title}}</a>{{else}}<span></span>{{end}}
{{- with .Next}}<a href="{{.Href}}" rel="next">{{.Title}} →</a>{{end}}
</nav>
{{- end}}
</div>
</body>
</html>
{{end}}

{{- define "print" -}}
{{template "head" .Title}}
<body>
<div class="page">
{{template "profile" .Profile}}
<main>
<h2>Work</h2>
<ol class="showcase">
{{range .Cards}}{{template "card" .}}
{{end}}</ol>
{{range .Docs}}<article class="document">
{{template "docheader" .}}
{{.Body}}
</article>
{{end}}</main>
</div>
</body>
</html>
{{end}}
`))
})

// profileView is the person, as the home page shows them.
type profileView struct {
	Name, Role string
	About      []string
	Links      []linkView
}

type linkView struct {
	Label string
	URL   template.URL
}

// dateView is a date as people read it and as machines do.
type dateView struct{ Machine, Human string }

func dateOf(s string) *dateView {
	if s == "" {
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return &dateView{Machine: s, Human: s}
	}
	return &dateView{Machine: s, Human: t.Format("2 January 2006")}
}

// cardView is one document on the home page.
type cardView struct {
	Href, Title, Kind, Summary string
	Date                       *dateView
}

// docView is one document's page content.
type docView struct {
	ID, Kind, Title, Author string
	Date                    *dateView
	Body                    template.HTML
}

func profileOf(cfg *portfolio.Config, red *redact.Redactor) profileView {
	pv := profileView{Name: red.Text(cfg.Name), Role: red.Text(cfg.Role)}
	if pv.Name == "" {
		pv.Name = "Portfolio"
	}
	if pr := cfg.Profile; pr != nil {
		for _, para := range strings.Split(strings.ReplaceAll(pr.About, "\r\n", "\n"), "\n\n") {
			if t := strings.Join(strings.Fields(para), " "); t != "" {
				pv.About = append(pv.About, red.Text(t))
			}
		}
		for _, l := range pr.Links {
			// Checked by the configuration: web and mail addresses only.
			pv.Links = append(pv.Links, linkView{Label: red.Text(l.Label), URL: template.URL(red.Slug(l.URL))})
		}
	}
	return pv
}

// execute renders the template name with data.
func execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := pageTemplates().ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return b.Bytes(), nil
}
