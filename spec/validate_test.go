package spec

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// lines joins spec lines; the first line of a case is line 1.
func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

// health is a route that makes a spec valid when a case tests something else.
const health = "  - {method: GET, path: /health, public: true}"

// parseErrors parses src and returns its errors, failing on any other error.
func parseErrors(t *testing.T, src string) ErrorList {
	t.Helper()
	_, _, err := Parse("secgen.yaml", []byte(src))
	if err == nil {
		return nil
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an ErrorList, got %T: %v", err, err)
	}
	return list
}

// failCase is a spec with one mistake, where it is and what the message says.
type failCase struct {
	name string
	src  string
	pos  string // "line:col"
	msg  string // a part of the message
}

func checkFail(t *testing.T, c failCase) {
	t.Helper()
	list := parseErrors(t, c.src)
	if len(list) == 0 {
		t.Fatalf("spec accepted, want an error at %s containing %q", c.pos, c.msg)
	}
	for _, e := range list {
		if fmt.Sprintf("%d:%d", e.Pos.Line, e.Pos.Col) == c.pos && strings.Contains(e.Msg, c.msg) {
			if e.File != "secgen.yaml" {
				t.Errorf("error names file %q", e.File)
			}
			return
		}
	}
	t.Errorf("want an error at %s containing %q, got:\n%v", c.pos, c.msg, list)
}

func TestSpecVersionAndName(t *testing.T) {
	for _, c := range []failCase{
		{"missing version", lines("name: shop", "routes:", health), "1:1", "version is missing"},
		{"unknown version", lines("version: 2", "name: shop", "routes:", health), "1:10", "version 2 is not one"},
		{"quoted version", lines(`version: "1"`, "name: shop", "routes:", health), "1:10", "write it without quotes"},
		{"missing name", lines("version: 1", "routes:", health), "1:1", "name is missing"},
		{"upper-case name", lines("version: 1", "name: Shop", "routes:", health), "2:7", `name "Shop" must start with a lower-case letter`},
		{"numeric name", lines("version: 1", "name: 42", "routes:", health), "2:7", `put it in quotes to mean the text "42"`},
		{"bad module", lines("version: 1", "name: shop", "module: 'a b'", "routes:", health), "3:9", "not a valid Go module path"},
		{"unknown top key", lines("version: 1", "name: shop", "rotes: []", "routes:", health), "3:1", `unknown key "rotes" (did you mean "roles" or "routes"?)`},
		{"duplicate key", lines("version: 1", "name: shop", "name: shop2", "routes:", health), "3:1", `key "name" appears twice`},
		{"empty", "", "1:1", "spec is empty"},
		{"not a map", "- a\n- b\n", "1:1", "spec must be a map"},
		{"two documents", lines("version: 1", "---", "version: 1"), "2:1", "more than one YAML document"},
		{"yaml syntax", lines("version: 1", "name: shop", "routes:", "  - method: GET", "\tpath: /x"), "5:1", "invalid YAML"},
		{"yaml unterminated", lines("version: 1", "name: \"shop", "routes: []"), "2:1", "invalid YAML"},
	} {
		t.Run(c.name, func(t *testing.T) { checkFail(t, c) })
	}
}

