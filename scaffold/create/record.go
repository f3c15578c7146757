package create

import (
	"fmt"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/render"
)

// What every command that renders a document (new, edit, upgrade) writes
// beside it: its answers with the record of how it was rendered, and the
// rendering itself, the base of the next merge.

// record is the Record of a document rendered from pk (pinned by pin, nil
// for the default pack) on track, dated date (the day it was first
// written); where its base is, renderedFiles says.
func record(pin *portfolio.PackPin, pk *pack.Pack, kind, track string, date time.Time) interview.Record {
	rec := interview.Record{Kind: kind, Date: date.Format("2006-01-02"), Track: track, Pack: pk.Name, Version: pk.Version, Templates: pk.KindDigest(kind)}
	if pin != nil {
		rec.Commit, rec.Digest = pin.Commit, pin.Digest
	}
	return rec
}

// renderedFiles are the files that come with a document rendered as out
// and written at at as written: its answers, recorded, and its base, the
// rendering, which the next edit or upgrade merges against. When the
// document written is the rendering and is committed, its commit keeps
// the base (rec.BaseBlob); else a copy is written beside it (rec.Base).
// remove is a copy no longer needed.
func renderedFiles(p *portfolio.Portfolio, rec interview.Record, qs []interview.Question, answers map[string]any, out *pack.Output, at string, written []byte, commits bool) (files []portfolio.File, remove []string) {
	sidecar := portfolio.AnswersPath(at)
	header := fmt.Sprintf("Answers pmfolio rendered %s from, and how (%s).\nRevise the document: pmfolio edit %s\nRender it again: pmfolio new %s%s --answers %s --force",
		at, interview.RecordKey, at, rec.Kind, packFlag(p, rec.Pack), sidecar)
	return withBase(rec, func(rec interview.Record) []byte { return interview.MarshalRecorded(rec, qs, answers, header) }, out.Content, at, written, commits)
}

// withBase is renderedFiles with the answers file encoded by encode.
func withBase(rec interview.Record, encode func(interview.Record) []byte, rendered []byte, at string, written []byte, commits bool) (files []portfolio.File, remove []string) {
	base := portfolio.BasePath(at)
	if commits && string(written) == string(rendered) {
		rec.Base, rec.BaseBlob = "", portfolio.BlobHash(rendered)
		remove = []string{base}
	} else {
		rec.Base, rec.BaseBlob = base, ""
		files = append(files, portfolio.File{Path: base, Data: rendered})
	}
	answers := portfolio.File{Path: portfolio.AnswersPath(at), Data: encode(rec)}
	return append([]portfolio.File{answers}, files...), remove
}

// titles reads the titles of the documents answers link (the answers of
// choices_from questions), so that links show them; each document's once.
// It is safe for concurrent use.
type titles struct {
	p    *portfolio.Portfolio
	mu   sync.Mutex
	seen map[string]string
}

// of returns the titles of the documents answers link, by path.
func (t *titles) of(qs []interview.Question, answers map[string]any) map[string]string {
	out := map[string]string{}
	add := func(v string) {
		v = strings.TrimPrefix(strings.TrimSpace(v), "./")
		if v == "" || v == interview.NoneYet || !strings.HasSuffix(v, ".md") || path.Clean(v) != v || strings.HasPrefix(v, "../") {
			return
		}
		if title := t.title(v); title != "" {
			out[v] = title
		}
	}
	for _, q := range qs {
		if q.ChoicesFrom == "" {
			continue
		}
		switch v := answers[q.Name].(type) {
		case string:
			add(v)
		case []string:
			for _, s := range v {
				add(s)
			}
		}
	}
	return out
}

func (t *titles) title(rel string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if title, ok := t.seen[rel]; ok {
		return title
	}
	title := ""
	if e, ok, err := t.p.ReadEntry(rel); err == nil && ok {
		title = e.Title
	}
	if t.seen == nil {
		t.seen = map[string]string{}
	}
	t.seen[rel] = title
	return title
}

// engine is the render engine for a document dated day, with the titles
// of the documents its answers link.
func engine(p *portfolio.Portfolio, day time.Time, qs []interview.Question, answers map[string]any) *render.Engine {
	return render.New(day, render.DefaultLimits).WithTitles((&titles{p: p}).of(qs, answers))
}

// titleTaken is the interview's check that refuses, when it is entered, a
// title (or any answer the output path is made from) that would put the
// document where another one already is. own is the document's own path
// (an edited document may keep its own), "" for a new one.
func titleTaken(p *portfolio.Portfolio, pk *pack.Pack, k *pack.Kind, in pack.Input, own string) func(string, any, map[string]any) error {
	return func(name string, v any, asked map[string]any) error {
		ref := ".Answers." + name
		if !strings.Contains(k.Title, ref) && !strings.Contains(k.Output, ref) && !strings.Contains(k.Date, ref) {
			return nil
		}
		answers := make(map[string]any, len(asked)+1)
		for n, a := range asked {
			answers[n] = a
		}
		answers[name] = v
		try := in
		try.Answers = answers
		out, err := pk.OutputPath(render.New(in.Date, render.DefaultLimits), try)
		if err != nil || out == own || !p.Exists(out) {
			// A path that cannot be made yet is judged once it can.
			return nil
		}
		title := ""
		if e, ok, err := p.ReadEntry(out); err == nil && ok {
			title = fmt.Sprintf(" (%q)", e.Title)
		}
		return fmt.Errorf("%s%s already exists there; give another %s", out, title, strings.ReplaceAll(name, "_", " "))
	}
}
