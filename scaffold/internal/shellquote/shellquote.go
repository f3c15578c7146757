// Package shellquote writes a word for a POSIX shell, as pmfolio shows a
// command for the user to run (init's next steps, status's advice).
package shellquote

import "strings"

// Quote quotes s for a POSIX shell when it holds anything but letters,
// digits and the few punctuation marks shells leave alone.
func Quote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("_./@%+=:,-", r)) {
			safe = false
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
