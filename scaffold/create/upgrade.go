package create

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/merge"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// UpgradeRequest asks to bring documents forward to the version of their
// pack the portfolio pins: pmfolio upgrade.
type UpgradeRequest struct {
	Dir string
	// Pack limits the upgrade to the documents made with that pack; ""
	// is every pack, the default one included.
	Pack string
	// To re-pins Pack to this tag, branch or commit first, in the same
	// commit as the documents.
	To string
	// DryRun says what would change (a unified diff) and writes nothing;
	// Check writes nothing and only lists the documents behind.
	DryRun, Check bool
	NoCommit      bool
}

// UpgradeResult is what Upgrade did, or would do.
type UpgradeResult struct {
	// Documents are the documents that were behind their pack, in path
	// order.
	Documents []Upgraded
	// Skipped are documents of the pack that cannot be rendered again.
	Skipped []Skipped
	// Repinned is the pin --to moved, nil without --to.
	Repinned *packstore.Pinned
	// Diff is a dry run's unified diff.
	Diff []byte
}

// Upgraded is one document brought forward.
type Upgraded struct {
	// Path is the document as displayed.
	Path string
	// Pack is its pack's name; From the version it was rendered with, To
	// the version it is brought to.
	Pack, From, To string
	// Status is Updated, Unchanged, Conflicts, or Behind (Check).
	Status    string
	Conflicts []merge.Conflict
	// Kept are sections the new version dropped, kept for your text.
	Kept []string
}

// The statuses of an Upgraded document.
const (
	Updated   = "updated"
	Unchanged = "unchanged"
	Conflicts = "conflicts"
	Behind    = "behind"
)

// Skipped is a document upgrade leaves as it is, and why.
type Skipped struct {
	Path, Reason string
}

// Conflicted reports whether any document holds conflict markers now.
func (r *UpgradeResult) Conflicted() bool {
	return slices.ContainsFunc(r.Documents, func(u Upgraded) bool { return u.Status == Conflicts })
}

// Upgrade brings every document made with a pack (or with any pack)
// forward to the version pmfolio.yaml pins, or first re-pins the pack to
// req.To: the pack's migrations rename the document's sections and
// answers, its answers render it with the new version, and the result is
// merged with the document as it is (your edits) against its recorded
// base. Every document, its answers and base, the README index and
// pmfolio.yaml go in one transaction and one commit. It writes nothing
// when a document cannot be brought forward (a new required question
// without an answer): that is an error naming each such document.
func Upgrade(ctx context.Context, sess *session.Session, req UpgradeRequest) (*UpgradeResult, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	u := &upgradeRun{ctx: ctx, sess: sess, req: req, p: p, res: &UpgradeResult{}}
	defer func() {
		u.tx.Close()
		for _, c := range u.closers {
			_ = c()
		}
	}()
	if err := u.prepare(); err != nil {
		return nil, err
	}
	revs, err := u.behind()
	if err != nil || req.Check {
		return u.res, err
	}
	outs, err := u.bringForward(revs)
	if err != nil {
		return nil, err
	}
	if len(outs) == 0 && u.to == nil {
		return u.res, nil
	}
	ch, err := u.change(outs)
	if err != nil {
		return nil, err
	}
	if req.DryRun {
		u.res.Diff = diffOf(p, ch, nil)
		return u.res, nil
	}
	err = u.tx.Apply(p, *ch)
	var ce *portfolio.CommitError
	if errors.As(err, &ce) {
		return nil, hint.Wrap(fmt.Errorf("brought the documents forward but could not commit them: %w", ce.Err), "they are safe on disk; commit them with git")
	}
	return u.res, err
}

// upgradeRun is one run of Upgrade.
type upgradeRun struct {
	ctx   context.Context
	sess  *session.Session
	req   UpgradeRequest
	p     *portfolio.Portfolio
	tx    *portfolio.Tx
	store *packstore.Store
	repo  *portfolio.Repo
	who   portfolio.Identity
	// to is the pack --to pins, nil without it.
	to  *pinned
	res *UpgradeResult
	// closers are run when the upgrade is over.
	closers []func() error
}

