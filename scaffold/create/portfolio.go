package create

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/redact"
	"github.com/pmfolio/pmfolio/scaffold/render"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// PortfolioRequest asks for a new portfolio: pmfolio init.
type PortfolioRequest struct {
	// Base is the folder the command runs in; Target the folder to make a
	// portfolio of, relative to Base ("" is Base).
	Base, Target string
	Answers      Answers
	// NoCommit writes the portfolio without a repository or a commit.
	NoCommit bool
	// Pack, when set, is a course's pack (SOURCE[@REF], relative to Base;
	// PackSubdir its folder in the repository): it is fetched, linted,
	// pinned and made the portfolio's pack, and its init questions, kinds
	// and plan are the portfolio's from the start.
	Pack, PackSubdir string
}

// PortfolioResult is the portfolio Portfolio made.
type PortfolioResult struct {
	// Path is the portfolio's folder relative to the request's Base; Dir
	// is the same folder, absolute.
	Path, Dir string
	// Pack is the pack whose kinds the portfolio was made with; Pinned its
	// pin, for a request's Pack.
	Pack   *pack.Pack
	Pinned *packstore.Pinned
	// Config is what pmfolio.yaml holds.
	Config *portfolio.Config
}

// EmailQuestion asks for the email address that signs commits. init asks
// it right after the name when no git configuration gives one, so that the
// identity is settled before the interview, and records both in
// pmfolio.yaml: every later commit of the portfolio is signed with them,
// on any machine. It is built on first use: nothing is, before main runs.
var EmailQuestion = sync.OnceValue(func() interview.Question {
	return mustQuestion(interview.Question{
		Name:   "email",
		Prompt: "Which email address should sign the commits of your portfolio?",
		Help: "pmfolio keeps your portfolio in git, and git records an author for every change. " +
			"It goes into pmfolio.yaml with your name; use the address you give employers, or a no-reply one.\n" +
			"Good: \"jordan.reyes@example.com\".",
		Type:           interview.Input,
		Pattern:        `^[^@\s]+@[^@\s]+$`,
		PatternMessage: "an email address, e.g. jordan.reyes@example.com",
	})
})

func mustQuestion(q interview.Question) interview.Question {
	if err := q.Validate(false); err != nil {
		panic(err)
	}
	return q
}

// InitQuestions are the questions init asks: the default pack's, with
// the email question after the name.
func InitQuestions(pk *pack.Pack) ([]interview.Question, error) {
	if pk.Init == nil {
		return nil, fmt.Errorf("pack %q declares no init questions", pk.Name)
	}
	qs := slices.Clone(pk.Init.Questions)
	at := slices.IndexFunc(qs, func(q interview.Question) bool { return q.Name == "name" }) + 1
	return slices.Insert(qs, at, EmailQuestion()), nil
}

// Portfolio makes target a portfolio: it interviews the person (name,
// email when git has none, role, track, start date), then, under the lock
// and in one transaction, writes pmfolio.yaml, a folder per kind and the
// README index, in a new git repository (or the enclosing one) and
// commits them.
func Portfolio(ctx context.Context, sess *session.Session, req PortfolioRequest) (*PortfolioResult, error) {
	pack.Preload()
	r := &initRun{ctx: ctx, sess: sess, req: req}
	if err := r.prepare(); err != nil {
		return nil, err
	}
	if err := r.interview(); err != nil {
		return nil, err
	}
	if err := r.write(); err != nil {
		return nil, err
	}
	return &PortfolioResult{Path: r.shown, Dir: r.target, Pack: r.pk, Pinned: r.pinned, Config: r.cfg}, nil
}

// initRun is one run of Portfolio.
type initRun struct {
	ctx         context.Context
	sess        *session.Session
	req         PortfolioRequest
	target      string
	shown       string
	pk          *pack.Pack
	pinned      *packstore.Pinned
	questions   []interview.Question
	given       *interview.Given
	repo        *portfolio.Repo
	cfg         *portfolio.Config
	who         portfolio.Identity
	askingEmail bool
}

