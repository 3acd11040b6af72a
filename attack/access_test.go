package attack

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Answers that tell where a request ended up: the filled-in handlers
// answer 200 or 201, the stubs 501; everything else stopped before.
const (
	reached  = -1 // any of 200, 201, 501: the handler ran
	unauthn  = http.StatusUnauthorized
	forbid   = http.StatusForbidden
	notFound = http.StatusNotFound
)

// route is one spec route with a request that reaches it.
type route struct {
	method, path, body string
}

// matrixRoutes are the spec's guarded and public routes.
var matrixRoutes = []route{
	{"GET", "/posts", ""},
	{"GET", "/posts/7", ""},
	{"POST", "/posts", `{"title":"t"}`},
	{"DELETE", "/posts/7", ""},
	{"GET", "/me", ""},
	{"GET", "/audit", ""},
	{"GET", "/admin/stats", ""},
	{"PUT", "/admin/users/rita", `{}`},
}

// matrixWant is the expected outcome of each route for each caller:
// anonymous, a bad token, then the suite users. reader < editor < admin by
// inheritance; auditor stands alone; /audit needs editor AND auditor.
var matrixWant = map[string][]int{
	//            GET /posts GET /posts/7 POST /posts DELETE    /me      /audit   /admin/stats PUT /admin/users
	"anonymous": {reached, reached, unauthn, unauthn, unauthn, unauthn, unauthn, unauthn},
	"bad token": {reached, unauthn, unauthn, unauthn, unauthn, unauthn, unauthn, unauthn},
	"rita":      {reached, reached, forbid, forbid, reached, forbid, forbid, forbid},
	"ed":        {reached, reached, reached, forbid, reached, forbid, forbid, forbid},
	"root":      {reached, reached, reached, reached, reached, forbid, reached, reached},
	"audrey":    {reached, reached, forbid, forbid, reached, forbid, forbid, forbid},
	"both":      {reached, reached, reached, forbid, reached, reached, forbid, forbid},
}

// attackAccess covers DESIGN.md "Roles: deny by default; 401 without a
// valid token, 403 with the wrong role; HEAD and path variants (//, /./,
// %2f, trailing slash, case) never reach a handler without its guard."
func (s *server) attackAccess(t *testing.T) {
	tokens := map[string]string{"anonymous": "", "bad token": "eyJhbGciOiJIUzI1NiJ9.e30.bad"}
	for name := range matrixWant {
		if _, ok := tokens[name]; !ok {
			tokens[name] = s.login(t, name).AccessToken
		}
	}
	t.Run("matrix", func(t *testing.T) { s.accessMatrix(t, tokens) })
	t.Run("HEAD on guarded GET", func(t *testing.T) { s.accessHead(t, tokens) })
	t.Run("method override headers", func(t *testing.T) { s.accessOverride(t, tokens) })
	t.Run("path variants", func(t *testing.T) { s.accessPathVariants(t, tokens) })
	t.Run("TRACE and undeclared paths", func(t *testing.T) { s.accessUndeclared(t, tokens) })
}

func (s *server) accessMatrix(t *testing.T, tokens map[string]string) {
	for who, wants := range matrixWant {
		c := newClient(freshIP())
		for i, rt := range matrixRoutes {
			r := s.do(t, c, rt.method, rt.path, tokens[who], rt.body, nil)
			what := fmt.Sprintf("%s %s as %s", rt.method, rt.path, who)
			checkOutcome(t, what, r, wants[i])
			public := rt.method == "GET" && rt.path == "/posts"
			if tokens[who] != "" && who != "bad token" && !public && r.header.Get("Cache-Control") != "no-store" {
				// DESIGN.md "Cache-Control: no-store for authenticated answers".
				t.Errorf("%s: Cache-Control %q, want no-store", what, r.header.Get("Cache-Control"))
			}
		}
	}
}

// checkOutcome checks that r is want, where reached means the handler ran.
func checkOutcome(t *testing.T, what string, r reply, want int) {
	t.Helper()
	ran := r.status == http.StatusOK || r.status == http.StatusCreated || r.status == http.StatusNotImplemented
	switch {
	case want == reached && !ran:
		t.Errorf("%s: %d %s, want the handler to run", what, r.status, r.body)
	case want != reached && r.status != want:
		t.Errorf("%s: %d %s, want %d", what, r.status, r.body, want)
	}
	if want == unauthn && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("%s: 401 without WWW-Authenticate: Bearer", what)
	}
}

// accessHead sends HEAD to guarded GET routes: the mux serves HEAD with the
// GET handler, so the guard must run too.
func (s *server) accessHead(t *testing.T, tokens map[string]string) {
	c := newClient(freshIP())
	cases := []struct {
		path, who string
		want      int
	}{
		{"/me", "anonymous", unauthn},
		{"/me", "bad token", unauthn},
		{"/audit", "anonymous", unauthn},
		{"/audit", "ed", forbid},
		{"/admin/stats", "anonymous", unauthn},
		{"/admin/stats", "rita", forbid},
		{"/admin/stats", "root", reached},
	}
	for _, tc := range cases {
		r := s.do(t, c, "HEAD", tc.path, tokens[tc.who], "", nil)
		checkOutcome(t, "HEAD "+tc.path+" as "+tc.who, r, tc.want)
	}
}

