package app

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/urfave/cli/v2"
)

func questionsCommand(f *Factory) *cli.Command {
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
			dir, err := f.dir(c)
			if err != nil {
				return err
			}
			return questionsRun(c, f, create.QuestionsRequest{Dir: dir, Kind: c.Args().First(), Pack: c.String("pack")}, c.Bool("json"))
		},
	}
}

func questionsRun(c *cli.Context, f *Factory, req create.QuestionsRequest, asJSON bool) error {
	set, err := create.Questions(c.Context, f.session(), req)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(f.Streams.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonQuestions(set.Questions))
	}
	w := f.Streams.Out
	fmt.Fprintf(w, "%s (pack %s %s)\n", set.Title, set.Pack.Name, set.Pack.Version)
	for _, q := range set.Questions {
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
			q.Track = doc.TrackBoth
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
	if q.Track != "" && q.Track != doc.TrackBoth {
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
