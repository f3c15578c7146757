package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"github.com/urfave/cli/v2"
)

func draftsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "drafts",
		Usage: "list the interviews that were interrupted, or discard them",
		UsageText: `pmfolio drafts
pmfolio drafts discard ID... | --all

In a terminal, 'pmfolio new' saves each answer as it is given, in a draft
kept outside the portfolio (in the git folder, or your state folder when
there is no git). A draft is removed once its document is written.

Examples:
   pmfolio drafts
   pmfolio new story --resume                 # continue the latest story draft
   pmfolio drafts discard story-20260316-140233-1a2b`,
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "drafts"); err != nil {
				return err
			}
			dir, err := e.dir(c)
			if err != nil {
				return err
			}
			return draftsRun(e, dir)
		},
		Subcommands: []*cli.Command{{
			Name:      "discard",
			Usage:     "remove drafts: their answers are lost",
			ArgsUsage: "ID...",
			Flags:     []cli.Flag{&cli.BoolFlag{Name: "all", Usage: "discard every draft of the portfolio"}},
			Action: func(c *cli.Context) error {
				if c.NArg() == 0 && !c.Bool("all") {
					return withHint(usagef("drafts discard: which drafts?"), "give their ids ('pmfolio drafts' lists them), or --all")
				}
				dir, err := e.dir(c)
				if err != nil {
					return err
				}
				return discardRun(e, dir, c.Args().Slice(), c.Bool("all"))
			},
		}},
	}
}

func draftsRun(e *env, dir string) error {
	p, st, err := openState(dir)
	if err != nil {
		return err
	}
	defer p.Close()
	list, err := st.Drafts("")
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(e.streams.Err, "pmfolio: no drafts: every interview was finished or discarded")
		return nil
	}
	tw := tabwriter.NewWriter(e.streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tANSWERS\tSAVED")
	for _, d := range list {
		n := "unreadable"
		if dr, err := readDraft(d); err == nil {
			n = fmt.Sprint(len(dr.Given.Values))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.ID, d.Kind, n, d.Updated.Format("2006-01-02 15:04"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.streams.Err, "hint: continue one with 'pmfolio new KIND --resume', or remove it with 'pmfolio drafts discard ID'")
	return nil
}

func discardRun(e *env, dir string, ids []string, all bool) error {
	p, st, err := openState(dir)
	if err != nil {
		return err
	}
	defer p.Close()
	var targets []portfolio.DraftFile
	if all {
		if targets, err = st.Drafts(""); err != nil {
			return err
		}
	}
	for _, id := range ids {
		d, err := st.Draft(id)
		var ie *portfolio.DraftIDError
		switch {
		case errors.As(err, &ie):
			return withHint(usagef("drafts discard: %v", err), "'pmfolio drafts' lists the drafts")
		case errors.Is(err, fs.ErrNotExist):
			return withHint(usagef("drafts discard: no draft %s", id), "'pmfolio drafts' lists the drafts")
		case err != nil:
			return err
		}
		targets = append(targets, d)
	}
	for _, d := range targets {
		if err := st.DiscardDraft(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		fmt.Fprintf(e.streams.Out, "discarded %s\n", d.ID)
	}
	return nil
}

// openState opens the portfolio at dir and the state pmfolio keeps for it.
func openState(dir string) (*portfolio.Portfolio, *portfolio.State, error) {
	p, err := openPortfolio(dir)
	if err != nil {
		return nil, nil, err
	}
	st, err := portfolio.StateFor(p.Dir)
	if err != nil {
		p.Close()
		return nil, nil, err
	}
	return p, st, nil
}

func readDraft(d portfolio.DraftFile) (*interview.Draft, error) {
	data, err := yamlfile.ReadFile(d.Path, d.Path, yamlfile.MaxSize)
	if err != nil {
		return nil, err
	}
	return interview.ParseDraft(d.Path, data)
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
}

// openDraft finds the draft `new` continues: the latest of the kind with
// --resume, or, in a terminal, the latest if the person wants it. Its
// answers join given, below those of --answers and --set.
func openDraft(st *portfolio.State, kind string, o newOptions, prompter interview.Prompter, given *interview.Given) (*draftSession, error) {
	d := &draftSession{st: st, kind: kind, date: o.Answers.Date, settled: map[string]any{}}
	var from *portfolio.DraftFile
	list, err := st.Drafts(kind)
	if err != nil {
		return nil, err
	}
	switch {
	case o.Resume && len(list) == 0:
		return nil, withHint(usagef("no draft of %s to resume", kind), "'pmfolio drafts' lists the drafts; start afresh with 'pmfolio new %s'", kind)
	case o.Resume:
		from = &list[0]
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
			from = &list[0]
		}
	}
	if from != nil {
		dr, err := readDraft(*from)
		if err != nil {
			return nil, withHint(err, "discard it with 'pmfolio drafts discard %s'", from.ID)
		}
		if dr.Kind != kind {
			return nil, withHint(fmt.Errorf("%s: the draft is of kind %q, not %q", from.Path, dr.Kind, kind), "discard it with 'pmfolio drafts discard %s'", from.ID)
		}
		for k, v := range dr.Given.Values {
			if _, ok := given.Values[k]; !ok {
				given.Values[k], given.Where[k] = v, dr.Given.Where[k]
			}
		}
		d.track = dr.Track
		if d.date == "" {
			d.date = dr.Date
		}
		d.path, d.id, d.saved = from.Path, from.ID, true
	}
	if d.path == "" && prompter != nil {
		d.path = st.NewDraftPath(kind, time.Now())
		d.id = trimExt(filepath.Base(d.path))
	}
	return d, nil
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
		return withHint(err, "your answers so far are saved (draft %s); continue with 'pmfolio new %s --resume'", d.id, d.kind)
	}
	return d.kept(err)
}

// kept adds to an error after the interview that its answers are safe.
func (d *draftSession) kept(err error) error {
	if !d.saved {
		return err
	}
	return addHint(err, "your answers are kept in draft %s: 'pmfolio new %s --resume' uses them again", d.id, d.kind)
}

// finished is the draft the operation removes once it is complete.
func (d *draftSession) finished() string {
	if d.saved {
		return d.path
	}
	return ""
}
