package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/urfave/cli/v2"
)

func packCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:            "pack",
		Usage:           "write, check, pin and inspect template packs",
		HideHelpCommand: true,
		UsageText: `pmfolio pack COMMAND [options] [arguments]

A pack is a folder with pack.yaml and templates: the kinds of document,
their questions, their sections and their rules. pmfolio embeds the default
pack; courses write their own and students pin them in pmfolio.yaml.
docs/pack-reference.md documents every key of pack.yaml.

Examples:
   pmfolio pack new my-course-pack && pmfolio pack lint my-course-pack
   pmfolio pack add https://github.com/acme/pm-pack.git@v1.0.0 --default
   pmfolio pack update acme --ref v1.1.0`,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return unknownCommand(c, "pack")
			}
			return cli.ShowSubcommandHelp(c)
		},
		Subcommands: []*cli.Command{
			packNewCommand(e),
			packLintCommand(e),
			packAddCommand(e),
			packListCommand(e),
			packShowCommand(e),
			packUseCommand(e),
			packRemoveCommand(e),
			packUpdateCommand(e),
		},
	}
}

// packArgs checks a subcommand's arguments against its usage, which ends
// with the one argument it takes ("DIR", or "[DIR]" when optional), and
// returns the folder the command runs in.
func (e *env) packArgs(c *cli.Context, usage string) (string, error) {
	arg := usage[strings.LastIndexByte(usage, ' ')+1:]
	if !strings.HasPrefix(arg, "[") && c.NArg() == 0 {
		return "", withHint(usagef("%s: missing %s", commandName(c), arg), "usage: pmfolio %s", usage)
	}
	if err := maxArgs(c, 1, usage); err != nil {
		return "", err
	}
	return e.dir(c)
}

// ---------------------------------------------------------------- new

func packNewCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "scaffold a pack to edit, starting from the default pack",
		ArgsUsage: "DIR",
		UsageText: `pmfolio pack new [--name NAME] [--extends PACK] DIR

Creates DIR with a copy of the default pack: pack.yaml, the templates and
partials, and sample answers in samples/ that 'pack lint' renders. With
--extends, DIR gets only a pack.yaml that extends PACK (usually default) and
changes nothing yet: the way to change a kind or two and inherit the rest.
DIR must not exist. The pack is named after DIR unless --name says otherwise.

Examples:
   pmfolio pack new acme-pm && pmfolio pack lint acme-pm
   pmfolio pack new --extends default acme-pm`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "name", Usage: "the pack's `NAME` (lower case letters, digits and -)"},
			&cli.StringFlag{Name: "extends", Usage: "write a pack that extends `PACK` instead of a copy of the default pack"},
		},
		Action: func(c *cli.Context) error {
			dir, err := e.packArgs(c, "pack new [--name NAME] DIR")
			if err != nil {
				return err
			}
			return packNewRun(e, packNewOptions{Base: dir, Dir: c.Args().First(), Name: c.String("name"), Extends: c.String("extends")})
		},
	}
}

type packNewOptions struct {
	Base    string
	Dir     string
	Name    string
	Extends string
}

func packNewRun(e *env, o packNewOptions) error {
	dir := o.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(o.Base, dir)
	}
	name := o.Name
	if name == "" {
		name = pack.Slug(filepath.Base(dir))
	}
	if _, err := os.Lstat(dir); err == nil {
		return withHint(usagef("%s already exists; nothing was written", o.Dir), "give a new folder: pmfolio pack new DIR")
	}
	files, err := pack.Scaffold(name, o.Extends)
	if err != nil {
		return withHint(usagef("pack new: %v", err), "choose another with --name or --extends")
	}
	if err := pack.WriteNew(dir, files); err != nil {
		return fmt.Errorf("pack new: %w", err)
	}
	fmt.Fprintln(e.streams.Out, display(o.Base, dir, "."))
	fmt.Fprintf(e.streams.Err, "pmfolio: created pack %q %s; edit %s, then check it with 'pmfolio pack lint %s'\n",
		name, pack.ScaffoldVersion, filepath.Join(o.Dir, pack.ManifestFile), o.Dir)
	return nil
}

// ---------------------------------------------------------------- lint

func packLintCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "lint",
		Usage:     "check a pack: manifest, templates, answers, samples, output paths",
		ArgsUsage: "[DIR]",
		UsageText: `pmfolio pack lint [DIR]

Checks the pack in DIR (default: the current folder) as helm lint checks a
chart: pack.yaml's keys and types; every template parses; every answer a
template reads is a declared question and every question is read; every
kind renders from the pack's sample answers on both tracks, to a safe
output path, as a document that passes check: pmfolio's rules and the
pack's own.

Exit codes: 0 the pack is fine (warnings allowed), 1 lint found errors,
2 the pack was refused or could not be read.`,
		Action: func(c *cli.Context) error {
			dir, err := e.packArgs(c, "pack lint [DIR]")
			if err != nil {
				return err
			}
			return packLintRun(e, packLintOptions{Base: dir, Dir: c.Args().First()})
		},
	}
}

type packLintOptions struct {
	Base string
	Dir  string
}

func packLintRun(e *env, o packLintOptions) error {
	dir := o.Dir
	if dir == "" {
		dir = "."
	}
	shown := dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(o.Base, dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return withHint(fmt.Errorf("pack lint: %w", err), "give the folder that holds pack.yaml")
	}
	defer root.Close()
	// A pack may extend a pack the portfolio it sits in has pinned.
	ps, err := packsAt(e, dir)
	if err != nil {
		return err
	}
	p, msgs, err := pack.Lint(root.FS(), shown, ps.reg, pack.LintOptions{Date: today(), Check: packcheck.Lint(today())})
	if err != nil {
		return err
	}
	w := e.streams.Out
	name := shown
	if p != nil {
		name = fmt.Sprintf("%s %s", p.Name, p.Version)
	}
	fmt.Fprintf(w, "==> linting %s (%s)\n", shown, name)
	count := map[pack.Severity]int{}
	for _, m := range msgs {
		count[m.Severity]++
		fmt.Fprintf(w, "[%s] %s\n", strings.ToUpper(string(m.Severity)), m)
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s)\n", count[pack.SeverityError], count[pack.SeverityWarning])
	if pack.Failed(msgs) {
		return &quietError{&FindingsError{Count: count[pack.SeverityError]}}
	}
	return nil
}

// today is lint's injected clock: the calendar date, as a document would get.
func today() time.Time {
	y, m, d := time.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// noCommitConfigFlag is --no-commit of the commands that change pmfolio.yaml.
func noCommitConfigFlag() cli.Flag {
	return &cli.BoolFlag{Name: "no-commit", Usage: "update pmfolio.yaml but do not commit it"}
}

// openPacks opens the portfolio enclosing dir and the packs it knows, for
// the commands that change its pins.
func openPacks(e *env, dir string) (*portfolio.Portfolio, *packs, error) {
	p, err := openPortfolio(dir)
	if err != nil {
		return nil, nil, err
	}
	return p, newPacks(e.streams, p.Config, p.Dir), nil
}

// packsAt returns the packs known in dir: the pins of the portfolio that
// encloses it, or only the default pack outside any portfolio.
func packsAt(e *env, dir string) (*packs, error) {
	var cfg *portfolio.Config
	root := ""
	if p, err := portfolio.Open(dir); err == nil {
		cfg, root = p.Config, p.Dir
		p.Close()
	} else {
		var nf *portfolio.NotFoundError
		if !errors.As(err, &nf) {
			return nil, err
		}
	}
	return newPacks(e.streams, cfg, root), nil
}

// ---------------------------------------------------------------- add

func packAddCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "add",
		Usage:     "pin a pack from a git repository or a folder in pmfolio.yaml",
		ArgsUsage: "SOURCE[@REF]",
		UsageText: `pmfolio pack add [options] SOURCE[@REF]

SOURCE is a git repository, as an https or ssh URL or a local path, or a
local folder. REF is a tag, a branch or a commit (default: the default
branch); a git repository is read at REF, committed files only, a plain
folder as it is. pmfolio fetches the pack (shallow, without running anything),
checks it, caches it, and pins the commit and the digest of its files in
pmfolio.yaml, so that every later run, offline or in CI, uses exactly
those bytes.

Examples:
   pmfolio pack add https://github.com/acme/pm-pack.git@v1.0.0 --default
   pmfolio pack add git@github.com:acme/pm-pack.git@v1.0.0
   pmfolio pack add https://github.com/pmfolio/pmfolio.git@main --subdir examples/packs/bootcamp
   pmfolio pack add ../my-pack`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "subdir", Usage: "the pack is in `FOLDER` of the repository"},
			&cli.BoolFlag{Name: "default", Usage: "make it the portfolio's pack (pack: in pmfolio.yaml)"},
			noCommitConfigFlag(),
		},
		Action: func(c *cli.Context) error {
			dir, err := e.packArgs(c, "pack add [options] SOURCE[@REF]")
			if err != nil {
				return err
			}
			return packAddRun(e, packAddOptions{Dir: dir, Source: c.Args().First(), Subdir: c.String("subdir"),
				Default: c.Bool("default"), NoCommit: c.Bool("no-commit")})
		},
	}
}

