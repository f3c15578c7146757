package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// gitGuard is the line a script that runs git starts with: without the
// git CLI, the script is skipped rather than failed.
const gitGuard = "[!exec:git] skip"

// commandArg says, for the script commands that run another command,
// which of their arguments names it: exec git ..., exits N git ....
var commandArg = map[string]int{"exec": 0, "exits": 1}

// shellGit finds git run inside a shell command line: sh -c 'git ...'.
var shellGit = regexp.MustCompile(`(^|[\s;&|(` + "`" + `])git(\s|$)`)

// runsGit returns the line numbers of script lines that run git without a
// guard of their own ([exec:git] before the command).
func runsGit(script string) []int {
	var lines []int
	for i, line := range strings.Split(script, "\n") {
		words := scriptWords(line)
		guarded := false
		for len(words) > 0 && (words[0] == "!" || words[0] == "?" || strings.HasPrefix(words[0], "[")) {
			guarded = guarded || words[0] == "[exec:git]"
			words = words[1:]
		}
		if len(words) == 0 || guarded {
			continue
		}
		n, ok := commandArg[words[0]]
		if !ok || len(words) <= n+1 {
			continue
		}
		prog, args := filepath.Base(words[n+1]), words[n+2:]
		if prog == "git" || (prog == "sh" || prog == "bash") && len(args) > 0 && shellGit.MatchString(strings.Join(args, " ")) {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// scriptWords splits a script line into words as testscript does: on
// spaces, with 'single quotes' around a word that holds them, and # to
// the end of the line a comment.
func scriptWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quoted && c == '\'' && i+1 < len(line) && line[i+1] == '\'':
			cur.WriteByte('\'')
			i++
		case c == '\'':
			quoted, inWord = !quoted, true
		case quoted:
			cur.WriteByte(c)
		case c == '#' && !inWord:
			i = len(line)
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// startsWithGuard reports whether the first command of script is the git
// guard (comments and blank lines may come before it).
func startsWithGuard(script string) bool {
	for _, line := range strings.Split(script, "\n") {
		words := scriptWords(line)
		if len(words) == 0 {
			continue
		}
		return len(words) >= 2 && words[0] == "[!exec:git]" && words[1] == "skip"
	}
	return false
}

// TestScriptsGuardGit: every script that runs git (exec git, exits N git,
// git in a shell command) starts with [!exec:git] skip, so that a machine
// without git skips it instead of failing it.
func TestScriptsGuardGit(t *testing.T) {
	files, err := filepath.Glob("testdata/script/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		script := string(a.Comment)
		if lines := runsGit(script); len(lines) > 0 && !startsWithGuard(script) {
			t.Errorf("%s:%d runs git, but the script does not start with %s", f, lines[0], gitGuard)
		}
	}
}

// TestRunsGit holds the scanner to scripts whose answer is known.
func TestRunsGit(t *testing.T) {
	for script, want := range map[string]int{
		"exec git status":                          1,
		"! exec git fsck":                          1,
		"exits 0 git log":                          1,
		"exec /usr/bin/git log":                    1,
		"exec sh -c 'cd port && git add x'":        1,
		"exec sh -c 'printf ''git'' > f'":          0,
		"exec pmfolio init\nexec git log\nexec ls": 2,
		"[exec:git] exec git log":                  0,
		"[!windows] exec git log":                  1,
		"exec pmfolio new # then git":              0,
		"# exec git log":                           0,
		"exec gitk":                                0,
		"cmp git.txt want":                         0,
		"exists port/.git":                         0,
	} {
		got := runsGit(script)
		if (want == 0) != (len(got) == 0) || want > 0 && got[0] != want {
			t.Errorf("%q: runs git at %v, want line %d", script, got, want)
		}
	}
	for script, want := range map[string]bool{
		"[!exec:git] skip\nexec git log":                 true,
		"# about\n\n[!exec:git] skip 'no git'\nexec git": true,
		"exec git log\n[!exec:git] skip":                 false,
		"[!exec:gitk] skip":                              false,
		"":                                               false,
	} {
		if got := startsWithGuard(script); got != want {
			t.Errorf("%q: guarded %v, want %v", script, got, want)
		}
	}
}