func TestSpecRoles(t *testing.T) {
	for _, c := range []failCase{
		{"unknown route role", lines("version: 1", "name: shop", "roles: [admin, clerk]", "routes:", "  - {method: GET, path: /o, roles: [admn]}"),
			"5:37", `route GET /o: unknown role "admn" (did you mean "admin"?)`},
		{"unknown role, far", lines("version: 1", "name: shop", "roles: [admin, clerk]", "routes:", "  - {method: GET, path: /o, roles: [root]}"),
			"5:37", "use one of admin, clerk"},
		{"no roles declared", lines("version: 1", "name: shop", "routes:", "  - {method: GET, path: /o, roles: [admin]}"),
			"4:37", "the spec declares no roles"},
		{"unknown group role", lines("version: 1", "name: shop", "roles: [admin]", "groups:", "  - {prefix: /a, roles: [amdin], routes: [{method: GET, path: /b}]}"),
			"5:26", `group /a: unknown role "amdin" (did you mean "admin"?)`},
		{"unknown inherited role", lines("version: 1", "name: shop", "roles:", "  admin: {inherits: [editr]}", "  editor: {}", "routes:", health),
			"4:22", `role "admin" inherits "editr", which is not declared (did you mean "editor"?)`},
		{"unknown default role", lines("version: 1", "name: shop", "roles: [reader]", "auth:", "  register: {enabled: true, default_roles: [raeder]}", "routes:", health),
			"5:45", `auth.register.default_roles: unknown role "raeder" (did you mean "reader"?)`},
		{"default role, register off", lines("version: 1", "name: shop", "roles: [reader]", "auth:", "  register: {default_roles: [raeder]}", "routes:", health),
			"5:30", `unknown role "raeder"`},
		{"cycle", lines("version: 1", "name: shop", "roles:", "  a: {inherits: [b]}", "  b: {inherits: [c]}", "  c: {inherits: [a]}", "routes:", health),
			"6:18", `roles inherit in a cycle: a -> b -> c -> a; remove "a" from the inherits of "c"`},
		{"self inherit", lines("version: 1", "name: shop", "roles:", "  a: {inherits: [a]}", "routes:", health),
			"4:18", "a -> a"},
		{"role declared twice", lines("version: 1", "name: shop", "roles: [a, b, a]", "routes:", health), "3:15", `role "a" is declared twice`},
		{"bad role name", lines("version: 1", "name: shop", `roles: ["x\"y"]`, "routes:", health), "3:9", "role name"},
		{"role key typo", lines("version: 1", "name: shop", "roles:", "  a: {inherit: [b]}", "  b: {}", "routes:", health),
			"4:7", `unknown key "inherit" in roles.a (did you mean "inherits"?)`},
		{"roles wrong type", lines("version: 1", "name: shop", "roles: admin", "routes:", health), "3:8", "expected a list of role names or a map"},
	} {
		t.Run(c.name, func(t *testing.T) { checkFail(t, c) })
	}
}

func TestSpecAuth(t *testing.T) {
	auth := func(l ...string) string {
		return lines(append(append([]string{"version: 1", "name: shop", "auth:"}, l...), "routes:", health)...)
	}
	for _, c := range []failCase{
		{"algorithm", auth("  algorithm: RS256"), "4:14", `algorithm "RS256" is not supported`},
		{"eddsa without key", auth("  algorithm: EdDSA"), "4:14", "needs auth.key_file"},
		{"ttl too long", auth("  token_ttl: 25h"), "4:14", "longer than 24h"},
		{"ttl too short", auth("  token_ttl: 10s"), "4:14", "shorter than a minute"},
		{"ttl not a duration", auth("  token_ttl: 1d"), "4:14", `auth.token_ttl: "1d" is not a positive duration`},
		{"ttl negative", auth("  token_ttl: -5m"), "4:14", "not a positive duration"},
		{"ttl number", auth("  token_ttl: 900"), "4:14", "expected a duration such as 15m"},
		{"bcrypt low", auth("  bcrypt_cost: 4"), "4:16", "bcrypt_cost 4 is out of range"},
		{"bcrypt high", auth("  bcrypt_cost: 20"), "4:16", "use 10 to 15"},
		{"login rate off", auth("  login: {rate_limit: \"off\"}"), "4:23", "login rate limit cannot be off"},
		{"login path param", auth("  login: {path: \"/auth/{x}\"}"), "4:17", "a generated endpoint has a fixed path"},
		{"login path bad", auth("  login: {path: auth/login}"), "4:17", `must start with "/"`},
		{"refresh too long", auth("  refresh: {enabled: true, ttl: 2400h}"), "4:33", "longer than 90 days"},
		{"refresh shorter than token", auth("  token_ttl: 1h", "  refresh: {enabled: true, ttl: 30m}"), "5:33", "must be longer than token_ttl 1h"},
		{"refresh on login path", auth("  refresh: {enabled: true, path: /auth/login}"), "4:34", `auth.refresh.path "/auth/login" is also the path of auth.login.path`},
		{"health on login path", lines("version: 1", "name: shop", "server: {health_path: /auth/login}", "routes:", health),
			"3:23", "is also the path of auth.login.path"},
		{"bad env", auth("  secret_env: jwt-secret"), "4:15", "is not an environment variable name"},
		{"issuer newline", auth(`  issuer: "a\nb"`), "4:11", "holds a control character"},
		{"users store", auth("  users: {store: mysql}"), "4:18", `users.store "mysql" is not a store`},
		{"auth key typo", auth("  token_tll: 15m"), "4:3", `unknown key "token_tll" in auth (did you mean "token_ttl"?)`},
		{"bool as string", auth("  register: {enabled: yes}"), "4:23", "expected true or false"},
	} {
		t.Run(c.name, func(t *testing.T) { checkFail(t, c) })
	}
}

