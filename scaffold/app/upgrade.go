package app

import (
	"fmt"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/urfave/cli/v2"
)

const upgradeUsage = `pmfolio upgrade [PACK] [--to REF] [--dry-run] [--check]

Bring documents forward to the version of their pack that pmfolio.yaml pins
(or first re-pin PACK to REF, in the same commit): the pack's migrations
rename sections and answers, the new version renders each document again,
and the result is merged with your own edits, as 'pmfolio edit' merges
them. One line per document: updated, unchanged, or conflicts (the file
holds conflict markers where you and the new version changed the same
lines). Exit 0 when every document merged cleanly, 1 when conflicts were
written, 2 on an error (then nothing is written).

--check writes nothing and exits 1 when documents are behind their pack's
pin: for CI.

Examples:
   pmfolio pack update bootcamp && pmfolio upgrade bootcamp
   pmfolio upgrade bootcamp --to v1.1.0
   pmfolio upgrade --dry-run
   pmfolio upgrade --check`

func upgradeCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "upgrade",
		Usage:     "bring documents forward to their pack's pinned version, keeping your edits",
		ArgsUsage: "[PACK]",
		UsageText: upgradeUsage,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "to", Usage: "re-pin PACK to `REF` (a tag, branch or commit) first, in the same commit"},
			&cli.BoolFlag{Name: "dry-run", Usage: "print what would change as a unified diff; write nothing"},
			&cli.BoolFlag{Name: "check", Usage: "write nothing; exit 1 when documents are behind their pack's pin"},
			&cli.BoolFlag{Name: "no-commit", Usage: "write the documents but do not commit them"},
		},
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 1, "upgrade [PACK] [--to REF]"); err != nil {
				return err
			}
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			req := create.UpgradeRequest{Dir: dir, Pack: c.Args().First(), To: c.String("to"),
				DryRun: c.Bool("dry-run"), Check: c.Bool("check"), NoCommit: c.Bool("no-commit")}
			return upgradeRun(c, f, req)
		},
	}
}

// upgradeRun brings the documents forward and prints a line for each.
func upgradeRun(c *cli.Context, f *Factory, req create.UpgradeRequest) error {
	res, err := create.Upgrade(c.Context, f.session(), req)
	if err != nil {
		return err
	}
	out, w := f.Streams.Out, f.Streams.Err
	if r := res.Repinned; r != nil && r.Changed {
		old := "nothing"
		if r.Old != nil {
			old = r.Old.Version
		}
		fmt.Fprintf(w, "pmfolio: pinned %s %s -> %s\n", r.Name, old, r.Version)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "pmfolio: skipped %s: %s\n", s.Path, s.Reason)
	}
	for _, d := range res.Documents {
		line := fmt.Sprintf("%s %s (%s %s -> %s)", d.Status, d.Path, d.Pack, d.From, d.To)
		if req.DryRun {
			line = "would be " + line
		}
		if len(d.Conflicts) > 0 {
			var at []string
			for _, cf := range d.Conflicts {
				at = append(at, fmt.Sprintf("%s, line %d", cf.Section, cf.Line))
			}
			line += ": " + strings.Join(at, "; ")
		}
		fmt.Fprintln(out, line)
		for _, s := range d.Kept {
			fmt.Fprintf(w, "pmfolio: %s: kept section %q: the new version has no such section, and it holds your text\n", d.Path, s)
		}
	}
	if len(res.Documents) == 0 {
		fmt.Fprintln(w, "pmfolio: every document is at its pack's pinned version")
	}
	if req.DryRun {
		_, err := out.Write(res.Diff)
		return err
	}
	return upgradeOutcome(req, res)
}

// upgradeOutcome is the exit: 1 for documents behind (--check) or
// conflicts written.
func upgradeOutcome(req create.UpgradeRequest, res *create.UpgradeResult) error {
	switch {
	case len(res.Documents) == 0:
		return nil
	case req.Check:
		return withHint(&FindingsError{Reason: fmt.Sprintf("%d document(s) behind their pack's pin", len(res.Documents))}, "bring them forward with 'pmfolio upgrade'")
	case res.Conflicted():
		return withHint(&FindingsError{Reason: "conflict markers were written where your edits and the new version changed the same lines"},
			"keep the text you want between the <<<<<<< and >>>>>>> markers, delete the rest and the markers, then commit; 'pmfolio check' finds any left")
	}
	return nil
}