// accessOverride sends method-override headers and parameters, which the
// server must ignore: the request is served as its real method.
func (s *server) accessOverride(t *testing.T, tokens map[string]string) {
	c := newClient(freshIP())
	for _, name := range []string{"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"} {
		// GET /posts/7 is open to anyone; as DELETE it would need admin.
		r := s.do(t, c, "GET", "/posts/7", "", "", hdr(name, "DELETE"))
		if r.status != http.StatusOK || !strings.Contains(r.body, `"post":"7"`) {
			t.Errorf("GET with %s: DELETE: %d %s, want GetPost's 200", name, r.status, r.body)
		}
		r = s.do(t, c, "POST", "/posts/7", tokens["rita"], `{}`, hdr(name, "DELETE"))
		checkOutcome(t, "POST /posts/7 with "+name+": DELETE as rita", r, http.StatusMethodNotAllowed)
		r = s.do(t, c, "POST", "/admin/stats", tokens["rita"], `{}`, hdr(name, "GET"))
		checkOutcome(t, "POST /admin/stats with "+name+": GET as rita", r, http.StatusMethodNotAllowed)
	}
	r := s.do(t, c, "POST", "/posts/7?_method=DELETE", "", `{}`, nil)
	checkOutcome(t, "POST /posts/7?_method=DELETE", r, http.StatusMethodNotAllowed)
}

// pathVariants are spellings of /admin/stats that some routers
// and proxies treat as the same path.
var pathVariants = []string{
	"//admin/stats", "/admin//stats", "///admin///stats", "/./admin/stats", "/admin/./stats",
	"/posts/../admin/stats", "/admin/x/../stats", "/admin/stats/.", "/admin/stats/..;/stats",
	"/admin%2fstats", "/admin%2Fstats", "/%2e/admin/stats", "/admin/%2e/stats", "/posts/%2e%2e/admin/stats",
	"/%61dmin/stats", "/admin/st%61ts",
	"/ADMIN/stats", "/Admin/Stats", "/admin/STATS",
	"/admin/stats/", "/admin/stats//", "/admin/stats;", "/admin/stats;x=1", "/admin;/stats",
	"/admin/stats%00", "/admin/stats%20", "/admin/stats%09", "/admin/stats.json", "/admin/stats~",
	"/admin/stats?x=1", "/admin/stats#frag", "/admin\\stats",
}

// meVariants are spellings of /me, which a reader may read.
var meVariants = []string{
	"//me", "/./me", "/me/", "/ME", "/Me", "/me;", "/me%2f", "/posts/../me", "/%6de",
}

// accessPathVariants sends each variant verbatim, anonymously and as a
// reader. A variant may be redirected to the clean path, be unknown, or be
// guarded; it may never reach the handler without its guard.
func (s *server) accessPathVariants(t *testing.T, tokens map[string]string) {
	me := map[string]bool{}
	for _, p := range meVariants {
		me[p] = true
	}
	for _, p := range append(slices.Clone(pathVariants), meVariants...) {
		ip := freshIP()
		for _, who := range []string{"anonymous", "rita"} {
			var lines []string
			if tokens[who] != "" {
				lines = append(lines, "Authorization: Bearer "+tokens[who])
			}
			for _, method := range []string{"GET", "HEAD"} {
				r := s.rawGet(t, ip, method, p, lines...)
				guarded := r.status == unauthn || (who == "rita" && r.status == forbid)
				benign := r.status == notFound || r.status == http.StatusBadRequest ||
					r.status == http.StatusMethodNotAllowed || (r.status >= 300 && r.status < 400)
				// rita may read /me, however it is spelt.
				reachedMe := me[p] && who == "rita" && r.status == http.StatusOK
				if !guarded && !benign && !reachedMe {
					t.Errorf("%s %s as %s: %d %s, a handler answered without its guard",
						method, p, who, r.status, r.body)
				}
				if r.status == http.StatusOK && who == "anonymous" {
					t.Errorf("%s %s anonymously: 200", method, p)
				}
			}
		}
	}
}

// accessUndeclared checks that TRACE and the paths that debug tooling
// serves by habit are not there.
func (s *server) accessUndeclared(t *testing.T, tokens map[string]string) {
	c := newClient(freshIP())
	for _, p := range []string{"/me", "/posts", "/admin/stats", "/"} {
		for _, m := range []string{"TRACE", "TRACK", "CONNECT", "PROPFIND", "DEBUG"} {
			r := s.rawGet(t, freshIP(), m, p)
			if r.status < 400 {
				t.Errorf("%s %s: %d, want an error", m, p, r.status)
			}
		}
		r := s.do(t, c, "TRACE", p, tokens["root"], "", nil)
		if r.status != http.StatusMethodNotAllowed && r.status != notFound {
			t.Errorf("TRACE %s as admin: %d, want 405 or 404", p, r.status)
		}
	}
	for _, p := range []string{
		"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/goroutine?debug=2", "/debug/vars",
		"/metrics", "/.env", "/.git/config", "/admin", "/admin/", "/server-status", "/swagger.json",
		"/openapi.json", "/actuator/health", "/healthz/../admin/stats",
	} {
		for _, who := range []string{"anonymous", "root"} {
			r := s.rawGet(t, freshIP(), "GET", p, authLine(tokens[who])...)
			if r.status != notFound && !(r.status >= 300 && r.status < 400) {
				t.Errorf("GET %s as %s: %d, want 404", p, who, r.status)
			}
		}
	}
}

// authLine is the Authorization header line for token, if any.
func authLine(token string) []string {
	if token == "" {
		return nil
	}
	return []string{"Authorization: Bearer " + token}
}
