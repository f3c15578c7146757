package app

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/pmfolio/pmfolio/scaffold/catalog"
	"github.com/urfave/cli/v2"
)

func listCommand(f *Factory) *cli.Command {
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
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			return listRun(f, catalog.Request{Dir: dir, Kind: c.String("kind")}, c.Bool("json"))
		},
	}
}

func listRun(f *Factory, req catalog.Request, asJSON bool) error {
	l, err := catalog.List(f.session(), req)
	if err != nil {
		return err
	}
	for _, pr := range l.Problems {
		fmt.Fprintf(f.Streams.Err, "pmfolio: warning: skipped %v\n", pr)
	}
	if asJSON {
		enc := json.NewEncoder(f.Streams.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(l.Documents)
	}
	if len(l.Documents) == 0 {
		fmt.Fprintln(f.Streams.Err, "pmfolio: no documents yet; write one with 'pmfolio new KIND'")
		return nil
	}
	tw := tabwriter.NewWriter(f.Streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tDATE\tSTATUS\tTITLE\tPATH")
	for _, en := range l.Documents {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", en.Kind, en.Date, en.Status, en.Title, en.Path)
	}
	return tw.Flush()
}
