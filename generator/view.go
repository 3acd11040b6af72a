package generator

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secgen/secgen/spec"
)

// view is what every template renders from.
type view struct {
	Name      string
	Module    string
	EnvPrefix string
	SpecFile  string // the spec's file name, relative to the project root
	S         *spec.Spec
	Grants    []grantView
	Routes    []routeView
	MinTLS    string // Go expression
	HSTS      string // header value, "" when dropped

	APIImport      string // import path of the generated package
	APIPackage     string // its package name
	HandlersImport string // import path of the scaffolded handlers
}

type grantView struct {
	Role   string
	Grants []string
}

// routeView is one endpoint with what its generated tests expect.
type routeView struct {
	spec.Endpoint
	Summary   string // one line for the doc comment
	File      string // scaffolded handler file name
	Sample    string // a concrete path that the pattern matches
	RateN     int
	RatePer   time.Duration
	Allow     [][]string // role sets that must reach the handler
	Deny      [][]string // role sets that must get 403
	AccessLit string
}

func newView(s *spec.Spec, module, specFile string) *view {
	v := &view{
		Name:      s.Name,
		Module:    module,
		EnvPrefix: s.EnvPrefix(),
		SpecFile:  specFile,
		S:         s,
		MinTLS:    map[string]string{"1.2": "tls.VersionTLS12", "1.3": "tls.VersionTLS13"}[s.Server.TLS.MinVersion],
		HSTS:      hstsValue(s.Headers.HSTS),
	}
	grants := s.Grants()
	for _, r := range s.RoleNames() {
		v.Grants = append(v.Grants, grantView{Role: r, Grants: grants[r]})
	}
	for _, ep := range s.Endpoints() {
		v.Routes = append(v.Routes, newRouteView(s, ep, grants))
	}
	return v
}

func hstsValue(h spec.HSTS) string {
	if h.MaxAge == 0 {
		return ""
	}
	val := "max-age=" + itoa(h.MaxAge)
	if h.IncludeSubdomains {
		val += "; includeSubDomains"
	}
	if h.Preload {
		val += "; preload"
	}
	return val
}

func newRouteView(s *spec.Spec, ep spec.Endpoint, grants map[string][]string) routeView {
	rv := routeView{
		Endpoint:  ep,
		File:      spec.FileName(ep.Name),
		Sample:    samplePath(ep.Path),
		AccessLit: map[spec.Access]string{spec.AccessRequired: "AccessRequired", spec.AccessOptional: "AccessOptional", spec.AccessPublic: "AccessPublic"}[ep.Access],
	}
	if !ep.Rate.Off {
		rv.RateN, rv.RatePer = ep.Rate.N, ep.Rate.Per
	}
	rv.Summary = commentText(summary(ep))
	if ep.Access == spec.AccessRequired {
		rv.Allow, rv.Deny = roleCases(s.RoleNames(), ep, grants)
	}
	return rv
}

// commentText makes s safe inside a // comment: a line break would end
// the comment and turn the rest into code, so any control character makes
// the text appear quoted instead.
func commentText(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' }) {
		return strconv.Quote(s)
	}
	return s
}

func summary(ep spec.Endpoint) string {
	var who string
	switch {
	case ep.Access == spec.AccessPublic:
		who = "public"
	case ep.Access == spec.AccessOptional:
		who = "token optional"
	case len(ep.Roles) == 0:
		who = "any signed-in user"
	case ep.MatchAll:
		who = "roles, all of: " + strings.Join(ep.Roles, ", ")
	default:
		who = "roles: " + strings.Join(ep.Roles, ", ")
	}
	if ep.Rate.N > 0 {
		who += ", " + ep.Rate.String()
	}
	return ep.Pattern() + " (" + who + ")"
}

// samplePath fills each wildcard of path with a concrete value.
func samplePath(path string) string {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		switch {
		case seg == "{$}":
			segs[i] = ""
		case strings.HasSuffix(seg, "...}"):
			segs[i] = "a/b"
		case strings.HasPrefix(seg, "{"):
			segs[i] = "x1"
		}
	}
	return strings.Join(segs, "/")
}

// roleCases computes, independently of the generated server, which role
// sets a route must let through and which it must refuse with 403.
func roleCases(roles []string, ep spec.Endpoint, grants map[string][]string) (allow, deny [][]string) {
	if len(ep.Roles) == 0 {
		return [][]string{{}}, nil
	}
	has := func(set []string, want string) bool {
		for _, r := range set {
			if slices.Contains(grants[r], want) {
				return true
			}
		}
		return false
	}
	passes := func(set []string) bool {
		for _, want := range ep.Roles {
			ok := has(set, want)
			if ep.MatchAll && !ok {
				return false
			}
			if !ep.MatchAll && ok {
				return true
			}
		}
		return ep.MatchAll
	}
	deny = append(deny, []string{})
	if ep.MatchAll {
		allow = append(allow, slices.Clone(ep.Roles))
		if len(ep.Roles) > 1 {
			deny = append(deny, slices.Clone(ep.Roles[1:]))
		}
	}
	for _, r := range roles {
		if passes([]string{r}) {
			allow = append(allow, []string{r})
		} else {
			deny = append(deny, []string{r})
		}
	}
	return allow, deny
}
