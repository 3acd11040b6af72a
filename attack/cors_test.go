package attack

import (
	"net/http"
	"strings"
	"testing"
)

// allowedOrigins are the spec's cors.origins; credentials are on.
var allowedOrigins = []string{"https://app.example.com", "https://admin.example.com:8443"}

// refusedOrigins are near misses of the allowed ones.
var refusedOrigins = []string{
	"null",
	"https://evil.example.com",
	"https://app.example.com.evil.com",    // allowed origin as a prefix
	"https://evilapp.example.com",         // allowed host as a suffix
	"https://x.app.example.com",           // subdomain
	"http://app.example.com",              // scheme
	"https://app.example.com:444",         // port
	"https://app.example.com:443",         // default port spelt out
	"https://admin.example.com",           // allowed host, other port
	"https://admin.example.com:8443.evil", // port prefix
	"HTTPS://APP.EXAMPLE.COM",             // case
	"https://app.example.com/",            // trailing slash
	"https://app.example.com%60.evil.com",
	"https://app.example.co",
	"*",
	"file://",
	"https://app.example.com, https://evil.example.com",
}

// attackCORS covers DESIGN.md "CORS: exact origin matching, never null,
// never * with credentials, Vary: Origin always, preflight answered before
// authentication."
func (s *server) attackCORS(t *testing.T) {
	t.Run("allowed origins", s.corsAllowed)
	t.Run("refused origins", s.corsRefused)
	t.Run("preflight before auth", s.corsPreflight)
	t.Run("CORS headers on 401 403 429", s.corsOnErrors)
}

// checkCORS checks the CORS answer headers of r for origin.
func checkCORS(t *testing.T, what string, r reply, origin string, allowed bool) {
	t.Helper()
	acao := r.header.Values("Access-Control-Allow-Origin")
	if !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Origin") {
		t.Errorf("%s: Vary %q lacks Origin", what, r.header.Values("Vary"))
	}
	for _, v := range acao {
		if v == "*" {
			t.Errorf("%s: Access-Control-Allow-Origin * with credentials on", what)
		}
	}
	if !allowed {
		if len(acao) > 0 || r.header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s: origin %q was allowed: %q, credentials %q", what, origin, acao,
				r.header.Get("Access-Control-Allow-Credentials"))
		}
		return
	}
	if len(acao) != 1 || acao[0] != origin {
		t.Errorf("%s: Access-Control-Allow-Origin %q, want exactly %q", what, acao, origin)
	}
	if got := r.header.Values("Access-Control-Allow-Credentials"); len(got) != 1 || got[0] != "true" {
		t.Errorf("%s: Access-Control-Allow-Credentials %q, want true", what, got)
	}
}

func (s *server) corsAllowed(t *testing.T) {
	c := newClient(freshIP())
	for _, o := range allowedOrigins {
		r := s.do(t, c, "GET", "/posts", "", "", hdr("Origin", o))
		checkCORS(t, "GET /posts from "+o, r, o, true)
		exposed := r.header.Get("Access-Control-Expose-Headers")
		for _, h := range []string{"Retry-After", "Ratelimit-Limit", "Www-Authenticate", "X-Request-Id"} {
			if !strings.Contains(strings.ToLower(exposed), strings.ToLower(h)) {
				t.Errorf("GET /posts from %s: Access-Control-Expose-Headers %q lacks %s", o, exposed, h)
			}
		}
	}
	r := s.do(t, c, "GET", "/posts", "", "", nil)
	checkCORS(t, "GET /posts without Origin", r, "", false)
}