func TestSpecServer(t *testing.T) {
	server := func(l ...string) string {
		return lines(append(append([]string{"version: 1", "name: shop", "server:"}, l...), "routes:", health)...)
	}
	for _, c := range []failCase{
		{"addr", server("  addr: 8443"), "4:9", "expected a string, found the number 8443"},
		{"addr no port", server("  addr: localhost"), "4:9", `addr "localhost" is not host:port`},
		{"tls 1.1", server(`  tls: {min_version: "1.1"}`), "4:22", "below 1.2"},
		{"tls number", server("  tls: {min_version: 1.2}"), "4:22", `put it in quotes to mean the text "1.2"`},
		{"tls mode", server("  tls: {mode: none}"), "4:15", `tls mode "none" is not known`},
		{"proxy without proxies", server("  tls: {mode: proxy}"), "4:15", "needs server.trusted_proxies"},
		{"bad cidr", server("  trusted_proxies: [10.0.0.0/33]"), "4:21", "is not an IP address or CIDR"},
		{"cidr host bits", server("  trusted_proxies: [10.1.2.3/8]"), "4:21", `(did you mean "10.0.0.0/8"?)`},
		{"max body too big", server("  max_body: 2GiB"), "4:13", "is not a size from 1 byte to 1GiB"},
		{"max body unit", server("  max_body: 1MB"), "4:13", "write it like 512KiB or 1MiB"},
		{"max body zero", server("  max_body: 0"), "4:13", "not a size"},
		{"timeout too long", server("  timeouts: {write: 2h}"), "4:21", "timeouts.write 2h is longer than 1h"},
		{"read_header over read", server("  timeouts: {read_header: 40s}"), "4:27", "longer than timeouts.read 30s"},
		{"health path", server("  health_path: health"), "4:16", `must start with "/"`},
	} {
		t.Run(c.name, func(t *testing.T) { checkFail(t, c) })
	}
}

