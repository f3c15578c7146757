package app

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/urfave/cli/v2"
)

func questionsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "questions",
		Usage:     "print the questions of a kind (or of init), to write answers files",
		ArgsUsage: "KIND|init",
		UsageText: `pmfolio questions [--json] [--pack NAME] KIND|init

Examples:
   pmfolio questions prd
   pmfolio questions init --json
   pmfolio questions story --json | jq -r '.[] | select(.required) | .name'`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array of questions: name, prompt, type, required, choices, fields, help, track, ..."},
			&cli.StringFlag{Name: "pack", Usage: "the questions of pack `NAME` (default: the portfolio's pack, else the default pack)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return withHint(usagef("questions: %v", errNoKind), "usage: pmfolio questions KIND, e.g. pmfolio questions prd")
			}
			if err := maxArgs(c, 1, "questions [--json] KIND|init"); err != nil {
				return err
			}
			dir, err := e.dir(c)
			if err != nil {
				return err
			}
			return questionsRun(e, questionsOptions{Dir: dir, Kind: c.Args().First(), JSON: c.Bool("json"), Pack: c.String("pack")})
		},
	}
}

type questionsOptions struct {
	Dir  string
	Kind string
	JSON bool
	Pack string
}

func questionsRun(e *env, o questionsOptions) error {
	// Outside a portfolio the default pack answers; inside, the portfolio's.
	var cfg *portfolio.Config
	if p, err := portfolio.Open(o.Dir); err == nil {
		cfg = p.Config
		p.Close()
	}
	pk, err := resolvePack(cfg, o.Pack)
	if err != nil {
		return err
	}
	var qs []interview.Question
	title := ""
	if o.Kind == "init" {
		if pk.Init == nil {
			return fmt.Errorf("pack %q declares no init questions", pk.Name)
		}
		qs, title = pk.Init.Questions, "init: the portfolio"
	} else {
		k, err := pk.Kind(o.Kind)
		if err != nil {
			return withHint(usagef("%w", err), "or 'init' for the questions pmfolio init asks")
		}
		qs, title = k.Questions, k.ID+": "+k.Name
	}
	if o.JSON {
		enc := json.NewEncoder(e.streams.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonQuestions(qs))
	}
	w := e.streams.Out
	fmt.Fprintf(w, "%s (pack %s %s)\n", title, pk.Name, pk.Version)
	for _, q := range qs {
		printQuestion(w, q, "  ")
	}
	return nil
}

// jsonQuestions fills the fields JSON consumers rely on (track, type)
// even when the pack left them to their defaults.
func jsonQuestions(qs []interview.Question) []interview.Question {
	out := make([]interview.Question, len(qs))
	for i, q := range qs {
		if q.Track == "" {
			q.Track = interview.TrackBoth
		}
		if q.Choices == nil && (q.Type == interview.Select || q.Type == interview.MultiSelect) {
			q.Choices = []string{}
		}
		q.Fields = jsonQuestions(q.Fields)
		out[i] = q
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func printQuestion(w interface{ Write([]byte) (int, error) }, q interview.Question, indent string) {
	var tags []string
	tags = append(tags, string(q.Type))
	if q.Required {
		tags = append(tags, "required")
	}
	if q.Track != "" && q.Track != interview.TrackBoth {
		tags = append(tags, q.Track+" track")
	}
	if q.When != "" {
		tags = append(tags, "when "+q.When)
	}
	fmt.Fprintf(w, "\n%s%s (%s)\n%s  %s\n", indent, q.Name, strings.Join(tags, ", "), indent, q.Prompt)
	if len(q.Choices) > 0 {
		fmt.Fprintf(w, "%s  choices: %s\n", indent, strings.Join(q.Choices, " | "))
	}
	if q.Default != nil && fmt.Sprint(q.Default) != "" {
		fmt.Fprintf(w, "%s  default: %v\n", indent, q.Default)
	}
	if h := strings.TrimSpace(q.Help); h != "" {
		for _, line := range strings.Split(h, "\n") {
			fmt.Fprintf(w, "%s  | %s\n", indent, line)
		}
	}
	for _, f := range q.Fields {
		printQuestion(w, f, indent+"    ")
	}
}
