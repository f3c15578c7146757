package app

import (
	"fmt"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/pack"

	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/urfave/cli/v2"
)

// noCommitConfigFlag is --no-commit of the commands that change pmfolio.yaml.
func noCommitConfigFlag() cli.Flag {
	return &cli.BoolFlag{Name: "no-commit", Usage: "update pmfolio.yaml but do not commit it"}
}

const packAddUsage = `pmfolio pack add [options] SOURCE[@REF]

SOURCE is a git repository, as an https or ssh URL or a local path, or a
folder inside the portfolio. REF is a tag, a branch or a commit (default:
the default branch); a git repository is read at REF, committed files only,
a folder as it is. pmfolio fetches the pack (shallow, without running
anything), checks it, caches it, and pins in pmfolio.yaml the repository's
location and commit (or the folder's path relative to the portfolio) and the
digest of its files, so that every later run, offline or in CI, uses
exactly those bytes. A folder outside the portfolio is refused: publish it
in a git repository, or copy it into the portfolio.

Examples:
   pmfolio pack add https://github.com/acme/pm-pack.git@v1.0.0 --default
   pmfolio pack add git@github.com:acme/pm-pack.git@v1.0.0
   pmfolio pack add https://github.com/pmfolio/pmfolio.git@main --subdir examples/packs/bootcamp
   pmfolio pack add packs/my-pack`

func packAddCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "add",
		Usage:     "pin a pack from a git repository or a folder in pmfolio.yaml",
		ArgsUsage: "SOURCE[@REF]",
		UsageText: packAddUsage,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "subdir", Usage: "the pack is in `FOLDER` of the repository"},
			&cli.BoolFlag{Name: "default", Usage: "make it the portfolio's pack (pack: in pmfolio.yaml)"},
			noCommitConfigFlag(),
		},
		Action: func(c *cli.Context) error {
			dir, err := f.packArgs(c, "pack add [options] SOURCE[@REF]")
			if err != nil {
				return err
			}
			res, err := packstore.Add(c.Context, f.session(), packstore.AddRequest{Dir: dir, Source: c.Args().First(), Subdir: c.String("subdir"),
				Default: c.Bool("default"), NoCommit: c.Bool("no-commit")})
			if err != nil {
				return err
			}
			printLintWarnings(f.Streams.Err, res.Warnings)
			printNotices(f.Streams.Err, res.Notices)
			fmt.Fprintf(f.Streams.Out, "added pack %q %s from %s%s\n", res.Name, res.Version, res.Pin.Source, packstore.PinSuffix(res.Pin))
			if !res.Default {
				fmt.Fprintf(f.Streams.Err, "pmfolio: use it with 'pmfolio new --pack %s KIND', or make it the portfolio's pack with 'pmfolio pack use %s'\n", res.Name, res.Name)
			}
			return nil
		},
	}
}

func packUseCommand(f *Factory) *cli.Command {
	return namedPackCommand(f, "use", "make a pack the portfolio's pack (pack: in pmfolio.yaml)", `pmfolio pack use [--no-commit] NAME

NAME is default or a pinned pack; 'pmfolio new' uses it unless --pack says
otherwise.

Example:
   pmfolio pack use default`, func(c *cli.Context, req packstore.UseRequest) error {
		res, err := packstore.Use(c.Context, f.session(), req)
		if err != nil {
			return err
		}
		if !res.Changed {
			fmt.Fprintf(f.Streams.Out, "the portfolio already uses pack %q\n", req.Name)
			return nil
		}
		fmt.Fprintf(f.Streams.Out, "the portfolio uses pack %q %s\n", res.Name, res.Version)
		return nil
	})
}

func packRemoveCommand(f *Factory) *cli.Command {
	return namedPackCommand(f, "remove", "unpin a pack from pmfolio.yaml", `pmfolio pack remove [--no-commit] NAME

Documents already written with the pack stay as they are; remove lists
them, and check reports them (doc/pack-unknown) and holds them to no kind
until the pack is pinned again. The cached copy stays in the cache, which
other portfolios may share.`, func(c *cli.Context, req packstore.UseRequest) error {
		res, err := packstore.Remove(c.Context, f.session(), req)
		if err != nil {
			return err
		}
		fmt.Fprintf(f.Streams.Out, "removed pack %q\n", req.Name)
		if n := len(res.Documents); n > 0 {
			fmt.Fprintf(f.Streams.Err, "pmfolio: warning: %d document(s) were made with pack %q; check reports them (doc/pack-unknown) and holds them to no kind until it is pinned again:\n", n, req.Name)
			for _, d := range res.Documents {
				fmt.Fprintf(f.Streams.Err, "  %s\n", d)
			}
		}
		return nil
	})
}

