package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/grade"
	"github.com/urfave/cli/v2"
)

const gradeUsage = `pmfolio grade --roster ROSTER.csv --assignment ASSIGNMENT.yaml [--out DIR] [--jobs N] [--shard I/N] [--offline]
pmfolio grade merge --out DIR SHARD_DIR...

Grades a cohort's portfolios for an assignment. The roster is a CSV file
with a header: student (an id), name, repo (a git URL, https or ssh, or a
local path), and optionally section, email and any other columns, which
the outputs keep. The assignment (YAML; docs/grading.md) names the pack and
version to grade with, the documents it covers, the deadline in an IANA
time zone, the late policy and the rubric. Both are checked first: a bad
line exits 2, naming the file and the line, before anything is fetched.

Each repository is cloned (then fetched) into a cache of mirrors, --jobs at
a time, each within --timeout; Ctrl-C stops them all and writes nothing. A
private repository is read with the token in $PMFOLIO_GIT_TOKEN (https;
--token-env names another variable) or the ssh-agent (ssh). The state of
the default branch at the deadline is graded, in-process, with the
course's rules only (no inline directive, no student's check: settings);
later commits are graded under the late policy and reported.

Outputs in --out (default grades/): grades.csv (for a gradebook),
grades.json, results/STUDENT.json (Gradescope), junit.xml, report.md (for
the instructor) and similarity.json. --shard I/N grades a stable part of
the roster, for a CI matrix; grade merge combines the shards' folders into
the files one run writes.

Exit status: 0 graded (students who could not be, and why, are in the
report), 2 a bad roster, assignment or option, 130 interrupted.

Examples:
   pmfolio grade --roster roster.csv --assignment month-1.yaml
   pmfolio grade --roster roster.csv --assignment month-1.yaml --shard 2/4 --out shard-2
   pmfolio grade merge --out grades shard-1 shard-2 shard-3 shard-4`

func gradeCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "grade",
		Usage:     "grade a cohort's portfolios for an assignment (courses)",
		UsageText: gradeUsage,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "roster", Usage: "the cohort: a CSV `FILE` with student, name and repo columns", TakesFile: true},
			&cli.StringFlag{Name: "assignment", Usage: "the assignment: a YAML `FILE` (docs/grading.md)", TakesFile: true},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: grade.DefaultOut, Usage: "write the grades into `DIR`", TakesFile: true},
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "fetch and grade `N` repositories at once (default: the number of cores)"},
			&cli.StringFlag{Name: "shard", Usage: "grade shard `I/N` of the roster (stable by student id), for a CI matrix"},
			&cli.BoolFlag{Name: "offline", Usage: "fetch nothing: grade the cached mirrors (and local repositories)"},
			&cli.DurationFlag{Name: "timeout", Value: grade.DefaultTimeout, Usage: "give up on a repository that takes longer than `D` to fetch"},
			&cli.StringFlag{Name: "cache", Usage: "keep the mirrors in `DIR` (default: $XDG_CACHE_HOME/pmfolio/grade)", TakesFile: true},
			&cli.StringFlag{Name: "token-env", Value: grade.DefaultTokenEnv, Usage: "read the https token from the environment variable `NAME`"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 && !strings.HasPrefix(c.Args().First(), "-") {
				return unknownCommand(c, "grade")
			}
			req, err := gradeRequest(c, f)
			if err != nil {
				return err
			}
			sum, err := grade.Run(c.Context, f.session(), req)
			if err != nil {
				return err
			}
			return gradeDone(f, sum)
		},
		Subcommands: []*cli.Command{gradeMergeCommand(f)},
	}
}

// gradeRequest turns grade's flags into a request.
func gradeRequest(c *cli.Context, f *Factory) (grade.Request, error) {
	dir, err := f.dir(c)
	if err != nil {
		return grade.Request{}, err
	}
	req := grade.Request{Dir: dir, Roster: c.String("roster"), Assignment: c.String("assignment"), Out: c.String("out"),
		Jobs: c.Int("jobs"), Offline: c.Bool("offline"), Timeout: c.Duration("timeout"), CacheDir: c.String("cache"), TokenEnv: c.String("token-env")}
	if req.Roster == "" || req.Assignment == "" {
		return req, withHint(usagef("grade: --roster and --assignment are both needed"), "pmfolio grade --roster roster.csv --assignment assignment.yaml")
	}
	if req.Jobs < 0 || req.Timeout <= 0 {
		return req, withHint(usagef("grade: --jobs and --timeout must be positive"), "e.g. --jobs 4 --timeout 2m")
	}
	if s := c.String("shard"); s != "" {
		i, n, ok := strings.Cut(s, "/")
		req.Shard, _ = strconv.Atoi(i)
		req.Shards, _ = strconv.Atoi(n)
		if !ok || req.Shards < 1 || req.Shard < 1 || req.Shard > req.Shards {
			return req, withHint(usagef("grade: --shard %q is not a shard", s), "give I/N with 1 <= I <= N, e.g. --shard 2/4")
		}
	}
	return req, nil
}

func gradeMergeCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine the folders of grade --shard runs into the outputs of one run",
		UsageText: "pmfolio grade merge --out DIR SHARD_DIR...\n\nReads each shard's state/ folder and writes into DIR the very files one\nrun over the whole roster writes. Every shard of one grading must be given,\neach once.",
		ArgsUsage: "SHARD_DIR...",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: grade.DefaultOut, Usage: "write the grades into `DIR`", TakesFile: true},
		},
		Action: func(c *cli.Context) error {
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			sum, err := grade.Merge(c.Context, grade.MergeRequest{Dir: dir, Out: c.String("out"), Shards: c.Args().Slice()})
			if err != nil {
				return err
			}
			return gradeDone(f, sum)
		},
	}
}

// gradeDone prints where the grades are (stdout) and how the cohort came
// out (stderr).
func gradeDone(f *Factory, sum *grade.Summary) error {
	fmt.Fprintln(f.Streams.Out, sum.Out)
	fmt.Fprintf(f.Streams.Err, "pmfolio: %d student(s): %d graded, %d late, %d missing, %d could not be graded; %d similar pair(s) to review\n",
		sum.Students, sum.Graded, sum.Late, sum.Missing, sum.Errors, sum.Pairs)
	fmt.Fprintf(f.Streams.Err, "pmfolio: %s for the gradebook, %s for you\n", grade.CSVFile, grade.ReportFile)
	return nil
}
