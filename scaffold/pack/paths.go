package pack

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ValidatePath checks an output path a pack produced before anything is
// written: it must be a relative, slash-separated Markdown path inside the
// portfolio that every operating system accepts and git will not treat
// specially. os.Root enforces containment again at write time, through
// symlinks too; this catches what os.Root allows but we must not.
func ValidatePath(p string) error {
	if p == "" {
		return errors.New("is empty")
	}
	if len(p) > 400 {
		return errors.New("is longer than 400 bytes")
	}
	if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "\\") {
		return errors.New("is absolute; output paths are relative to the portfolio")
	}
	if strings.Contains(p, "\\") {
		return errors.New("contains a backslash; use / between folders")
	}
	if len(p) >= 2 && p[1] == ':' {
		return errors.New("starts with a drive letter")
	}
	if !strings.HasSuffix(p, ".md") {
		return errors.New("does not end in .md")
	}
	for _, el := range strings.Split(p, "/") {
		if err := validElement(el); err != nil {
			return fmt.Errorf("element %q %v", el, err)
		}
	}
	return nil
}

func validElement(el string) error {
	switch el {
	case "":
		return errors.New("is empty (double or trailing slash)")
	case ".", "..":
		return errors.New("leaves the folder; output paths may not use . or ..")
	}
	for _, r := range el {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`<>:"|?*`, r) {
			return fmt.Errorf("contains %q, which some systems forbid in file names", r)
		}
	}
	// Windows drops trailing dots and spaces, and git compares .git
	// case-insensitively on such systems (CVE-2014-9390); NTFS also knows
	// the short name GIT~1.
	trimmed := strings.ToLower(strings.TrimRight(el, ". "))
	if trimmed == ".git" || trimmed == "git~1" || strings.HasPrefix(trimmed, ".git:") {
		return errors.New("is git's own folder")
	}
	if el != strings.TrimRight(el, ". ") {
		return errors.New("ends in a dot or a space")
	}
	if reserved(trimmed) {
		return errors.New("is a name Windows reserves")
	}
	if len(el) > 255 {
		return errors.New("is longer than 255 bytes")
	}
	return nil
}

func reserved(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	switch base {
	case "con", "prn", "aux", "nul", "conin$", "conout$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "com") || strings.HasPrefix(base, "lpt")) {
		c := base[3]
		return c >= '0' && c <= '9'
	}
	return false
}

// MaxSlug bounds a slug; file names stay readable in a terminal.
const MaxSlug = 60

// Slug turns a title into a file-name part: lower case ASCII letters and
// digits separated by single hyphens, accents removed, at most MaxSlug
// characters, cut at a word boundary.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > MaxSlug {
		s = s[:MaxSlug]
		if i := strings.LastIndexByte(s, '-'); i > MaxSlug/2 {
			s = s[:i]
		}
		s = strings.Trim(s, "-")
	}
	if s == "" {
		return "untitled"
	}
	return s
}
