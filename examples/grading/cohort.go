// Package grading builds a synthetic cohort for pmfolio grade: one git
// repository per student, made from the example portfolio's documents,
// with the cases a course meets (complete, partial, unfilled, late, a
// pair sharing a PRD passage, empty, missing, not a portfolio, work
// committed a minute either side of a deadline on the day clocks change),
// and the roster listing them. The tests and `pmbench grade` build it; the
// folder also holds an example assignment, roster and CI workflow.
//
// The repositories are written with the git CLI's fast-import, one
// process per student: this is a fixture, and pmfolio itself never runs
// git.
package grading

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Cases a student of the synthetic cohort may be.
const (
	Complete     = "complete"      // every document, on time
	Partial      = "partial"       // 3 of 5 interviews, no teardown, no retro
	Unfilled     = "unfilled"      // the PRD an empty template
	Late         = "late"          // half on time, the rest 30 hours late
	PairA        = "pair-a"        // shares a passage of the PRD's problem with PairB
	PairB        = "pair-b"        // the other of the pair
	Empty        = "empty"         // a repository without a commit
	Missing      = "missing"       // no repository at all
	NotPortfolio = "not-portfolio" // a repository without pmfolio.yaml
	// EdgeOfDeadline commits everything a minute before the deadline and
	// a change 31 minutes after it: after it on the deadline's day in
	// the assignment's zone, before it if the zone's daylight saving were
	// ignored.
	EdgeOfDeadline = "edge-of-deadline"
)

// Student is one student of the cohort.
type Student struct {
	ID, Name, Case string
}

// Doc is a document of the example portfolio: its path in a portfolio and
// its content.
type Doc struct {
	Path string
	Data []byte
}

// Git runs the git CLI in dir with stdin, for the fixture only.
type Git func(dir string, stdin []byte, args ...string) error

// Assignment is the assignment the synthetic cohort is graded with, due
// at due (YYYY-MM-DD HH:MM, in New York): every kind of the example plan,
// and a criterion for each way a rubric earns points.
func Assignment(due string) string {
	return `name: Portfolio review 1
pack: {name: default}
documents:
  - {kind: interview, count: 5}
  - {kind: brief, count: 1, weight: 2}
  - {kind: prd, count: 1, weight: 3}
  - {kind: teardown, count: 1}
  - {kind: story, count: 5}
  - {kind: retro, count: 1}
due: ` + due + `
timezone: America/New_York
late: {grace: 10m, penalty_per_day: 10, max_penalty: 50}
rubric:
  - id: sections
    name: Every required section present and filled
    points: 20
    rules: [doc/section-missing, doc/section-empty]
  - id: no-placeholders
    points: 10
    rule: doc/placeholder
  - id: prd-metrics
    name: The PRD's success metrics are quantified
    points: 10
    rules: [prd/metric-quantified, prd/guardrail]
  - id: problem
    name: The brief states its problem
    points: 10
    section: problem
    kinds: [brief]
  - id: quality
    points: 30
    min_score: 90
    partial_from: 60
  - id: presentation
    points: 10
    manual: true
`
}

// Mix is a cohort of n students in the proportions a course meets: most
// complete, a tenth partial and a tenth late, a few unfilled PRDs, one
// pair in fifty sharing a passage, and one each of empty, missing and not
// a portfolio.
func Mix(n int) []Student {
	var out []Student
	for i := 0; i < n; i++ {
		c := Complete
		switch {
		case i == 3:
			c = Empty
		case i == 7:
			c = Missing
		case i == 11:
			c = NotPortfolio
		case i%50 == 20:
			c = PairA
		case i%50 == 21:
			c = PairB
		case i%10 == 5:
			c = Partial
		case i%10 == 8:
			c = Late
		case i%25 == 13:
			c = Unfilled
		}
		out = append(out, Student{ID: fmt.Sprintf("s%03d", i+1), Name: fmt.Sprintf("Student %d", i+1), Case: c})
	}
	return out
}

// Build writes the cohort's repositories into dir/repos and its roster
// into dir/roster.csv (repos relative to it), for an assignment due at
// due. portfolio holds pmfolio.yaml and README.md, docs the example
// documents.
func Build(dir string, portfolio, docs []Doc, students []Student, due time.Time, git Git) error {
	var roster bytes.Buffer
	roster.WriteString("student,name,repo,section,email,github\n")
	for i, s := range students {
		repo := filepath.Join(dir, "repos", s.ID)
		section := string(rune('A' + i%3))
		fmt.Fprintf(&roster, "%s,%s,repos/%s,%s,%s@example.edu,%s-gh\n", s.ID, s.Name, s.ID, section, s.ID, s.ID)
		if s.Case == Missing {
			continue
		}
		if err := os.MkdirAll(repo, 0o755); err != nil {
			return err
		}
		if err := git(repo, nil, "init", "-q", "-b", "main"); err != nil {
			return err
		}
		commits := plan(s, portfolio, docs, due)
		if len(commits) == 0 {
			continue
		}
		if err := git(repo, stream(s, commits), "fast-import", "--quiet"); err != nil {
			return fmt.Errorf("%s: %w", s.ID, err)
		}
	}
	return os.WriteFile(filepath.Join(dir, "roster.csv"), roster.Bytes(), 0o644)
}

// commit is one commit of a student's history: when, and the files it
// writes.
type commit struct {
	when  time.Time
	msg   string
	files []Doc
}

