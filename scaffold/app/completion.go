package app

import (
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/urfave/cli/v2"
)

// Shell completion speaks urfave/cli's protocol: the shell runs
// `pmfolio WORDS... --generate-bash-completion`, where WORDS are the words
// before the one being completed, plus that one when it starts with "-";
// the command WORDS name answers, one candidate a line, and the shell keeps
// those that begin with the word being completed. urfave/cli routes the
// request to the command (EnableBashCompletion) and calls its BashComplete,
// never its Action. Each command's BashComplete is a completer below.
// A request reads the portfolio's configuration and the pack cache, never
// writes, never fetches and never prompts; nothing is printed on error.

// completionFlag ends a completion request.
const completionFlag = "--generate-bash-completion"

// argvKey is where runArgs leaves the command line in the app's metadata:
// the completers need its last word as typed (urfave/cli's own completion
// reads os.Args, which in-process tests do not have).
const argvKey = "pmfolio.argv"

// completing reports whether args are a completion request.
func completing(args []string) bool {
	return len(args) > 1 && args[len(args)-1] == completionFlag
}

// inertCompletion reports a completion request after "--": every word
// there is an argument, so there is nothing to complete, and urfave/cli
// would not see a completion request but run the command.
func inertCompletion(args []string) bool {
	return completing(args) && slices.Contains(args[1:], "--")
}

// runArgs are the arguments the app runs: a completion request as it came
// (urfave/cli looks for the flag last), any other command line with its
// flags moved in front of its arguments (see permute).
func runArgs(a *cli.App, args []string) []string {
	a.Metadata = map[string]any{argvKey: args}
	if completing(args) {
		return args
	}
	return permute(a, args)
}

// enableCompletion gives every command its completer.
func enableCompletion(a *cli.App, f *Factory) {
	a.EnableBashCompletion = true
	a.BashComplete = completer{f, ""}.complete
	var walk func(cmds []*cli.Command, prefix string)
	walk = func(cmds []*cli.Command, prefix string) {
		for _, c := range cmds {
			name := strings.TrimPrefix(prefix+" "+c.Name, " ")
			c.BashComplete = completer{f, name}.complete
			walk(c.Subcommands, name)
		}
	}
	walk(a.Commands, "")
}

// completer answers completion requests for the command called name
// ("" for pmfolio itself, "pack use").
type completer struct {
	f    *Factory
	name string
}

func (cp completer) complete(c *cli.Context) {
	for _, s := range cp.candidates(c) {
		fmt.Fprintln(c.App.Writer, s)
	}
}

