// Route and path rules: path syntax, groups, access, names, and the
// patterns http.ServeMux could not tell apart.

package spec

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// checkPath reports path syntax problems; what names the path in messages.
func (v *validator) checkPath(p *string, what string) bool {
	if msg := pathProblem(*p); msg != "" {
		v.errorAt(p, "%s %q %s", what, *p, msg)
		return false
	}
	return true
}

// pathProblem says what is wrong with a route path, or "".
func pathProblem(p string) string {
	if !strings.HasPrefix(p, "/") {
		return `must start with "/"`
	}
	if p == "/" {
		return `would catch every path; to serve only the root write "/{$}"`
	}
	if strings.HasSuffix(p, "/") {
		return "must not end with \"/\": a trailing slash makes http.ServeMux match every path below it"
	}
	seen := map[string]bool{}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		last := i == len(segs)-1
		if msg := segmentProblem(seg, last, seen); msg != "" {
			return msg
		}
	}
	return ""
}

func segmentProblem(seg string, last bool, seen map[string]bool) string {
	switch {
	case seg == "":
		return `holds an empty segment ("//")`
	case seg == "." || seg == "..":
		return `holds a "." or ".." segment`
	case strings.HasPrefix(seg, "{"):
		if !strings.HasSuffix(seg, "}") {
			return fmt.Sprintf("has an unclosed parameter %q; write {name}", seg)
		}
		name := seg[1 : len(seg)-1]
		if name == "$" {
			if !last {
				return `uses {$} before the end; it may only end a path`
			}
			return ""
		}
		if rest, ok := strings.CutSuffix(name, "..."); ok {
			if !last {
				return fmt.Sprintf("uses %q before the end; {name...} may only end a path", seg)
			}
			name = rest
		}
		if !wildcardRE.MatchString(name) {
			return fmt.Sprintf("has parameter %q whose name is not an identifier", seg)
		}
		if seen[name] {
			return fmt.Sprintf("names parameter %q twice", name)
		}
		seen[name] = true
	case strings.ContainsAny(seg, "{}"):
		return fmt.Sprintf("has %q: a parameter must fill a whole segment, like /{id}", seg)
	case strings.Contains(seg, "%"):
		return "holds a percent-escape; write the path unescaped"
	case !segmentRE.MatchString(seg):
		return fmt.Sprintf("has segment %q with characters a path may not hold", seg)
	}
	return ""
}

// reserved lists the paths of the generated endpoints, with what they are.
func (s *Spec) reserved() map[string]string {
	r := map[string]string{
		s.Auth.Login.Path:   "the generated login endpoint (auth.login.path)",
		s.Server.HealthPath: "the generated health endpoint (server.health_path)",
	}
	if s.Auth.Register.Enabled {
		r[s.Auth.Register.Path] = "the generated register endpoint (auth.register.path)"
	}
	if s.Auth.Refresh.Enabled {
		r[s.Auth.Refresh.Path] = "the generated refresh endpoint (auth.refresh.path)"
		r[s.Auth.Refresh.LogoutPath] = "the generated logout endpoint (auth.refresh.logout_path)"
	}
	return r
}

// GeneratedPatterns returns the ServeMux patterns of the generated endpoints.
func (s *Spec) GeneratedPatterns() []string {
	p := []string{"POST " + s.Auth.Login.Path, "GET " + s.Server.HealthPath}
	if s.Auth.Register.Enabled {
		p = append(p, "POST "+s.Auth.Register.Path)
	}
	if s.Auth.Refresh.Enabled {
		p = append(p, "POST "+s.Auth.Refresh.Path, "POST "+s.Auth.Refresh.LogoutPath)
	}
	return p
}

