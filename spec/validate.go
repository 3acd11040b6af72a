package spec

import (
	"fmt"
	"net"
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
	if v.s.failed[ptr] {
		return // the decoding error at ptr says it already
	}
	v.errs = append(v.errs, &Error{File: v.s.File, Pos: v.posOf(ptr), Msg: fmt.Sprintf(format, args...)})
}

// posOf is the position of a spec value (a pointer into the spec) or of a
// yaml.Node.
func (v *validator) posOf(ptr any) Pos {
	if n, ok := ptr.(*yaml.Node); ok {
		return nodePos(n)
	}
	return v.s.PosOf(ptr)
}

func (v *validator) errorPos(p Pos, format string, args ...any) {
	v.errs = append(v.errs, &Error{File: v.s.File, Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// hasErrorAt reports whether an error was recorded at p.
func (v *validator) hasErrorAt(p Pos) bool {
	return slices.ContainsFunc(v.errs, func(e *Error) bool { return e.Pos == p })
}

func (v *validator) warnAt(ptr any, format string, args ...any) {
	v.warns = append(v.warns, &Warning{File: v.s.File, Pos: v.posOf(ptr), Msg: fmt.Sprintf(format, args...)})
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
		if v.hasErrorAt(s.PosOf(&s.Version)) {
			return false // a wrong type, reported by the decoder
		}
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
		if err := module.CheckImportPath(s.Module); err != nil {
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
				hint := suggest(in, names)
				if hint == "" {
					others := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == r.Name })
					hint = "; declare it under roles: or inherit one of " + strings.Join(others, ", ")
				}
				v.errorPos(s.PosOf(inheritKey{r.Name, i}), "role %q inherits %q, which is not declared%s", r.Name, in, hint)
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
		for i, in := range inherits[name] {
			switch state[in] {
			case 0:
				if _, ok := inherits[in]; ok {
					visit(in)
				}
			case 1:
				start := slices.Index(path, in)
				cycle := append(slices.Clone(path[start:]), in)
				v.errorPos(s.PosOf(inheritKey{name, i}), "roles inherit in a cycle: %s; remove %q from the inherits of %q",
					strings.Join(cycle, " -> "), in, name)
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
	if v.s.failed[&v.s.Roles] {
		return // the roles section did not decode; every name would look unknown
	}
	names := v.s.RoleNames()
	for i := range list {
		if !slices.Contains(names, list[i]) {
			hint := suggest(list[i], names)
			switch {
			case len(names) == 0:
				hint = "; the spec declares no roles: add a roles: section, such as roles: [" + list[i] + "]"
			case hint == "":
				hint = "; declare it under roles: or use one of " + strings.Join(names, ", ")
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
		v.errorAt(&a.Algorithm, "algorithm %q is not supported; use HS256 or EdDSA%s", a.Algorithm, suggest(a.Algorithm, []string{"HS256", "EdDSA"}))
	}
	v.checkEnv(&a.SecretEnv)
	v.checkEnv(&a.Users.DSNEnv)
	v.checkText(&a.Issuer, "issuer")
	v.checkText(&a.Audience, "audience")
	v.checkText(&a.KeyFile, "key_file")
	v.checkTokenTTL()
	if a.BcryptCost < 10 || a.BcryptCost > 15 {
		v.errorAt(&a.BcryptCost, "bcrypt_cost %d is out of range; use 10 to 15 (12 is the default)", a.BcryptCost)
	}
	if a.Login.RateLimit.Off {
		v.errorAt(&a.Login.RateLimit, "the login rate limit cannot be off; it is what stops password guessing")
	}
	v.checkFixedPath(&a.Login.Path, "auth.login.path")
	v.checkRoleRefs("auth.register.default_roles", a.Register.DefaultRoles)
	if a.Register.Enabled {
		v.checkFixedPath(&a.Register.Path, "auth.register.path")
	}
	if a.Refresh.Enabled {
		v.checkFixedPath(&a.Refresh.Path, "auth.refresh.path")
		v.checkFixedPath(&a.Refresh.LogoutPath, "auth.refresh.logout_path")
		v.checkRefreshTTL()
	}
	v.checkGeneratedPaths()
	switch a.Users.Store {
	case "sqlite":
	case "postgres":
		v.errorAt(&a.Users.Store, "users.store postgres is not supported by this secgen yet; use sqlite")
	default:
		v.errorAt(&a.Users.Store, "users.store %q is not a store; use sqlite%s", a.Users.Store, suggest(a.Users.Store, []string{"sqlite", "postgres"}))
	}
}

// checkTokenTTL keeps access tokens between a minute and a day, and warns
// past an hour.
func (v *validator) checkTokenTTL() {
	a := &v.s.Auth
	switch ttl := time.Duration(a.TokenTTL); {
	case ttl > 24*time.Hour:
		v.errorAt(&a.TokenTTL, "token_ttl %s is longer than 24h; keep access tokens short and turn on auth.refresh for long sessions", fmtDuration(ttl))
	case ttl < time.Minute:
		v.errorAt(&a.TokenTTL, "token_ttl %s is shorter than a minute; tokens would expire before clients use them (15m is the default)", fmtDuration(ttl))
	case ttl > time.Hour:
		v.warnAt(&a.TokenTTL, "token_ttl %s is long for an access token, which cannot be revoked; an hour or less is usual", fmtDuration(ttl))
	}
}

// checkRefreshTTL keeps refresh tokens longer than access tokens and at
// most 90 days, and warns past 30.
func (v *validator) checkRefreshTTL() {
	a := &v.s.Auth
	switch ttl := time.Duration(a.Refresh.TTL); {
	case ttl > 90*24*time.Hour:
		v.errorAt(&a.Refresh.TTL, "refresh ttl %s is longer than 90 days (2160h)", fmtDuration(ttl))
	case ttl <= time.Duration(a.TokenTTL):
		v.errorAt(&a.Refresh.TTL, "refresh ttl %s must be longer than token_ttl %s, or refreshing gains nothing", fmtDuration(ttl), fmtDuration(time.Duration(a.TokenTTL)))
	case ttl > 30*24*time.Hour:
		v.warnAt(&a.Refresh.TTL, "refresh ttl %s is long: a stolen refresh token works that long unless revoked", fmtDuration(ttl))
	}
}

// checkFixedPath checks the path of a generated endpoint, which takes no
// parameters.
func (v *validator) checkFixedPath(p *string, what string) {
	if !v.checkPath(p, what) {
		return
	}
	if strings.Contains(*p, "{") {
		v.errorAt(p, "%s %q holds a parameter; a generated endpoint has a fixed path", what, *p)
	}
}

// checkGeneratedPaths refuses two generated endpoints on one path.
func (v *validator) checkGeneratedPaths() {
	s := v.s
	type gen struct {
		p    *string
		what string
	}
	list := []gen{{&s.Auth.Login.Path, "auth.login.path"}, {&s.Server.HealthPath, "server.health_path"}}
	if s.Auth.Register.Enabled {
		list = append(list, gen{&s.Auth.Register.Path, "auth.register.path"})
	}
	if s.Auth.Refresh.Enabled {
		list = append(list, gen{&s.Auth.Refresh.Path, "auth.refresh.path"}, gen{&s.Auth.Refresh.LogoutPath, "auth.refresh.logout_path"})
	}
	for i, g := range list {
		for _, earlier := range list[:i] {
			if *g.p == *earlier.p {
				at, other := g, earlier
				if _, written := s.pos[g.p]; !written {
					at, other = earlier, g
				}
				v.errorAt(at.p, "%s %q is also the path of %s; give each generated endpoint its own path", at.what, *at.p, other.what)
			}
		}
	}
}

// checkText refuses control characters in a free-text value.
func (v *validator) checkText(p *string, what string) {
	if strings.ContainsFunc(*p, isControl) {
		v.errorAt(p, "%s %q holds a control character (a line break, tab or similar)", what, *p)
	}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

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
	switch sv.TLS.MinVersion {
	case "1.2", "1.3":
	case "1.0", "1.1", "1", "1.0.0":
		v.errorAt(&sv.TLS.MinVersion, "tls min_version %q is below 1.2, which is broken; use \"1.2\" or \"1.3\"", sv.TLS.MinVersion)
	default:
		v.errorAt(&sv.TLS.MinVersion, "tls min_version %q is not a TLS version; use \"1.2\" or \"1.3\"", sv.TLS.MinVersion)
	}
	v.checkText(&sv.TLS.CertFile, "tls cert_file")
	v.checkText(&sv.TLS.KeyFile, "tls key_file")
	v.checkProxies()
	v.checkTimeouts()
	v.checkFixedPath(&sv.HealthPath, "server.health_path")
}

// checkProxies requires each trusted proxy to be an address or a CIDR
// without host bits, and warns about one that trusts everybody.
func (v *validator) checkProxies() {
	list := v.s.Server.TrustedProxies
	for i := range list {
		p, err := parsePrefix(list[i])
		switch {
		case err != nil:
			v.errorAt(&list[i], "trusted proxy %q is not an IP address or CIDR such as 10.0.0.0/8", list[i])
		case p.Masked() != p:
			v.errorAt(&list[i], "trusted proxy %q has bits set past the /%d (did you mean %q?)", list[i], p.Bits(), p.Masked().String())
		case p.Bits() == 0:
			v.warnAt(&list[i], "trusted proxy %q trusts every address: any client can pick the IP address the rate limiter sees", list[i])
		}
	}
}

// checkTimeouts keeps the server timeouts within an hour, shutdown within
// ten minutes.
func (v *validator) checkTimeouts() {
	t := &v.s.Server.Timeouts
	for _, d := range []struct {
		p    *Duration
		name string
		max  time.Duration
	}{
		{&t.ReadHeader, "read_header", time.Hour}, {&t.Read, "read", time.Hour}, {&t.Write, "write", time.Hour},
		{&t.Idle, "idle", time.Hour}, {&t.Shutdown, "shutdown", 10 * time.Minute},
	} {
		if time.Duration(*d.p) > d.max {
			v.errorAt(d.p, "timeouts.%s %s is longer than %s; long timeouts let slow clients hold connections", d.name, fmtDuration(time.Duration(*d.p)), fmtDuration(d.max))
		}
	}
	if t.ReadHeader > t.Read {
		var at any = &t.ReadHeader
		if _, written := v.s.pos[at]; !written {
			at = &t.Read
		}
		v.errorAt(at, "timeouts.read_header %s is longer than timeouts.read %s, which includes it", fmtDuration(time.Duration(t.ReadHeader)), fmtDuration(time.Duration(t.Read)))
	}
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
		switch {
		case c.Headers[i] == "*":
			v.warnAt(&c.Headers[i], `cors header "*" lets pages send any request header; list the headers clients need`)
		case !tokenRE.MatchString(c.Headers[i]):
			v.errorAt(&c.Headers[i], "cors header %q is not a header name (letters, digits and -, such as X-Request-Id)", c.Headers[i])
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
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsFunc(o, isControl) {
		return "is not an origin; write scheme://host[:port], such as https://app.example.com"
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.HasSuffix(o, "?") || strings.HasSuffix(o, "#") {
		return fmt.Sprintf("is not an origin: an origin is scheme://host[:port] with nothing after it (did you mean %q?)", u.Scheme+"://"+u.Host)
	}
	if strings.Contains(u.Host, "*") {
		return "holds a wildcard; origins are matched exactly"
	}
	if o != strings.ToLower(o) {
		return fmt.Sprintf("must be lower-case, as browsers send it (did you mean %q?)", strings.ToLower(o))
	}
	if u.Port() == map[string]string{"https": "443", "http": "80"}[u.Scheme] {
		return fmt.Sprintf("names the default port, which browsers leave out (did you mean %q?)", u.Scheme+"://"+u.Hostname())
	}
	return ""
}

func (v *validator) checkHeaders() {
	h := &v.s.Headers
	for _, p := range []*string{&h.ContentSecurityPolicy, &h.FrameOptions, &h.ContentTypeOptions, &h.ReferrerPolicy} {
		if strings.ContainsFunc(*p, func(r rune) bool { return isControl(r) || r > 0x7e }) {
			v.errorAt(p, "header value %q holds a line break, a control character or a non-ASCII character, which a header cannot carry", *p)
		}
	}
	v.checkHSTS()
	v.checkReferrerPolicy()
	if h.FrameOptions != "" && h.FrameOptions != "DENY" && h.FrameOptions != "SAMEORIGIN" {
		v.errorAt(&h.FrameOptions, "frame_options %q must be DENY, SAMEORIGIN or \"\"", h.FrameOptions)
	}
	if h.ContentTypeOptions != "" && h.ContentTypeOptions != "nosniff" {
		v.errorAt(&h.ContentTypeOptions, "content_type_options %q must be nosniff or \"\"", h.ContentTypeOptions)
	}
	if f := v.s.Errors.Format; f != "problem" && f != "nest" {
		hint := suggest(f, []string{"problem", "nest"})
		v.errorAt(&v.s.Errors.Format, "errors format %q is not known; use problem (RFC 9457) or nest%s", f, hint)
	}
}

// checkHSTS keeps max_age sane and refuses a preload request that the
// preload list would reject.
func (v *validator) checkHSTS() {
	h := &v.s.Headers.HSTS
	switch {
	case h.MaxAge < 0:
		v.errorAt(&h.MaxAge, "hsts max_age %d is negative; it is a number of seconds (63072000 is two years)", h.MaxAge)
	case h.MaxAge == 0:
		v.warnAt(&h.MaxAge, "hsts max_age 0 drops Strict-Transport-Security")
	case h.Preload && (h.MaxAge < 31536000 || !h.IncludeSubdomains):
		v.errorAt(&h.Preload, "hsts preload needs max_age of at least 31536000 (a year) and include_subdomains: true")
	}
}

// referrerPolicies are the values of the Referrer-Policy header.
var referrerPolicies = []string{
	"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
	"same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url",
}

// checkReferrerPolicy accepts "" or a comma-separated list of policies.
func (v *validator) checkReferrerPolicy() {
	p := &v.s.Headers.ReferrerPolicy
	if *p == "" {
		return
	}
	for _, tok := range strings.Split(*p, ",") {
		tok = strings.TrimSpace(tok)
		if !slices.Contains(referrerPolicies, tok) {
			v.errorAt(p, "referrer_policy %q is not a Referrer-Policy value%s; no-referrer is the default", tok, suggest(tok, referrerPolicies))
			return
		}
	}
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
