package check

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ANSI colours, used only when Output.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiGreen  = "\x1b[32m"
)

type painter bool

func (p painter) paint(code, s string) string {
	if !p {
		return s
	}
	return code + s + ansiReset
}

// paddedSeverity are the severities' names padded to one width, so that
// findings line up.
var paddedSeverity = [...]string{Off: "off    ", Info: "info   ", Warning: "warning", Error: "error  "}

// open and close append what paints the text appended between them.
func (p painter) open(dst []byte, code string) []byte {
	if !p {
		return dst
	}
	return append(dst, code...)
}

func (p painter) close(dst []byte) []byte {
	if !p {
		return dst
	}
	return append(dst, ansiReset...)
}

func (p painter) severity(s Severity) string {
	name := paddedSeverity[s]
	switch s {
	case Error:
		return p.paint(ansiRed, name)
	case Warning:
		return p.paint(ansiYellow, name)
	}
	return p.paint(ansiBlue, name)
}

// writeText is the report for people: the documents with findings, each
// with its score and one line per finding, then a summary that says what
// fails and where to read more.
func writeText(w io.Writer, r *Report, o *Output) error {
	bw := bufio.NewWriter(w)
	p := painter(o.Color)
	clean := 0
	for _, g := range r.groups() {
		if len(g.findings) == 0 && (g.doc != nil || r.Progress == nil) {
			clean++
			continue
		}
		if g.doc != nil {
			kind := g.doc.Kind
			if g.doc.KindFrom != "" && g.doc.KindFrom != KindFromFrontMatter {
				kind += " (" + g.doc.KindFrom + ")"
			}
			meta := fmt.Sprintf("%s · score %d", kind, g.doc.Score)
			if g.doc.DependsOn != "" {
				meta += " · depends on " + o.path(g.doc.DependsOn) + ", changed"
			}
			fmt.Fprintf(bw, "%s  %s\n", p.paint(ansiBold, o.path(g.path)), p.paint(ansiDim, meta))
		} else {
			writeProgress(bw, r.Progress, p)
		}
		width := 0
		for _, f := range g.findings {
			width = max(width, len(f.Rule))
		}
		// Appended rather than formatted: a report of 10,000 documents
		// has tens of thousands of these lines.
		var line, where []byte
		for _, f := range g.findings {
			where = where[:0]
			if g.doc == nil {
				where = append(where, o.path(f.Path)...)
				if f.Line > 0 {
					where = append(where, ':')
					where = strconv.AppendInt(where, int64(f.Line), 10)
				}
				where = append(where, ": "...)
			} else if f.Line > 0 {
				where = strconv.AppendInt(where, int64(f.Line), 10)
				where = append(where, ": "...)
			}
			// Painted in place: a string made per finding was a good
			// part of writing a report read from the cache.
			line = append(line[:0], "  "...)
			line = p.open(line, ansiDim)
			line = append(line, where...)
			line = p.close(line)
			line = append(line, p.severity(f.Severity)...)
			line = append(line, ' ')
			line = append(line, f.Rule...)
			for i := len(f.Rule); i < width; i++ {
				line = append(line, ' ')
			}
			line = append(line, "  "...)
			line = append(line, f.Message...)
			if f.Framework != "" {
				line = p.open(line, ansiDim)
				line = append(line, "  ["...)
				line = append(line, f.Framework...)
				line = append(line, ']')
				line = p.close(line)
			}
			if f.Baselined {
				line = p.open(line, ansiDim)
				line = append(line, " (in baseline)"...)
				line = p.close(line)
			}
			line = append(line, '\n')
			bw.Write(line)
		}
		fmt.Fprintln(bw)
	}
	c := r.Counts()
	var parts []string
	parts = append(parts, describe(c.Documents, "document", "documents")+" checked")
	if clean > 0 && clean < c.Documents {
		parts[0] += fmt.Sprintf(", %d without findings", clean)
	}
	parts = append(parts, describe(c.Errors, "error", "errors"), describe(c.Warnings, "warning", "warnings"))
	if c.Infos > 0 {
		parts = append(parts, describe(c.Infos, "info", "infos"))
	}
	if c.Baselined > 0 {
		parts = append(parts, fmt.Sprintf("%d in the baseline", c.Baselined))
	}
	if c.Suppressed > 0 {
		parts = append(parts, fmt.Sprintf("%d suppressed by directives or pmfolio.yaml (--format json lists them)", c.Suppressed))
	}
	if c.Skipped > 0 {
		parts = append(parts, describe(c.Skipped, "file skipped", "files skipped")+" (not documents; --verbose says why)")
	}
	fmt.Fprintln(bw, strings.Join(parts, " · "))
	scoreName := "score"
	if r.Whole && !r.Partial {
		scoreName = "portfolio score"
	}
	fmt.Fprintf(bw, "%s %d/100 (100, less 10 per error and 2 per warning", scoreName, r.Score)
	switch {
	case r.Whole && !r.Partial:
		fmt.Fprintf(bw, "; the mean of the documents' scores; the %s is apart", r.planName())
	case r.Partial:
		fmt.Fprint(bw, "; the mean of the documents checked")
	}
	if c.Baselined > 0 && !o.ScoreBaselined {
		fmt.Fprint(bw, "; findings in the baseline cost nothing")
	}
	fmt.Fprintln(bw, ")")
	switch {
	case c.Failing > 0 && o.Strict:
		fmt.Fprintln(bw, p.paint(ansiRed, describe(c.Failing, "finding fails", "findings fail")+" (errors and, with --strict, warnings)"))
	case c.Failing > 0:
		fmt.Fprintln(bw, p.paint(ansiRed, describe(c.Failing, "finding fails", "findings fail")+" (errors; warnings and infos do not)"))
	default:
		fmt.Fprintln(bw, p.paint(ansiGreen, "nothing fails"))
	}
	if o.MinScore > 0 {
		if below := r.BelowScore(o.MinScore); len(below) > 0 {
			fmt.Fprintln(bw, p.paint(ansiRed, fmt.Sprintf("under --min-score %d: %s", o.MinScore, strings.Join(shown(below, o), ", "))))
		}
	}
	if c.Stale > 0 {
		fmt.Fprintln(bw, p.paint(ansiYellow, describe(c.Stale, "baseline entry matches", "baseline entries match")+" no finding any more (fixed, or the document is gone): --prune-baseline drops them"))
	}
	if c.Errors+c.Warnings+c.Infos > 0 {
		fmt.Fprintln(bw, p.paint(ansiDim, "why a rule matters and how to fix it: pmfolio check --explain RULE"))
	}
	return bw.Flush()
}

