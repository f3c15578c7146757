// Package examples embeds the example answers files, which double as the
// default pack's sample answers: `pack lint` renders every kind with them
// and `pack new` copies them into a new pack.
package examples

import "embed"

// Answers holds answers/<kind>.yaml for every kind of the default pack and
// answers/init.yaml.
//
//go:embed answers/*.yaml
var Answers embed.FS
