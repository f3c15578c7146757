package create

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/merge"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/render"
)

// revision is a document about to be rendered again, by edit (new
// answers) or upgrade (a new pack version): what it was rendered from, and
// the pack it is rendered with now, with the migrations between the two.
type revision struct {
	p     *portfolio.Portfolio
	store *packstore.Store
	// read reads the portfolio's files; titles are the titles of the
	// documents answers link, read once per run.
	read   func(rel string) ([]byte, error)
	titles *titles
	// rel is the document's path, yours its content now.
	rel   string
	yours []byte
	// rec is how it was rendered; values its recorded answers, raw, and
	// answersFile the file they were read from.
	rec         interview.Record
	values      map[string]any
	answersFile []byte
	// pk and kind are what it is rendered with now, pin pk's pin (nil for
	// the default pack); mig what brings it there from rec's version.
	pk   *pack.Pack
	pin  *portfolio.PackPin
	kind *pack.Kind
	mig  migration
	// date is the document's date, which every revision keeps.
	date time.Time
}

// ErrNoAnswers says a document has no recorded answers: pmfolio did not
// write it, so it cannot be rendered again.
var ErrNoAnswers = errors.New("no recorded answers")

// openRevision reads the document at rel and what it was rendered from
// (see readRecorded), and settles what it is rendered with now (see
// newRevision).
func openRevision(p *portfolio.Portfolio, store *packstore.Store, rel string, yours []byte, to *pinned) (*revision, error) {
	rec, values, err := readRecorded(p.ReadFile, rel, yours)
	if err != nil {
		return nil, err
	}
	return newRevision(p, store, rel, yours, rec, values, to)
}

// sameRendering reports whether the document renders now as it rendered
// then, but for its pack's version in the front matter: the pack's
// templates and the kind's declaration have the same digest as when it
// was rendered, and no migration renames its sections or answers.
func (v *revision) sameRendering() bool {
	return v.rec.Templates != "" && v.rec.Pack == v.pk.Name && v.rec.Templates == v.pk.KindDigest(v.kind.ID) && !v.mig.touches() && v.answersFile != nil
}

// readRecorded reads what the document at rel (content yours) was
// rendered from: its answers file and the record in it, else (a document
// written before pmfolio kept one) its front matter. A document without
// an answers file is ErrNoAnswers.
func readRecorded(read func(string) ([]byte, error), rel string, yours []byte) (interview.Record, map[string]any, error) {
	var rec interview.Record
	sidecar := portfolio.AnswersPath(rel)
	data, err := read(sidecar)
	if errors.Is(err, fs.ErrNotExist) {
		return rec, nil, hint.Wrap(fmt.Errorf("%s: %w (%s): pmfolio did not write it, or its answers were removed", rel, ErrNoAnswers, sidecar),
			"write it again with 'pmfolio new KIND --answers FILE --force', or edit it by hand")
	}
	if err != nil {
		return rec, nil, err
	}
	given := interview.NewGiven()
	if err := given.LoadFile(sidecar, data); err != nil {
		return rec, nil, hint.Wrap(err, "an answers file maps question names to answers; fix it, or restore it with git")
	}
	if given.Record != nil {
		rec = *given.Record
	} else if fm, _, _, _, err := doc.ParseFrontMatter(yours); err == nil {
		rec = interview.Record{Kind: fm.Kind, Date: fm.Date, Track: fm.Track, Pack: fm.Pack.Name, Version: fm.Pack.Version}
	}
	if rec.Kind == "" || rec.Date == "" {
		return rec, nil, hint.Wrap(fmt.Errorf("%s records neither the document's kind nor its date, and its front matter cannot say", sidecar), "write it again with 'pmfolio new KIND --answers %s --force'", sidecar)
	}
	if rec.Pack == "" {
		rec.Pack = pack.DefaultName
	}
	return rec, given.Values, nil
}

