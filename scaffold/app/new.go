package app

import (
	"fmt"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/urfave/cli/v2"
)

const newUsage = `pmfolio new [options] KIND

KIND is one of: interview brief prd retro teardown story (or a kind of your pack).

Examples:
   pmfolio new prd                                   # asks each question in the terminal
   pmfolio new story --answers story.yaml            # answers from a file, no prompts
   pmfolio new prd --answers prd.yaml --set status="Launch review"
   pmfolio new interview --dry-run --defaults        # preview without writing
   pmfolio new prd --resume                          # continue an interrupted interview
   pmfolio new prd --pack bootcamp --samples --dry-run   # a course's PRD, from its sample answers

In a terminal each answer is saved as a draft as it is given (in the git
folder, never in the portfolio): after Ctrl-C or a crash, --resume continues
where you stopped, and the next 'pmfolio new KIND' offers to.`

func newCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "interview yourself and write a new document",
		ArgsUsage: "KIND",
		UsageText: newUsage,
		Flags: append(answerFlags(),
			&cli.BoolFlag{Name: "dry-run", Usage: "print the document (stdout) and its path (stderr) without writing anything"},
			&cli.BoolFlag{Name: "no-commit", Usage: "write the document but do not commit it"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing document with the same path"},
			&cli.StringFlag{Name: "track", Usage: "the `TRACK` of this document, core or technical, overriding the portfolio's"},
			&cli.StringFlag{Name: "pack", Usage: "use the template pack `NAME` instead of the portfolio's"},
			&cli.BoolFlag{Name: "editor", Usage: "write long (multi-line) answers in $VISUAL or $EDITOR instead of the terminal"},
			&cli.BoolFlag{Name: "resume", Usage: "continue the latest interrupted interview of KIND from its draft (see 'pmfolio drafts')"},
			&cli.BoolFlag{Name: "samples", Usage: "start from the pack's sample answers for KIND (an overriding kind's and those of the kind it overrides); with --dry-run, a preview"},
		),
		Action: func(c *cli.Context) error {
			req, err := f.readNew(c)
			if err != nil {
				return err
			}
			return newRun(c, f, req)
		},
	}
}

// readNew turns new's flags and argument into a request.
func (f *Factory) readNew(c *cli.Context) (create.DocumentRequest, error) {
	if c.NArg() == 0 {
		return create.DocumentRequest{}, withHint(usagef("new: %v", errNoKind), "usage: pmfolio new KIND, e.g. pmfolio new prd")
	}
	if err := maxArgs(c, 1, "new [options] KIND"); err != nil {
		return create.DocumentRequest{}, err
	}
	dir, err := f.dir(c)
	return create.DocumentRequest{
		Dir:      dir,
		Kind:     c.Args().First(),
		Pack:     c.String("pack"),
		Track:    c.String("track"),
		Answers:  readAnswers(c),
		DryRun:   c.Bool("dry-run"),
		NoCommit: c.Bool("no-commit"),
		Force:    c.Bool("force"),
		Editor:   c.Bool("editor"),
		Resume:   c.Bool("resume"),
		Samples:  c.Bool("samples"),
	}, err
}

// newRun writes the document and prints its path; a dry run prints the
// document, and its path on stderr.
func newRun(c *cli.Context, f *Factory, req create.DocumentRequest) error {
	res, err := create.Document(c.Context, f.session(), req)
	if err != nil {
		return err
	}
	if req.DryRun {
		fmt.Fprintf(f.Streams.Err, "pmfolio: would write %s\n", res.Path)
		_, err := f.Streams.Out.Write(res.Content)
		return err
	}
	fmt.Fprintln(f.Streams.Out, res.Path)
	return nil
}