func TestSpecLimitsCORSHeaders(t *testing.T) {
	spec := func(l ...string) string {
		return lines(append(append([]string{"version: 1", "name: shop"}, l...), "routes:", health)...)
	}
	for _, c := range []failCase{
		{"bad rate unit", spec("rate_limit: {default: 10/day}"), "3:23", `"10/day" is not a rate`},
		{"rate unit typo", spec("rate_limit: {default: 10/minut}"), "3:23", `(did you mean "minute"?)`},
		{"zero rate", spec("rate_limit: {default: 0/second}"), "3:23", `write "off" to disable`},
		{"huge rate", spec("rate_limit: {default: 2000000/second}"), "3:23", "too high"},
		{"burst", spec("rate_limit: {burst: 0}"), "3:21", "burst 0 is out of range"},
		{"limit key", spec("rate_limit: {key: token}"), "3:19", `key "token" is not known`},
		{"limit store", spec("rate_limit: {store: disk}"), "3:21", `store "disk" is not known`},
		{"max clients", spec("rate_limit: {max_clients: 10}"), "3:27", "max_clients 10 is out of range"},
		{"star with credentials", spec(`cors: {origins: ["*"], credentials: true}`), "3:18", "cannot be combined with credentials"},
		{"origin with path", spec("cors: {origins: [https://a.example.com/app]}"), "3:18", `(did you mean "https://a.example.com"?)`},
		{"origin without scheme", spec("cors: {origins: [a.example.com]}"), "3:18", "is not an origin"},
		{"origin null", spec("cors: {origins: [\"null\"]}"), "3:18", "the null origin"},
		{"origin wildcard host", spec("cors: {origins: [\"https://*.example.com\"]}"), "3:18", "holds a wildcard"},
		{"origin upper case", spec("cors: {origins: [https://App.example.com]}"), "3:18", "must be lower-case"},
		{"origin default port", spec("cors: {origins: [\"https://a.example.com:443\"]}"), "3:18", "names the default port"},
		{"origin newline", spec(`cors: {origins: ["https://a.example.com\n"]}`), "3:18", "is not an origin"},
		{"cors method", spec("cors: {methods: [GTE]}"), "3:18", `cors method "GTE" is not an HTTP method`},
		{"cors header", spec(`cors: {headers: ["X Y"]}`), "3:18", "is not a header name"},
		{"cors max age", spec("cors: {max_age: 48h}"), "3:17", "longer than browsers keep a preflight"},
		{"header newline", spec(`headers: {content_security_policy: "default-src 'none'\r\nX-Evil: 1"}`), "3:36", "holds a line break"},
		{"frame options", spec("headers: {frame_options: ALLOW}"), "3:26", "must be DENY, SAMEORIGIN"},
		{"referrer policy", spec("headers: {referrer_policy: no-referer}"), "3:28", `(did you mean "no-referrer"?)`},
		{"hsts negative", spec("headers: {hsts: {max_age: -1}}"), "3:27", "is negative"},
		{"hsts preload", spec("headers: {hsts: {max_age: 3600, preload: true}}"), "3:42", "hsts preload needs"},
		{"errors format", spec("errors: {format: problems}"), "3:18", `(did you mean "problem"?)`},
		{"long list", spec("cors: {origins: [" + strings.Repeat("https://a.example.com,", MaxItems) + "https://a.example.com]}"), "3:17", "longer than a spec may hold"},
	} {
		t.Run(c.name, func(t *testing.T) { checkFail(t, c) })
	}
}

