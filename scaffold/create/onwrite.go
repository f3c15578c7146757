package create

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/checkrun"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/session"
	"github.com/pmfolio/pmfolio/scaffold/version"
)

// pmfolio commits through go-git, which runs no git hook: a pre-commit
// hook never sees what new and edit commit. So they check the documents
// they write themselves, before writing anything, through the one
// function both call before applying their change (CheckWrite), and print
// the findings; check.on_write: fail in pmfolio.yaml makes a failing
// document refuse the commit.

// WriteRefusedError says check.on_write: fail refused to commit
// documents with failing findings; nothing was written.
type WriteRefusedError struct {
	// Docs are the documents that fail, as displayed; Failing how many
	// findings fail in them.
	Docs    []string
	Failing int
}

func (e *WriteRefusedError) Error() string {
	has, it := "has", "it"
	if len(e.Docs) > 1 {
		has, it = "have", "them"
	}
	findings := "1 failing finding"
	if e.Failing != 1 {
		findings = fmt.Sprintf("%d failing findings", e.Failing)
	}
	return fmt.Sprintf("%s %s %s, and check.on_write: fail in %s refuses to commit %s; nothing was written",
		strings.Join(e.Docs, ", "), has, findings, portfolio.ConfigFile, it)
}

// CheckWrite is the check new and edit run on what a change writes, before
// it is applied: the change's Markdown documents (not the README index,
// not pmfolio's own files) are checked as `pmfolio check` would check them
// in the portfolio, and their findings printed on the session's log. Under
// check.on_write: fail, a change that commits a document with failing
// findings is refused with a *WriteRefusedError; without a commit
// (--no-commit) the findings are only printed. check.on_write: off checks
// nothing. A check that cannot run is a warning, never a reason to lose
// the person's answers. dir is the folder the command runs in.
func CheckWrite(ctx context.Context, sess *session.Session, p *portfolio.Portfolio, store *packstore.Store, dir string, ch *portfolio.Change) error {
	mode := p.Config.OnWrite()
	if mode == portfolio.OnWriteOff {
		return nil
	}
	var docs []string
	for _, f := range ch.Files {
		if strings.HasSuffix(f.Path, ".md") && !portfolio.IsInternal(f.Path) && f.Path != portfolio.ReadmeFile {
			docs = append(docs, f.Path)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	res, err := checkrun.Written(ctx, sess, p, store, dir, ch.Files, docs)
	if err != nil {
		fmt.Fprintf(sess.Log, "pmfolio: warning: could not check what it writes: %v\n", err)
		return nil
	}
	c := res.Counts
	if c.Errors+c.Warnings+c.Infos == 0 {
		return nil
	}
	var b bytes.Buffer
	if err := check.Write(&b, res.Report, check.Output{Format: "text", Path: res.Path, Version: version.String()}); err != nil {
		return err
	}
	fmt.Fprintf(sess.Log, "pmfolio: check finds in what it writes:\n%s", b.Bytes())
	if mode != portfolio.OnWriteFail || c.Failing == 0 || ch.Commit == nil {
		return nil
	}
	var failing []string
	for _, d := range res.Report.Documents {
		for _, f := range d.Findings {
			if f.Failing {
				failing = append(failing, res.Path(d.Path))
				break
			}
		}
	}
	return hint.Wrap(&WriteRefusedError{Docs: failing, Failing: c.Failing},
		"fix the answers and run it again; or write it without committing (--no-commit), fix it by hand and commit it yourself")
}