// prepare takes the lock (upgrade never asks anything), settles who signs
// the commit, and fetches the pack --to names.
func (u *upgradeRun) prepare() (err error) {
	writes := !u.req.DryRun && !u.req.Check
	if writes {
		st, err := u.sess.State(u.p.Dir)
		if err != nil {
			return err
		}
		if u.tx, err = u.sess.Begin(u.ctx, st); err != nil {
			return err
		}
		if !u.req.NoCommit {
			if u.repo, u.who, err = u.sess.Signer(u.p); err != nil {
				return err
			}
		}
	}
	// Opened now, before the documents are brought forward on several
	// goroutines, which read bases from it.
	_, _ = u.p.Repo()
	u.store = packstore.For(u.ctx, u.sess.Env, u.p)
	switch {
	case u.req.To != "" && u.req.Pack == "":
		return hint.Wrap(errors.New("--to needs the pack it re-pins"), "pmfolio upgrade PACK --to REF, e.g. pmfolio upgrade bootcamp --to v1.1.0")
	case u.req.To != "":
		moved, pk, _, err := u.store.Repin(u.req.Pack, u.req.To, u.sess.Today())
		if err != nil {
			return err
		}
		u.to = &pinned{pk: pk, pin: moved.Pin}
		u.res.Repinned = moved
	case u.req.Pack != "":
		if _, err := u.store.Resolve(u.req.Pack); err != nil {
			return err
		}
	}
	return nil
}

func (u *upgradeRun) display(rel string) string { return portfolio.Display(u.req.Dir, u.p.Dir, rel) }