func TestSpecRoutes(t *testing.T) {
	routes := func(l ...string) string {
		return lines(append([]string{"version: 1", "name: shop", "roles: [admin, user]", "routes:"}, l...)...)
	}
	for _, c := range []failCase{
		{"no routes", lines("version: 1", "name: shop"), "1:1", "the spec has no routes"},
		{"empty routes", lines("version: 1", "name: shop", "routes: []"), "3:9", "the spec has no routes"},
		{"null routes", lines("version: 1", "name: shop", "routes:"), "3:8", "routes: expected a list, found nothing"},
		{"no method", routes("  - {path: /a}"), "5:5", "route has no method"},
		{"no path", routes("  - {method: GET}"), "5:5", "route has no path"},
		{"bad method", routes("  - {method: FETCH, path: /a}"), "5:14", `method "FETCH" is not an HTTP method`},
		{"lower-case method", routes("  - {method: get, path: /a}"), "5:14", `(did you mean "GET"?)`},
		{"relative path", routes("  - {method: GET, path: a}"), "5:25", `must start with "/"`},
		{"root path", routes("  - {method: GET, path: /}"), "5:25", `write "/{$}"`},
		{"trailing slash", routes("  - {method: GET, path: /a/}"), "5:25", `must not end with "/"`},
		{"double slash", routes("  - {method: GET, path: //a}"), "5:25", `empty segment ("//")`},
		{"dot segment", routes("  - {method: GET, path: /a/../b}"), "5:25", `".." segment`},
		{"unclosed", routes(`  - {method: GET, path: "/a/{id"}`), "5:25", "unclosed parameter"},
		{"partial segment", routes(`  - {method: GET, path: "/a/x{id}"}`), "5:25", "must fill a whole segment"},
		{"bad wildcard name", routes(`  - {method: GET, path: "/a/{1d}"}`), "5:25", "is not an identifier"},
		{"wildcard twice", routes(`  - {method: GET, path: "/a/{id}/b/{id}"}`), "5:25", `names parameter "id" twice`},
		{"rest not last", routes(`  - {method: GET, path: "/a/{rest...}/b"}`), "5:25", "{name...} may only end a path"},
		{"dollar not last", routes(`  - {method: GET, path: "/a/{$}/b"}`), "5:25", "{$} before the end"},
		{"percent", routes("  - {method: GET, path: /a%2fb}"), "5:25", "percent-escape"},
		{"space in path", routes(`  - {method: GET, path: "/a b"}`), "5:25", "characters a path may not hold"},
		{"public and roles", routes("  - {method: GET, path: /a, public: true, roles: [admin]}"), "5:37", "is public and requires roles"},
		{"public and auth", routes("  - {method: GET, path: /a, public: true, auth: optional}"), "5:49", "is public and sets auth"},
		{"optional and roles", routes("  - {method: GET, path: /a, auth: optional, roles: [admin]}"), "5:35", "auth: optional and roles"},
		{"auth value", routes("  - {method: GET, path: /a, auth: maybe}"), "5:35", `auth "maybe" is not known`},
		{"roles_match value", routes("  - {method: GET, path: /a, roles: [admin], roles_match: every}"), "5:58", `roles_match "every" is not known`},
		{"roles_match alone", routes("  - {method: GET, path: /a, roles_match: all}"), "5:42", "sets roles_match but has no roles"},
		{"route name", routes("  - {name: getThing, method: GET, path: /a}"), "5:12", "must be an exported Go identifier"},
		{"route name quote", routes(`  - {name: "Get\"X", method: GET, path: /a}`), "5:12", "must be an exported Go identifier"},
		{"duplicate", routes("  - {method: GET, path: /a}", "  - {method: GET, path: /a}"), "6:25", "declared twice (first at line 5)"},
		{"duplicate name", routes("  - {name: A, method: GET, path: /a}", "  - {name: A, method: GET, path: /b}"), "6:12", `both get the Go name "A"`},
		{"derived name clash", routes("  - {method: GET, path: /a-b}", "  - {method: GET, path: /a_b}"), "6:5", `both get the Go name "GetAB"`},
		{"file name clash", routes("  - {name: GetAB, method: GET, path: /a}", "  - {name: GetAb, method: GET, path: /b}"), "6:12", "would share the handler file get_ab.go"},
		{"same shape", routes(`  - {method: GET, path: "/a/{id}"}`, `  - {method: GET, path: "/a/{pid}"}`), "6:25", "matches the same requests as route GET /a/{id} (line 5), only its parameter names differ"},
		{"overlap", routes(`  - {method: GET, path: "/a/{id}"}`, `  - {method: GET, path: "/{k}/b"}`), "6:25", "such as GET /a/b"},
		{"overlap head", routes(`  - {method: HEAD, path: "/a/{id}"}`, `  - {method: GET, path: "/{k}/b"}`), "6:25", "such as HEAD /a/b"},
		{"overlap rest", routes(`  - {method: GET, path: "/a/{rest...}"}`, `  - {method: GET, path: "/{k}/b/c"}`), "6:25", "such as GET /a/b/c"},
		{"login path", routes("  - {method: GET, path: /auth/login}"), "5:25", "takes the path of the generated login endpoint"},
		{"health path", routes("  - {method: GET, path: /healthz}"), "5:25", "generated health endpoint"},
		{"refresh path", lines("version: 1", "name: shop", "auth: {refresh: {enabled: true}}", "routes:", "  - {method: POST, path: /auth/refresh}"), "5:26", "generated refresh endpoint"},
		{"logout path", lines("version: 1", "name: shop", "auth: {refresh: {enabled: true}}", "routes:", "  - {method: POST, path: /auth/logout}"), "5:26", "generated logout endpoint"},
		{"register path", lines("version: 1", "name: shop", "auth: {register: {enabled: true}}", "routes:", "  - {method: POST, path: /auth/register}"), "5:26", "generated register endpoint"},
		{"route key typo", routes("  - {method: GET, path: /a, pubic: true}"), "5:29", `unknown key "pubic" in routes (did you mean "public"?)`},
		{"roles not a list", routes("  - {method: GET, path: /a, roles: admin}"), "5:36", "write a list such as [admin]"},
		{"route max_body", routes("  - {method: POST, path: /a, max_body: 10XB}"), "5:40", "is not a size"},
		{"route rate", routes("  - {method: POST, path: /a, rate_limit: 5/week}"), "5:42", `routes.rate_limit: "5/week" is not a rate`},
	} {
		t.Run(c.name, func(t *testing.T) { checkFail(t, c) })
	}
}