type packAddOptions struct {
	Dir      string
	Source   string
	Subdir   string
	Default  bool
	NoCommit bool
}

func packAddRun(e *env, o packAddOptions) error {
	p, err := openPortfolio(o.Dir)
	if err != nil {
		return err
	}
	defer p.Close()
	src, ref, err := pack.ParseSource(o.Source, o.Dir)
	if err != nil {
		return withHint(err, "a source is an https or ssh git URL, or a local path, optionally followed by @TAG, @BRANCH or @COMMIT")
	}
	if o.Subdir != "" {
		if err := pack.ValidPackPath(o.Subdir); err != nil {
			return withHint(usagef("--subdir %q %v", o.Subdir, err), "give a folder of the repository, e.g. --subdir packs/acme")
		}
	}
	ps := newPacks(e.streams, p.Config, p.Dir)
	f, pk, err := ps.fetchPack(src, o.Subdir, ref)
	if err != nil {
		return err
	}
	if pk.Name == pack.DefaultName {
		return withHint(usagef("pack %q from %s has the name of the built-in pack", pk.Name, src), "rename it in its %s", pack.ManifestFile)
	}
	if _, ok := ps.pin(pk.Name); ok {
		return withHint(usagef("pack %q is already pinned; nothing was changed", pk.Name), "move its pin with 'pmfolio pack update %s --ref REF'", pk.Name)
	}
	pin, err := ps.store(src, o.Subdir, ref, f, pk)
	if err != nil {
		return err
	}
	cfg := *p.Config
	cfg.Packs = maps.Clone(cfg.Packs)
	if cfg.Packs == nil {
		cfg.Packs = map[string]*portfolio.PackPin{}
	}
	cfg.Packs[pk.Name] = pin
	if o.Default {
		cfg.Pack = pk.Name
	}
	msg := fmt.Sprintf("pack: add %s %s%s\n", pk.Name, pk.Version, pinSuffix(pin))
	if err := saveConfig(p, &cfg, msg, o.NoCommit); err != nil {
		return err
	}
	fmt.Fprintf(e.streams.Out, "added pack %q %s from %s%s\n", pk.Name, pk.Version, pin.Source, pinSuffix(pin))
	if !o.Default && cfg.Pack != pk.Name {
		fmt.Fprintf(e.streams.Err, "pmfolio: use it with 'pmfolio new --pack %s KIND', or make it the portfolio's pack with 'pmfolio pack use %s'\n", pk.Name, pk.Name)
	}
	return nil
}

// fetchPack fetches and loads a pack, so that nothing is pinned or
// cached that would not load.
func (ps *packs) fetchPack(src pack.Source, subdir, ref string) (*fetched, *pack.Pack, error) {
	f, err := ps.fetch(src, subdir, ref, "")
	if errors.Is(err, gitfetch.ErrRefNotFound) {
		return nil, nil, withHint(err, "'git ls-remote --tags --heads %s' lists the tags and branches", src)
	}
	if err != nil {
		return nil, nil, err
	}
	desc := src.String()
	if ref != "" {
		desc += "@" + ref
	}
	pk, err := pack.LoadWith(pack.MemFS(f.files), desc, ps.reg)
	if err != nil {
		return nil, nil, withHint(err, "check the pack with 'pmfolio pack lint' in a copy of it")
	}
	return f, pk, nil
}

