// Command pmfolio interviews aspiring product managers into a git-versioned
// portfolio of PM documents. See README.md.
package main

import (
	"os"

	"github.com/pmfolio/pmfolio/scaffold/app"
)

func main() { os.Exit(app.Main(os.Args, app.OSStreams())) }