func TestSpecGroups(t *testing.T) {
	groups := func(l ...string) string {
		return lines(append([]string{"version: 1", "name: shop", "roles: [admin]", "groups:"}, l...)...)
	}
	for _, c := range []failCase{
		{"prefix slash", groups("  - prefix: /admin/", "    routes: [{method: GET, path: /stats}]"), "5:13", `paths like "/admin//stats"`},
		{"prefix root", groups("  - prefix: /", "    routes: [{method: GET, path: /stats}]"), "5:13", `"//stats"`},
		{"prefix missing", groups("  - routes: [{method: GET, path: /stats}]"), "5:5", "a group needs a prefix"},
		{"prefix relative", groups("  - prefix: admin", "    routes: [{method: GET, path: /stats}]"), "5:13", `must start with "/"`},
		{"prefix rest", groups(`  - prefix: "/a/{rest...}"`, "    routes: [{method: GET, path: /stats}]"), "5:13", "a prefix is always followed"},
		{"route path root", groups("  - prefix: /admin", "    routes: [{method: GET, path: /}]"), "6:34", `would give "/admin/"`},
		{"wildcard twice across", groups(`  - prefix: "/users/{id}"`, `    routes: [{method: GET, path: "/posts/{id}"}]`), "6:34", `the full path "/users/{id}/posts/{id}" names parameter "id" twice`},
		{"no routes", groups("  - prefix: /admin"), "5:5", "group /admin has no routes"},
		{"empty routes", groups("  - prefix: /admin", "    routes: []"), "6:13", "group /admin has no routes"},
		{"group roles_match alone", groups("  - prefix: /admin", "    roles_match: all", "    routes: [{method: GET, path: /s}]"), "6:18", "sets roles_match but no roles"},
		{"routes of a bad group still checked", groups("  - prefix: admin", "    routes: [{method: FETCH, path: /s}]"), "6:23", `method "FETCH"`},
		{"group path reserved", groups("  - prefix: /auth", "    routes: [{method: POST, path: /login}]"), "6:35", "login endpoint"},
		{"group vs route", lines("version: 1", "name: shop", "routes:", `  - {method: GET, path: "/admin/{x}"}`, "groups:", "  - prefix: /admin", "    routes: [{method: GET, path: /x}]"),
			"1:1", ""}, // not a conflict: /admin/x is more specific; see TestSpecValid
	} {
		if c.msg == "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) { checkFail(t, c) })
	}
}

