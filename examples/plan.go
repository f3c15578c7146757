package examples

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Step is one document of the example portfolio: its kind, its answers
// file (relative to answers/) and the date it is written on.
type Step struct{ Kind, Answers, Date string }

// Example portfolio: examples/answers/init.yaml, started on InitDate and
// signed by its example author (the name of init.yaml, and Email), so
// that it builds on a machine without a git identity.
const (
	InitDate = "2026-01-05"
	Email    = "jordan.reyes@example.com"
	// CheckDate is the day the example's plan is judged on: the week
	// after its last document.
	CheckDate = "2026-04-06"
)

// Plan is the example portfolio's 90-day plan, in the order the demo
// writes it: five interviews and a brief in month 1, a PRD in month 2, a
// teardown and five STAR stories in month 3, and the launch retro. The
// dates make the documents' links to each other (brief -> interviews, PRD
// -> brief, retro -> PRD) resolve.
var Plan = []Step{
	{"interview", "extra/interview-2026-01-07.yaml", "2026-01-07"},
	{"interview", "interview.yaml", "2026-01-09"},
	{"interview", "extra/interview-2026-01-13.yaml", "2026-01-13"},
	{"interview", "extra/interview-2026-01-14.yaml", "2026-01-14"},
	{"interview", "extra/interview-2026-01-16.yaml", "2026-01-16"},
	{"brief", "brief.yaml", "2026-01-21"},
	{"prd", "prd.yaml", "2026-01-26"},
	{"teardown", "teardown.yaml", "2026-03-09"},
	{"story", "story.yaml", "2026-03-16"},
	{"story", "extra/story-2026-03-17.yaml", "2026-03-17"},
	{"story", "extra/story-2026-03-18.yaml", "2026-03-18"},
	{"story", "extra/story-2026-03-19.yaml", "2026-03-19"},
	{"story", "extra/story-2026-03-20.yaml", "2026-03-20"},
	{"retro", "retro.yaml", "2026-03-26"},
}

// Build creates the example portfolio in dir from the answers folder
// (examples/answers): init, the Plan, then list and check. It echoes each
// command to log and runs it with run on its day ("" for list and check,
// which run today), and returns the first non-zero exit code. The demo
// and the tests that need a whole portfolio build it so.
func Build(dir, answers string, log io.Writer, run func(args []string, day string) int) int {
	type step struct {
		args []string
		day  string
	}
	steps := []step{{[]string{"init", "--answers", filepath.Join(answers, "init.yaml"), "--set", "email=" + Email, "--date", InitDate, dir}, InitDate}}
	for _, st := range Plan {
		steps = append(steps, step{[]string{"-C", dir, "new", st.Kind, "--answers", filepath.Join(answers, st.Answers), "--date", st.Date}, st.Date})
	}
	// The plan's months are judged as of the week after the last document.
	steps = append(steps, step{[]string{"-C", dir, "list"}, ""}, step{[]string{"-C", dir, "check", "--date", CheckDate}, ""})
	for _, st := range steps {
		fmt.Fprintf(log, "$ pmfolio %s\n", strings.Join(st.args, " "))
		if code := run(append([]string{"pmfolio"}, st.args...), st.day); code != 0 {
			return code
		}
	}
	return 0
}