// candidates are the words that may come next: values when the last word
// is a flag that takes one (--track core, --explain=RULE), flags when it
// begins one, else the command's arguments.
func (cp completer) candidates(c *cli.Context) []string {
	argv, _ := c.App.Metadata[argvKey].([]string)
	last := ""
	if len(argv) > 2 {
		last = argv[len(argv)-2]
	}
	if !strings.HasPrefix(last, "-") {
		return cp.arguments(c)
	}
	name, _, hasValue := strings.Cut(strings.TrimLeft(last, "-"), "=")
	f := findFlag(c.Command.Flags, name)
	takesValue := false
	if d, ok := f.(cli.DocGenerationFlag); ok {
		takesValue = d.TakesValue()
	}
	switch {
	case takesValue && hasValue:
		// The shell completes the word as a whole: --explain=prd/...
		prefix, _, _ := strings.Cut(last, "=")
		var out []string
		for _, v := range cp.values(c, name) {
			out = append(out, prefix+"="+v)
		}
		return out
	case takesValue:
		return cp.values(c, name)
	case f != nil:
		// A whole flag, and the shell asks what comes after it.
		return cp.arguments(c)
	}
	return flagNames(c.Command.Flags, argv[1:len(argv)-2])
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

// flagNames lists flags as typed (-C, --dry-run), leaving out hidden
// ones and those already given that cannot be repeated.
func flagNames(flags []cli.Flag, given []string) []string {
	var out []string
	for _, f := range flags {
		if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		_, repeatable := f.(*cli.StringSliceFlag)
		used := false
		for _, n := range f.Names() {
			for _, g := range given {
				if g == dashed(n) || strings.HasPrefix(g, dashed(n)+"=") {
					used = true
				}
			}
		}
		if used && !repeatable {
			continue
		}
		for _, n := range f.Names() {
			out = append(out, dashed(n))
		}
	}
	return out
}

// arguments are what the command takes as arguments.
func (cp completer) arguments(c *cli.Context) []string {
	first := c.NArg() == 0
	switch cp.name {
	case "help":
		return helpTopics(c.App.Commands, c.Args().Slice())
	case "new":
		if first {
			return cp.kinds(c)
		}
	case "questions":
		if first {
			return append(cp.kinds(c), "init")
		}
	case "check":
		return cp.documents(c)
	case "edit":
		if first {
			return cp.documents(c)
		}
	case "pack show", "pack use":
		if first {
			return cp.packNames(c, true)
		}
	case "pack remove", "pack update", "upgrade":
		if first {
			return cp.packNames(c, false)
		}
	case "completion":
		if first {
			return shells
		}
	}
	if first && (cp.name == "" || hasSubcommands(c.Command)) {
		names := visibleNames(c.Command.Subcommands)
		if cp.name == "" {
			names = append(names, "help")
		}
		return names
	}
	return nil
}

// values are what a flag called name takes.
func (cp completer) values(c *cli.Context, name string) []string {
	switch name {
	case "track":
		return []string{doc.TrackCore, doc.TrackTechnical}
	case "pack":
		return cp.packNames(c, true)
	case "kind":
		return cp.kinds(c)
	case "explain":
		return cp.ruleIDs(c)
	case "format":
		return check.Formats
	case "color":
		return []string{"auto", "always", "never"}
	}
	// Files, folders, dates, free text: the shell's own completion.
	return nil
}

// helpTopics are the commands `help WORDS...` may name next.
func helpTopics(cmds []*cli.Command, words []string) []string {
	if len(words) == 0 {
		return visibleNames(cmds)
	}
	cmd, err := findCommand(cmds, words)
	if err != nil {
		return nil
	}
	return visibleNames(cmd.Subcommands)
}

func visibleNames(cmds []*cli.Command) []string {
	var out []string
	for _, c := range cmds {
		if !c.Hidden {
			out = append(out, c.Name)
		}
	}
	return out
}

// open finds the portfolio around the folder the command would run in;
// nil outside one.
func (cp completer) open(c *cli.Context) (*portfolio.Portfolio, string) {
	dir, err := cp.f.dir(c)
	if err != nil {
		return nil, ""
	}
	p, err := portfolio.Open(dir)
	if err != nil {
		return nil, dir
	}
	return p, dir
}

// packs are the packs a completion may name: the default one, and those
// pmfolio.yaml pins (cfg, nil outside a portfolio), from the cache only:
// completion never fetches, nor fills the cache.
func (cp completer) packs(c *cli.Context) (store *packstore.Store, cfg *portfolio.Config) {
	root := ""
	if p, _ := cp.open(c); p != nil {
		cfg, root = p.Config, p.Dir
		p.Close()
	}
	return packstore.New(c.Context, cp.f.Env, cfg, root).CacheOnly(), cfg
}

// kinds are the kinds of the portfolio's pack and of every pinned pack in
// the cache; outside a portfolio, or when none of those is cached, the
// default pack's.
func (cp completer) kinds(c *cli.Context) []string {
	store, cfg := cp.packs(c)
	var out []string
	add := func(name string) {
		pk, err := store.Resolve(name)
		if err != nil {
			return
		}
		for _, id := range pk.KindOrder {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	add("")
	if cfg != nil {
		for _, name := range slices.Sorted(maps.Keys(cfg.Packs)) {
			add(name)
		}
	}
	if len(out) == 0 {
		// The portfolio's pack is not in the cache: the default one's
		// kinds are still worth offering.
		add(pack.DefaultName)
	}
	return out
}

// packNames are the names pmfolio.yaml pins, after the default pack's
// when withDefault is set.
func (cp completer) packNames(c *cli.Context, withDefault bool) []string {
	var out []string
	if withDefault {
		out = append(out, pack.DefaultName)
	}
	if _, cfg := cp.packs(c); cfg != nil {
		out = append(out, slices.Sorted(maps.Keys(cfg.Packs))...)
	}
	return out
}

// ruleIDs are the ids `check --explain` knows: pmfolio's rules and those
// of the portfolio's pack (outside a portfolio, the default pack).
func (cp completer) ruleIDs(c *cli.Context) []string {
	store, _ := cp.packs(c)
	pk, err := store.Resolve("")
	if err != nil {
		if pk, err = pack.Default(); err != nil {
			return nil
		}
	}
	ck, err := check.New(packcheck.Spec(pk), check.Options{})
	if err != nil {
		return nil
	}
	var out []string
	for _, r := range ck.Rules() {
		out = append(out, r.ID)
	}
	return out
}

// documents are the Markdown documents `check` would read (folders'
// READMEs aside), and their folders, as paths from the folder the command runs in; outside a
// portfolio, nothing (the shell completes file names).
func (cp completer) documents(c *cli.Context) []string {
	p, dir := cp.open(c)
	if p == nil {
		return nil
	}
	defer p.Close()
	var out []string
	seen := map[string]bool{}
	for rel, err := range p.Markdown(".") {
		if err != nil {
			break
		}
		if path.Base(rel) == portfolio.ReadmeFile {
			// A folder's README says what belongs in it: no document.
			continue
		}
		for d := path.Dir(rel); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			out = append(out, portfolio.Display(dir, p.Dir, d)+string(filepath.Separator))
		}
		out = append(out, portfolio.Display(dir, p.Dir, rel))
	}
	return out
}
