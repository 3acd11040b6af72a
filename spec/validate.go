package spec

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/module"
)

var (
	nameRE     = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)
	roleRE     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.:-]{0,63}$`)
	goNameRE   = regexp.MustCompile(`^[A-Z][A-Za-z0-9]{0,79}$`)
	envRE      = regexp.MustCompile(`^[A-Z_][A-Z0-9_]{0,63}$`)
	wildcardRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	segmentRE  = regexp.MustCompile(`^[A-Za-z0-9._~!$&'()*+,;=:@-]+$`)
	tokenRE    = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
)

var methods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// stateChanging methods are the ones a public route should think twice about.
var stateChanging = []string{"POST", "PUT", "PATCH", "DELETE"}

type validator struct {
	s     *Spec
	errs  ErrorList
	warns []*Warning
}

func (v *validator) errorAt(ptr any, format string, args ...any) {
	v.errs = append(v.errs, &Error{File: v.s.File, Pos: v.s.PosOf(ptr), Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) errorPos(p Pos, format string, args ...any) {
	v.errs = append(v.errs, &Error{File: v.s.File, Pos: p, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) warnAt(ptr any, format string, args ...any) {
	v.warns = append(v.warns, &Warning{File: v.s.File, Pos: v.s.PosOf(ptr), Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) warnings() []*Warning {
	l := ErrorList(v.warns)
	l.sort()
	return l
}

func (v *validator) validate(root *yaml.Node) {
	if !v.checkVersion(root) {
		return
	}
	v.checkName()
	v.checkRoles()
	v.checkAuth()
	v.checkServer()
	v.checkRateLimit()
	v.checkCORS()
	v.checkHeaders()
	v.checkRoutes(root)
}

// checkVersion reports a missing or unknown version and whether it is 1.
func (v *validator) checkVersion(root *yaml.Node) bool {
	s := v.s
	if _, ok := s.pos[&s.Version]; !ok {
		v.errorPos(nodePos(root), "version is missing; add `version: %d` at the top of the spec", Version)
		return false
	}
	if s.Version != Version {
		v.errorAt(&s.Version, "version %d is not one this secgen knows; the only version is %d", s.Version, Version)
		return false
	}
	return true
}

func (v *validator) checkName() {
	s := v.s
	if _, ok := s.pos[&s.Name]; !ok {
		v.errorPos(Pos{1, 1}, "name is missing; add a lower-case name such as `name: blog`")
	} else if !nameRE.MatchString(s.Name) {
		v.errorAt(&s.Name, "name %q must start with a lower-case letter and hold only lower-case letters, digits, - or _ (at most 40)", s.Name)
	}
	if _, ok := s.pos[&s.Module]; ok {
		if err := module.CheckPath(s.Module); err != nil {
			v.errorAt(&s.Module, "module %q is not a valid Go module path: %v", s.Module, err)
		}
	}
}

func (v *validator) checkRoles() {
	s := v.s
	names := s.RoleNames()
	seen := map[string]bool{}
	for _, r := range s.Roles {
		p := s.PosOf(roleKey(r.Name))
		switch {
		case !roleRE.MatchString(r.Name):
			v.errorPos(p, "role name %q must start with a letter and hold only letters, digits, _ . : or -", r.Name)
		case seen[r.Name]:
			v.errorPos(p, "role %q is declared twice", r.Name)
		}
		seen[r.Name] = true
	}
	for _, r := range s.Roles {
		for i, in := range r.Inherits {
			if !slices.Contains(names, in) {
				v.errorPos(s.PosOf(inheritKey{r.Name, i}), "role %q inherits %q, which is not declared%s", r.Name, in, suggest(in, names))
			}
		}
	}
	v.checkCycles()
}

// checkCycles reports each inheritance cycle once, at its first role.
func (v *validator) checkCycles() {
	s := v.s
	inherits := map[string][]string{}
	for _, r := range s.Roles {
		inherits[r.Name] = r.Inherits
	}
	state := map[string]int{} // 0 new, 1 on the path, 2 done
	var path []string
	var visit func(name string)
	visit = func(name string) {
		state[name] = 1
		path = append(path, name)
		for _, in := range inherits[name] {
			switch state[in] {
			case 0:
				if _, ok := inherits[in]; ok {
					visit(in)
				}
			case 1:
				start := slices.Index(path, in)
				cycle := append(slices.Clone(path[start:]), in)
				v.errorPos(s.PosOf(inheritsKey(in)), "roles inherit in a cycle: %s", strings.Join(cycle, " -> "))
			}
		}
		path = path[:len(path)-1]
		state[name] = 2
	}
	for _, r := range s.Roles {
		if state[r.Name] == 0 {
			visit(r.Name)
		}
	}
}

// checkRoleRefs reports names in list that are not declared roles.
func (v *validator) checkRoleRefs(what string, list []string) {
	names := v.s.RoleNames()
	for i := range list {
		if !slices.Contains(names, list[i]) {
			hint := suggest(list[i], names)
			if len(names) == 0 {
				hint = " (the spec declares no roles; add a roles: section)"
			}
			v.errorAt(&list[i], "%s: unknown role %q%s", what, list[i], hint)
		}
	}
}

func (v *validator) checkAuth() {
	a := &v.s.Auth
	switch a.Algorithm {
	case "HS256":
	case "EdDSA":
		if a.KeyFile == "" {
			v.errorAt(&a.Algorithm, "algorithm EdDSA needs auth.key_file, the Ed25519 private key in PEM")
		}
	default:
		v.errorAt(&a.Algorithm, "algorithm %q is not supported; use HS256 or EdDSA", a.Algorithm)
	}
	v.checkEnv(&a.SecretEnv)
	v.checkEnv(&a.Users.DSNEnv)
	if ttl := time.Duration(a.TokenTTL); ttl > 24*time.Hour {
		v.errorAt(&a.TokenTTL, "token_ttl %s is longer than 24h; keep access tokens short and turn on auth.refresh for long sessions", fmtDuration(ttl))
	} else if ttl > time.Hour {
		v.warnAt(&a.TokenTTL, "token_ttl %s is long for an access token; an hour or less is usual", fmtDuration(ttl))
	}
	if a.BcryptCost < 10 || a.BcryptCost > 15 {
		v.errorAt(&a.BcryptCost, "bcrypt_cost %d is out of range; use 10 to 15 (12 is the default)", a.BcryptCost)
	}
	if a.Login.RateLimit.Off {
		v.errorAt(&a.Login.RateLimit, "the login rate limit cannot be off; it is what stops password guessing")
	}
	v.checkPath(&a.Login.Path, "login path")
	if a.Register.Enabled {
		v.checkPath(&a.Register.Path, "register path")
		v.checkRoleRefs("register.default_roles", a.Register.DefaultRoles)
	}
	if a.Refresh.Enabled {
		v.checkPath(&a.Refresh.Path, "refresh path")
		v.checkPath(&a.Refresh.LogoutPath, "logout path")
		if ttl := time.Duration(a.Refresh.TTL); ttl > 90*24*time.Hour {
			v.errorAt(&a.Refresh.TTL, "refresh ttl %s is longer than 90 days (2160h)", fmtDuration(ttl))
		}
	}
	switch a.Users.Store {
	case "sqlite":
	case "postgres":
		v.errorAt(&a.Users.Store, "users.store postgres is not supported by this secgen yet; use sqlite")
	default:
		v.errorAt(&a.Users.Store, "users.store %q is not a store; use sqlite", a.Users.Store)
	}
}

func (v *validator) checkEnv(p *string) {
	if _, written := v.s.pos[p]; !written && !nameRE.MatchString(v.s.Name) {
		return // derived from a bad name, which is reported already
	}
	if !envRE.MatchString(*p) {
		v.errorAt(p, "%q is not an environment variable name (upper-case letters, digits and _)", *p)
	}
}

func (v *validator) checkServer() {
	sv := &v.s.Server
	if _, port, err := net.SplitHostPort(sv.Addr); err != nil {
		v.errorAt(&sv.Addr, "addr %q is not host:port (for example \":8443\")", sv.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		v.errorAt(&sv.Addr, "addr %q has no valid port", sv.Addr)
	}
	switch sv.TLS.Mode {
	case "file":
	case "proxy":
		if len(sv.TrustedProxies) == 0 {
			v.errorAt(&sv.TLS.Mode, "tls mode proxy serves plain HTTP and needs server.trusted_proxies, the addresses of the proxy that ends TLS")
		}
	default:
		v.errorAt(&sv.TLS.Mode, "tls mode %q is not known; use file (certificate files) or proxy (TLS ends at a load balancer)", sv.TLS.Mode)
	}
	if sv.TLS.MinVersion != "1.2" && sv.TLS.MinVersion != "1.3" {
		v.errorAt(&sv.TLS.MinVersion, "tls min_version %q is not allowed; use \"1.2\" or \"1.3\"", sv.TLS.MinVersion)
	}
	for i := range sv.TrustedProxies {
		if _, err := parsePrefix(sv.TrustedProxies[i]); err != nil {
			v.errorAt(&sv.TrustedProxies[i], "trusted proxy %q is not an IP address or CIDR such as 10.0.0.0/8", sv.TrustedProxies[i])
		}
	}
	v.checkPath(&sv.HealthPath, "health path")
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func (v *validator) checkRateLimit() {
	rl := &v.s.RateLimit
	if rl.Default.Off {
		v.warnAt(&rl.Default, "the default rate limit is off: every route without its own limit is unlimited")
	}
	if rl.Burst < 1 || rl.Burst > 100000 {
		v.errorAt(&rl.Burst, "burst %d is out of range; use 1 to 100000", rl.Burst)
	}
	if rl.Key != "ip" && rl.Key != "user" {
		v.errorAt(&rl.Key, "rate_limit key %q is not known; use ip or user", rl.Key)
	}
	switch rl.Store {
	case "memory":
	case "redis":
		v.errorAt(&rl.Store, "rate_limit store redis is not supported by this secgen yet; use memory")
	default:
		v.errorAt(&rl.Store, "rate_limit store %q is not known; use memory", rl.Store)
	}
	v.checkEnv(&rl.URLEnv)
	if rl.MaxClients < 1000 || rl.MaxClients > 10_000_000 {
		v.errorAt(&rl.MaxClients, "max_clients %d is out of range; use 1000 to 10000000", rl.MaxClients)
	}
}

func (v *validator) checkCORS() {
	c := &v.s.CORS
	for i := range c.Origins {
		o := &c.Origins[i]
		if *o == "*" {
			if c.Credentials {
				v.errorAt(o, `origin "*" cannot be combined with credentials: true; list the exact origins instead`)
			} else {
				v.warnAt(o, `origin "*" lets every web site call this API from a browser`)
			}
			continue
		}
		if msg := originProblem(*o); msg != "" {
			v.errorAt(o, "origin %q %s", *o, msg)
		}
	}
	for i := range c.Methods {
		if !slices.Contains(methods, c.Methods[i]) {
			v.errorAt(&c.Methods[i], "cors method %q is not an HTTP method%s", c.Methods[i], suggest(c.Methods[i], methods))
		}
	}
	for i := range c.Headers {
		if !tokenRE.MatchString(c.Headers[i]) {
			v.errorAt(&c.Headers[i], "cors header %q is not a header name", c.Headers[i])
		}
	}
	if time.Duration(c.MaxAge) > 24*time.Hour {
		v.errorAt(&c.MaxAge, "cors max_age %s is longer than browsers keep a preflight (24h)", fmtDuration(time.Duration(c.MaxAge)))
	}
}

// originProblem says what is wrong with an exact origin, or "".
func originProblem(o string) string {
	if o == "null" {
		return "is refused: the null origin is sent by sandboxed pages and files, any of which could be hostile"
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "is not an origin; write scheme://host[:port], such as https://app.example.com"
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.HasSuffix(o, "?") || strings.HasSuffix(o, "#") {
		return "is not an origin: an origin is scheme://host[:port] with nothing after it"
	}
	if strings.Contains(u.Host, "*") {
		return "holds a wildcard; origins are matched exactly"
	}
	if o != strings.ToLower(o) {
		return "must be lower-case, as browsers send it"
	}
	return ""
}

func (v *validator) checkHeaders() {
	h := &v.s.Headers
	for _, p := range []*string{&h.ContentSecurityPolicy, &h.FrameOptions, &h.ContentTypeOptions, &h.ReferrerPolicy} {
		if strings.ContainsFunc(*p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			v.errorAt(p, "header value %q holds a control character (CR, LF or similar)", *p)
		}
	}
	if h.HSTS.MaxAge < 0 {
		v.errorAt(&h.HSTS.MaxAge, "hsts max_age %d is negative", h.HSTS.MaxAge)
	} else if h.HSTS.MaxAge == 0 {
		v.warnAt(&h.HSTS.MaxAge, "hsts max_age 0 drops Strict-Transport-Security")
	}
	if h.FrameOptions != "" && h.FrameOptions != "DENY" && h.FrameOptions != "SAMEORIGIN" {
		v.errorAt(&h.FrameOptions, "frame_options %q must be DENY, SAMEORIGIN or \"\"", h.FrameOptions)
	}
	if h.ContentTypeOptions != "" && h.ContentTypeOptions != "nosniff" {
		v.errorAt(&h.ContentTypeOptions, "content_type_options %q must be nosniff or \"\"", h.ContentTypeOptions)
	}
	if f := v.s.Errors.Format; f != "problem" && f != "nest" {
		v.errorAt(&v.s.Errors.Format, "errors format %q is not known; use problem (RFC 9457) or nest", f)
	}
}

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
	for i := range s.Routes {
		if ep, ok := v.endpoint(&s.Routes[i], nil); ok {
			eps = append(eps, ep)
		}
	}
	for gi := range s.Groups {
		g := &s.Groups[gi]
		if !v.checkPrefix(g) {
			continue
		}
		v.checkRoleRefs("group "+g.Prefix, g.Roles)
		v.checkMatch(&g.RolesMatch)
		if len(g.Routes) == 0 {
			v.errorAt(&g.Routes, "group %s has no routes", g.Prefix)
		}
		for ri := range g.Routes {
			if ep, ok := v.endpoint(&g.Routes[ri], g); ok {
				eps = append(eps, ep)
			}
		}
	}
	if len(s.Routes) == 0 && len(eps) == 0 && len(v.errs) == 0 {
		p := nodePos(root)
		if pp, ok := s.pos[&s.Routes]; ok {
			p = pp
		}
		v.errorPos(p, "the spec has no routes; add at least one under routes: or groups:")
	}
	v.checkUnique(eps)
	v.checkConflicts(eps)
	s.endpoints = eps
}

func (v *validator) checkPrefix(g *Group) bool {
	if g.Prefix == "" {
		v.errorAt(&g.Prefix, "group has no prefix")
		return false
	}
	return v.checkPath(&g.Prefix, "group prefix")
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
	if _, ok := v.s.pos[&r.Path]; !ok {
		v.errorAt(r, "route has no path; add path: /something")
	} else {
		v.checkPath(&r.Path, "path")
	}
	ep := Endpoint{Method: r.Method, Path: r.Path, Route: r, Access: AccessRequired}
	if g != nil {
		ep.Path = g.Prefix + r.Path
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
			v.errorAt(&r.Roles, "route %s is public and requires roles at once; drop public: true or the roles", ep.Pattern())
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
			v.errorAt(ep.Route, "route %s is declared twice (first at line %d)", ep.Pattern(), v.s.PosOf(first.Route).Line)
		}
		patterns[ep.Pattern()] = ep
		if first, ok := names[ep.Name]; ok && first.Pattern() != ep.Pattern() {
			v.errorAt(v.namePtr(ep), "routes %s and %s (line %d) both get the Go name %q; give one of them its own name: key", ep.Pattern(), first.Pattern(), v.s.PosOf(first.Route).Line, ep.Name)
		} else if first, ok := files[FileName(ep.Name)]; ok && first.Name != ep.Name {
			v.errorAt(v.namePtr(ep), "routes %s and %s (line %d) would share the handler file %s; give one of them its own name: key", ep.Pattern(), first.Pattern(), v.s.PosOf(first.Route).Line, FileName(ep.Name))
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

var likeRE = regexp.MustCompile(`like "([^"]*)"`)

// checkConflicts registers every pattern on a real http.ServeMux, which
// panics on the pairs it cannot order, and reports those pairs.
func (v *validator) checkConflicts(eps []Endpoint) {
	mux := http.NewServeMux()
	for _, p := range v.s.GeneratedPatterns() {
		mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
	}
	seen := map[string]bool{}
	var done []Endpoint
	for _, ep := range eps {
		if seen[ep.Pattern()] {
			continue
		}
		seen[ep.Pattern()] = true
		if msg := register(mux, ep.Pattern()); msg != "" {
			v.errorAt(ep.Route, "%s", v.conflictMessage(ep, done, msg))
			continue
		}
		done = append(done, ep)
	}
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

// conflictMessage names the earlier route ep conflicts with.
func (v *validator) conflictMessage(ep Endpoint, done []Endpoint, muxMsg string) string {
	like := ""
	if m := likeRE.FindStringSubmatch(muxMsg); m != nil {
		like = fmt.Sprintf(", such as %q,", m[1])
	}
	for _, other := range done {
		pair := http.NewServeMux()
		register(pair, other.Pattern())
		if register(pair, ep.Pattern()) != "" {
			return fmt.Sprintf("route %s conflicts with route %s (line %d): both match some paths%s and neither is more specific, so http.ServeMux would panic; change one path",
				ep.Pattern(), other.Pattern(), v.s.PosOf(other.Route).Line, like)
		}
	}
	return fmt.Sprintf("route %s conflicts with a generated endpoint (%s): both match some paths%s; change the path",
		ep.Pattern(), strings.Join(v.s.GeneratedPatterns(), ", "), like)
}

// fmtDuration prints a duration the way people write it: 720h, not 720h0m0s.
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
