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

const packLintUsage = `pmfolio pack lint [--base NAME=SOURCE@REF]... [--against REF] [DIR]

Checks the pack in DIR (default: the current folder) as helm lint checks a
chart: pack.yaml's keys and types; every template parses; every answer a
template reads is a declared question and every question is read; every
kind renders from the pack's sample answers on both tracks, to a safe
output path, as a document that passes check: pmfolio's rules and the
pack's own.

A pack that extends another one finds it as 'pack add' finds a pack: from
--base NAME=SOURCE@REF, else from the source its pack.yaml gives
(extends: {name: NAME, source: SOURCE, ref: REF}), else among the packs
the portfolio around DIR pins. So a course's CI lints a chained pack
without a portfolio.

--against REF compares the pack with an earlier release (a tag of the git
repository holding DIR) as students will meet it: sections renamed, added
or removed, new required questions, rules added or made stricter. A
breaking change (a removed section, a new required question without a
default, a stricter rule...) in a release of the same major version is an
error: 'pmfolio pack update' moves students to such a release unasked.

Exit codes: 0 the pack is fine (warnings allowed), 1 lint found errors,
2 the pack was refused or could not be read.

Examples:
   pmfolio pack lint acme-pm
   pmfolio pack lint --base launch-school-pm=https://github.com/ls/pm-pack.git@v1.0.0 .
   pmfolio pack lint --against v1.0.0 .`

func packLintCommand(f *Factory) *cli.Command {
	return &cli.Command{
		Name:      "lint",
		Usage:     "check a pack: manifest, templates, answers, samples, output paths",
		ArgsUsage: "[DIR]",
		UsageText: packLintUsage,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "base", Usage: "find the pack NAME that the pack extends at `NAME=SOURCE@REF`; repeatable"},
			&cli.StringFlag{Name: "against", Usage: "compare the pack with the earlier release `REF` (a tag of its git repository): breaking changes need a new major version"},
		},
		Action: func(c *cli.Context) error {
			dir, err := f.packArgs(c, "pack lint [DIR]")
			if err != nil {
				return err
			}
			return packLintRun(c, f, dir)
		},
	}
}

func packLintRun(c *cli.Context, f *Factory, dir string) error {
	shown := c.Args().First()
	if shown == "" {
		shown = "."
	}
	bases := map[string]string{}
	for _, b := range c.StringSlice("base") {
		name, src, ok := strings.Cut(b, "=")
		if !ok || name == "" || src == "" {
			return withHint(usagef("pack lint: --base %q is not NAME=SOURCE@REF", b), "e.g. --base launch-school-pm=https://github.com/ls/pm-pack.git@v1.0.0")
		}
		bases[name] = src
	}
	sess := f.session()
	p, msgs, err := packstore.Lint(c.Context, sess, packstore.LintRequest{Dir: dir, Pack: shown, Shown: shown, Check: packcheck.Lint(sess.Today()),
		Bases: bases, Against: c.String("against")})
	if err != nil {
		return err
	}
	return printLint(f.Streams.Out, shown, p, msgs)
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
		Usage:     "show a pack's plan, kinds, questions, sections and rules",
		ArgsUsage: "[NAME]",
		UsageText: `pmfolio pack show [--sections] [NAME]

NAME is the default pack or a pinned one (default: the portfolio's pack).
For each kind: its questions (type, required, track, when they are asked),
its sections with their hints, and its rules. --sections shows the sections
only: what an overriding kind replaces.

Examples:
   pmfolio pack show bootcamp
   pmfolio pack show default --sections`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "sections", Usage: "show each kind's sections and their hints only"},
		},
		Action: func(c *cli.Context) error {
			dir, err := f.packArgs(c, "pack show [NAME]")
			if err != nil {
				return err
			}
			pk, pin, err := packstore.Show(c.Context, f.session(), dir, c.Args().First())
			if err != nil {
				return err
			}
			showPack(f.Streams.Out, pk, pin, c.Bool("sections"))
			return nil
		},
	}
}

func showPack(w io.Writer, pk *pack.Pack, pin *portfolio.PackPin, sectionsOnly bool) {
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
	if !sectionsOnly {
		showPlan(w, pk.Plan())
	}
	for _, k := range pk.OrderedKinds() {
		fmt.Fprintf(w, "\n%s: %s\n", k.ID, k.Name)
		if sectionsOnly {
			showSections(w, k)
			continue
		}
		fmt.Fprintf(w, "  template %s, written to %s\n", k.Template, k.Output)
		if k.Description != "" {
			fmt.Fprintf(w, "  %s\n", strings.TrimSpace(k.Description))
		}
		showQuestions(w, k)
		showSections(w, k)
		showRules(w, k)
	}
}

func showPlan(w io.Writer, pl *pack.Plan) {
	fmt.Fprintf(w, "  plan: %s\n", pl.Name)
	for _, m := range pl.Milestones {
		var docs []string
		for _, d := range m.Documents {
			docs = append(docs, fmt.Sprintf("%d %s", d.Count, d.Kind))
		}
		name := m.Name
		if name != m.Due.Ordinal() {
			name += " (" + m.Due.Ordinal() + ")"
		}
		fmt.Fprintf(w, "    %s: %s\n", name, strings.Join(docs, ", "))
	}
}

func showSections(w io.Writer, k *pack.Kind) {
	if len(k.Sections) == 0 {
		return
	}
	fmt.Fprintf(w, "  sections:\n")
	for _, s := range k.Sections {
		var tags []string
		if s.Required {
			tags = append(tags, "required")
		}
		if s.MinWords > 0 {
			tags = append(tags, fmt.Sprintf("at least %d words", s.MinWords))
		}
		if s.MaxWords > 0 {
			tags = append(tags, fmt.Sprintf("at most %d words", s.MaxWords))
		}
		if s.Track != "" && s.Track != doc.TrackBoth {
			tags = append(tags, s.Track+" track")
		}
		line := "    ## " + s.Heading
		if len(tags) > 0 {
			line += "  (" + strings.Join(tags, ", ") + ")"
		}
		fmt.Fprintln(w, line)
		if h := strings.TrimSpace(s.Hint); h != "" {
			fmt.Fprintf(w, "       %s\n", h)
		}
	}
}

func showRules(w io.Writer, k *pack.Kind) {
	if len(k.Rules) == 0 {
		return
	}
	fmt.Fprintf(w, "  rules:\n")
	for _, r := range k.Rules {
		tags := []string{"error"}
		if r.Severity != "" {
			tags[0] = r.Severity
		}
		if r.Section != "" {
			tags = append(tags, "section "+r.Section)
		}
		if r.Track != "" && r.Track != doc.TrackBoth {
			tags = append(tags, r.Track+" track")
		}
		if r.Suppressible != nil && !*r.Suppressible {
			tags = append(tags, "not suppressible")
		}
		fmt.Fprintf(w, "    %s  (%s): %s\n", r.ID, strings.Join(tags, ", "), r.Message)
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
		if q.When != "" {
			tags = append(tags, "asked when "+q.When)
		}
		fmt.Fprintf(w, "    %-22s %s  (%s)\n", q.Name, q.Prompt, strings.Join(tags, ", "))
	}
}
