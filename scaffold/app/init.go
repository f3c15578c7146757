package app

import (
	"fmt"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/urfave/cli/v2"
)

const initUsage = `pmfolio init [options] [DIR]

Asks for your name (and, when git has none, the email address that signs
your commits), target role, track (core or technical) and the start date of
your plan. DIR defaults to the current folder; it is created if needed.
Inside an existing git repository the portfolio becomes a folder of it;
otherwise a repository is created. Your name and email are recorded as the
author in pmfolio.yaml.

With --pack SOURCE@REF the portfolio starts on a course's pack: it is
fetched, checked as 'pmfolio pack lint' checks it, pinned and made the
portfolio's pack, and its own init questions, kinds and plan are used.

Examples:
   pmfolio init my-portfolio
   pmfolio init --pack https://github.com/acme/pm-pack.git@v1.0.0 my-portfolio
   pmfolio init --set name="Ada Lovelace" --set role="Product Manager" --defaults portfolio`

func initCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "create a portfolio: configuration, a folder per kind, a README index, a git repository",
		ArgsUsage: "[DIR]",
		UsageText: initUsage,
		Flags: append(answerFlags(),
			&cli.BoolFlag{Name: "no-commit", Usage: "write the portfolio but do not commit it"},
			&cli.StringFlag{Name: "pack", Usage: "start on a course's pack: `SOURCE@REF` (as 'pmfolio pack add' takes it), pinned and made the portfolio's pack"},
			&cli.StringFlag{Name: "subdir", Usage: "with --pack: the pack is in `FOLDER` of the repository"},
		),
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 1, "init [options] [DIR]"); err != nil {
				return err
			}
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			res, err := create.Portfolio(c.Context, f.session(), create.PortfolioRequest{
				Base:       dir,
				Target:     c.Args().First(),
				Answers:    readAnswers(c),
				NoCommit:   c.Bool("no-commit"),
				Pack:       c.String("pack"),
				PackSubdir: c.String("subdir"),
			})
			if err != nil {
				return err
			}
			if res.Pinned != nil {
				printLintWarnings(f.Streams.Err, res.Pinned.Warnings)
				printNotices(f.Streams.Err, res.Pinned.Notices)
			}
			fmt.Fprintln(f.Streams.Out, res.Path)
			printNextSteps(f.Streams.Err, res.Dir, res.Pack)
			return nil
		},
	}
}