// WriteVerbose writes what --verbose adds to a report, for people: the
// files skipped and why, and the stale baseline entries.
func WriteVerbose(w io.Writer, r *Report, o Output) error {
	bw := bufio.NewWriter(w)
	for _, s := range r.Skipped {
		fmt.Fprintf(bw, "pmfolio: skipped %s: %s\n", o.path(s.Path), s.Reason)
	}
	for _, e := range r.Stale() {
		where := o.path(e.Path)
		if e.Section != "" {
			where += " (" + e.Section + ")"
		}
		fmt.Fprintf(bw, "pmfolio: stale baseline entry: %s in %s\n", e.Rule, where)
	}
	return bw.Flush()
}

func shown(paths []string, o *Output) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if p == "portfolio" {
			out[i] = p
		} else {
			out[i] = o.path(p)
		}
	}
	return out
}

// writeProgress is the plan's part of the report: each milestone's
// documents against the plan's targets, and the command to write the
// next one.
func writeProgress(w *bufio.Writer, pr *Progress, p painter) {
	if pr == nil {
		fmt.Fprintf(w, "%s\n", p.paint(ansiBold, defaultPlan))
		return
	}
	head, body, _ := strings.Cut(progressText(pr), "\n")
	fmt.Fprintf(w, "%s\n%s", p.paint(ansiBold, head), body)
}

// progressText is the plan's progress as lines of text: a heading, a
// line per month, and the next command.
func progressText(pr *Progress) string {
	var w strings.Builder
	head := pr.Plan
	if head == "" {
		head = defaultPlan
	}
	if pr.Start != "" {
		head += fmt.Sprintf(" (started %s, measured on %s)", pr.Start, pr.Today)
	}
	w.WriteString(head + "\n")
	for _, m := range pr.Months {
		var kinds []string
		for _, k := range m.Kinds {
			kinds = append(kinds, fmt.Sprintf("%s %d/%d", k.Kind, k.Have, k.Target))
		}
		due := ""
		if m.Due != "" {
			due = ", due " + m.Due
		}
		fmt.Fprintf(&w, "  %s%s: %s · %s\n", m.Name, due, m.State, strings.Join(kinds, ", "))
	}
	if pr.Next != "" {
		fmt.Fprintf(&w, "  next: %s\n", pr.Next)
	}
	return w.String()
}
