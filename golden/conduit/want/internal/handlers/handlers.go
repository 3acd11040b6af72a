// Scaffolded by secgen; this file is yours to edit.

// Package handlers holds the business logic of conduit: one method per
// route of secgen.yaml. secgen writes a stub for each new route and never
// changes a file here afterwards.
package handlers

import api "example.com/conduit/internal/api"

// Handlers implements api.Handlers. Put what the handlers share (a
// database, clients, configuration) in its fields.
type Handlers struct{}

// New returns the handlers the server calls.
func New() *Handlers {
	return &Handlers{}
}

var _ api.Handlers = (*Handlers)(nil)
