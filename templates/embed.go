// Package templates holds the default pack, embedded in the binary: a pack
// like any other, with pack.yaml and one template per kind.
package templates

import "embed"

// FS is the default pack's files.
//
//go:embed pack.yaml *.md.tmpl
var FS embed.FS