func (v *validator) checkRoutes(root *yaml.Node) {
	s := v.s
	var eps []Endpoint
	total := len(s.Routes)
	for i := range s.Routes {
		if ep, ok := v.endpoint(&s.Routes[i], nil); ok {
			eps = append(eps, ep)
		}
	}
	for gi := range s.Groups {
		total += len(s.Groups[gi].Routes)
		eps = append(eps, v.groupEndpoints(&s.Groups[gi])...)
	}
	switch {
	case total == 0 && s.failed[unknownKeyIn{s}]:
		// A misspelt key (such as "route:") is reported already.
	case total == 0:
		v.errorAt(v.written(&s.Routes, root), "the spec has no routes; add at least one under routes: or groups:")
	case total > MaxRoutes:
		v.errorAt(v.written(&s.Routes, root), "the spec holds %d routes, more than secgen accepts (at most %d)", total, MaxRoutes)
		return
	}
	v.checkUnique(eps)
	v.checkConflicts(eps)
	s.endpoints = eps
}

// written returns ptr when the spec wrote that value, else fallback (a
// pointer into the spec or a yaml.Node), so messages point at the text.
func (v *validator) written(ptr, fallback any) any {
	if _, ok := v.s.pos[ptr]; ok {
		return ptr
	}
	return fallback
}

// groupEndpoints checks a group and returns its resolved routes; with a bad
// prefix the routes are checked but not returned.
func (v *validator) groupEndpoints(g *Group) []Endpoint {
	prefixOK := v.checkPrefix(g)
	v.checkRoleRefs("group "+g.Prefix, g.Roles)
	v.checkMatch(&g.RolesMatch)
	if g.RolesMatch != "" && len(g.Roles) == 0 {
		v.errorAt(&g.RolesMatch, "group %s sets roles_match but no roles; add roles: or drop roles_match", g.Prefix)
	}
	if g.RateLimit != nil && g.RateLimit.Off {
		v.warnAt(g.RateLimit, "group %s has its rate limit switched off for all its routes", g.Prefix)
	}
	if len(g.Routes) == 0 {
		v.errorAt(v.written(&g.Routes, g), "group %s has no routes; add them under routes:", g.Prefix)
	}
	var eps []Endpoint
	for ri := range g.Routes {
		if ep, ok := v.endpoint(&g.Routes[ri], g); ok && prefixOK {
			eps = append(eps, ep)
		}
	}
	return eps
}

func (v *validator) checkPrefix(g *Group) bool {
	if msg := prefixProblem(g.Prefix); msg != "" {
		v.errorAt(v.written(&g.Prefix, g), "group prefix %q %s", g.Prefix, msg)
		return false
	}
	return true
}

// prefixProblem says what is wrong with a group prefix, or "". A prefix is
// a path that its routes' paths continue, so it cannot end one.
func prefixProblem(p string) string {
	switch {
	case p == "":
		return "is missing; a group needs a prefix such as /admin"
	case p == "/":
		return `adds nothing and would give its routes paths like "//stats"; put the routes at the top level`
	case strings.HasSuffix(p, "/") && strings.HasPrefix(p, "/"):
		return fmt.Sprintf(`ends with "/", which would give its routes paths like %q; drop the trailing "/"`, p+"/stats")
	case strings.Contains(p, "{$}") || strings.Contains(p, "...}"):
		return "uses {$} or {name...}, which may only end a path; a prefix is always followed by a route's path"
	}
	return pathProblem(p)
}

func (v *validator) checkMatch(p *string) {
	if *p != "" && *p != "any" && *p != "all" {
		v.errorAt(p, "roles_match %q is not known; use any or all", *p)
	}
}