// prepare checks everything that can fail before the first question.
func (r *initRun) prepare() (err error) {
	r.target = r.req.Base
	if r.req.Target != "" {
		r.target = r.req.Target
		if !filepath.IsAbs(r.target) {
			r.target = filepath.Join(r.req.Base, r.target)
		}
	}
	r.shown = portfolio.Display(r.req.Base, r.target, ".")
	if fi, err := os.Stat(r.target); err == nil && !fi.IsDir() {
		return hint.Wrap(fmt.Errorf("%s is a file, not a folder", r.shown), "pmfolio init DIR creates the folder DIR")
	}
	// A second try of an init a crash interrupted goes on to the lock,
	// which finishes it; any other portfolio here is a mistake.
	if !r.interrupted() {
		if err := noPortfolioAt(r.target, r.shown); err != nil {
			return err
		}
	}
	if r.req.Pack != "" {
		// The course's pack is fetched and checked before anyone answers
		// a question; nothing is written until the transaction.
		if r.pinned, r.pk, err = packstore.ForInit(r.ctx, r.sess.Env, r.req.Base, r.target, r.req.Pack, r.req.PackSubdir, r.sess.Today()); err != nil {
			return err
		}
	} else if r.pk, err = pack.Default(); err != nil {
		return err
	}
	if r.questions, err = InitQuestions(r.pk); err != nil {
		return err
	}
	if r.given, err = r.req.Answers.given(r.req.Base, r.sess.Stdin, nil, nil); err != nil {
		return err
	}
	r.repo, err = portfolio.OpenRepo(existingAncestor(r.target))
	if err != nil && !errors.Is(err, portfolio.ErrNoRepo) {
		return err
	}
	return r.settleEmail()
}

// settleEmail takes the commit email from the answers given, else from
// git; without either, the person is asked, or told before any question
// when nobody can be asked.
func (r *initRun) settleEmail() error {
	if _, ok := r.given.Values[EmailQuestion().Name]; ok {
		return nil
	}
	id, err := portfolio.GitIdentity(r.repo, r.sess.Env)
	if err != nil {
		return err
	}
	if id.Email != "" {
		r.given.Values[EmailQuestion().Name] = id.Email
		r.given.Where[EmailQuestion().Name] = "git config user.email"
		return nil
	}
	if r.req.NoCommit {
		return nil
	}
	if r.req.Answers.prompter(r.sess) == nil {
		return hint.Wrap(errors.New("no commit identity: git has no user.email, and no email answer was given; nothing was written"),
			"give it with --set email=you@example.com (it is recorded in pmfolio.yaml), or set git's:\n"+
				"git config --global user.name \"Your Name\" && git config --global user.email you@example.com\nor use --no-commit")
	}
	r.askingEmail = true
	fmt.Fprintln(r.sess.Log, "pmfolio: git has no commit identity on this machine yet, so after your name pmfolio asks for the email address that signs your portfolio's commits")
	return nil
}

// interrupted reports whether a crash interrupted an init of the target.
func (r *initRun) interrupted() bool {
	st, err := r.sess.State(r.target)
	if err != nil {
		return false
	}
	in, err := st.Interrupted()
	return err == nil && in != nil && in.What == "init"
}

func (r *initRun) interview() error {
	today, err := r.sess.ParseDate("--date", r.req.Answers.Date)
	if err != nil {
		return err
	}
	qs := r.questions
	if r.askingEmail {
		qs = slices.Clone(qs)
		i := slices.IndexFunc(qs, func(q interview.Question) bool { return q.Name == EmailQuestion().Name })
		qs[i].Required = true
	}
	engine := render.New(today, render.DefaultLimits)
	args := "init"
	if r.pinned != nil {
		// Not pinned anywhere yet: the questions command cannot load it.
		args = ""
	}
	answers, err := runInterview("init", args, qs, r.given, interview.Options{
		UseDefaults: r.req.Answers.Defaults,
		Prompter:    r.req.Answers.prompter(r.sess),
		Expand:      expander{engine, pack.Context{Date: today, Pack: pack.PackInfo{Name: r.pk.Name, Version: r.pk.Version}}},
	})
	if err != nil {
		return err
	}
	return r.configure(answers)
}

