package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/urfave/cli/v2"
)

const packUsage = `pmfolio pack COMMAND [options] [arguments]

A pack is a folder with pack.yaml and templates: the kinds of document,
their questions, their sections and their rules. pmfolio embeds the default
pack; courses write their own and students pin them in pmfolio.yaml.
docs/pack-reference.md documents every key of pack.yaml.

Examples:
   pmfolio pack new my-course-pack && pmfolio pack lint my-course-pack
   pmfolio pack add https://github.com/acme/pm-pack.git@v1.0.0 --default
   pmfolio pack update acme --ref v1.1.0`

func packCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:            "pack",
		Usage:           "write, check, pin and inspect template packs",
		HideHelpCommand: true,
		UsageText:       packUsage,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return unknownCommand(c, "pack")
			}
			return cli.ShowSubcommandHelp(c)
		},
		Subcommands: []*cli.Command{
			packNewCommand(f),
			packLintCommand(f),
			packAddCommand(f),
			packListCommand(f),
			packShowCommand(f),
			packUseCommand(f),
			packRemoveCommand(f),
			packUpdateCommand(f),
		},
	}
}

// packArgs checks a subcommand's arguments against its usage, which ends
// with the one argument it takes ("DIR", or "[DIR]" when optional), and
// returns the folder the command runs in.
func (f *Factory) packArgs(c *cli.Context, usage string) (string, error) {
	arg := usage[strings.LastIndexByte(usage, ' ')+1:]
	if !strings.HasPrefix(arg, "[") && c.NArg() == 0 {
		return "", withHint(usagef("%s: missing %s", commandName(c), arg), "usage: pmfolio %s", usage)
	}
	if err := maxArgs(c, 1, usage); err != nil {
		return "", err
	}
	return f.dir(c)
}

const packNewUsage = `pmfolio pack new [--name NAME] [--extends PACK] DIR

Creates DIR with a copy of the default pack: pack.yaml, the templates and
partials, and sample answers in samples/ that 'pack lint' renders. With
--extends, DIR gets only a pack.yaml that extends PACK (usually default) and
changes nothing yet: the way to change a kind or two and inherit the rest.
DIR must not exist. The pack is named after DIR unless --name says otherwise.

Examples:
   pmfolio pack new acme-pm && pmfolio pack lint acme-pm
   pmfolio pack new --extends default acme-pm`

func packNewCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "scaffold a pack to edit, starting from the default pack",
		ArgsUsage: "DIR",
		UsageText: packNewUsage,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "name", Usage: "the pack's `NAME` (lower case letters, digits and -)"},
			&cli.StringFlag{Name: "extends", Usage: "write a pack that extends `PACK` instead of a copy of the default pack"},
		},
		Action: func(c *cli.Context) error {
			base, err := f.packArgs(c, "pack new [--name NAME] DIR")
			if err != nil {
				return err
			}
			return packNewRun(f, base, c.Args().First(), c.String("name"), c.String("extends"))
		},
	}
}

// packNewRun writes a new pack folder; it is not a portfolio's, so it
// needs no transaction, and appears whole or not at all (pack.WriteNew).
func packNewRun(f *Factory, base, arg, name, extends string) error {
	dir := arg
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(base, dir)
	}
	if name == "" {
		name = pack.Slug(filepath.Base(dir))
	}
	if _, err := os.Lstat(dir); err == nil {
		return withHint(usagef("%s already exists; nothing was written", arg), "give a new folder: pmfolio pack new DIR")
	}
	files, err := pack.Scaffold(name, extends)
	if err != nil {
		return withHint(usagef("pack new: %v", err), "choose another with --name or --extends")
	}
	if err := pack.WriteNew(dir, files); err != nil {
		return fmt.Errorf("pack new: %w", err)
	}
	fmt.Fprintln(f.Streams.Out, portfolio.Display(base, dir, "."))
	fmt.Fprintf(f.Streams.Err, "pmfolio: created pack %q %s; edit %s, then check it with 'pmfolio pack lint %s'\n",
		name, pack.ScaffoldVersion, filepath.Join(arg, pack.ManifestFile), arg)
	return nil
}

const packLintUsage = `pmfolio pack lint [DIR]

Checks the pack in DIR (default: the current folder) as helm lint checks a
chart: pack.yaml's keys and types; every template parses; every answer a
template reads is a declared question and every question is read; every
kind renders from the pack's sample answers on both tracks, to a safe
output path, as a document that passes check: pmfolio's rules and the
pack's own.

Exit codes: 0 the pack is fine (warnings allowed), 1 lint found errors,
2 the pack was refused or could not be read.`

func packLintCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "lint",
		Usage:     "check a pack: manifest, templates, answers, samples, output paths",
		ArgsUsage: "[DIR]",
		UsageText: packLintUsage,
		Action: func(c *cli.Context) error {
			dir, err := f.packArgs(c, "pack lint [DIR]")
			if err != nil {
				return err
			}
			shown := c.Args().First()
			if shown == "" {
				shown = "."
			}
			sess := f.session()
			p, msgs, err := packstore.Lint(c.Context, sess, packstore.LintRequest{Dir: dir, Pack: shown, Shown: shown, Check: packcheck.Lint(sess.Today())})
			if err != nil {
				return err
			}
			return printLint(f.Streams.Out, shown, p, msgs)
		},
	}
}

// printLint prints lint's messages as helm lint does; errors make the
// command exit 1.
func printLint(w io.Writer, shown string, p *pack.Pack, msgs []pack.Message) error {
	name := shown
	if p != nil {
		name = fmt.Sprintf("%s %s", p.Name, p.Version)
	}
	fmt.Fprintf(w, "==> linting %s (%s)\n", shown, name)
	count := map[doc.Severity]int{}
	for _, m := range msgs {
		count[m.Severity]++
		fmt.Fprintf(w, "[%s] %s\n", strings.ToUpper(m.Severity.String()), m)
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s)\n", count[doc.Error], count[doc.Warning])
	if pack.Failed(msgs) {
		return &quietError{&FindingsError{Count: count[doc.Error]}}
	}
	return nil
}

func packListCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "list",
		Usage:     "list the default pack and the packs pmfolio.yaml pins",
		UsageText: "pmfolio pack list\n\nThe portfolio's pack (pack: in pmfolio.yaml) is marked with *.",
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "pack list"); err != nil {
				return err
			}
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			list, err := packstore.List(c.Context, f.session(), dir)
			if err != nil {
				return err
			}
			return printPacks(f.Streams.Out, list)
		},
	}
}

func printPacks(w io.Writer, list []packstore.Entry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tVERSION\tREF\tCOMMIT\tSOURCE")
	for _, e := range list {
		mark := " "
		if e.Current {
			mark = "*"
		}
		if e.Pin == nil {
			fmt.Fprintf(tw, "%s %s\t%s\t-\t-\tbuilt in\n", mark, e.Name, e.Version)
			continue
		}
		ref, commit := orDash(e.Pin.Ref), "-"
		if e.Pin.Commit != "" {
			commit = e.Pin.Commit[:12]
		}
		source := e.Pin.Source
		if e.Pin.Subdir != "" {
			source += " (" + e.Pin.Subdir + ")"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n", mark, e.Name, e.Version, ref, commit, source)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func packShowCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "show a pack's kinds and questions",
		ArgsUsage: "[NAME]",
		UsageText: "pmfolio pack show [NAME]\n\nNAME is the default pack or a pinned one (default: the portfolio's pack).\n\nExample:\n   pmfolio pack show bootcamp",
		Action: func(c *cli.Context) error {
			dir, err := f.packArgs(c, "pack show [NAME]")
			if err != nil {
				return err
			}
			pk, pin, err := packstore.Show(c.Context, f.session(), dir, c.Args().First())
			if err != nil {
				return err
			}
			showPack(f.Streams.Out, pk, pin)
			return nil
		},
	}
}

func showPack(w io.Writer, pk *pack.Pack, pin *portfolio.PackPin) {
	fmt.Fprintf(w, "%s %s\n", pk.Name, pk.Version)
	if d := strings.TrimSpace(pk.Description); d != "" {
		fmt.Fprintf(w, "  %s\n", d)
	}
	if pin != nil {
		fmt.Fprintf(w, "  source: %s%s\n", pin.Source, packstore.PinSuffix(pin))
	}
	if pk.Base != nil {
		fmt.Fprintf(w, "  extends: %s %s\n", pk.Base.Name, pk.Base.Version)
	}
	for _, k := range pk.OrderedKinds() {
		fmt.Fprintf(w, "\n%s: %s\n  template %s, written to %s\n", k.ID, k.Name, k.Template, k.Output)
		if k.Description != "" {
			fmt.Fprintf(w, "  %s\n", strings.TrimSpace(k.Description))
		}
		showQuestions(w, k)
	}
}

func showQuestions(w io.Writer, k *pack.Kind) {
	fmt.Fprintf(w, "  questions:\n")
	for _, q := range k.Questions {
		tags := []string{string(q.Type)}
		if q.Required {
			tags = append(tags, "required")
		}
		if q.Track != "" && q.Track != "both" {
			tags = append(tags, q.Track+" track")
		}
		fmt.Fprintf(w, "    %-22s %s  (%s)\n", q.Name, q.Prompt, strings.Join(tags, ", "))
	}
	if len(k.Sections) > 0 {
		var hs []string
		for _, s := range k.Sections {
			hs = append(hs, s.Heading)
		}
		fmt.Fprintf(w, "  sections: %s\n", strings.Join(hs, " · "))
	}
}