// endpoint resolves a route against its group and checks it.
func (v *validator) endpoint(r *Route, g *Group) (Endpoint, bool) {
	before := len(v.errs)
	if !slices.Contains(methods, r.Method) {
		if _, ok := v.s.pos[&r.Method]; !ok {
			v.errorAt(r, "route has no method; add method: GET (or POST, PUT, PATCH, DELETE)")
		} else {
			v.errorAt(&r.Method, "method %q is not an HTTP method; use one of %s%s", r.Method, strings.Join(methods, ", "), suggest(strings.ToUpper(r.Method), methods))
		}
	}
	pathOK := false
	switch _, written := v.s.pos[&r.Path]; {
	case !written:
		v.errorAt(r, "route has no path; add path: /something")
	case g != nil && r.Path == "/":
		v.errorAt(&r.Path, `path "/" in group %s would give %q, which catches every path below the prefix; write a sub-path, or put the route at the top level with path: %s`, g.Prefix, g.Prefix+"/", g.Prefix)
	default:
		pathOK = v.checkPath(&r.Path, "path")
	}
	ep := Endpoint{Method: r.Method, Path: r.Path, Route: r, Access: AccessRequired}
	if g != nil {
		ep.Path = g.Prefix + r.Path
		if pathOK && prefixProblem(g.Prefix) == "" {
			if msg := pathProblem(ep.Path); msg != "" {
				v.errorAt(&r.Path, "path %q in group %s: the full path %q %s; rename one", r.Path, g.Prefix, ep.Path, msg)
			}
		}
		ep.Roles, ep.MatchAll = g.Roles, g.RolesMatch == "all"
		if g.RateLimit != nil {
			ep.Rate = *g.RateLimit
		}
		if g.MaxBody != nil {
			ep.MaxBody = int64(*g.MaxBody)
		}
	}
	v.resolveAccess(r, &ep)
	if r.RateLimit != nil {
		ep.Rate = *r.RateLimit
		if r.RateLimit.Off {
			v.warnAt(r.RateLimit, "route %s has its rate limit switched off", ep.Pattern())
		}
	}
	if r.MaxBody != nil {
		ep.MaxBody = int64(*r.MaxBody)
	}
	if ep.Access == AccessPublic && slices.Contains(stateChanging, ep.Method) {
		v.warnAt(&r.Public, "public route %s changes state without a login", ep.Pattern())
	}
	if what, ok := v.s.reserved()[ep.Path]; ok {
		v.errorAt(&r.Path, "route %s takes the path of %s; choose another path", ep.Pattern(), what)
	}
	v.resolveName(r, &ep)
	return ep, len(v.errs) == before
}

func (v *validator) resolveAccess(r *Route, ep *Endpoint) {
	if len(r.Roles) > 0 {
		ep.Roles, ep.MatchAll = r.Roles, r.RolesMatch == "all"
	} else if r.RolesMatch != "" {
		ep.MatchAll = r.RolesMatch == "all"
	}
	v.checkMatch(&r.RolesMatch)
	if r.RolesMatch != "" && len(ep.Roles) == 0 && !r.Public {
		v.errorAt(&r.RolesMatch, "route %s sets roles_match but has no roles; add roles: or drop roles_match", ep.Pattern())
	}
	v.checkRoleRefs("route "+ep.Pattern(), r.Roles)
	switch r.Auth {
	case "", "required":
	case "optional":
		ep.Access = AccessOptional
	default:
		v.errorAt(&r.Auth, "auth %q is not known; use optional or required (or public: true)", r.Auth)
	}
	if r.Public {
		ep.Access = AccessPublic
		if len(r.Roles) > 0 {
			v.errorAt(&r.Public, "route %s is public and requires roles at once; drop public: true or the roles", ep.Pattern())
		}
		if r.Auth != "" {
			v.errorAt(&r.Auth, "route %s is public and sets auth at once; drop one", ep.Pattern())
		}
		ep.Roles = nil
	}
	if ep.Access == AccessOptional && len(ep.Roles) > 0 {
		v.errorAt(&r.Auth, "route %s has auth: optional and roles at once; roles need a token", ep.Pattern())
	}
}

func (v *validator) resolveName(r *Route, ep *Endpoint) {
	if r.Name == "" {
		ep.Name = DeriveName(ep.Method, ep.Path)
		return
	}
	if !goNameRE.MatchString(r.Name) {
		v.errorAt(&r.Name, "name %q must be an exported Go identifier (an upper-case letter, then letters and digits)", r.Name)
	}
	ep.Name = r.Name
}