// store caches a fetched pack and returns its pin.
func (ps *packs) store(src pack.Source, subdir, ref string, f *fetched, pk *pack.Pack) (*portfolio.PackPin, error) {
	cache, err := ps.cache()
	if err != nil {
		return nil, err
	}
	digest, err := cache.Put(f.files)
	if err != nil {
		return nil, err
	}
	if ref == "" {
		ref = shortRef(f.ref)
	}
	return &portfolio.PackPin{Source: ps.storedSource(src), Subdir: subdir, Ref: ref, Commit: f.commit, Version: pk.Version, Digest: digest}, nil
}

func pinSuffix(pin *portfolio.PackPin) string {
	switch {
	case pin.Commit != "":
		return fmt.Sprintf(" (%s, commit %.12s)", pin.Ref, pin.Commit)
	default:
		return fmt.Sprintf(" (%.19s)", pin.Digest)
	}
}

// saveConfig writes cfg into pmfolio.yaml, keeping its comments, and
// commits it unless noCommit.
func saveConfig(p *portfolio.Portfolio, cfg *portfolio.Config, msg string, noCommit bool) error {
	var repo *portfolio.Repo
	var who portfolio.Identity
	var err error
	if !noCommit {
		if repo, who, err = commitIdentity(p); err != nil {
			return err
		}
	}
	old, err := p.ReadFile(portfolio.ConfigFile)
	if err != nil {
		return err
	}
	data, err := cfg.Update(old)
	if err != nil {
		return err
	}
	files := []portfolio.File{{Path: portfolio.ConfigFile, Data: data}}
	if err := p.Write(files, map[string]bool{portfolio.ConfigFile: true}); err != nil {
		return err
	}
	if noCommit {
		return nil
	}
	if _, err := repo.Commit(files, msg, who, time.Now()); err != nil {
		return withHint(fmt.Errorf("updated %s but could not commit it: %w", portfolio.ConfigFile, err), "commit it with git")
	}
	return nil
}

// ---------------------------------------------------------------- list

func packListCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "list",
		Usage:     "list the default pack and the packs pmfolio.yaml pins",
		UsageText: "pmfolio pack list\n\nThe portfolio's pack (pack: in pmfolio.yaml) is marked with *.",
		Action: func(c *cli.Context) error {
			if err := maxArgs(c, 0, "pack list"); err != nil {
				return err
			}
			dir, err := e.dir(c)
			if err != nil {
				return err
			}
			return packListRun(e, dir)
		},
	}
}

