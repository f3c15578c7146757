package app

import (
	"fmt"
	"text/tabwriter"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/urfave/cli/v2"
)

const draftsUsage = `pmfolio drafts
pmfolio drafts discard ID... | --all

In a terminal, 'pmfolio new' saves each answer as it is given, in a draft
kept outside the portfolio (in the git folder, or your state folder when
there is no git). A draft is removed once its document is written.

Examples:
   pmfolio drafts
   pmfolio new story --resume                 # continue the latest story draft
   pmfolio drafts discard story-20260316-140233-1a2b`

func draftsCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "drafts",
		Usage:     "list the interviews that were interrupted, or discard them",
		UsageText: draftsUsage,
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "drafts"); err != nil {
				return err
			}
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			return draftsRun(f, dir)
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
				dir, err := f.dir(c)
				if err != nil {
					return err
				}
				done, err := create.Discard(c.Context, f.session(), create.DiscardRequest{Dir: dir, IDs: c.Args().Slice(), All: c.Bool("all")})
				for _, id := range done {
					fmt.Fprintf(f.Streams.Out, "discarded %s\n", id)
				}
				return err
			},
		}},
	}
}

func draftsRun(f *Factory, dir string) error {
	list, err := create.Drafts(f.session(), dir)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(f.Streams.Err, "pmfolio: no drafts: every interview was finished or discarded")
		return nil
	}
	tw := tabwriter.NewWriter(f.Streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tTITLE\tANSWERS\tSAVED")
	for _, d := range list {
		n := "unreadable"
		if d.Answers >= 0 {
			n = fmt.Sprint(d.Answers)
		}
		title := d.Title
		if title == "" {
			title = "(no title yet)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.ID, d.Kind, title, n, d.Updated.Format("2006-01-02 15:04"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(f.Streams.Err, "hint: continue one with 'pmfolio new KIND --resume', or remove it with 'pmfolio drafts discard ID'")
	return nil
}