// behind finds the documents rendered with another version of their pack
// than the one they are rendered with now.
func (u *upgradeRun) behind() ([]*revision, error) {
	reader := u.p.NewReader()
	u.closers = append(u.closers, reader.Close)
	var rels []string
	for rel, err := range u.p.Markdown(".") {
		if err != nil {
			return nil, err
		}
		rels = append(rels, rel)
	}
	// Reading and parsing the documents' answers is most of the work:
	// several at once.
	type read struct {
		yours, answers []byte
		rec            interview.Record
		values         map[string]any
		err            error
	}
	reads := make([]read, len(rels))
	parallel(u.ctx, len(rels), func(i int) {
		r := &reads[i]
		if r.yours, r.err = reader.ReadFile(rels[i]); r.err != nil {
			return
		}
		r.rec, r.answers, r.values, r.err = readRecordOnly(reader.ReadFile, rels[i], r.yours)
	})
	if err := u.ctx.Err(); err != nil {
		return nil, err
	}
	var out []*revision
	shared := &titles{p: u.p}
	for i, rel := range rels {
		r := reads[i]
		if errors.Is(r.err, ErrNoAnswers) {
			// Not rendered by pmfolio: nothing to render it again from.
			if fm, _, _, _, ferr := doc.ParseFrontMatter(r.yours); ferr == nil && fm.Kind != "" && u.of(fm.Pack.Name) && u.wouldMove(fm.Pack.Name, fm.Pack.Version) {
				u.res.Skipped = append(u.res.Skipped, Skipped{Path: u.display(rel), Reason: "no recorded answers: pmfolio did not write it"})
			}
			continue
		}
		if r.err != nil {
			return nil, r.err
		}
		if !u.of(r.rec.Pack) {
			continue
		}
		v, err := newRevision(u.p, u.store, rel, r.yours, r.rec, r.values, u.to)
		if errors.Is(err, pack.ErrUnknownPack) {
			u.res.Skipped = append(u.res.Skipped, Skipped{Path: u.display(rel), Reason: fmt.Sprintf("pack %q is not pinned", r.rec.Pack)})
			continue
		}
		if err != nil {
			return nil, err
		}
		v.read, v.titles, v.answersFile = reader.ReadFile, shared, r.answers
		if !v.behind() {
			continue
		}
		if u.req.Check {
			u.res.Documents = append(u.res.Documents, Upgraded{Path: u.display(rel), Pack: v.pk.Name, From: v.rec.Version, To: v.pk.Version, Status: Behind})
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

// parallel calls f(0) ... f(n-1), one call per CPU at a time, and stops
// starting calls once ctx ends.
func parallel(ctx context.Context, n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// of reports whether the upgrade concerns documents of pack name.
func (u *upgradeRun) of(name string) bool {
	return name != "" && (u.req.Pack == "" || name == u.req.Pack)
}

// wouldMove reports whether a document of pack name at version is behind
// the version the upgrade brings that pack to.
func (u *upgradeRun) wouldMove(name, version string) bool {
	if u.to != nil && u.to.pk.Name == name {
		return version != u.to.pk.Version
	}
	pk, err := u.store.Resolve(name)
	return err == nil && version != pk.Version
}

// output is one document brought forward: its files, its entry in the
// README index, and what it reports.
type output struct {
	files  []portfolio.File
	remove []string
	entry  portfolio.Entry
	up     Upgraded
	// read is what was read of the files the output replaces.
	read map[string][]byte
}

// bringForward renders and merges each document, several at once; a
// document whose answers cannot render it fails the whole upgrade, which
// then writes nothing.
func (u *upgradeRun) bringForward(revs []*revision) ([]output, error) {
	outs := make([]output, len(revs))
	errs := make([]error, len(revs))
	parallel(u.ctx, len(revs), func(i int) { outs[i], errs[i] = u.one(revs[i]) })
	if err := u.ctx.Err(); err != nil {
		return nil, err
	}
	var failed []string
	for i, err := range errs {
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", u.display(revs[i].rel), err))
		}
	}
	if len(failed) > 0 {
		return nil, hint.Wrap(fmt.Errorf("nothing was upgraded: %d document(s) cannot be brought forward:\n%s", len(failed), strings.Join(failed, "\n")),
			"answer what the new version asks with 'pmfolio edit PATH --set NAME=VALUE' (edit brings a document forward too), then run pmfolio upgrade again")
	}
	for _, o := range outs {
		u.res.Documents = append(u.res.Documents, o.up)
	}
	return outs, nil
}

// one brings one document forward.
func (u *upgradeRun) one(v *revision) (output, error) {
	if v.sameRendering() {
		if o, ok, err := u.repack(v); ok || err != nil {
			return o, err
		}
	}
	return u.rerender(v)
}

// rerender brings a document forward by rendering it again with the new
// version, its answers migrated, and merging the result with it.
func (u *upgradeRun) rerender(v *revision) (output, error) {
	defaults, err := v.defaults()
	if err != nil {
		return output{}, err
	}
	answers, err := interview.Run(v.kind.Questions, interview.Options{Track: v.rec.Track, Given: defaults, UseDefaults: true, Expand: v.expander()})
	var ae *interview.AnswersError
	if errors.As(err, &ae) {
		return output{}, fmt.Errorf("the new version asks %s", strings.Join(append(ae.Missing, problems(ae.Invalid)...), ", "))
	}
	if err != nil {
		return output{}, err
	}
	theirs, err := v.render(answers)
	if err != nil {
		return output{}, err
	}
	m, err := v.merge(theirs, merge.Labels{Yours: "yours", Base: fmt.Sprintf("base (pack v%s)", v.rec.Version), Theirs: fmt.Sprintf("pack v%s", v.pk.Version)})
	if err != nil {
		return output{}, err
	}
	up := Upgraded{Path: u.display(v.rel), Pack: v.pk.Name, From: v.rec.Version, To: v.pk.Version, Status: Updated, Conflicts: m.Conflicts, Kept: m.Kept}
	switch {
	case len(m.Conflicts) > 0:
		up.Status = Conflicts
	case string(m.Content) == string(v.yours):
		up.Status = Unchanged
	}
	files, remove := v.files(v.rel, m.Content, theirs, answers, "", !u.req.NoCommit && !u.req.DryRun)
	return output{files: files, remove: remove, entry: entryOf(theirs, v.rel), up: up, read: v.readFiles()}, nil
}

// repack brings forward a document whose rendering the new version does
// not change (see sameRendering): its base with the pack's new version in
// the front matter is the new rendering, merged with the document as it
// is, and only the record of its answers file changes. ok is false when
// the files are not as pmfolio writes them: then it is rendered again.
func (u *upgradeRun) repack(v *revision) (o output, ok bool, err error) {
	base, err := v.base()
	if err != nil {
		return o, false, err
	}
	ref := doc.PackRef{Name: v.pk.Name, Version: v.pk.Version}
	theirs, ok := doc.SetPack(base, ref)
	if !ok {
		return o, false, nil
	}
	fm, _, _, _, err := doc.ParseFrontMatter(theirs)
	if err != nil || fm.Author != v.p.Config.Name {
		// The owner's name renders into documents too.
		return o, false, nil
	}
	rec := record(v.pin, v.pk, v.kind.ID, v.rec.Track, v.date)
	rec.Revised = v.rec.Revised
	if !interview.HasRecord(v.answersFile) {
		return o, false, nil
	}
	m, err := v.merge(&pack.Output{Content: theirs}, merge.Labels{Yours: "yours", Base: fmt.Sprintf("base (pack v%s)", v.rec.Version), Theirs: fmt.Sprintf("pack v%s", v.pk.Version)})
	if err != nil {
		return o, false, err
	}
	encode := func(rec interview.Record) []byte {
		data, _ := interview.ReplaceRecord(v.answersFile, rec)
		return data
	}
	files, remove := withBase(rec, encode, theirs, v.rel, m.Content, !u.req.NoCommit && !u.req.DryRun)
	if v.rec.Base == "" {
		remove = nil // no copy was kept (see revision.files)
	}
	o = output{
		files:  append([]portfolio.File{{Path: v.rel, Data: m.Content}}, files...),
		remove: remove,
		entry:  portfolio.Entry{Kind: fm.Kind, Title: fm.Title, Date: fm.Date, Status: fm.Status, Path: v.rel},
		read:   v.readFiles(),
		up:     Upgraded{Path: u.display(v.rel), Pack: v.pk.Name, From: v.rec.Version, To: v.pk.Version, Status: Updated, Conflicts: m.Conflicts, Kept: m.Kept},
	}
	switch {
	case len(m.Conflicts) > 0:
		o.up.Status = Conflicts
	case string(m.Content) == string(v.yours):
		o.up.Status = Unchanged
	}
	return o, true, nil
}

func problems(ps []interview.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name + " (" + p.Msg + ")"
	}
	return out
}

// change is the transaction's change: every document brought forward with
// its answers and base, the README index, and pmfolio.yaml with --to.
func (u *upgradeRun) change(outs []output) (*portfolio.Change, error) {
	ch := &portfolio.Change{What: "upgrade", Replace: map[string]bool{}, Read: map[string][]byte{}}
	var pending []portfolio.Entry
	for _, o := range outs {
		ch.Files = append(ch.Files, o.files...)
		ch.Remove = append(ch.Remove, o.remove...)
		pending = append(pending, o.entry)
		for rel, data := range o.read {
			ch.Read[rel] = data
		}
	}
	if u.to != nil {
		cfg, err := u.repinned()
		if err != nil {
			return nil, err
		}
		ch.Files = append(ch.Files, cfg)
	}
	own, err := u.store.Resolve("")
	if err != nil {
		return nil, err
	}
	if u.to != nil {
		own = u.to.pk
	}
	readme, err := u.p.ReadmeUpdate(u.repo, u.store.IndexKinds(own), pending...)
	if err != nil {
		return nil, fmt.Errorf("refresh %s: %w", portfolio.ReadmeFile, err)
	}
	ch.Files = append(ch.Files, readme)
	for _, f := range ch.Files {
		ch.Replace[f.Path] = true
	}
	if !u.req.NoCommit && !u.req.DryRun {
		if ch.Commit, err = u.sess.Commit(u.repo, u.who, u.message(outs)); err != nil {
			return nil, err
		}
	}
	return ch, nil
}

// repinned is pmfolio.yaml with the pin --to moved.
func (u *upgradeRun) repinned() (portfolio.File, error) {
	old, err := u.p.ReadFile(portfolio.ConfigFile)
	if err != nil {
		return portfolio.File{}, err
	}
	cfg, err := portfolio.ParseConfig(filepath.Join(u.p.Dir, portfolio.ConfigFile), old)
	if err != nil {
		return portfolio.File{}, err
	}
	cfg.Packs = maps.Clone(cfg.Packs)
	cfg.Packs[u.to.pk.Name] = u.to.pin
	data, err := cfg.Update(old)
	return portfolio.File{Path: portfolio.ConfigFile, Data: data}, err
}

// message is the commit's message: what moved, and a line per document.
func (u *upgradeRun) message(outs []output) string {
	var b strings.Builder
	moves := map[string]bool{}
	var list []string
	for _, o := range outs {
		m := fmt.Sprintf("%s %s -> %s", o.up.Pack, o.up.From, o.up.To)
		if !moves[m] {
			moves[m] = true
			list = append(list, m)
		}
	}
	if r := u.res.Repinned; r != nil && len(list) == 0 {
		list = append(list, fmt.Sprintf("%s -> %s", r.Name, r.Version))
	}
	docs := "documents"
	if len(outs) == 1 {
		docs = "document"
	}
	fmt.Fprintf(&b, "upgrade: %s (%d %s)\n", strings.Join(list, ", "), len(outs), docs)
	if len(outs) > 0 {
		b.WriteByte('\n')
	}
	for _, o := range outs {
		fmt.Fprintf(&b, "%s %s\n", o.up.Status, o.entry.Path)
	}
	return b.String()
}
