package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
)

func listCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "list the portfolio's documents",
		UsageText: `pmfolio list [--json] [--kind KIND]

Paths are relative to the folder pmfolio runs in, like the path 'new' prints.

Examples:
   pmfolio list
   pmfolio list --kind story --json | jq -r '.[].path'`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array of {kind, title, date, status, track, path}"},
			&cli.StringFlag{Name: "kind", Usage: "only documents of `KIND`"},
		},
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "list [--json] [--kind KIND]"); err != nil {
				return err
			}
			dir, err := e.dir(c)
			if err != nil {
				return err
			}
			return listRun(e, listOptions{Dir: dir, JSON: c.Bool("json"), Kind: c.String("kind")})
		},
	}
}

type listOptions struct {
	Dir  string
	JSON bool
	Kind string
}

func listRun(e *env, o listOptions) error {
	p, err := openPortfolio(o.Dir)
	if err != nil {
		return err
	}
	defer p.Close()
	entries, problems, err := p.List()
	if err != nil {
		return err
	}
	// A document whose front matter is broken is reported, not fatal: the
	// rest of the list is still right.
	for _, pr := range problems {
		fmt.Fprintf(e.streams.Err, "pmfolio: warning: skipped %v\n", pr)
	}
	kept := entries[:0]
	for _, en := range entries {
		if o.Kind == "" || strings.EqualFold(en.Kind, o.Kind) {
			en.Path = display(o.Dir, p.Dir, en.Path)
			kept = append(kept, en)
		}
	}
	if o.JSON {
		enc := json.NewEncoder(e.streams.Out)
		enc.SetIndent("", "  ")
		if kept == nil {
			return enc.Encode([]any{})
		}
		return enc.Encode(kept)
	}
	if len(kept) == 0 {
		fmt.Fprintln(e.streams.Err, "pmfolio: no documents yet; write one with 'pmfolio new KIND'")
		return nil
	}
	tw := tabwriter.NewWriter(e.streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tDATE\tSTATUS\tTITLE\tPATH")
	for _, en := range kept {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", en.Kind, en.Date, en.Status, en.Title, en.Path)
	}
	return tw.Flush()
}
