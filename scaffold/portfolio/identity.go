package portfolio

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// Identity is who signs a commit.
type Identity struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Complete reports whether both the name and the email are known.
func (id Identity) Complete() bool { return id.Name != "" && id.Email != "" }

// ErrNoIdentity says neither pmfolio.yaml nor git configuration names an author.
var ErrNoIdentity = errors.New("no commit author: set author in pmfolio.yaml or git's user.name and user.email")

// gitSettings are the few git settings pmfolio reads, from the files git
// reads them from, later files winning: the system's and the user's (as
// env names them, see environ.Env.GitConfigFiles), then the repository's.
// go-git's own loader reads the process environment; pmfolio reads only
// the one it is given.
type gitSettings struct {
	user, author, committer Identity
	defaultBranch           string
	// gcAuto is gc.auto as written, "" when unset.
	gcAuto string
	// autocrlf is core.autocrlf, "true", "input" or "" (false);
	// attributesFile core.attributesFile.
	autocrlf, attributesFile string
}

func loadGitSettings(env *environ.Env, r *Repo) (*gitSettings, error) {
	s := &gitSettings{}
	for _, f := range env.GitConfigFiles() {
		data, err := os.ReadFile(f)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read git configuration %s: %w", f, err)
		}
		c, err := gitconfig.ReadConfig(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("read git configuration %s: %w", f, err)
		}
		s.merge(c)
	}
	if r != nil {
		c, err := r.repo.Config()
		if err != nil {
			return nil, fmt.Errorf("read git configuration: %w", err)
		}
		s.merge(c)
	}
	return s, nil
}

func (s *gitSettings) merge(c *gitconfig.Config) {
	over := func(dst *Identity, name, email string) {
		if name != "" {
			dst.Name = name
		}
		if email != "" {
			dst.Email = email
		}
	}
	over(&s.user, c.User.Name, c.User.Email)
	over(&s.author, c.Author.Name, c.Author.Email)
	over(&s.committer, c.Committer.Name, c.Committer.Email)
	if c.Init.DefaultBranch != "" {
		s.defaultBranch = c.Init.DefaultBranch
	}
	if c.Raw != nil && c.Raw.HasSection("gc") && c.Raw.Section("gc").HasOption("auto") {
		s.gcAuto = c.Raw.Section("gc").Option("auto")
	}
	core := c.Raw.Section("core")
	if core.HasOption("autocrlf") {
		s.autocrlf = autocrlf(core.Option("autocrlf"))
	}
	if f := core.Option("attributesfile"); f != "" {
		s.attributesFile = f
	}
}

// autocrlf reads core.autocrlf as git does: input, or a boolean.
func autocrlf(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "input":
		return "input"
	case "true", "yes", "on", "1", "":
		// A bare "autocrlf" key is true, as for every git boolean.
		return "true"
	}
	return ""
}

// fill completes id's empty fields from the candidates, in order.
func fill(id Identity, from ...Identity) Identity {
	for _, c := range from {
		if id.Name == "" {
			id.Name = c.Name
		}
		if id.Email == "" {
			id.Email = c.Email
		}
	}
	return id
}

// GitIdentity is the author git would sign a commit with in r (nil before
// the repository exists): GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, then
// author.name and author.email, then user.name and user.email, then EMAIL,
// as git looks for them. Either field may be empty.
func GitIdentity(r *Repo, env *environ.Env) (Identity, error) {
	s, err := loadGitSettings(env, r)
	if err != nil {
		return Identity{}, err
	}
	id := Identity{Name: env.Get("GIT_AUTHOR_NAME"), Email: env.Get("GIT_AUTHOR_EMAIL")}
	return fill(id, s.author, s.user, Identity{Email: env.Get("EMAIL")}), nil
}

// ResolveIdentity finds the commit author: pmfolio.yaml's author, else
// git's (see GitIdentity). r may be nil before the repository exists.
func ResolveIdentity(cfg *Config, r *Repo, env *environ.Env) (Identity, error) {
	if cfg != nil && cfg.Author != nil {
		return Identity{cfg.Author.Name, cfg.Author.Email}, nil
	}
	id, err := GitIdentity(r, env)
	if err != nil {
		return Identity{}, err
	}
	if !id.Complete() {
		return Identity{}, ErrNoIdentity
	}
	return id, nil
}

// ResolveCommitter is who records a commit author writes: git's
// GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL, then committer.name and
// committer.email, else the author, who usually is the same person.
func ResolveCommitter(author Identity, r *Repo, env *environ.Env) (Identity, error) {
	s, err := loadGitSettings(env, r)
	if err != nil {
		return Identity{}, err
	}
	id := Identity{Name: env.Get("GIT_COMMITTER_NAME"), Email: env.Get("GIT_COMMITTER_EMAIL")}
	return fill(id, s.committer, author), nil
}

// DefaultBranch is the branch a new repository starts on: git's
// init.defaultBranch when set, else main.
func DefaultBranch(env *environ.Env) string {
	if s, err := loadGitSettings(env, nil); err == nil && s.defaultBranch != "" {
		return s.defaultBranch
	}
	return "main"
}
