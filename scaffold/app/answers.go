package app

import (
	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/urfave/cli/v2"
)

// answerFlags are shared by every command that interviews: init and new.
func answerFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "answers", Aliases: []string{"a"}, Usage: "read answers from `FILE` (YAML or JSON; - for stdin); repeatable, later files win", TakesFile: true},
		&cli.StringSliceFlag{Name: "set", Usage: "answer one question: `NAME=VALUE` (lists and groups in YAML flow syntax: 'a=[x, y]'); repeatable, wins over --answers"},
		&cli.BoolFlag{Name: "defaults", Usage: "take each question's default instead of asking it"},
		&cli.BoolFlag{Name: "no-input", Usage: "never prompt; fail on a missing required answer"},
		&cli.StringFlag{Name: "date", Usage: "use `YYYY-MM-DD` as today's date (reproducible output)"},
	}
}

// readAnswers turns the answer flags into the interview's sources.
func readAnswers(c *cli.Context) create.Answers {
	return create.Answers{
		Files:    c.StringSlice("answers"),
		Sets:     c.StringSlice("set"),
		Defaults: c.Bool("defaults"),
		NoInput:  c.Bool("no-input"),
		Date:     c.String("date"),
	}
}