// TestSpecAllErrorsSorted checks that every error of a spec comes back at
// once, sorted by position.
func TestSpecAllErrorsSorted(t *testing.T) {
	src := lines("version: 1", "name: shop", "roles: [admin]", "auth: {bcrypt_cost: 3}", "routes:",
		"  - {method: GET, path: /b, roles: [root]}",
		"  - {method: FETCH, path: a}")
	list := parseErrors(t, src)
	var got []string
	for _, e := range list {
		got = append(got, fmt.Sprintf("%d:%d", e.Pos.Line, e.Pos.Col))
	}
	want := "4:21 6:37 7:14 7:27"
	if strings.Join(got, " ") != want {
		t.Errorf("positions %v, want %s\n%v", got, want, list)
	}
	if !strings.HasPrefix(list.Error(), "secgen.yaml:4:21: bcrypt_cost 3") {
		t.Errorf("Error() = %q", list.Error())
	}
}

// TestSpecValid checks specs that must be accepted, and what they resolve to.
func TestSpecValid(t *testing.T) {
	for _, c := range []struct{ name, src string }{
		{"minimal", lines("version: 1", "name: shop", "routes:", health)},
		{"roles as a map with nulls", lines("version: 1", "name: shop", "roles:", "  admin: {inherits: [user]}", "  user:", "routes:", "  - {method: GET, path: /a, roles: [admin]}")},
		{"more specific wins", lines("version: 1", "name: shop", "routes:", `  - {method: GET, path: "/a/{id}"}`, "  - {method: GET, path: /a/new}", `  - {method: GET, path: "/a/{id}/{rest...}"}`, `  - {method: GET, path: "/{$}"}`)},
		{"get and head", lines("version: 1", "name: shop", "routes:", "  - {method: GET, path: /a}", "  - {method: HEAD, path: /a}")},
		{"group", lines("version: 1", "name: shop", "roles: [admin]", "groups:", `  - {prefix: "/users/{id}", roles: [admin], roles_match: all, routes: [{method: GET, path: /posts}]}`)},
		{"group and route", lines("version: 1", "name: shop", "routes:", `  - {method: GET, path: "/admin/{x}"}`, "groups:", "  - prefix: /admin", "    routes: [{method: GET, path: /x}]")},
		{"auth prefix route", lines("version: 1", "name: shop", "routes:", `  - {method: POST, path: "/auth/{action}", public: true}`)},
		{"sizes and rates", lines("version: 1", "name: shop", "server: {max_body: 1048576, trusted_proxies: [10.0.0.0/8, 192.168.1.1, \"::1\"]}", "rate_limit: {default: \"off\"}", "routes:", "  - {method: POST, path: /a, max_body: 64KiB, rate_limit: 3/second}")},
		{"proxy mode", lines("version: 1", "name: shop", "server: {tls: {mode: proxy, min_version: \"1.3\"}, trusted_proxies: [10.0.0.0/8]}", "routes:", health)},
		{"cors", lines("version: 1", "name: shop", "cors: {origins: [\"https://a.example.com\", \"http://localhost:3000\"], credentials: true}", "routes:", health)},
		{"referrer list", lines("version: 1", "name: shop", "headers: {referrer_policy: \"no-referrer, strict-origin\", content_security_policy: \"\"}", "routes:", health)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if list := parseErrors(t, c.src); list != nil {
				t.Fatalf("want valid, got:\n%v", list)
			}
		})
	}
}