func (s *server) corsRefused(t *testing.T) {
	c := newClient(freshIP())
	for _, o := range refusedOrigins {
		r := s.do(t, c, "GET", "/posts", "", "", hdr("Origin", o))
		checkCORS(t, "GET /posts from "+o, r, o, false)
		if r.status != http.StatusOK {
			t.Errorf("GET /posts from %s: %d; a refused origin still gets the answer, only without CORS", o, r.status)
		}
		p := s.do(t, c, "OPTIONS", "/admin/stats", "", "", hdr("Origin", o,
			"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"))
		checkCORS(t, "preflight from "+o, p, o, false)
		if p.header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("preflight from %s: Allow-Methods %q", o, p.header.Get("Access-Control-Allow-Methods"))
		}
	}
	// Two Origin headers are no way around the match either.
	r := s.do(t, c, "GET", "/posts", "", "", hdr("Origin", "https://evil.example.com", "Origin", allowedOrigins[0]))
	if acao := r.header.Get("Access-Control-Allow-Origin"); acao == "https://evil.example.com" || acao == "*" {
		t.Errorf("two Origin headers: Access-Control-Allow-Origin %q", acao)
	}
}

// corsPreflight checks that a preflight of a guarded route is answered
// without a token, and only for the spec's methods.
func (s *server) corsPreflight(t *testing.T) {
	c := newClient(freshIP())
	o := allowedOrigins[0]
	for _, path := range []string{"/admin/stats", "/admin/users/x", "/me", "/posts"} {
		r := s.do(t, c, "OPTIONS", path, "", "", hdr("Origin", o,
			"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "authorization, content-type"))
		if r.status < 200 || r.status >= 300 {
			t.Errorf("preflight %s: %d %s, want 2xx before any authentication", path, r.status, r.body)
		}
		checkCORS(t, "preflight "+path, r, o, true)
		if m := r.header.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "PUT") {
			t.Errorf("preflight %s: Allow-Methods %q lacks PUT", path, m)
		}
		if h := strings.ToLower(r.header.Get("Access-Control-Allow-Headers")); !strings.Contains(h, "authorization") {
			t.Errorf("preflight %s: Allow-Headers %q lacks authorization", path, h)
		}
		if ma := r.header.Get("Access-Control-Max-Age"); ma != "600" {
			t.Errorf("preflight %s: Max-Age %q, want 600 (cors.max_age 10m)", path, ma)
		}
		if r.header.Get("WWW-Authenticate") != "" {
			t.Errorf("preflight %s went through authentication", path)
		}
	}
	for _, m := range []string{"PATCH", "TRACE", "CONNECT"} {
		r := s.do(t, c, "OPTIONS", "/posts", "", "", hdr("Origin", o, "Access-Control-Request-Method", m))
		if strings.Contains(r.header.Get("Access-Control-Allow-Methods"), m) || r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight for %s: allowed (%q, %q)", m, r.header.Get("Access-Control-Allow-Methods"),
				r.header.Get("Access-Control-Allow-Origin"))
		}
	}
	r := s.do(t, c, "OPTIONS", "/posts", "", "", hdr("Origin", o, "Access-Control-Request-Method", "GET",
		"Access-Control-Request-Headers", "x-evil-header"))
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight asking for an undeclared header was allowed")
	}
}

// corsOnErrors checks that answers the middleware cuts short still carry
// CORS headers for allowed origins, so that the browser lets the page read
// the error.
func (s *server) corsOnErrors(t *testing.T) {
	o := allowedOrigins[1]
	c := newClient(freshIP())
	r := s.do(t, c, "GET", "/me", "", "", hdr("Origin", o))
	checkProblem(t, "401", r, http.StatusUnauthorized)
	checkCORS(t, "401", r, o, true)
	r = s.do(t, c, "GET", "/admin/stats", s.login(t, "rita").AccessToken, "", hdr("Origin", o))
	checkProblem(t, "403", r, http.StatusForbidden)
	checkCORS(t, "403", r, o, true)
	last := s.until429(t, c, "/fast", hdr("Origin", o))
	checkProblem(t, "429", last, http.StatusTooManyRequests)
	checkCORS(t, "429", last, o, true)
	last = s.do(t, c, "GET", "/fast", "", "", hdr("Origin", "https://evil.example.com"))
	checkCORS(t, "429 for a refused origin", last, "https://evil.example.com", false)
}
