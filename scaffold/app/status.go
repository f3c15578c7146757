package app

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/status"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

const statusUsage = `pmfolio status [--date YYYY-MM-DD] [--json]

Where you stand in your 90-day plan, from the portfolio and its git
history: today's day and month of the plan; each month's documents against
what it expects; the next best action, with the command that does it; the
documents that are drafts or fail 'pmfolio check', with their scores;
interviews you left unfinished; and what you wrote week by week.

Being behind schedule is a nudge, not an error: status exits 0 whatever it
finds, and 2 only when it cannot run. Colour on a terminal (NO_COLOR
honoured); --json prints a stable shape for scripts and courses
(docs/status.md): day, month, next.kind and next.command among others.

Examples:
   pmfolio status
   pmfolio status --date 2026-02-15
   pmfolio status --json | jq -r .next.command`

func statusCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "status",
		Usage:     "where you stand in the 90-day plan, and what to do next",
		UsageText: statusUsage,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "date", Usage: "measure the plan on `YYYY-MM-DD` instead of today"},
			&cli.BoolFlag{Name: "json", Usage: "print the status as JSON (see docs/status.md)"},
		},
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "status [--date YYYY-MM-DD] [--json]"); err != nil {
				return err
			}
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			rep, err := status.Run(c.Context, f.session(), status.Request{Dir: dir, Date: c.String("date")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(f.Streams.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			color := f.Streams.OutTerminal && !f.Env.NoColor()
			return writeStatus(f.Streams.Out, rep, statusPainter(color), f.width())
		},
	}
}