// newRevision is the document at rel as recorded (rec, values), to be
// rendered with to (a pack being pinned anew, and its pin) when it is of
// that pack, else with the pack the store resolves for the recorded name.
func newRevision(p *portfolio.Portfolio, store *packstore.Store, rel string, yours []byte, rec interview.Record, values map[string]any, to *pinned) (*revision, error) {
	v := &revision{p: p, store: store, read: p.ReadFile, titles: &titles{p: p}, rel: rel, yours: yours, rec: rec, values: values}
	if v.rec.Track == "" {
		v.rec.Track = p.Config.Track
	}
	var err error
	if v.date, err = time.Parse("2006-01-02", v.rec.Date); err != nil {
		return nil, fmt.Errorf("%s: the recorded date %q is not a date", portfolio.AnswersPath(rel), v.rec.Date)
	}
	if to != nil && to.pk.Name == v.rec.Pack {
		v.pk, v.pin = to.pk, to.pin
	} else {
		if v.pk, err = store.Resolve(v.rec.Pack); err != nil {
			return nil, err
		}
		v.pin, _ = store.Pin(v.pk.Name)
	}
	if v.kind, err = v.pk.Kind(v.rec.Kind); err != nil {
		return nil, hint.Wrap(err, "the document's kind comes from %s", portfolio.AnswersPath(rel))
	}
	v.mig = migrationFor(v.pk, v.rec)
	return v, nil
}

// defaults are the recorded answers, migrated to the pack's version and
// of the types its questions take: an answer no question takes any more
// is left out.
func (v *revision) defaults() (map[string]any, error) {
	if v.values == nil {
		// Only the record was read (see readRecordOnly).
		g := interview.NewGiven()
		if err := g.LoadFile(portfolio.AnswersPath(v.rel), v.answersFile); err != nil {
			return nil, hint.Wrap(err, "an answers file maps question names to answers; fix it, or restore it with git")
		}
		v.values = g.Values
	}
	return coerceRecorded(v.kind.Questions, v.mig.answers(v.values)), nil
}

// readRecordOnly is readRecorded for a command that may not need the
// answers (upgrade, for a document its new version renders the same): it
// reads only the record at the top of the answers file, and the whole
// file when there is none; data is the file.
func readRecordOnly(read func(string) ([]byte, error), rel string, yours []byte) (rec interview.Record, data []byte, values map[string]any, err error) {
	keep := func(name string) ([]byte, error) {
		b, err := read(name)
		data = b
		return b, err
	}
	sidecar := portfolio.AnswersPath(rel)
	if b, err := keep(sidecar); err == nil {
		if r, ok, err := interview.ReadRecord(sidecar, b); err == nil && ok && r.Kind != "" && r.Date != "" {
			if r.Pack == "" {
				r.Pack = pack.DefaultName
			}
			return *r, b, nil, nil
		}
	}
	rec, values, err = readRecorded(keep, rel, yours)
	return rec, data, values, err
}

// coerceRecorded turns recorded answers into the questions' types, leaving
// out those no question takes any more: they are defaults, not orders.
func coerceRecorded(qs []interview.Question, values map[string]any) map[string]any {
	out := make(map[string]any, len(values))
	for i := range qs {
		q := &qs[i]
		raw, ok := values[q.Name]
		if !ok {
			continue
		}
		if c, err := q.Coerce(raw); err == nil {
			out[q.Name] = c
		}
	}
	return out
}

func (v *revision) input(answers map[string]any) pack.Input {
	c := v.p.Config
	return pack.Input{Kind: v.kind.ID, Track: v.rec.Track, Author: c.Name, Role: c.Role, Date: v.date, Answers: answers}
}

// expander renders the questions' defaults and conditions for the
// document, at its date.
func (v *revision) expander() expander {
	in := v.input(nil)
	return expander{render.New(v.date, render.DefaultLimits), pack.Context{Kind: v.kind.ID, Track: in.Track, Author: in.Author, Role: in.Role, Date: v.date,
		Pack: pack.PackInfo{Name: v.pk.Name, Version: v.pk.Version}}}
}

