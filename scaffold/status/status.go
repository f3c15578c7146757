// Package status says where the person stands in their plan: `pmfolio
// status`. The plan's model — its months, what each expects, when each
// ends, the next document it needs — is check's (check.Progress, measured
// by a whole-portfolio check run); status adds the day and month of the
// plan, the next best action with the command that does it, the documents
// that are drafts or fail check with their scores, interviews left
// unfinished, and what was written week by week, from the commits. It
// reads; being behind schedule is a nudge, never an error.
package status

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/checkrun"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/internal/shellquote"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// Request asks for the status of the portfolio enclosing Dir, on Date
// (YYYY-MM-DD; "" is today).
type Request struct {
	Dir, Date string
}

// Report is where the person stands. Its JSON is documented in
// docs/status.md; fields are only ever added to it.
type Report struct {
	Name string `json:"name"`
	Role string `json:"role"`
	// Date is the day measured; Start the plan's first day ("" when
	// pmfolio.yaml has none).
	Date  string `json:"date"`
	Start string `json:"start,omitempty"`
	// Day is the plan's day on Date: 1 on Start, 0 or less before it,
	// over Days after its end; 0 without a start.
	Day  int `json:"day"`
	Days int `json:"days"`
	// Month is the plan's month on Date (1 to Months; 0 before the plan
	// starts or without a start; Months after its end): with a course's
	// plan, its milestone, counted from 1, and Milestone its name.
	Month     int    `json:"month"`
	Months    int    `json:"months"`
	Milestone string `json:"milestone,omitempty"`
	// PlanName names the plan: "90-day plan", "10-week plan".
	PlanName string `json:"plan_name,omitempty"`
	// Ended is set after the plan's last day.
	Ended bool `json:"ended"`
	// Behind is set when a month has ended short of what it expects.
	Behind bool    `json:"behind"`
	Plan   []Month `json:"plan"`
	// Next is the next best action.
	Next Next `json:"next"`
	// Attention lists the documents that are drafts or fail check, worst
	// first.
	Attention []Document `json:"attention"`
	// Drafts are interviews left unfinished (pmfolio drafts).
	Drafts []Draft `json:"drafts"`
	// History is what was written each week, oldest first, from the
	// commits; empty without a git repository.
	History []Week `json:"history"`
	// Score is the mean score of the documents (100 without any).
	Score     int `json:"score"`
	Documents int `json:"documents"`
}

// Month is one month of the plan.
type Month struct {
	// Month counts the plan's milestones from 1 (the month, in the 90-day
	// plan); Name names it ("month 1", "Discovery").
	Month int    `json:"month"`
	Name  string `json:"name"`
	// State is done, due (ended short), current or upcoming.
	State string `json:"state"`
	// Due is the day the month's documents are due: the first day after
	// the month, "" without a start.
	Due   string `json:"due,omitempty"`
	Kinds []Kind `json:"kinds"`
}

// Kind is a kind's documents against the month's target.
type Kind struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Have   int    `json:"have"`
	Target int    `json:"target"`
}

// Next is the next best action: what to do, the kind of document it
// concerns ("" when none), and the command that does it.
type Next struct {
	Kind    string `json:"kind"`
	Command string `json:"command"`
	Reason  string `json:"reason"`
}

// Document is a document that needs work.
type Document struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Draft  bool   `json:"draft"`
	Score  int    `json:"score"`
	Errors int    `json:"errors"`
	// Warnings count too: they cost points.
	Warnings int    `json:"warnings"`
	Command  string `json:"command"`
}

// Draft is an interview left unfinished.
type Draft struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Updated string `json:"updated"`
	Command string `json:"command"`
}

// Week is what was written in one week (Monday to Sunday).
type Week struct {
	Start     string `json:"start"`
	Documents int    `json:"documents"`
	Words     int    `json:"words"`
	// Estimated is set when a commit of the week added more documents
	// than a person writes at once (an import): its words are estimated
	// from the files' sizes.
	Estimated bool `json:"estimated,omitempty"`
}

// historyWeeks is how many weeks the history shows at most.
const historyWeeks = 8