// checkUnique reports duplicate patterns, Go names and handler files.
func (v *validator) checkUnique(eps []Endpoint) {
	patterns := map[string]*Endpoint{}
	names := map[string]*Endpoint{}
	files := map[string]*Endpoint{}
	for i := range eps {
		ep := &eps[i]
		if first, ok := patterns[ep.Pattern()]; ok {
			v.errorAt(&ep.Route.Path, "route %s is declared twice (first at line %d); remove one or change its method or path", ep.Pattern(), v.s.PosOf(&first.Route.Path).Line)
		}
		patterns[ep.Pattern()] = ep
		if first, ok := names[ep.Name]; ok && first.Pattern() != ep.Pattern() {
			v.errorAt(v.namePtr(ep), "routes %s and %s (line %d) both get the Go name %q; give one of them its own name: key", ep.Pattern(), first.Pattern(), v.s.PosOf(v.namePtr(first)).Line, ep.Name)
		} else if first, ok := files[FileName(ep.Name)]; ok && first.Name != ep.Name {
			v.errorAt(v.namePtr(ep), "routes %s and %s (line %d) would share the handler file %s; give one of them its own name: key", ep.Pattern(), first.Pattern(), v.s.PosOf(v.namePtr(first)).Line, FileName(ep.Name))
		}
		names[ep.Name] = ep
		files[FileName(ep.Name)] = ep
	}
}

func (v *validator) namePtr(ep *Endpoint) any {
	if ep.Route.Name != "" {
		return &ep.Route.Name
	}
	return ep.Route
}

// checkConflicts registers every pattern on a real http.ServeMux, so that
// a generated server can never panic at start, and explains each pattern
// the mux refuses by finding the earlier pattern it conflicts with under
// the mux's own precedence rules. The mux indexes its patterns, so this
// stays fast for thousands of routes; the pairwise search runs only for a
// refused pattern.
func (v *validator) checkConflicts(eps []Endpoint) {
	var done []Endpoint
	seen := map[string]bool{}
	mux := http.NewServeMux()
	for _, p := range v.s.GeneratedPatterns() {
		register(mux, p)
	}
	for _, ep := range eps {
		if seen[ep.Pattern()] {
			continue // a duplicate, reported by checkUnique
		}
		seen[ep.Pattern()] = true
		msg := register(mux, ep.Pattern())
		if msg == "" {
			done = append(done, ep)
			continue
		}
		if other, ok := v.conflictWith(ep, done); ok {
			v.errorAt(&ep.Route.Path, "%s", v.conflictMessage(ep, other))
			continue
		}
		_, why, _ := strings.Cut(msg, ":\n")
		v.errorAt(&ep.Route.Path, "route %s is refused by http.ServeMux: %s", ep.Pattern(), why)
	}
}

// conflictWith returns the first earlier endpoint, or generated endpoint
// (without a Route), that ep conflicts with. Exact duplicates are left to
// checkUnique.
func (v *validator) conflictWith(ep Endpoint, done []Endpoint) (Endpoint, bool) {
	for _, other := range done {
		if other.Pattern() != ep.Pattern() && conflicting(other.Method, other.Path, ep.Method, ep.Path) {
			return other, true
		}
	}
	for _, p := range v.s.GeneratedPatterns() {
		method, path, _ := strings.Cut(p, " ")
		if p != ep.Pattern() && conflicting(method, path, ep.Method, ep.Path) {
			return Endpoint{Method: method, Path: path}, true
		}
	}
	return Endpoint{}, false
}

// register adds pattern to mux and returns the panic message, if any.
func register(mux *http.ServeMux, pattern string) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	return ""
}

// conflictMessage says which route ep conflicts with and on what request.
func (v *validator) conflictMessage(ep, other Endpoint) string {
	what := "the generated endpoint " + other.Pattern()
	if other.Route != nil {
		what = fmt.Sprintf("route %s (line %d)", other.Pattern(), v.s.PosOf(&other.Route.Path).Line)
	}
	if comparePatterns(other.Method, other.Path, ep.Method, ep.Path) == equivalent {
		return fmt.Sprintf("route %s matches the same requests as %s, only its parameter names differ; remove one or change its path",
			ep.Pattern(), what)
	}
	method := ep.Method
	if compareMethods(ep.Method, other.Method) == moreGeneral {
		method = other.Method
	}
	return fmt.Sprintf("route %s and %s both match some requests, such as %s %s, and neither is more specific, so http.ServeMux would refuse them; change one path",
		ep.Pattern(), what, method, commonPath(ep.Path, other.Path))
}