// render renders the document from answers with the pack it is
// rendered with now.
func (v *revision) render(answers map[string]any) (*pack.Output, error) {
	e := render.New(v.date, render.DefaultLimits).WithTitles(v.titles.of(v.kind.Questions, answers))
	return v.pk.Generate(e, v.input(answers))
}

// behind reports whether the document was rendered with another version
// of its pack than the one it is rendered with now (another release, or
// the same version pinned anew with other content).
func (v *revision) behind() bool {
	return v.rec.Version != v.pk.Version || v.pin != nil && v.rec.Digest != "" && v.rec.Digest != v.pin.Digest
}

// pinned is a pack with its pin, before pmfolio.yaml has it.
type pinned struct {
	pk  *pack.Pack
	pin *portfolio.PackPin
}

// base is the document as it was rendered last, its sections renamed as
// the migrations rename them: the copy recorded beside it, or the blob of
// the document as it was written (the document itself, while nobody
// edited it), else (a document written before pmfolio kept either) its
// recorded answers rendered again.
func (v *revision) base() ([]byte, error) {
	data, err := recordedBase(v.p, v.read, v.rec, v.rel, v.yours)
	if err != nil || data != nil {
		return v.mig.sections(data), err
	}
	if data := v.renderedThen(); data != nil {
		return v.mig.sections(data), nil
	}
	defaults, err := v.defaults()
	if err != nil {
		return nil, err
	}
	answers, err := interview.Run(v.kind.Questions, interview.Options{Track: v.rec.Track, Given: defaults, UseDefaults: true, Expand: v.expander()})
	if err != nil {
		return nil, hint.Wrap(fmt.Errorf("%s: no base to merge its edits with, and its recorded answers cannot render it: %v", v.rel, err),
			"replace it with 'pmfolio new %s --answers %s --force' (its old version stays in git history)", v.kind.ID, portfolio.AnswersPath(v.rel))
	}
	out, err := v.render(answers)
	if err != nil {
		return nil, err
	}
	return out.Content, nil
}

// renderedThen renders the recorded answers with the version of the pack
// the document was rendered with, when the store can have it (see
// packstore.Store.OpenAt); nil when it cannot, or they do not render.
func (v *revision) renderedThen() []byte {
	if v.rec.Pack == v.pk.Name && v.rec.Version == v.pk.Version {
		return nil // the pack it is rendered with now: the caller renders
	}
	old, err := v.store.OpenAt(packstore.Recorded{Name: v.rec.Pack, Version: v.rec.Version, Commit: v.rec.Commit, Digest: v.rec.Digest})
	if err != nil {
		return nil
	}
	k, err := old.Kind(v.rec.Kind)
	if err != nil {
		return nil
	}
	if v.values == nil {
		if _, err := v.defaults(); err != nil {
			return nil
		}
	}
	e := render.New(v.date, render.DefaultLimits)
	in := v.input(nil)
	answers, err := interview.Run(k.Questions, interview.Options{Track: v.rec.Track, Given: coerceRecorded(k.Questions, v.values), UseDefaults: true,
		Expand: expander{e, pack.Context{Kind: k.ID, Track: in.Track, Author: in.Author, Role: in.Role, Date: v.date, Pack: pack.PackInfo{Name: old.Name, Version: old.Version}}}})
	if err != nil {
		return nil
	}
	in.Answers = answers
	out, err := old.Generate(e.WithTitles(v.titles.of(k.Questions, answers)), in)
	if err != nil {
		return nil
	}
	return out.Content
}

