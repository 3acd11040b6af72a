// Package templates holds the text/template sources of a generated
// project, embedded so that the secgen binary is all a user needs.
package templates

import "embed"

// FS holds the project templates under project/, named by the path of the
// file they render plus ".tmpl".
//
//go:embed all:project
var FS embed.FS
