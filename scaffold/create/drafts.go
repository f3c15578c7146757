package create

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// ReadDraft reads a saved draft.
func ReadDraft(d portfolio.DraftFile) (*interview.Draft, error) {
	data, err := yamlfile.ReadFile(d.Path, d.Path, yamlfile.MaxSize)
	if err != nil {
		return nil, err
	}
	return interview.ParseDraft(d.Path, data)
}

// DraftInfo is one draft as `pmfolio drafts` lists it.
type DraftInfo struct {
	portfolio.DraftFile
	// Answers counts its answers; -1 when it cannot be read.
	Answers int
	// Title is its answer to the title question, in one short line; ""
	// when it has none yet.
	Title string
}

// Drafts lists the drafts of the portfolio at dir, newest first. It
// creates and changes nothing.
func Drafts(sess *session.Session, dir string) ([]DraftInfo, error) {
	p, err := sess.Open(dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	st, err := sess.State(p.Dir)
	if err != nil {
		return nil, err
	}
	list, err := st.Drafts("")
	if err != nil {
		return nil, err
	}
	out := make([]DraftInfo, len(list))
	for i, d := range list {
		out[i] = DraftInfo{DraftFile: d, Answers: -1}
		if dr, err := ReadDraft(d); err == nil {
			out[i].Answers = len(dr.Given.Values)
			if t, ok := dr.Given.Values["title"]; ok && !interview.IsEmpty(t) {
				out[i].Title = interview.Summary(t)
			}
		}
	}
	return out, nil
}

// DiscardRequest names the drafts to discard.
type DiscardRequest struct {
	Dir string
	IDs []string
	All bool
}

// Discard removes drafts, and returns their ids; every id is checked
// before any draft is removed.
func Discard(_ context.Context, sess *session.Session, req DiscardRequest) ([]string, error) {
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	st, err := sess.State(p.Dir)
	if err != nil {
		return nil, err
	}
	var targets []portfolio.DraftFile
	if req.All {
		if targets, err = st.Drafts(""); err != nil {
			return nil, err
		}
	}
	for _, id := range req.IDs {
		d, err := st.Draft(id)
		var ie *portfolio.DraftIDError
		switch {
		case errors.As(err, &ie):
			return nil, hint.Wrap(fmt.Errorf("drafts discard: %v", err), "'pmfolio drafts' lists the drafts")
		case errors.Is(err, fs.ErrNotExist):
			return nil, hint.Wrap(fmt.Errorf("drafts discard: no draft %s", id), "'pmfolio drafts' lists the drafts")
		case err != nil:
			return nil, err
		}
		targets = append(targets, d)
	}
	var done []string
	for _, d := range targets {
		if err := st.DiscardDraft(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return done, err
		}
		done = append(done, d.ID)
	}
	return done, nil
}

// draftSession is the draft of one interview: the one it resumes, or a new
// one, written from the first answer given in the terminal on.
type draftSession struct {
	st      *portfolio.State
	kind    string
	path    string
	id      string
	track   string
	date    string
	saved   bool
	warned  bool
	settled map[string]any
	// given are the answers the resumed draft gives (not overridden by
	// --answers or --set): refused now, they are asked again.
	given map[string]bool
}

// openDraft finds the draft `new` continues: the latest of the kind with
// resume, or, in a terminal, the latest if the person wants it. Its
// answers join given, below those of --answers and --set; in a terminal,
// they are shown on log.
func openDraft(st *portfolio.State, kind, date string, resume bool, prompter interview.Prompter, given *interview.Given, now time.Time, log io.Writer) (*draftSession, error) {
	d := &draftSession{st: st, kind: kind, date: date, settled: map[string]any{}}
	list, err := st.Drafts(kind)
	if err != nil {
		return nil, err
	}
	from, err := chooseDraft(kind, list, resume, prompter)
	if err != nil {
		return nil, err
	}
	if from != nil {
		if err := d.resume(*from, given); err != nil {
			return nil, err
		}
		if prompter != nil {
			d.show(log, given)
		}
	}
	if d.path == "" && prompter != nil {
		d.path = st.NewDraftPath(kind, now)
		d.id = trimExt(filepath.Base(d.path))
	}
	return d, nil
}

// chooseDraft picks the draft to resume, if any.
func chooseDraft(kind string, list []portfolio.DraftFile, resume bool, prompter interview.Prompter) (*portfolio.DraftFile, error) {
	switch {
	case resume && len(list) == 0:
		return nil, hint.Wrap(fmt.Errorf("no draft of %s to resume", kind), "'pmfolio drafts' lists the drafts; start afresh with 'pmfolio new %s'", kind)
	case resume:
		return &list[0], nil
	case prompter != nil && len(list) > 0:
		yes, err := prompter.Ask(interview.Prompt{
			Type:    interview.Confirm,
			Message: fmt.Sprintf("Resume the %s interview you left on %s?", kind, list[0].Updated.Format("Jan 2 at 15:04")),
			Help:    "Yes asks only the questions you had not answered. No starts afresh; the draft stays until 'pmfolio drafts discard'.",
			Default: true,
		})
		if err != nil {
			return nil, err
		}
		if b, _ := yes.(bool); b {
			return &list[0], nil
		}
	}
	return nil, nil
}

// resume takes the answers of the draft from.
func (d *draftSession) resume(from portfolio.DraftFile, given *interview.Given) error {
	dr, err := ReadDraft(from)
	if err != nil {
		return hint.Wrap(err, "discard it with 'pmfolio drafts discard %s'", from.ID)
	}
	if dr.Kind != d.kind {
		return hint.Wrap(fmt.Errorf("%s: the draft is of kind %q, not %q", from.Path, dr.Kind, d.kind), "discard it with 'pmfolio drafts discard %s'", from.ID)
	}
	d.given = map[string]bool{}
	for k, v := range dr.Given.Values {
		if _, ok := given.Values[k]; !ok {
			given.Values[k], given.Where[k] = v, dr.Given.Where[k]
			d.given[k] = true
		}
	}
	d.track = dr.Track
	if d.date == "" {
		d.date = dr.Date
	}
	d.path, d.id, d.saved = from.Path, from.ID, true
	return nil
}

// show tells what the resumed draft already answered.
func (d *draftSession) show(w io.Writer, given *interview.Given) {
	names := make([]string, 0, len(d.given))
	for n := range d.given {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		return given.Where[names[i]] < given.Where[names[j]] || (given.Where[names[i]] == given.Where[names[j]] && names[i] < names[j])
	})
	fmt.Fprintf(w, "pmfolio: resuming draft %s: %d answers kept\n", d.id, len(names))
	for _, n := range names {
		fmt.Fprintf(w, "  %s: %s\n", n, interview.Summary(given.Values[n]))
	}
}