func TestSpecResolved(t *testing.T) {
	src := lines("version: 1", "name: shop", "roles: [admin, user]", "routes:",
		`  - {method: GET, path: "/posts/{id}"}`,
		"groups:",
		"  - {prefix: /admin, roles: [admin], rate_limit: 5/minute, routes: [{method: GET, path: /stats}, {method: POST, path: /open, public: true}]}")
	s, _, err := Parse("secgen.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ep := range s.Endpoints() {
		got = append(got, fmt.Sprintf("%s %s %s %v %s", ep.Name, ep.Pattern(), ep.Access, ep.Roles, ep.Rate))
	}
	want := []string{
		"GetPostByID GET /posts/{id} required [] 0/",
		"GetAdminStats GET /admin/stats required [admin] 5/minute",
		"PostAdminOpen POST /admin/open public [] 5/minute",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("endpoints:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSpecWarnings(t *testing.T) {
	for _, c := range []failCase{
		{"public post", lines("version: 1", "name: shop", "routes:", "  - {method: POST, path: /a, public: true}"), "4:38", "public route POST /a changes state without a login"},
		{"public delete in group", lines("version: 1", "name: shop", "groups:", "  - {prefix: /g, routes: [{method: DELETE, path: /a, public: true}]}"), "4:62", "public route DELETE /g/a changes state"},
		{"route limit off", lines("version: 1", "name: shop", "routes:", `  - {method: GET, path: /a, rate_limit: "off"}`), "4:41", "route GET /a has its rate limit switched off"},
		{"group limit off", lines("version: 1", "name: shop", "groups:", `  - {prefix: /g, rate_limit: "off", routes: [{method: GET, path: /a}]}`), "4:30", "group /g has its rate limit switched off"},
		{"default limit off", lines("version: 1", "name: shop", `rate_limit: {default: "off"}`, "routes:", health), "3:23", "the default rate limit is off"},
		{"long token", lines("version: 1", "name: shop", "auth: {token_ttl: 12h}", "routes:", health), "3:19", "token_ttl 12h is long"},
		{"long refresh", lines("version: 1", "name: shop", "auth: {refresh: {enabled: true, ttl: 1440h}}", "routes:", health), "3:38", "refresh ttl 1440h is long"},
		{"star origin", lines("version: 1", "name: shop", `cors: {origins: ["*"]}`, "routes:", health), "3:18", `origin "*" lets every web site call this API`},
		{"star header", lines("version: 1", "name: shop", `cors: {headers: ["*"]}`, "routes:", health), "3:18", `cors header "*" lets pages send any request header`},
		{"trust everyone", lines("version: 1", "name: shop", `server: {trusted_proxies: [0.0.0.0/0]}`, "routes:", health), "3:28", "trusts every address"},
		{"no hsts", lines("version: 1", "name: shop", `headers: {hsts: {max_age: 0}}`, "routes:", health), "3:27", "drops Strict-Transport-Security"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, warns, err := Parse("secgen.yaml", []byte(c.src))
			if err != nil {
				t.Fatalf("want valid, got:\n%v", err)
			}
			for _, w := range warns {
				if fmt.Sprintf("%d:%d", w.Pos.Line, w.Pos.Col) == c.pos && strings.Contains(w.Msg, c.msg) {
					return
				}
			}
			t.Errorf("want a warning at %s containing %q, got %v", c.pos, c.msg, ErrorList(warns))
		})
	}
}

func TestSpecNoWarningsForSafeSpec(t *testing.T) {
	_, warns, err := Parse("secgen.yaml", []byte(lines("version: 1", "name: shop", "routes:", health, "  - {method: POST, path: /a}")))
	if err != nil || len(warns) != 0 {
		t.Fatalf("err %v, warnings %v", err, ErrorList(warns))
	}
}

func TestFileName(t *testing.T) {
	for name, want := range map[string]string{
		"GetPostByID": "get_post_by_id.go",
		"GetLinux":    "get_linux_route.go",
		"ListWindows": "list_windows_route.go",
		"GetArm":      "get_arm_route.go",
		"RunTest":     "run_test_route.go",
		"ListTests":   "list_tests.go",
		"Handlers":    "handlers_route.go",
	} {
		if got := FileName(name); got != want {
			t.Errorf("FileName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	methods := []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
	for _, c := range []struct {
		got        string
		candidates []string
		want       string
	}{
		{"get", methods, ` (did you mean "GET"?)`},
		{"PSOT", methods, ` (did you mean "POST"?)`},
		{"FETCH", methods, ""},
		{"rotes", []string{"roles", "routes"}, ` (did you mean "roles" or "routes"?)`},
		{"writer", []string{"admin", "editor"}, ""},
		{"amdin", []string{"admin", "editor"}, ` (did you mean "admin"?)`},
		{strings.Repeat("a", 100), []string{"admin"}, ""},
	} {
		if got := suggest(c.got, c.candidates); got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.got, got, c.want)
		}
	}
}
