package app

import (
	"fmt"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/pmfolio/pmfolio/scaffold/merge"
	"github.com/urfave/cli/v2"
)

const editUsage = `pmfolio edit [options] PATH

Revise a document: the interview again, each earlier answer offered as the
default (in a terminal), or the same answer flags as 'new' for scripts; the
answers given win, the rest stay as recorded. The document is rendered
again and merged with the edits you made by hand since it was last
rendered: a section you did not touch takes the new text, one the new
answers did not change keeps yours, and lines both changed get conflict
markers (exit 1). It keeps its path and its date; --rename moves it to the
path its new title gives and rewrites the links other documents have to it.

Examples:
   pmfolio edit prd/2026-01-26-checkout.md                   # in a terminal
   pmfolio edit prd/2026-01-26-checkout.md --set status="Launch review"
   pmfolio edit prd/2026-01-26-checkout.md --answers fix.yaml --dry-run
   pmfolio edit story/2026-03-16-spike.md --set title="The spike" --rename`

func editCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "edit",
		Usage:     "revise a document: new answers merged with your own edits",
		ArgsUsage: "PATH",
		UsageText: editUsage,
		Flags: append(answerFlags(),
			&cli.BoolFlag{Name: "dry-run", Usage: "print what would change as a unified diff; write nothing"},
			&cli.BoolFlag{Name: "no-commit", Usage: "write the document but do not commit it"},
			&cli.BoolFlag{Name: "rename", Usage: "move the document to the path its new title gives, rewriting the links to it"},
			&cli.BoolFlag{Name: "editor", Usage: "write long (multi-line) answers in $VISUAL or $EDITOR instead of the terminal"},
		),
		Action: func(c *cli.Context) error {
			req, err := f.readEdit(c)
			if err != nil {
				return err
			}
			return editRun(c, f, req)
		},
	}
}

// readEdit turns edit's flags and argument into a request.
func (f *Factory) readEdit(c *cli.Context) (create.EditRequest, error) {
	if c.NArg() == 0 {
		return create.EditRequest{}, withHint(usagef("edit: which document?"), "usage: pmfolio edit PATH, e.g. pmfolio edit prd/2026-01-26-checkout.md; 'pmfolio list' shows the documents")
	}
	if err := maxArgs(c, 1, "edit [options] PATH"); err != nil {
		return create.EditRequest{}, err
	}
	dir, err := f.dir(c)
	return create.EditRequest{
		Dir:      dir,
		Path:     c.Args().First(),
		Answers:  readAnswers(c),
		DryRun:   c.Bool("dry-run"),
		NoCommit: c.Bool("no-commit"),
		Rename:   c.Bool("rename"),
		Editor:   c.Bool("editor"),
	}, err
}

// editRun revises the document and prints its path; a dry run prints the
// diff. Conflicts written exit 1.
func editRun(c *cli.Context, f *Factory, req create.EditRequest) error {
	res, err := create.Edit(c.Context, f.session(), req)
	if err != nil {
		return err
	}
	w := f.Streams.Err
	switch {
	case res.Unchanged:
		fmt.Fprintf(w, "pmfolio: %s is unchanged: the answers render it as it is\n", res.Path)
		return nil
	case req.DryRun:
		fmt.Fprintf(w, "pmfolio: would revise %s\n", res.Path)
		_, err := f.Streams.Out.Write(res.Diff)
		return err
	}
	if res.From != "" {
		fmt.Fprintf(w, "pmfolio: moved %s to %s\n", res.From, res.Path)
	}
	for _, p := range res.Relinked {
		fmt.Fprintf(w, "pmfolio: rewrote the links in %s\n", p)
	}
	for _, s := range res.Kept {
		fmt.Fprintf(w, "pmfolio: kept section %q: the new rendering has no such section, and it holds your text\n", s)
	}
	fmt.Fprintln(f.Streams.Out, res.Path)
	return conflictsError(res.Path, res.Conflicts)
}

// conflictsError says where conflicts were written (exit 1), nil without.
func conflictsError(path string, cs []merge.Conflict) error {
	if len(cs) == 0 {
		return nil
	}
	var at []string
	for _, c := range cs {
		at = append(at, fmt.Sprintf("line %d (%s)", c.Line, c.Section))
	}
	return withHint(&FindingsError{Reason: fmt.Sprintf("%s: %d conflict(s) where your edits and the new text changed the same lines: %s", path, len(cs), strings.Join(at, ", "))},
		"keep the text you want between the <<<<<<< and >>>>>>> markers, delete the rest and the markers, then commit; 'pmfolio check' finds any left")
}