// configure turns the answers into pmfolio.yaml, author included.
func (r *initRun) configure(answers map[string]any) (err error) {
	cfg := &portfolio.Config{Version: portfolio.ConfigVersion, Track: doc.TrackCore}
	str := func(k string) string { s, _ := answers[k].(string); return strings.TrimSpace(s) }
	cfg.Name, cfg.Role, cfg.Start = str("name"), str("role"), str("start")
	if t := str("track"); t != "" {
		cfg.Track = t
	}
	cfg.Profile = profileOf(str("about"), answers["links"])
	if email := str(EmailQuestion().Name); email != "" && cfg.Name != "" {
		cfg.Author = &portfolio.Author{Name: cfg.Name, Email: email}
	}
	if r.pinned != nil {
		cfg.Pack = r.pk.Name
		cfg.Packs = map[string]*portfolio.PackPin{r.pk.Name: r.pinned.Pin}
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	r.cfg = cfg
	if !r.req.NoCommit {
		if r.who, err = portfolio.ResolveIdentity(cfg, r.repo, r.sess.Env); err != nil {
			return hint.Wrap(err, "%s", session.IdentityHint)
		}
	}
	return nil
}

// write creates the portfolio under the lock, in one transaction.
func (r *initRun) write() error {
	if err := os.MkdirAll(r.target, 0o755); err != nil {
		return err
	}
	// The repository comes first, so that the lock and the journal live in
	// it from the start; it appears whole or not at all (see InitRepo).
	if !r.req.NoCommit && r.repo == nil {
		if _, err := portfolio.InitRepo(r.target, portfolio.DefaultBranch(r.sess.Env)); err != nil {
			return err
		}
	}
	st, err := r.sess.State(r.target)
	if err != nil {
		return err
	}
	tx, err := r.sess.Begin(r.ctx, st)
	if err != nil {
		return err
	}
	defer tx.Close()
	portfolio.RemoveDeadInits(r.target)
	// Checked again under the lock: another init may have won the race,
	// or this is a second try of an init a crash interrupted, which the
	// lock has just finished.
	if _, err := os.Stat(filepath.Join(r.target, portfolio.ConfigFile)); err == nil {
		if rec := tx.Recovered(); rec != nil && rec.Completed && rec.What == "init" {
			return nil
		}
		return hint.Wrap(fmt.Errorf("%s is already a portfolio (it has %s); nothing was changed", r.shown, portfolio.ConfigFile),
			"add documents with 'pmfolio new KIND'")
	}
	return r.apply(tx)
}

func (r *initRun) apply(tx *portfolio.Tx) error {
	p, err := portfolio.New(r.target, r.cfg)
	if err != nil {
		return err
	}
	defer p.Close()
	files := []portfolio.File{{Path: portfolio.ConfigFile, Data: r.cfg.Marshal()}}
	for _, k := range r.pk.OrderedKinds() {
		f := k.Folder()
		if f == "" || p.Exists(path.Join(f, portfolio.ReadmeFile)) {
			continue
		}
		files = append(files, portfolio.File{Path: path.Join(f, portfolio.ReadmeFile), Data: kindReadme(k, r.pk.Plan())})
	}
	ignore, replace, err := gitignore(p)
	if err != nil {
		return err
	}
	if ignore != nil {
		files = append(files, *ignore)
	}
	ch := portfolio.Change{What: "init", Replace: map[string]bool{portfolio.ReadmeFile: true, ".gitignore": replace}}
	var repo *portfolio.Repo
	if !r.req.NoCommit {
		if repo, err = portfolio.OpenRepo(r.target); err != nil {
			return err
		}
		msg := fmt.Sprintf("init: portfolio of %s\n", r.cfg.Name)
		if r.pinned != nil {
			msg = fmt.Sprintf("init: portfolio of %s, pack %s %s%s\n", r.cfg.Name, r.pk.Name, r.pk.Version, packstore.PinSuffix(r.pinned.Pin))
		}
		if ch.Commit, err = r.sess.Commit(repo, r.who, msg); err != nil {
			return err
		}
	}
	readme, err := p.ReadmeUpdate(repo, packstore.KindInfos(r.pk))
	if err != nil {
		return err
	}
	ch.Files = append(files, readme)
	err = tx.Apply(p, ch)
	var ce *portfolio.CommitError
	if errors.As(err, &ce) {
		return hint.Wrap(fmt.Errorf("created the portfolio in %s but could not commit it: %w", r.shown, ce.Err), "commit it with git")
	}
	return err
}

// noPortfolioAt refuses to create a portfolio where there is one, or
// inside one.
func noPortfolioAt(target, shown string) error {
	if _, err := os.Stat(filepath.Join(target, portfolio.ConfigFile)); err == nil {
		return hint.Wrap(fmt.Errorf("%s is already a portfolio (it has %s); nothing was changed", shown, portfolio.ConfigFile),
			"add documents with 'pmfolio new KIND'")
	}
	if enclosing, err := portfolio.FindRoot(existingAncestor(target)); err == nil {
		return hint.Wrap(fmt.Errorf("%s is inside the portfolio at %s; nothing was changed", shown, enclosing),
			"portfolios do not nest; add documents with 'pmfolio -C %s new KIND'", enclosing)
	}
	return nil
}

// existingAncestor is the nearest folder of p that exists, for finding an
// enclosing repository or portfolio before p is created.
func existingAncestor(p string) string {
	for d := p; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return d
		}
	}
}