// Run measures the portfolio enclosing req.Dir.
func Run(ctx context.Context, sess *session.Session, req Request) (*Report, error) {
	today, err := sess.ParseDate("--date", req.Date)
	if err != nil {
		return nil, err
	}
	p, err := sess.Open(req.Dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	// The history reads git's objects while the check reads documents:
	// on two cores, side by side.
	type weeks struct {
		weeks []Week
		err   error
	}
	hist := make(chan weeks, 1)
	go func() {
		w, err := history(ctx, p, p.Config.Start, today)
		hist <- weeks{w, err}
	}()
	res, err := checkrun.Run(ctx, sess, checkrun.Request{Dir: p.Dir, Date: today.Format("2006-01-02")})
	h := <-hist
	if err != nil {
		return nil, err
	}
	if h.err != nil {
		return nil, h.err
	}
	names := kindNames(ctx, sess, p)
	rep := &Report{Name: p.Config.Name, Role: p.Config.Role, Date: today.Format("2006-01-02"),
		Score: res.Report.Score, Documents: len(res.Report.Documents), Attention: []Document{}, Drafts: []Draft{}, History: []Week{}, Plan: []Month{}}
	rep.plan(res.Report.Progress, today, names)
	rep.attention(res.Report, func(rel string) string { return portfolio.Display(req.Dir, p.Dir, rel) })
	if err := rep.drafts(sess, p); err != nil {
		return nil, err
	}
	rep.next(res.Report, names)
	if h.weeks != nil {
		rep.History = h.weeks
	}
	return rep, nil
}

// kindNames are the human names of the portfolio's kinds.
func kindNames(ctx context.Context, sess *session.Session, p *portfolio.Portfolio) map[string]string {
	out := map[string]string{}
	store := packstore.For(ctx, sess.Env, p)
	pk, err := store.Resolve("")
	if err != nil {
		return out
	}
	for _, k := range store.IndexKinds(pk) {
		out[k.ID] = k.Name
	}
	return out
}

// plan takes the plan's months from check's progress and places Date in
// them: the day, the month, whether a month ended short.
func (r *Report) plan(pr *check.Progress, today time.Time, names map[string]string) {
	if pr == nil {
		return
	}
	r.Start, r.PlanName = pr.Start, pr.Plan
	for i, m := range pr.Months {
		mo := Month{Month: i + 1, Name: m.Name, State: m.State, Due: m.Due, Kinds: []Kind{}}
		for _, k := range m.Kinds {
			mo.Kinds = append(mo.Kinds, Kind{Kind: k.Kind, Name: names[k.Kind], Have: k.Have, Target: k.Target})
		}
		if m.State == "due" {
			r.Behind = true
		}
		r.Plan = append(r.Plan, mo)
		r.Months = max(r.Months, mo.Month)
	}
	start, err := time.Parse("2006-01-02", pr.Start)
	if err != nil {
		return
	}
	r.Day = int(today.Sub(start).Hours()/24) + 1
	var last time.Time
	for _, m := range r.Plan {
		end, err := time.Parse("2006-01-02", m.Due)
		if err != nil {
			continue
		}
		last = end
		if r.Month == 0 && r.Day >= 1 && today.Before(end) {
			r.Month, r.Milestone = m.Month, m.Name
		}
	}
	if !last.IsZero() {
		r.Days = int(last.Sub(start).Hours() / 24)
		if !today.Before(last) {
			r.Ended, r.Month = true, r.Months
			r.Milestone = r.Plan[len(r.Plan)-1].Name
		}
	}
}

// attention lists the documents that are drafts or fail check, with
// their paths as shown where the command runs.
func (r *Report) attention(rep *check.Report, shown func(string) string) {
	for _, d := range rep.Documents {
		var errs, warns int
		for _, f := range d.Findings {
			switch f.Severity {
			case doc.Error:
				errs++
			case doc.Warning:
				warns++
			}
		}
		draft := strings.EqualFold(strings.TrimSpace(d.Status), "draft")
		if !draft && errs == 0 {
			continue
		}
		path := shown(d.Path)
		r.Attention = append(r.Attention, Document{Path: path, Kind: d.Kind, Title: d.Title, Draft: draft, Score: d.Score,
			Errors: errs, Warnings: warns, Command: "pmfolio check " + shellquote.Quote(path)})
	}
	sort.SliceStable(r.Attention, func(i, j int) bool {
		a, b := r.Attention[i], r.Attention[j]
		if (a.Errors > 0) != (b.Errors > 0) {
			return a.Errors > 0
		}
		if a.Score != b.Score {
			return a.Score < b.Score
		}
		return a.Path < b.Path
	})
}

// drafts lists the interviews left unfinished, newest first.
func (r *Report) drafts(sess *session.Session, p *portfolio.Portfolio) error {
	st, err := sess.State(p.Dir)
	if err != nil {
		return err
	}
	list, err := st.Drafts("")
	if err != nil {
		return err
	}
	for _, d := range list {
		r.Drafts = append(r.Drafts, Draft{ID: d.ID, Kind: d.Kind, Updated: d.Updated.UTC().Format("2006-01-02"),
			Command: "pmfolio new " + d.Kind + " --resume"})
	}
	return nil
}

// next is the next best action: the document the plan needs next (its
// unfinished interview first), else what the plan's rules still ask,
// else the worst failing document, else an unfinished interview, else
// publishing.
func (r *Report) next(rep *check.Report, names map[string]string) {
	resume := func(kind string) string {
		for _, d := range r.Drafts {
			if d.Kind == kind {
				return " --resume"
			}
		}
		return ""
	}
	pr := rep.Progress
	switch {
	case pr != nil && pr.NextKind != "":
		k := pr.NextKind
		r.Next = Next{Kind: k, Command: "pmfolio new " + k + resume(k), Reason: r.gap(k, names)}
	case len(rep.Plan) > 0:
		f := rep.Plan[0]
		r.Next = Next{Kind: planKind(f.Rule), Command: "pmfolio check --explain " + f.Rule, Reason: f.Message}
		if r.Next.Kind == "story" {
			r.Next.Command = "pmfolio new story" + resume("story")
		}
	case len(r.Attention) > 0 && r.Attention[0].Errors > 0:
		a := r.Attention[0]
		r.Next = Next{Kind: a.Kind, Command: a.Command, Reason: fmt.Sprintf("%s fails check (score %d)", a.Path, a.Score)}
	case len(r.Drafts) > 0:
		d := r.Drafts[0]
		r.Next = Next{Kind: d.Kind, Command: d.Command, Reason: "finish the interview you started"}
	default:
		r.Next = Next{Command: "pmfolio publish", Reason: "the plan's documents are written: publish your portfolio for hiring managers"}
	}
}

// gap says what the plan lacks of kind.
func (r *Report) gap(kind string, names map[string]string) string {
	for _, m := range r.Plan {
		for _, k := range m.Kinds {
			if k.Kind != kind {
				continue
			}
			name := names[kind]
			if name == "" {
				name = kind
			}
			when := m.Name
			if due, err := time.Parse("2006-01-02", m.Due); err == nil {
				verb := "due"
				if m.State == "due" {
					verb = "was due"
				}
				when += fmt.Sprintf(", %s %s", verb, due.Format("2 January"))
			}
			return fmt.Sprintf("%s: %d of %d written for %s", name, k.Have, k.Target, when)
		}
	}
	return ""
}

// planKind is the kind a plan rule's finding asks to write or change.
func planKind(rule string) string {
	switch rule {
	case "plan/story-competencies", "plan/failure-story":
		return "story"
	case "plan/brief-links-interviews":
		return "brief"
	case "plan/retro-follows-prd":
		return "retro"
	}
	return ""
}

// history counts what the commits wrote in each of the last weeks, from
// the plan's first week (start) at the earliest; nil without a
// repository or before the plan starts.
func history(ctx context.Context, p *portfolio.Portfolio, start string, today time.Time) ([]Week, error) {
	repo, err := p.Repo()
	if errors.Is(err, portfolio.ErrNoRepo) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	first := monday(today).AddDate(0, 0, -7*(historyWeeks-1))
	if s, err := time.Parse("2006-01-02", start); err == nil {
		if s.After(today) {
			// Nothing of the plan is written yet.
			return nil, nil
		}
		if monday(s).After(first) {
			first = monday(s)
		}
	}
	written, err := repo.History(ctx, first)
	if err != nil {
		return nil, err
	}
	var out []Week
	end := today.AddDate(0, 0, 1)
	for w := first; !w.After(today); w = w.AddDate(0, 0, 7) {
		week := Week{Start: w.Format("2006-01-02")}
		for _, c := range written {
			day := dayOf(c.When)
			if !day.Before(w) && day.Before(w.AddDate(0, 0, 7)) && day.Before(end) {
				week.Documents += c.Documents
				week.Words += c.Words
				week.Estimated = week.Estimated || c.Estimated
			}
		}
		out = append(out, week)
	}
	return out, nil
}

// monday is the Monday of t's week.
func monday(t time.Time) time.Time {
	d := dayOf(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// dayOf is t's calendar day, at midnight UTC.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