func packListRun(e *env, dir string) error {
	ps, err := packsAt(e, dir)
	if err != nil {
		return err
	}
	def, err := pack.Default()
	if err != nil {
		return err
	}
	current := pack.DefaultName
	var names []string
	if ps.cfg != nil {
		names = slices.Sorted(maps.Keys(ps.cfg.Packs))
		if ps.cfg.Pack != "" {
			current = ps.cfg.Pack
		}
	}
	mark := func(name string) string {
		if name == current {
			return "*"
		}
		return " "
	}
	tw := tabwriter.NewWriter(e.streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tVERSION\tREF\tCOMMIT\tSOURCE")
	fmt.Fprintf(tw, "%s %s\t%s\t-\t-\tbuilt in\n", mark(pack.DefaultName), pack.DefaultName, def.Version)
	for _, name := range names {
		pin := ps.cfg.Packs[name]
		ref, commit := orDash(pin.Ref), "-"
		if pin.Commit != "" {
			commit = pin.Commit[:12]
		}
		source := pin.Source
		if pin.Subdir != "" {
			source += " (" + pin.Subdir + ")"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n", mark(name), name, pin.Version, ref, commit, source)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ---------------------------------------------------------------- show

func packShowCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "show a pack's kinds and questions",
		ArgsUsage: "[NAME]",
		UsageText: `pmfolio pack show [NAME]

NAME is the default pack or a pinned one (default: the portfolio's pack).

Example:
   pmfolio pack show bootcamp`,
		Action: func(c *cli.Context) error {
			dir, err := e.packArgs(c, "pack show [NAME]")
			if err != nil {
				return err
			}
			return packShowRun(e, dir, c.Args().First())
		},
	}
}

func packShowRun(e *env, dir, name string) error {
	ps, err := packsAt(e, dir)
	if err != nil {
		return err
	}
	pk, err := ps.resolve(name)
	if err != nil {
		return err
	}
	w := e.streams.Out
	fmt.Fprintf(w, "%s %s\n", pk.Name, pk.Version)
	if d := strings.TrimSpace(pk.Description); d != "" {
		fmt.Fprintf(w, "  %s\n", d)
	}
	if pin, ok := ps.pin(pk.Name); ok {
		fmt.Fprintf(w, "  source: %s%s\n", pin.Source, pinSuffix(pin))
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
	return nil
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

// ---------------------------------------------------------------- use

func packUseCommand(e *env) *cli.Command {
	return namedPackCommand(e, "use", "make a pack the portfolio's pack (pack: in pmfolio.yaml)", `pmfolio pack use [--no-commit] NAME

NAME is default or a pinned pack; 'pmfolio new' uses it unless --pack says
otherwise.

Example:
   pmfolio pack use default`, packUseRun)
}

func packUseRun(e *env, dir, name string, noCommit bool) error {
	p, ps, err := openPacks(e, dir)
	if err != nil {
		return err
	}
	defer p.Close()
	pk, err := ps.resolve(name)
	if err != nil {
		return err
	}
	cfg := *p.Config
	cfg.Pack = name
	if name == pack.DefaultName {
		cfg.Pack = ""
	}
	if cfg.Pack == p.Config.Pack {
		fmt.Fprintf(e.streams.Out, "the portfolio already uses pack %q\n", name)
		return nil
	}
	if err := saveConfig(p, &cfg, fmt.Sprintf("pack: use %s %s\n", pk.Name, pk.Version), noCommit); err != nil {
		return err
	}
	fmt.Fprintf(e.streams.Out, "the portfolio uses pack %q %s\n", pk.Name, pk.Version)
	return nil
}

// ---------------------------------------------------------------- remove

func packRemoveCommand(e *env) *cli.Command {
	return namedPackCommand(e, "remove", "unpin a pack from pmfolio.yaml", `pmfolio pack remove [--no-commit] NAME

Documents already written with the pack stay as they are. The cached copy
stays in the cache, which other portfolios may share.`, packRemoveRun)
}

// namedPackCommand is a subcommand that takes a pack's NAME and changes
// pmfolio.yaml: use and remove.
func namedPackCommand(e *env, name, usage, text string, run func(e *env, dir, name string, noCommit bool) error) *cli.Command {
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "NAME",
		UsageText: text,
		Flags:     []cli.Flag{noCommitConfigFlag()},
		Action: func(c *cli.Context) error {
			dir, err := e.packArgs(c, "pack "+name+" NAME")
			if err != nil {
				return err
			}
			return run(e, dir, c.Args().First(), c.Bool("no-commit"))
		},
	}
}

func packRemoveRun(e *env, dir, name string, noCommit bool) error {
	p, ps, err := openPacks(e, dir)
	if err != nil {
		return err
	}
	defer p.Close()
	if _, ok := ps.pin(name); !ok {
		return withHint(usagef("%s pins no pack %q; nothing was changed", portfolio.ConfigFile, name), "'pmfolio pack list' shows the pinned packs")
	}
	if p.Config.Pack == name {
		return withHint(usagef("pack %q is the portfolio's pack (pack: in %s); nothing was changed", name, portfolio.ConfigFile),
			"choose another first: pmfolio pack use default")
	}
	for other := range p.Config.Packs {
		if other == name {
			continue
		}
		if pk, err := ps.reg.Get(other); err == nil && pk.Base != nil && pk.Base.Name == name {
			return withHint(usagef("pack %q extends %q; nothing was changed", other, name), "remove %q first", other)
		}
	}
	cfg := *p.Config
	cfg.Packs = maps.Clone(cfg.Packs)
	delete(cfg.Packs, name)
	if err := saveConfig(p, &cfg, fmt.Sprintf("pack: remove %s\n", name), noCommit); err != nil {
		return err
	}
	fmt.Fprintf(e.streams.Out, "removed pack %q\n", name)
	return nil
}

// ---------------------------------------------------------------- update

func packUpdateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "update",
		Usage:     "move a pack's pin to a newer release, or to --ref",
		ArgsUsage: "NAME",
		UsageText: `pmfolio pack update [--ref REF] [--no-commit] NAME

Without --ref: a pack pinned to a release tag (v1.2.0) moves to the newest
release of the same major version; a pack pinned to a branch moves to the
branch's newest commit; a folder is read again. --ref REF moves the pin to
that tag, branch or commit, across major versions too.

Examples:
   pmfolio pack update bootcamp
   pmfolio pack update bootcamp --ref v2.0.0`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ref", Usage: "pin `REF` (a tag, branch or commit)"},
			noCommitConfigFlag(),
		},
		Action: func(c *cli.Context) error {
			dir, err := e.packArgs(c, "pack update [--ref REF] NAME")
			if err != nil {
				return err
			}
			return packUpdateRun(e, packUpdateOptions{Dir: dir, Name: c.Args().First(), Ref: c.String("ref"), NoCommit: c.Bool("no-commit")})
		},
	}
}