func trimExt(name string) string { return name[:len(name)-len(filepath.Ext(name))] }

// saver is the interview's OnAnswer hook: it rewrites the draft with every
// answer settled so far. Answers that were given (files, --set, the draft
// itself) are kept but cause no write: the person did not type them.
func (d *draftSession) saver(w io.Writer, qs []interview.Question, given *interview.Given) func(string, any) error {
	pre := make(map[string]bool, len(given.Values))
	for k := range given.Values {
		pre[k] = true
	}
	header := fmt.Sprintf("pmfolio draft of a %s interview, removed once the document is written.\nContinue: pmfolio new %s --resume    Discard: pmfolio drafts discard %s", d.kind, d.kind, d.id)
	return func(name string, v any) error {
		d.settled[name] = v
		if pre[name] {
			return nil
		}
		data := interview.MarshalDraft(interview.Draft{Kind: d.kind, Track: d.track, Date: d.date}, qs, d.settled, header)
		if err := d.st.SaveDraft(d.path, data); err != nil {
			// A draft is insurance: failing to save one must not end
			// the interview it protects.
			if !d.warned {
				fmt.Fprintf(w, "pmfolio: warning: cannot save the draft of this interview: %v\n", err)
				d.warned = true
			}
			return nil
		}
		d.saved = true
		return nil
	}
}

// interrupted adds to an interview's error where its answers are kept.
func (d *draftSession) interrupted(err error) error {
	if errors.Is(err, interview.ErrInterrupted) && d.saved {
		return hint.Wrap(err, "your answers so far are saved (draft %s); continue with 'pmfolio new %s --resume'", d.id, d.kind)
	}
	return d.kept(err)
}

// kept adds to an error after the interview that its answers are safe.
func (d *draftSession) kept(err error) error {
	if !d.saved || err == nil {
		return err
	}
	return hint.Add(err, "your answers are kept in draft %s: 'pmfolio new %s --resume' uses them again", d.id, d.kind)
}

// finished is the draft the operation removes once it is complete.
func (d *draftSession) finished() string {
	if d.saved {
		return d.path
	}
	return ""
}
