package app

import (
	"path/filepath"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/internal/shellquote"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"github.com/urfave/cli/v2"
)

// shells are the shells `pmfolio completion` writes a script for.
var shells = []string{"bash", "zsh", "fish"}

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "SHELL",
		UsageText: `pmfolio completion bash|zsh|fish

Prints a script that completes pmfolio's commands, flags, kinds, pack names,
rule ids and document paths in your shell, asking pmfolio itself (read-only)
what fits. Load it from your shell's startup file:
   bash:  source <(pmfolio completion bash)          # in ~/.bashrc
   zsh:   source <(pmfolio completion zsh)           # in ~/.zshrc, after compinit
   fish:  pmfolio completion fish > ~/.config/fish/completions/pmfolio.fish

The script completes the program under the name it was run as.`,
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return withHint(usagef("completion: which shell?"), "usage: pmfolio completion bash|zsh|fish")
			}
			if err := maxArgs(c, 1, "completion bash|zsh|fish"); err != nil {
				return err
			}
			argv, _ := c.App.Metadata[argvKey].([]string)
			prog := ""
			if len(argv) > 0 {
				prog = argv[0]
			}
			script, err := completionScript(c.Args().First(), prog)
			if err != nil {
				return err
			}
			_, err = c.App.Writer.Write([]byte(script))
			return err
		},
	}
}

// completionScript is the script for shell, completing the program run as
// argv0: its base name, or pmfolio.
func completionScript(shell, argv0 string) (string, error) {
	prog := filepath.Base(argv0)
	if argv0 == "" || prog == "." || prog == string(filepath.Separator) || shellquote.Quote(prog) != prog {
		// A name a shell would need quoted is no command name to
		// register completion for.
		prog = "pmfolio"
	}
	var tmpl string
	switch shell {
	case "bash":
		tmpl = bashScript
	case "zsh":
		tmpl = zshScript
	case "fish":
		tmpl = fishScript
	default:
		return "", withHint(&suggestedError{usagef("completion: no script for shell %q", shell), yamlfile.Similar(shell, shells)},
			"usage: pmfolio completion bash|zsh|fish")
	}
	return strings.NewReplacer(
		"@PROG@", prog,
		"@FUNC@", "_"+funcName(prog)+"_complete",
		"@FILE@", "_"+funcName(prog),
		"@FLAG@", completionFlag,
	).Replace(tmpl), nil
}

// funcName makes prog a shell function name: letters, digits and _.
func funcName(prog string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, prog)
}

const bashScript = `# bash completion for @PROG@, written by '@PROG@ completion bash'. Load it
# with: source <(@PROG@ completion bash)
# It asks @PROG@ what fits (commands, flags, kinds, pack names, rule ids,
# document paths); the request reads, never writes or prompts.
@FUNC@() {
    local prog=${COMP_WORDS[0]} i w
    [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
    # bash splits --flag=value at "=": join the pieces again.
    local -a words=()
    for ((i = 1; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == "=" && ${#words[@]} -gt 0 ]]; then
            words[${#words[@]}-1]+="="
            if ((i < COMP_CWORD)); then
                i=$((i + 1))
                words[${#words[@]}-1]+=${COMP_WORDS[i]}
            fi
        else
            words+=("$w")
        fi
    done
    local cur=${words[${#words[@]}-1]}
    # What the shell replaces: the part after a "=".
    local rep=${COMP_WORDS[COMP_CWORD]}
    [[ $rep == "=" ]] && rep=
    local pre=${cur%"$rep"}
    local -a req=("${words[@]:0:${#words[@]}-1}")
    # After "--" every word is an argument: leave it to the shell.
    for w in "${req[@]}"; do
        [[ $w == -- ]] && return 0
    done
    [[ $cur == -* ]] && req+=("$cur")
    local out line
    out=$(command "$prog" "${req[@]}" @FLAG@ 2>/dev/null </dev/null) || return 0
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line && $line == "$cur"* ]] && COMPREPLY+=("${line#"$pre"}")
    done <<<"$out"
    # A folder is completed without a space after it, to go on into it.
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]]; then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}
complete -o bashdefault -o default -F @FUNC@ @PROG@
`

const zshScript = `#compdef @PROG@
# zsh completion for @PROG@, written by '@PROG@ completion zsh'. Load it
# with: source <(@PROG@ completion zsh)   (after compinit), or save it as
# @FILE@ in a folder of $fpath.
# It asks @PROG@ what fits (commands, flags, kinds, pack names, rule ids,
# document paths); the request reads, never writes or prompts.
@FUNC@() {
    local cur=${words[CURRENT]}
    local -a req opts dirs
    req=("${(@)words[2,CURRENT-1]}")
    # After "--" every word is an argument: leave it to the shell.
    if (( ${req[(Ie)--]} )); then
        _files
        return
    fi
    [[ $cur == -* ]] && req+=("$cur")
    opts=("${(@f)$(command ${~words[1]} "${req[@]}" @FLAG@ 2>/dev/null </dev/null)}")
    opts=(${opts:#})
    if (( ${#opts} == 0 )); then
        _files
        return
    fi
    # A folder is completed without a space after it, to go on into it.
    dirs=(${(M)opts:#*/})
    opts=(${opts:#*/})
    (( ${#dirs} )) && compadd -S '' -- "${dirs[@]}"
    (( ${#opts} )) && compadd -- "${opts[@]}"
}
if [[ $funcstack[1] == @FILE@ ]]; then
    @FUNC@ "$@"
else
    compdef @FUNC@ @PROG@
fi
`

const fishScript = `# fish completion for @PROG@, written by '@PROG@ completion fish'. Load it
# with: @PROG@ completion fish | source
# or save it as ~/.config/fish/completions/@PROG@.fish.
# It asks @PROG@ what fits (commands, flags, kinds, pack names, rule ids,
# document paths); the request reads, never writes or prompts.
function @FUNC@
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l prog $words[1]
    set -e words[1]
    # After "--" every word is an argument: leave it to the shell.
    if contains -- -- $words
        __fish_complete_path $cur
        return
    end
    if string match -q -- '-*' $cur
        set -a words $cur
    end
    set -l out (command $prog $words @FLAG@ 2>/dev/null </dev/null)
    if test (count $out) -gt 0
        printf '%s\n' $out
    else
        __fish_complete_path $cur
    end
end
complete -c @PROG@ -f -a '(@FUNC@)'
`
