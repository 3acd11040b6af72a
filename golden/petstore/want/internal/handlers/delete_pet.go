// Scaffolded by secgen; this file is yours to edit.

package handlers

import (
	"net/http"

	api "example.com/petstore/internal/api"
)

// DeletePet serves DELETE /api/v3/pet/{petId} (roles: pets-writer).
// The guard has already checked the caller; api.PrincipalFrom(r.Context())
// says who it is. Decode input with api.DecodeJSON, answer with
// api.WriteJSON, and return api.BadRequest(...) and friends for errors.
func (h *Handlers) DeletePet(w http.ResponseWriter, r *http.Request) error {
	return api.ErrNotImplemented
}