type packUpdateOptions struct {
	Dir      string
	Name     string
	Ref      string
	NoCommit bool
}

func packUpdateRun(e *env, o packUpdateOptions) error {
	p, ps, err := openPacks(e, o.Dir)
	if err != nil {
		return err
	}
	defer p.Close()
	old, ok := ps.pin(o.Name)
	if !ok {
		return withHint(usagef("%s pins no pack %q", portfolio.ConfigFile, o.Name), "pin it with 'pmfolio pack add SOURCE[@REF]'")
	}
	src, err := pack.ParseLocation(old.Source, p.Dir)
	if err != nil {
		return err
	}
	ref := o.Ref
	if ref != "" {
		if err := pack.CheckRef(ref); err != nil {
			return usagef("--ref: %v", err)
		}
	} else if ref, err = nextRef(src, old); err != nil {
		return err
	}
	f, pk, err := ps.fetchPack(src, old.Subdir, ref)
	if err != nil {
		return err
	}
	if pk.Name != o.Name {
		return withHint(usagef("%s now holds pack %q, not %q; nothing was changed", src, pk.Name, o.Name), "pin it under its new name with 'pmfolio pack add'")
	}
	pin, err := ps.store(src, old.Subdir, ref, f, pk)
	if err != nil {
		return err
	}
	pin.Source = old.Source
	if pin.Digest == old.Digest && pin.Commit == old.Commit && pin.Ref == old.Ref {
		fmt.Fprintf(e.streams.Out, "pack %q is up to date: %s%s\n", o.Name, pin.Version, pinSuffix(pin))
		return nil
	}
	cfg := *p.Config
	cfg.Packs = maps.Clone(cfg.Packs)
	cfg.Packs[o.Name] = pin
	msg := fmt.Sprintf("pack: update %s %s -> %s%s\n", o.Name, old.Version, pin.Version, pinSuffix(pin))
	if err := saveConfig(p, &cfg, msg, o.NoCommit); err != nil {
		return err
	}
	fmt.Fprintf(e.streams.Out, "updated pack %q %s -> %s%s\n", o.Name, old.Version, pin.Version, pinSuffix(pin))
	return nil
}

// nextRef is the ref update moves a pin to without --ref: the newest
// release tag of the pinned major version, else the pinned ref itself (a
// branch, whose tip may have moved).
func nextRef(src pack.Source, pin *portfolio.PackPin) (string, error) {
	cur, err := semver.NewVersion(pin.Ref)
	if err != nil || pin.Commit == "" {
		if pin.Commit != "" && pin.Ref == "" {
			return "", withHint(usagef("pack is pinned to a commit, not a tag or branch"), "give the new one with --ref")
		}
		return pin.Ref, nil
	}
	repo, err := repository(src, pin.Subdir)
	if err != nil {
		return "", err
	}
	if repo == nil {
		return pin.Ref, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	refs, _, err := repo.Refs(ctx)
	if err != nil {
		return "", err
	}
	best, bestRef := cur, pin.Ref
	for _, tag := range gitfetch.Tags(refs) {
		v, err := semver.NewVersion(tag)
		if err != nil || v.Prerelease() != "" || v.Major() != cur.Major() || !v.GreaterThan(best) {
			continue
		}
		best, bestRef = v, tag
	}
	return bestRef, nil
}
