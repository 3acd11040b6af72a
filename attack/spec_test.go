package attack

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// attackSpec uses every feature of spec v1 that changes what the server
// enforces: roles with inheritance, roles_match all, public and optional
// routes, a group with its own roles, limit and body size, per-route
// limits, register and refresh, CORS with credentials and exact origins,
// and trusted proxies. Timeouts are short so that the slow-client attacks
// finish quickly.
const attackSpec = `
version: 1
name: fort
module: example.com/fort

roles:
  admin: {inherits: [editor]}
  editor: {inherits: [reader]}
  reader: {}
  auditor: {}

auth:
  token_ttl: 10m
  bcrypt_cost: 10
  login: {path: /auth/login, rate_limit: 6/minute}
  register: {enabled: true, path: /auth/register, default_roles: [reader]}
  refresh: {enabled: true, ttl: 24h}

server:
  trusted_proxies: [127.0.9.0/24]
  max_body: 64KiB
  timeouts: {read_header: 2s, read: 4s, write: 10s, idle: 30s, shutdown: 10s}

rate_limit:
  default: 600/minute
  burst: 60
  max_clients: 2000

cors:
  origins: [https://app.example.com, https://admin.example.com:8443]
  methods: [GET, POST, PUT, DELETE]
  headers: [Content-Type, Authorization]
  credentials: true
  max_age: 10m

routes:
  - {name: ListPosts, method: GET, path: /posts, public: true}
  - {name: GetPost, method: GET, path: "/posts/{id}", auth: optional}
  - {name: CreatePost, method: POST, path: /posts, roles: [editor], max_body: 1KiB}
  - {name: DeletePost, method: DELETE, path: "/posts/{id}", roles: [admin]}
  - {name: Me, method: GET, path: /me}
  - {name: Audit, method: GET, path: /audit, roles: [editor, auditor], roles_match: all}
  - {name: Fast, method: GET, path: /fast, public: true, rate_limit: 2/second}
  - {name: Scarce, method: GET, path: /scarce, public: true, rate_limit: 3/minute}
  - {name: Crash, method: GET, path: /crash, public: true}
  - {name: Slow, method: POST, path: /slow, public: true}

groups:
  - prefix: /admin
    roles: [admin]
    rate_limit: 100/minute
    max_body: 4KiB
    routes:
      - {name: AdminStats, method: GET, path: /stats}
      - {name: SetUser, method: PUT, path: "/users/{name}"}
`

// handlerCode is the body of the scaffolded handler files the suite fills
// in, by method name; the other routes keep their 501 stubs, which tells
// that a request reached the handler.
var handlerCode = map[string]string{
	// ListPosts answers 200 to anyone.
	"ListPosts": `return api.WriteJSON(w, http.StatusOK, []string{"hello"})`,
	// GetPost says who asked; id "fail" fails with a cause that must stay
	// in the log.
	"GetPost": `if r.PathValue("id") == "fail" {
		return errors.New("query failed: ` + causeMarker + `")
	}
	p, ok := api.PrincipalFrom(r.Context())
	return api.WriteJSON(w, http.StatusOK, map[string]any{"post": r.PathValue("id"), "user": p.Subject, "authenticated": ok})`,
	// CreatePost decodes its body under the route's 1KiB limit.
	"CreatePost": `var in struct{ Title string ` + "`json:\"title\"`" + ` }
	if err := api.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusCreated, map[string]string{"title": in.Title})`,
	// Me answers with the caller.
	"Me": `p, _ := api.PrincipalFrom(r.Context())
	return api.WriteJSON(w, http.StatusOK, map[string]any{"user": p.Subject, "roles": p.Roles})`,
	"Fast":   `return api.WriteJSON(w, http.StatusOK, "fast")`,
	"Scarce": `return api.WriteJSON(w, http.StatusOK, "scarce")`,
	// Crash panics, as buggy code does.
	"Crash": `panic("handler bug: nil map in ` + causeMarker + `")`,
	// Slow reads its whole body, then works for 1.5s: the slow-body and
	// SIGTERM-drain attacks use it.
	"Slow": `if _, err := io.Copy(io.Discard, r.Body); err != nil {
		return err
	}
	select {
	case <-time.After(1500 * time.Millisecond):
	case <-r.Context().Done():
		return r.Context().Err()
	}
	return api.WriteJSON(w, http.StatusOK, "slow done")`,
}

// writeHandlers replaces the scaffolded stubs named in handlerCode.
func writeHandlers(proj string) error {
	files, err := filepath.Glob(filepath.Join(proj, "internal", "handlers", "*.go"))
	if err != nil {
		return err
	}
	done := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		for name, code := range handlerCode {
			sig := "func (h *Handlers) " + name + "("
			if !strings.Contains(string(data), sig) {
				continue
			}
			src := fmt.Sprintf(handlerFile, name, code)
			if err := os.WriteFile(f, []byte(src), 0o600); err != nil {
				return err
			}
			done[name] = true
		}
	}
	for name := range handlerCode {
		if !done[name] {
			return fmt.Errorf("no scaffolded file holds handler %s", name)
		}
	}
	return nil
}

// handlerFile is a handler file as a user writes it; the blank uses keep
// every import needed whichever body is used.
const handlerFile = `// Scaffolded by secgen; this file is yours to edit.

package handlers

import (
	"errors"
	"io"
	"net/http"
	"time"

	api "example.com/fort/internal/api"
)

var (
	_ = errors.New
	_ = io.Discard
	_ = time.Second
	_ = api.WriteJSON
)

func (h *Handlers) %s(w http.ResponseWriter, r *http.Request) error {
	%s
}
`
