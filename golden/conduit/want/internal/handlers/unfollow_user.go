// Scaffolded by secgen; this file is yours to edit.

package handlers

import (
	"net/http"

	api "example.com/conduit/internal/api"
)

// UnfollowUser serves DELETE /api/profiles/{username}/follow (any signed-in user).
// The guard has already checked the caller; api.PrincipalFrom(r.Context())
// says who it is. Decode input with api.DecodeJSON, answer with
// api.WriteJSON, and return api.BadRequest(...) and friends for errors.
func (h *Handlers) UnfollowUser(w http.ResponseWriter, r *http.Request) error {
	return api.ErrNotImplemented
}