// recordedBase is the base recorded for the document at rel (content
// yours): the blob of the document as it was written (the document itself
// while nobody edits it), or the copy beside it; nil when neither is kept.
func recordedBase(p *portfolio.Portfolio, read func(string) ([]byte, error), rec interview.Record, rel string, yours []byte) ([]byte, error) {
	if rec.BaseBlob != "" {
		if portfolio.BlobHash(yours) == rec.BaseBlob {
			return yours, nil
		}
		if repo, err := p.Repo(); err == nil {
			if data, err := repo.Blob(rec.BaseBlob); err == nil {
				return data, nil
			}
		}
	}
	name := rec.Base
	if name == "" {
		name = portfolio.BasePath(rel)
	}
	data, err := read(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// merge merges the new rendering with the document as it is, against the
// base; both sides' sections renamed as the migrations rename them.
func (v *revision) merge(theirs *pack.Output, labels merge.Labels) (*merge.Result, error) {
	base, err := v.base()
	if err != nil {
		return nil, err
	}
	return merge.Documents(base, v.mig.sections(v.yours), theirs.Content, labels), nil
}

// files are the document's own files once rendered again at path to: the
// merged document, its answers with their record, and its base (the new
// rendering; see renderedFiles), and the base copy to remove, when its
// record says one was kept. revised is
// the day of the revision ("" keeps the recorded one); commits says the
// change is committed.
func (v *revision) files(to string, merged []byte, theirs *pack.Output, answers map[string]any, revised string, commits bool) ([]portfolio.File, []string) {
	rec := record(v.pin, v.pk, v.kind.ID, v.rec.Track, v.date)
	rec.Revised = v.rec.Revised
	if revised != "" {
		rec.Revised = revised
	}
	own, remove := renderedFiles(v.p, rec, v.kind.Questions, answers, theirs, to, merged, commits)
	if v.rec.Base == "" && to == v.rel {
		remove = nil // no copy was kept: nothing to look for, file by file
	}
	return append([]portfolio.File{{Path: to, Data: merged}}, own...), remove
}

// readFiles is what was read of the document's files: itself and its
// answers file.
func (v *revision) readFiles() map[string][]byte {
	read := map[string][]byte{v.rel: v.yours}
	if v.answersFile != nil {
		read[portfolio.AnswersPath(v.rel)] = v.answersFile
	}
	return read
}

// unchanged reports whether files are as they are on disk, and the files
// in remove are gone.
func unchanged(p *portfolio.Portfolio, files []portfolio.File, remove []string) bool {
	for _, f := range files {
		old, err := p.ReadFile(f.Path)
		if err != nil || string(old) != string(f.Data) {
			return false
		}
	}
	for _, rel := range remove {
		if p.Exists(rel) {
			return false
		}
	}
	return true
}

// migration brings a document rendered with an earlier version of its
// pack to the version it is rendered with now: its sections renamed, its
// answers renamed and split, as the newer pack.yaml declares.
type migration struct {
	ms   []pack.Migration
	kind string
	// renames maps old section headings to new ones, composed over every
	// release in between.
	renames map[string]string
}

// touches reports whether a migration changes the kind at all.
func (m migration) touches() bool {
	for i := range m.ms {
		if m.ms[i].Kind(m.kind) != nil {
			return true
		}
	}
	return false
}

func migrationFor(pk *pack.Pack, rec interview.Record) migration {
	m := migration{kind: rec.Kind}
	if rec.Pack != pk.Name || rec.Version == "" || rec.Version == pk.Version {
		return m
	}
	// A version that is not semantic has no migrations to apply.
	m.ms, _ = pk.MigrationsBetween(rec.Version, pk.Version)
	if len(m.ms) == 0 {
		return m
	}
	composed := pack.ComposeKind(m.ms, rec.Kind)
	if len(composed.RenameSections) > 0 {
		m.renames = map[string]string{}
		for _, r := range composed.RenameSections {
			m.renames[r.From] = r.To
		}
	}
	return m
}

func (m migration) answers(values map[string]any) map[string]any {
	if len(m.ms) == 0 {
		return values
	}
	return pack.MigrateAnswers(m.ms, m.kind, values)
}

func (m migration) sections(data []byte) []byte {
	return merge.RenameSections(data, m.renames)
}
