package pack

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseSource(t *testing.T) {
	base := t.TempDir()
	os.Mkdir(filepath.Join(base, "odd@name"), 0o755)
	cases := []struct {
		arg, url, path, ref, err string
	}{
		{arg: "https://github.com/acme/pack.git@v1.0.0", url: "https://github.com/acme/pack.git", ref: "v1.0.0"},
		{arg: "https://github.com/acme/pack.git", url: "https://github.com/acme/pack.git"},
		{arg: "https://github.com/acme/pack.git@feature/x", url: "https://github.com/acme/pack.git", ref: "feature/x"},
		{arg: "ssh://git@github.com/acme/pack.git@main", url: "ssh://git@github.com/acme/pack.git", ref: "main"},
		{arg: "git@github.com:acme/pack.git", url: "git@github.com:acme/pack.git"},
		{arg: "git@github.com:acme/pack.git@v2", url: "git@github.com:acme/pack.git", ref: "v2"},
		{arg: "packs/mine@v1", path: filepath.Join(base, "packs/mine"), ref: "v1"},
		{arg: "odd@name", path: filepath.Join(base, "odd@name")},
		{arg: "file:///srv/pack.git@v1", path: "/srv/pack.git", ref: "v1"},
		{arg: "ext::sh -c id", err: "remote helpers"},
		{arg: "-uhelp", err: "starts with -"},
		{arg: "http://example.com/p.git", err: `scheme "http"`},
		{arg: "ssh://-oProxyCommand=id/p", err: "host starting with -"},
		{arg: "https://u:p@example.com/p.git", err: "password"},
		{arg: "https://example.com/p.git@-x", err: "ref starts with -"},
		{arg: "https://example.com/p.git@a..b", err: "not a valid git ref"},
		{arg: "file://evil.example.com/p.git", err: "not a local file URL"},
	}
	for _, c := range cases {
		src, ref, err := ParseSource(c.arg, base)
		if c.err != "" {
			var se *SourceError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: got %v, want a refusal: %s", c.arg, err, c.err)
			}
			continue
		}
		if err != nil || src.URL != c.url || src.Path != c.path || ref != c.ref {
			t.Errorf("%q: got %+v %q %v, want %q %q %q", c.arg, src, ref, err, c.url, c.path, c.ref)
		}
	}
}