// namedPackCommand is a subcommand that takes a pack's NAME and changes
// pmfolio.yaml: use and remove.
func namedPackCommand(f *Factory, name, usage, text string, run func(*cli.Context, packstore.UseRequest) error) *cli.Command {
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "NAME",
		UsageText: text,
		Flags:     []cli.Flag{noCommitConfigFlag()},
		Action: func(c *cli.Context) error {
			dir, err := f.packArgs(c, "pack "+name+" NAME")
			if err != nil {
				return err
			}
			return run(c, packstore.UseRequest{Dir: dir, Name: c.Args().First(), NoCommit: c.Bool("no-commit")})
		},
	}
}

const packUpdateUsage = `pmfolio pack update [--ref REF] [--no-commit] NAME

Without --ref: a pack pinned to a release tag (v1.2.0) moves to the newest
release of the same major version; a pack pinned to a branch moves to the
branch's newest commit; a folder is read again. --ref REF moves the pin to
that tag, branch or commit, across major versions too.

Examples:
   pmfolio pack update bootcamp
   pmfolio pack update bootcamp --ref v2.0.0`

func packUpdateCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "update",
		Usage:     "move a pack's pin to a newer release, or to --ref",
		ArgsUsage: "NAME",
		UsageText: packUpdateUsage,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ref", Usage: "pin `REF` (a tag, branch or commit)"},
			noCommitConfigFlag(),
		},
		Action: func(c *cli.Context) error {
			dir, err := f.packArgs(c, "pack update [--ref REF] NAME")
			if err != nil {
				return err
			}
			req := packstore.UpdateRequest{Dir: dir, Name: c.Args().First(), Ref: c.String("ref"), NoCommit: c.Bool("no-commit")}
			res, err := packstore.Update(c.Context, f.session(), req)
			if err != nil {
				return err
			}
			printLintWarnings(f.Streams.Err, res.Warnings)
			printNotices(f.Streams.Err, res.Notices)
			if !res.Changed {
				fmt.Fprintf(f.Streams.Out, "pack %q is up to date: %s%s\n", req.Name, res.Version, packstore.PinSuffix(res.Pin))
				return nil
			}
			printUpdate(f.Streams.Out, res)
			return nil
		},
	}
}

// printLintWarnings passes on what lint found short of an error in a pack
// being pinned: the pin goes ahead.
func printLintWarnings(w io.Writer, msgs []pack.Message) {
	for _, m := range msgs {
		if m.Severity == doc.Warning {
			fmt.Fprintf(w, "pmfolio: warning: the pack: %s\n", m)
		}
	}
}

func printNotices(w io.Writer, notices []string) {
	for _, n := range notices {
		fmt.Fprintf(w, "pmfolio: warning: %s\n", n)
	}
}

// printUpdate says what an update means for the portfolio: what changed
// for students, the release notes, the documents it concerns, what to do
// next, and a newer major version.
func printUpdate(w io.Writer, res *packstore.Pinned) {
	fmt.Fprintf(w, "updated pack %q %s -> %s%s\n", res.Name, res.Old.Version, res.Version, packstore.PinSuffix(res.Pin))
	if res.Diff != nil && !res.Diff.Empty() {
		fmt.Fprintf(w, "\nwhat changed for students:\n")
		for _, c := range res.Diff.Changes() {
			mark := ""
			if c.Breaking {
				mark = " (breaking)"
			}
			fmt.Fprintf(w, "  %s: %s%s\n", c.Kind, c.Text, mark)
		}
	}
	if len(res.Notes) > 0 {
		fmt.Fprintf(w, "\nrelease notes:\n")
		for _, n := range res.Notes {
			fmt.Fprintf(w, "  %s:\n", n.Version)
			for _, line := range strings.Split(n.Text, "\n") {
				fmt.Fprintf(w, "    %s\n", line)
			}
		}
	}
	fmt.Fprintln(w)
	affected := 0
	var byKind []string
	for _, kind := range slices.Sorted(maps.Keys(res.Affected)) {
		affected += res.Affected[kind]
		byKind = append(byKind, fmt.Sprintf("%s: %d", kind, res.Affected[kind]))
	}
	switch {
	case res.Documents == 0:
		fmt.Fprintf(w, "no document of the portfolio was made with %s yet\nnext: pmfolio new --pack %s KIND\n", res.Name, res.Name)
	case affected == 0:
		fmt.Fprintf(w, "none of the portfolio's %d document(s) made with %s is of a kind that changed\nnext: pmfolio check\n", res.Documents, res.Name)
	default:
		fmt.Fprintf(w, "it concerns %d of the portfolio's %d document(s) made with %s (%s); check holds them to the version they were written with until they are brought forward\nnext: pmfolio upgrade %s\n",
			affected, res.Documents, res.Name, strings.Join(byKind, ", "), res.Name)
	}
	if res.NewerMajor != "" {
		fmt.Fprintf(w, "%s is available; it may break your documents: pmfolio pack update %s --ref %s\n", res.NewerMajor, res.Name, res.NewerMajor)
	}
}