// kindReadme explains a kind's folder, so that the folder exists in git
// from the start and says what belongs in it.
func kindReadme(k *pack.Kind, plan *pack.Plan) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", k.Name)
	if k.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(k.Description))
	}
	if m, _ := plan.Due(k.ID); m != nil {
		if m.Name == m.Due.Ordinal() {
			fmt.Fprintf(&b, "%s of the %s", strings.ToUpper(m.Name[:1])+m.Name[1:], plan.Name)
		} else {
			fmt.Fprintf(&b, "Due by %s (%s) of the %s", m.Name, m.Due.Ordinal(), plan.Name)
		}
		if n := plan.Target(k.ID); n > 0 {
			fmt.Fprintf(&b, "; the plan asks for %d", n)
		}
		b.WriteString(".\n\n")
	}
	fmt.Fprintf(&b, "Write one with `pmfolio new %s`.\n", k.ID)
	return []byte(b.String())
}

// profileOf is the profile: section of pmfolio.yaml from init's answers;
// nil when the person gave none.
func profileOf(about string, links any) *portfolio.Profile {
	pr := &portfolio.Profile{About: about}
	rows, _ := links.([]map[string]any)
	for _, r := range rows {
		label, _ := r["label"].(string)
		url, _ := r["url"].(string)
		if strings.TrimSpace(label) != "" && strings.TrimSpace(url) != "" {
			pr.Links = append(pr.Links, portfolio.ProfileLink{Label: strings.TrimSpace(label), URL: strings.TrimSpace(url)})
		}
	}
	if pr.About == "" && len(pr.Links) == 0 {
		return nil
	}
	return pr
}

// ignored are the lines init puts in the portfolio's .gitignore: the
// site `pmfolio publish` builds (pmfolio never commits it) and the
// redaction file, which names what must not be published.
var ignored = []struct{ line, why string }{
	{"/" + portfolio.DefaultSiteDir + "/", "the website 'pmfolio publish' builds; pmfolio never commits it"},
	{"/" + redact.File, "the terms 'pmfolio publish' redacts: it names what must stay private"},
}

// gitignore is the portfolio's .gitignore with the ignored lines in it. A
// .gitignore the folder has already keeps its lines; nil when it has them
// all.
func gitignore(p *portfolio.Portfolio) (*portfolio.File, bool, error) {
	old, err := p.ReadFile(".gitignore")
	exists := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	have := map[string]bool{}
	for _, l := range strings.Split(string(old), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var b strings.Builder
	if exists {
		b.WriteString(strings.TrimRight(string(old), "\n") + "\n")
	}
	added := false
	for _, ig := range ignored {
		bare := strings.Trim(ig.line, "/")
		if have[ig.line] || have[bare] || have[bare+"/"] || have["/"+bare] {
			continue
		}
		fmt.Fprintf(&b, "# %s\n%s\n", ig.why, ig.line)
		added = true
	}
	if !added {
		return nil, false, nil
	}
	return &portfolio.File{Path: ".gitignore", Data: []byte(b.String())}, exists, nil
}
