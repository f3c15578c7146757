package pack

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// Source is where a pack is fetched from: a remote git repository (https
// or ssh) or a local path (a git repository or a plain folder).
type Source struct {
	// URL is the remote repository, https://..., ssh://... or user@host:path.
	URL string
	// Path is the absolute local path, when the source is local.
	Path string
}

// IsLocal reports a local path source.
func (s Source) IsLocal() bool { return s.URL == "" }

func (s Source) String() string {
	if s.IsLocal() {
		return s.Path
	}
	return s.URL
}

// SourceError says a source is not one pmfolio fetches from.
type SourceError struct {
	Source string
	Rule   string
}

func (e *SourceError) Error() string {
	return fmt.Sprintf("pack source %q refused: %s", e.Source, e.Rule)
}

// ParseSource splits SOURCE[@REF] and checks SOURCE with ParseLocation.
// REF is whatever follows the last @ after the host part, unless the whole
// argument names an existing local path.
func ParseSource(arg, base string) (Source, string, error) {
	loc, ref := arg, ""
	if _, err := os.Stat(localPath(arg, base)); err != nil {
		if i := strings.LastIndexByte(arg, '@'); i > pathStart(arg) {
			loc, ref = arg[:i], arg[i+1:]
			if err := CheckRef(ref); err != nil {
				return Source{}, "", &SourceError{Source: arg, Rule: err.Error()}
			}
		}
	}
	src, err := ParseLocation(loc, base)
	return src, ref, err
}

// ParseLocation checks a source and makes a local path absolute (relative
// paths are relative to base). Only https and ssh URLs and local paths
// are accepted: git's remote helpers (ext::, fd::) run commands, other
// schemes are unauthenticated, and nothing may look like an option.
func ParseLocation(loc, base string) (Source, error) {
	refuse := func(rule string) (Source, error) { return Source{}, &SourceError{Source: loc, Rule: rule} }
	switch {
	case loc == "":
		return refuse("is empty")
	case strings.HasPrefix(loc, "-"):
		return refuse("starts with -, which git would read as an option")
	case strings.ContainsFunc(loc, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' }):
		return refuse("contains control characters")
	}
	if i := strings.Index(loc, "::"); i >= 0 && !strings.ContainsAny(loc[:i], `/\`) {
		return refuse("git remote helpers (" + loc[:i] + "::) run commands; use an https or ssh URL or a local path")
	}
	if scheme, _, ok := strings.Cut(loc, "://"); ok {
		switch strings.ToLower(scheme) {
		case "https", "ssh":
		case "file":
			u, err := url.Parse(loc)
			if err != nil || (u.Host != "" && u.Host != "localhost") {
				return refuse("is not a local file URL")
			}
			return ParseLocation(u.Path, base)
		default:
			return refuse(fmt.Sprintf("scheme %q is not allowed; use https, ssh or a local path", scheme))
		}
		u, err := url.Parse(loc)
		if err != nil {
			return refuse("is not a URL: " + err.Error())
		}
		if err := checkHost(u.Hostname()); err != nil {
			return refuse(err.Error())
		}
		if _, hasPassword := u.User.Password(); hasPassword {
			return refuse("contains a password; pmfolio.yaml is committed, so give credentials to git's credential helper or ssh-agent instead")
		}
		return Source{URL: loc}, nil
	}
	if host, ok := scpHost(loc); ok {
		if err := checkHost(host); err != nil {
			return refuse(err.Error())
		}
		return Source{URL: loc}, nil
	}
	return Source{Path: localPath(loc, base)}, nil
}

func checkHost(host string) error {
	switch {
	case host == "":
		return errors.New("has no host")
	case strings.HasPrefix(host, "-"):
		return errors.New("has a host starting with -, which ssh would read as an option")
	}
	return nil
}

// scpHost recognises git's scp-like syntax, [user@]host:path, and returns
// the host. A colon after a slash is part of a local path, and a single
// letter before the colon is a Windows drive.
func scpHost(loc string) (string, bool) {
	i := strings.IndexByte(loc, ':')
	if i <= 0 || strings.ContainsAny(loc[:i], `/\`) {
		return "", false
	}
	host := loc[:i]
	if j := strings.LastIndexByte(host, '@'); j >= 0 {
		host = host[j+1:]
	}
	if len(loc[:i]) == 1 {
		return "", false
	}
	return host, true
}

// pathStart is where the path part of a source begins, so that the @ of
// user@host is never taken for the one before a REF.
func pathStart(loc string) int {
	if i := strings.Index(loc, "://"); i >= 0 {
		if j := strings.IndexByte(loc[i+3:], '/'); j >= 0 {
			return i + 3 + j
		}
		return len(loc)
	}
	if _, ok := scpHost(loc); ok {
		return strings.IndexByte(loc, ':')
	}
	return 0
}

func localPath(p, base string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	return filepath.Clean(p)
}

// CheckRef checks a tag, branch or commit name given by a user.
func CheckRef(ref string) error {
	switch {
	case ref == "":
		return errors.New("the ref after @ is empty")
	case strings.HasPrefix(ref, "-"):
		return errors.New("the ref starts with -, which git would read as an option")
	case strings.Contains(ref, ".."), strings.Contains(ref, "@{"), strings.HasSuffix(ref, ".lock"), strings.HasSuffix(ref, "/"):
		return fmt.Errorf("%q is not a valid git ref", ref)
	case strings.ContainsFunc(ref, func(r rune) bool { return r <= ' ' || r == 0x7f || strings.ContainsRune(`~^:?*[\`, r) }):
		return fmt.Errorf("%q is not a valid git ref", ref)
	}
	return nil
}
