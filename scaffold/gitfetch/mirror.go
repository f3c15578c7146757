package gitfetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// Mirrors are the bare copies of students' repositories that pmfolio
// grade keeps in its cache: cloned once, fetched on each later run, read
// without a work tree. As for packs, no git program runs and nothing a
// repository holds is executed.

// Auth is how a remote repository is reached when it is not public.
type Auth struct {
	// Token is sent as the password of HTTPS basic authentication, as
	// GitHub, GitLab and Gitea accept a personal or app token; Username
	// goes with it ("x-access-token" when empty). It is never sent over
	// plain http.
	Token, Username string
	// AgentSocket is the ssh-agent's socket (SSH_AUTH_SOCK), which signs
	// for ssh URLs; KnownHosts are the files of known host keys.
	AgentSocket string
	KnownHosts  []string
}

// MirrorOptions control Mirror.
type MirrorOptions struct {
	Auth Auth
	// AllowHTTP accepts plain http:// URLs. Only tests set it.
	AllowHTTP bool
	// CABundle adds PEM certificates to those trusted over https: a
	// school's own git server behind a private certificate authority, or
	// a test's server.
	CABundle []byte
}

// Errors of Mirror, for the grader to say what is wrong with a student's
// repository.
var (
	// ErrNotFound: no repository at that URL (or one the credentials do
	// not show: hosts answer "not found" for private repositories).
	ErrNotFound = errors.New("no repository there")
	// ErrEmpty: the repository has no commits.
	ErrEmpty = errors.New("the repository is empty")
	// ErrAuth: the repository asks for credentials, or refused them.
	ErrAuth = errors.New("the repository is private and the credentials were missing or refused")
)

// CheckURL accepts what pmfolio fetches from: https and ssh URLs and the
// scp-like user@host:path, http only when o allows it.
func CheckURL(url string, allowHTTP bool) error {
	_, err := NewRemote(url, Options{AllowHTTP: allowHTTP})
	return err
}

// Mirror brings the bare mirror of url in dir up to date: the first time
// it is made in a temporary folder beside dir and renamed into place, so
// that an interrupted clone leaves nothing; later, its branches are
// fetched (forced, as the remote's are what is graded) and HEAD follows
// the remote's default branch. An empty repository is mirrored all the
// same, and then reported as ErrEmpty: when its first commit comes, the
// mirror knows it has been watching.
func Mirror(ctx context.Context, url, dir string, o MirrorOptions) (*Repo, error) {
	if err := CheckURL(url, o.AllowHTTP); err != nil {
		return nil, err
	}
	auth, done, err := o.Auth.method(url)
	if err != nil {
		return nil, err
	}
	defer done()
	target := dir
	fresh := false
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return nil, err
		}
		if target, err = os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-"); err != nil {
			return nil, err
		}
		fresh = true
		defer os.RemoveAll(target) // a no-op once renamed
	}
	var repo *git.Repository
	if fresh {
		if repo, err = git.PlainInit(target, true); err == nil {
			_, err = repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{url}, Fetch: []config.RefSpec{mirrorSpec}})
		}
	} else {
		repo, err = git.PlainOpen(target)
	}
	if err != nil {
		return nil, fmt.Errorf("mirror %s: %w", dir, err)
	}
	empty, err := update(ctx, repo, url, auth, o.CABundle)
	if err != nil {
		return nil, err
	}
	if fresh {
		if err := os.Rename(target, dir); err != nil {
			return nil, err
		}
	}
	r, err := OpenRepo(dir)
	if err != nil {
		return nil, err
	}
	if empty {
		return r, ErrEmpty
	}
	return r, nil
}

// mirrorSpec maps the remote's branches onto the mirror's own.
const mirrorSpec = config.RefSpec("+refs/heads/*:refs/heads/*")

// update lists the remote (which says whether it exists, answers, lets us
// in and has commits), fetches its branches and points HEAD where the
// remote's points.
func update(ctx context.Context, repo *git.Repository, url string, auth transport.AuthMethod, ca []byte) (empty bool, err error) {
	rem, err := repo.Remote("origin")
	if err != nil {
		return false, err
	}
	refs, err := rem.ListContext(ctx, &git.ListOptions{Auth: auth, CABundle: ca})
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return true, nil
	}
	if err != nil {
		return false, classify(ctx, url, err)
	}
	head := ""
	branches := 0
	for _, ref := range refs {
		switch {
		case ref.Name() == plumbing.HEAD && ref.Type() == plumbing.SymbolicReference:
			head = ref.Target().String()
		case ref.Name().IsBranch():
			branches++
		}
	}
	if branches == 0 {
		return true, nil
	}
	err = rem.FetchContext(ctx, &git.FetchOptions{RefSpecs: []config.RefSpec{mirrorSpec}, Auth: auth, CABundle: ca, Tags: git.NoTags, Force: true, Prune: true})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return false, classify(ctx, url, err)
	}
	if head != "" {
		if err := repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.ReferenceName(head))); err != nil {
			return false, err
		}
	}
	return false, nil
}

// classify turns a transport error into one the grader reports.
func classify(ctx context.Context, url string, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("fetch %s: %w", url, ctx.Err())
	case errors.Is(err, transport.ErrRepositoryNotFound):
		return fmt.Errorf("%s: %w", url, ErrNotFound)
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed):
		return fmt.Errorf("%s: %w", url, ErrAuth)
	}
	return fmt.Errorf("fetch %s: %w: %w", url, ErrUnreachable, err)
}

// method is the transport authentication for url: a token over https,
// the agent over ssh, nothing otherwise. done closes the connection to
// the agent, which signs for as long as the fetch runs.
func (a Auth) method(url string) (_ transport.AuthMethod, done func(), _ error) {
	none := func() {}
	switch {
	case strings.HasPrefix(url, "https://"):
		if a.Token == "" {
			return nil, none, nil
		}
		user := a.Username
		if user == "" {
			user = "x-access-token"
		}
		return &githttp.BasicAuth{Username: user, Password: a.Token}, none, nil
	case strings.HasPrefix(url, "http://"):
		return nil, none, nil
	}
	// ssh://user@host/path or user@host:path.
	if a.AgentSocket == "" {
		return nil, none, nil
	}
	conn, err := net.Dial("unix", a.AgentSocket)
	if err != nil {
		return nil, none, fmt.Errorf("ssh-agent (SSH_AUTH_SOCK=%s): %w", a.AgentSocket, err)
	}
	pk := &gitssh.PublicKeysCallback{User: sshUser(url), Callback: agent.NewClient(conn).Signers}
	if len(a.KnownHosts) > 0 {
		var files []string
		for _, f := range a.KnownHosts {
			if _, err := os.Stat(f); err == nil {
				files = append(files, f)
			}
		}
		if len(files) > 0 {
			cb, err := gitssh.NewKnownHostsCallback(files...)
			if err != nil {
				conn.Close()
				return nil, none, fmt.Errorf("known hosts: %w", err)
			}
			pk.HostKeyCallback = cb
		}
	}
	return pk, func() { conn.Close() }, nil
}

// sshUser is the user of an ssh URL, "git" when it names none.
func sshUser(url string) string {
	rest := strings.TrimPrefix(url, "ssh://")
	if at := strings.IndexByte(rest, '@'); at > 0 && !strings.ContainsAny(rest[:at], "/:") {
		return rest[:at]
	}
	return "git"
}