// plan is a student's commits.
func plan(s Student, portfolio, docs []Doc, due time.Time) []commit {
	start := due.AddDate(0, 0, -20)
	before := due.Add(-26 * time.Hour)
	switch s.Case {
	case Empty:
		return nil
	case NotPortfolio:
		return []commit{{before, "notes", []Doc{{"README.md", []byte("# My notes\n\nNothing to see here yet.\n")}, {"notes/todo.md", []byte("# To do\n\n- write the PRD\n")}}}}
	}
	own := personal(s, docs)
	first := commit{start, "pmfolio init", portfolio}
	switch s.Case {
	case Partial:
		var keep []Doc
		interviews := 0
		for _, d := range own {
			switch kindOf(d.Path) {
			case "interview":
				if interviews++; interviews > 3 {
					continue
				}
			case "teardown", "retro":
				continue
			}
			keep = append(keep, d)
		}
		return []commit{first, {before, "documents", keep}}
	case Late:
		half := len(own) / 2
		return []commit{first, {before, "first half", own[:half]}, {due.Add(30 * time.Hour), "second half, late", own[half:]}}
	case EdgeOfDeadline:
		last := own[len(own)-1]
		changed := Doc{last.Path, append(append([]byte(nil), last.Data...), []byte("\nOne more line, after the deadline.\n")...)}
		return []commit{first, {due.Add(-time.Minute), "everything, a minute early", own}, {due.Add(31 * time.Minute), "a change, 31 minutes late", []Doc{changed}}}
	}
	return []commit{first, {before, "documents", own}}
}

// personal is the example documents as a student hands them in: signed
// with their name, the PRD hollowed out (Unfilled), or with the passage a
// pair shares (PairA, PairB).
func personal(s Student, docs []Doc) []Doc {
	var out []Doc
	for _, d := range docs {
		text := strings.Replace(string(d.Data), "author: Jordan Reyes", "author: "+s.Name, 1)
		if kindOf(d.Path) == "prd" {
			switch s.Case {
			case Unfilled:
				text = hollow(text)
			case PairA, PairB:
				text = withPassage(text, sharedPassage(s.ID))
			}
		}
		out = append(out, Doc{d.Path, []byte(text)})
	}
	return out
}

// hollow keeps a document's front matter, title and headings, and drops
// what was written under them.
func hollow(text string) string {
	var b strings.Builder
	front := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		if strings.TrimSpace(line) == "---" {
			front++
		}
		if front < 2 || strings.TrimSpace(line) == "---" || strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			b.WriteString(line)
		}
	}
	return b.String()
}

// withPassage adds a paragraph at the end of the document's first
// section.
func withPassage(text, passage string) string {
	i := strings.Index(text, "\n## ")
	if i < 0 {
		return text + "\n" + passage + "\n"
	}
	j := strings.Index(text[i+1:], "\n## ")
	if j < 0 {
		return text + "\n" + passage + "\n"
	}
	at := i + 1 + j
	return text[:at] + "\n" + passage + "\n" + text[at:]
}

// words are plain words for generated passages: none a rule of check
// reads as a placeholder, a weasel word or a number.
var words = strings.Fields(`account adoption analyst approval audit backlog bank batch billing buyer
calendar cashier channel checkout clerk client contract controller customer dashboard deposit
desk dispute export feed finance flow invoice ledger merchant month owner partner payment
payroll portal queue receipt reconciliation refund report review rule settlement statement
supplier support team ticket transfer treasury vendor week workflow`)

// sharedPassage is the passage a pair shares, the same for both of its
// students (named by the pair's first id): about eighty words no other
// student has.
func sharedPassage(id string) string {
	n := 0
	fmt.Sscanf(strings.TrimLeft(id, "abcdefghijklmnopqrstuvwxyz-"), "%d", &n)
	if n%2 == 0 {
		n-- // PairB follows PairA
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "pair %d", n)
	seed := h.Sum32()
	var b strings.Builder
	b.WriteString("In our shadowing sessions the")
	for i := 0; i < 80; i++ {
		seed = seed*1664525 + 1013904223
		b.WriteString(" " + words[int(seed>>8)%len(words)])
		if i%16 == 15 {
			b.WriteString(". The")
		}
	}
	b.WriteString(".")
	return b.String()
}

// kindOf is a document's kind, by its folder.
func kindOf(p string) string { return path.Dir(p) }

// stream is the fast-import stream of a student's commits.
func stream(s Student, commits []commit) []byte {
	var b bytes.Buffer
	for _, c := range commits {
		who := fmt.Sprintf("%s <%s@example.edu> %d +0000", s.Name, s.ID, c.when.Unix())
		fmt.Fprintf(&b, "commit refs/heads/main\nauthor %s\ncommitter %s\ndata %d\n%s\n", who, who, len(c.msg), c.msg)
		files := append([]Doc(nil), c.files...)
		sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
		for _, f := range files {
			fmt.Fprintf(&b, "M 100644 inline %s\ndata %d\n%s\n", f.Path, len(f.Data), f.Data)
		}
	}
	return b.Bytes()
}

// Flat writes every document the cohort's repositories hold at their
// tips into one folder (a file per document, named by student), as
// pmfolio check would read them all at once: the benchmark's baseline.
func Flat(dir string, portfolio, docs []Doc, students []Student, due time.Time) (int, error) {
	isDoc := map[string]bool{}
	for _, d := range docs {
		isDoc[d.Path] = true
	}
	n := 0
	for _, s := range students {
		if s.Case == NotPortfolio {
			continue
		}
		latest := map[string][]byte{}
		for _, c := range plan(s, portfolio, docs, due) {
			for _, f := range c.files {
				if isDoc[f.Path] {
					latest[f.Path] = f.Data
				}
			}
		}
		for p, data := range latest {
			out := filepath.Join(dir, kindOf(p), s.ID+"-"+path.Base(p))
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return n, err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
