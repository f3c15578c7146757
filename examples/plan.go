package examples

// Step is one document of the example portfolio: its kind, the answers
// file it is rendered from (relative to answers/) and its date.
type Step struct{ Kind, File, Date string }

// Email signs the example portfolio's commits, with the name of
// answers/init.yaml, so that it builds on a machine with no git identity.
const Email = "jordan.reyes@example.com"

// Start is the example portfolio's first day, its init's --date.
const Start = "2026-01-05"

// Steps build the example portfolio after init, following the 90-day
// plan: five interviews and a brief in month 1, a PRD in month 2, a
// teardown and five STAR stories in month 3, and the launch retro. The
// dates make the example documents' links to each other (brief ->
// interviews, PRD -> brief, retro -> PRD) resolve.
var Steps = []Step{
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
