// Scaffolded by secgen; this file is yours to edit.

package handlers

import (
	"net/http"

	api "example.com/myapi/internal/api"
)

// GetMe serves GET /me (any signed-in user).
// Unlike the other stubs of the starter, it is filled in as an example:
// it answers with the caller's name and roles, which the guard put in the
// request's context after checking the token.
func (h *Handlers) GetMe(w http.ResponseWriter, r *http.Request) error {
	p, ok := api.PrincipalFrom(r.Context())
	if !ok {
		return api.Forbidden("no signed-in user")
	}
	return api.WriteJSON(w, http.StatusOK, map[string]any{"username": p.Subject, "roles": p.Roles})
}