// width is the width of the terminal output goes to: COLUMNS when set,
// else the terminal's, else 80.
func (f *Factory) width() int {
	if n, err := strconv.Atoi(f.Env.Get("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if out, ok := f.Streams.Out.(*os.File); ok && f.Streams.OutTerminal {
		if w, _, err := term.GetSize(int(out.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// statusPainter colours status's text on a terminal.
type statusPainter bool

func (p statusPainter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

const (
	paintBold   = "1"
	paintDim    = "2"
	paintGreen  = "32"
	paintYellow = "33"
)

// writeStatus prints the status as text, at most width columns wide.
func writeStatus(w io.Writer, r *status.Report, p statusPainter, width int) error {
	var b strings.Builder
	head := r.Name
	if r.Role != "" {
		head += " · " + r.Role
	}
	fmt.Fprintln(&b, p.paint(paintBold, head))
	fmt.Fprintln(&b, statusWhen(r, p))
	writeStatusPlan(&b, r, p)
	fmt.Fprintf(&b, "\n%s %s\n  %s\n", p.paint(paintBold, "Next:"), r.Next.Reason, p.paint(paintBold, r.Next.Command))
	writeStatusAttention(&b, r, p)
	writeStatusHistory(&b, r, p, width)
	_, err := io.WriteString(w, b.String())
	return err
}

// statusWhen says where Date falls in the plan, with a nudge when a
// month ended short.
func statusWhen(r *status.Report, p statusPainter) string {
	start := humanDay(r.Start, true)
	var s string
	switch {
	case r.Start == "":
		return "No start date in pmfolio.yaml: add start: YYYY-MM-DD to measure your plan against the calendar."
	case r.Day < 1:
		s = fmt.Sprintf("Your %d-day plan starts on %s, in %d day(s).", r.Days, start, 1-r.Day)
	case r.Ended:
		s = fmt.Sprintf("Day %d: your %d-day plan, started %s, has ended.", r.Day, r.Days, start)
	default:
		s = fmt.Sprintf("Day %d of %d · month %d of %d · started %s", r.Day, r.Days, r.Month, r.Months, start)
		if monthly := r.Milestone == "" || r.Milestone == fmt.Sprintf("month %d", r.Month); !monthly {
			// A course's plan: its milestones by name.
			s = fmt.Sprintf("Day %d of %d · %s, milestone %d of %d of the %s · started %s", r.Day, r.Days, r.Milestone, r.Month, r.Months, r.PlanName, start)
		}
	}
	if r.Behind {
		part := "a month"
		if r.Milestone != "" && r.Milestone != fmt.Sprintf("month %d", r.Month) {
			part = "a milestone"
		}
		s += "\n" + p.paint(paintYellow, "You are behind the plan: "+part+" ended short of its documents. It happens; the next step below is where to pick it up.")
	}
	return s
}

func writeStatusPlan(b *strings.Builder, r *status.Report, p statusPainter) {
	if len(r.Plan) == 0 {
		return
	}
	b.WriteString("\n")
	width := 0
	for _, m := range r.Plan {
		width = max(width, len([]rune(m.Name)))
	}
	for _, m := range r.Plan {
		var kinds []string
		for _, k := range m.Kinds {
			s := fmt.Sprintf("%s %d/%d", k.Kind, k.Have, k.Target)
			if k.Have >= k.Target {
				s = p.paint(paintGreen, s+" ✓")
			}
			kinds = append(kinds, s)
		}
		state := fmt.Sprintf("%-8s", m.State)
		switch m.State {
		case "done":
			state = p.paint(paintGreen, state)
		case "due":
			state = p.paint(paintYellow, state)
		case "upcoming":
			state = p.paint(paintDim, state)
		}
		due := ""
		if m.Due != "" {
			due = " · due " + humanDay(m.Due, false)
		}
		name := m.Name
		if name == "" {
			name = fmt.Sprintf("month %d", m.Month)
		}
		name += strings.Repeat(" ", max(0, width-len([]rune(name))))
		fmt.Fprintf(b, "  %s  %s  %s%s\n", name, state, strings.Join(kinds, "  "), p.paint(paintDim, due))
	}
}

func writeStatusAttention(b *strings.Builder, r *status.Report, p statusPainter) {
	if len(r.Attention) > 0 {
		fmt.Fprintf(b, "\n%s\n", p.paint(paintBold, fmt.Sprintf("Drafts and documents that fail check (%d of %d; mean score %d)", len(r.Attention), r.Documents, r.Score)))
		const most = 10
		for i, a := range r.Attention {
			if i == most {
				fmt.Fprintf(b, "  … and %d more: pmfolio check\n", len(r.Attention)-most)
				break
			}
			var what []string
			if a.Errors > 0 {
				what = append(what, p.paint(paintYellow, plural(a.Errors, "error")))
			}
			if a.Draft {
				what = append(what, "draft")
			}
			fmt.Fprintf(b, "  score %3d  %s  %s\n", a.Score, a.Path, p.paint(paintDim, "("+strings.Join(what, ", ")+")"))
		}
	}
	if len(r.Drafts) > 0 {
		fmt.Fprintf(b, "\n%s\n", p.paint(paintBold, "Unfinished interviews"))
		for _, d := range r.Drafts {
			fmt.Fprintf(b, "  %s, last answered %s: %s\n", d.Kind, humanDay(d.Updated, true), d.Command)
		}
	}
}

// writeStatusHistory draws what was written each week, a bar of words per
// week scaled to the width.
func writeStatusHistory(b *strings.Builder, r *status.Report, p statusPainter, width int) {
	if len(r.History) == 0 {
		return
	}
	most := 0
	for _, wk := range r.History {
		most = max(most, wk.Words)
	}
	fmt.Fprintf(b, "\n%s\n", p.paint(paintBold, "Written, week by week (from the commits)"))
	bar := max(width-44, 8)
	for _, wk := range r.History {
		n := 0
		if most > 0 {
			n = (wk.Words*bar + most - 1) / most
		}
		about := " "
		if wk.Estimated {
			about = "~"
		}
		fmt.Fprintf(b, "  %-7s %s%s %3d doc %s%6s words\n", humanDay(wk.Start, false), p.paint(paintGreen, strings.Repeat("█", n)), strings.Repeat(" ", bar-n), wk.Documents, about, thousands(wk.Words))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// humanDay writes 2026-01-05 as 5 Jan, or 5 January 2026 with the year.
func humanDay(s string, year bool) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	if year {
		return t.Format("2 January 2006")
	}
	return t.Format("2 Jan")
}

// thousands writes n with thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
