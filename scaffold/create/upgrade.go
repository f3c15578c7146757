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
	u.p.Prefetch()
	// Opened now, before the documents are brought forward on several
	// goroutines, which read bases from it.
	_, _ = u.p.Repo()
	u.store = packstore.For(u.ctx, u.sess.Env, u.p)
	switch {
	case u.req.To != "" && u.req.Pack == "":
		return hint.Wrap(errors.New("--to needs the pack it re-pins"), "pmfolio upgrade PACK --to REF, e.g. pmfolio upgrade bootcamp --to v1.1.0")
	case u.req.To != "":
		old, _ := u.store.Pin(u.req.Pack)
		pin, pk, err := u.store.Repin(u.req.Pack, u.req.To)
		if err != nil {
			return err
		}
		u.to = &pinned{pk: pk, pin: pin}
		u.res.Repinned = &packstore.Pinned{Name: pk.Name, Version: pk.Version, Pin: pin, Old: old, Changed: old == nil || *old != *pin}
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
	var out []*revision
	reader := u.p.NewReader()
	u.closers = append(u.closers, reader.Close)
	shared := &titles{p: u.p}
	for rel, err := range u.p.Markdown(".") {
		if err != nil {
			return nil, err
		}
		if err := u.ctx.Err(); err != nil {
			return nil, err
		}
		yours, err := reader.ReadFile(rel)
		if err != nil {
			return nil, err
		}
		rec, values, err := readRecorded(reader.ReadFile, rel, yours)
		if errors.Is(err, ErrNoAnswers) {
			// Not rendered by pmfolio: nothing to render it again from.
			if fm, _, _, _, ferr := doc.ParseFrontMatter(yours); ferr == nil && fm.Kind != "" && u.of(fm.Pack.Name) && u.wouldMove(fm.Pack.Name, fm.Pack.Version) {
				u.res.Skipped = append(u.res.Skipped, Skipped{Path: u.display(rel), Reason: "no recorded answers: pmfolio did not write it"})
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if !u.of(rec.Pack) {
			continue
		}
		v, err := newRevision(u.p, u.store, rel, yours, rec, values, u.to)
		if errors.Is(err, pack.ErrUnknownPack) {
			u.res.Skipped = append(u.res.Skipped, Skipped{Path: u.display(rel), Reason: fmt.Sprintf("pack %q is not pinned", rec.Pack)})
			continue
		}
		if err != nil {
			return nil, err
		}
		v.read, v.titles = reader.ReadFile, shared
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
}

// bringForward renders and merges each document, several at once; a
// document whose answers cannot render it fails the whole upgrade, which
// then writes nothing.
func (u *upgradeRun) bringForward(revs []*revision) ([]output, error) {
	outs := make([]output, len(revs))
	errs := make([]error, len(revs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				outs[i], errs[i] = u.one(revs[i])
			}
		}()
	}
	for i := range revs {
		if u.ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
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
	answers, err := interview.Run(v.kind.Questions, interview.Options{Track: v.rec.Track, Given: v.defaults(), UseDefaults: true, Expand: v.expander()})
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
	return output{files: files, remove: remove, entry: entryOf(theirs, v.rel), up: up}, nil
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
	ch := &portfolio.Change{What: "upgrade", Replace: map[string]bool{}}
	var pending []portfolio.Entry
	for _, o := range outs {
		ch.Files = append(ch.Files, o.files...)
		ch.Remove = append(ch.Remove, o.remove...)
		pending = append(pending, o.entry)
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
	fmt.Fprintf(&b, "upgrade: %s (%d documents)\n", strings.Join(list, ", "), len(outs))
	if len(outs) > 0 {
		b.WriteByte('\n')
	}
	for _, o := range outs {
		fmt.Fprintf(&b, "%s %s\n", o.up.Status, o.entry.Path)
	}
	return b.String()
}
