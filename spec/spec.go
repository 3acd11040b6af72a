// Package spec loads, defaults and validates secgen.yaml, the description of
// an API's routes and the roles they require.
package spec

import "time"

// Version is the only spec version this secgen understands.
const Version = 1

// Spec is a loaded secgen.yaml with every default filled in.
type Spec struct {
	Version   int        `yaml:"version"`
	Name      string     `yaml:"name"`
	Module    string     `yaml:"module"`
	Roles     Roles      `yaml:"roles"`
	Auth      Auth       `yaml:"auth"`
	Server    Server     `yaml:"server"`
	RateLimit RateLimit  `yaml:"rate_limit"`
	CORS      CORS       `yaml:"cors"`
	Headers   Headers    `yaml:"headers"`
	Errors    ErrorsConf `yaml:"errors"`
	Routes    []Route    `yaml:"routes"`
	Groups    []Group    `yaml:"groups"`

	// File is the path the spec was read from, as given to Load.
	File string `yaml:"-"`

	pos       map[any]Pos
	failed    map[any]bool // values whose decoding failed
	endpoints []Endpoint
}

// Role is a declared role and the roles it inherits.
type Role struct {
	Name        string   `yaml:"-"`
	Description string   `yaml:"description"`
	Inherits    []string `yaml:"inherits"`
}

// Roles is the roles section: a list of names or a map of name to Role.
type Roles []Role

// Auth configures tokens, passwords and the generated auth endpoints.
type Auth struct {
	Algorithm  string   `yaml:"algorithm"`
	SecretEnv  string   `yaml:"secret_env"`
	KeyFile    string   `yaml:"key_file"`
	Issuer     string   `yaml:"issuer"`
	Audience   string   `yaml:"audience"`
	TokenTTL   Duration `yaml:"token_ttl"`
	BcryptCost int      `yaml:"bcrypt_cost"`
	Login      Login    `yaml:"login"`
	Register   Register `yaml:"register"`
	Refresh    Refresh  `yaml:"refresh"`
	Users      Users    `yaml:"users"`
}

// Login configures the login endpoint.
type Login struct {
	Path      string `yaml:"path"`
	RateLimit Rate   `yaml:"rate_limit"`
}

// Register configures self sign-up.
type Register struct {
	Enabled      bool     `yaml:"enabled"`
	Path         string   `yaml:"path"`
	DefaultRoles []string `yaml:"default_roles"`
}

// Refresh configures rotating refresh tokens and logout.
type Refresh struct {
	Enabled    bool     `yaml:"enabled"`
	TTL        Duration `yaml:"ttl"`
	Path       string   `yaml:"path"`
	LogoutPath string   `yaml:"logout_path"`
}

// Users configures the user store.
type Users struct {
	Store  string `yaml:"store"`
	DSNEnv string `yaml:"dsn_env"`
}

// Server configures the listener.
type Server struct {
	Addr           string   `yaml:"addr"`
	TLS            TLS      `yaml:"tls"`
	TrustedProxies []string `yaml:"trusted_proxies"`
	MaxBody        Size     `yaml:"max_body"`
	Timeouts       Timeouts `yaml:"timeouts"`
	HealthPath     string   `yaml:"health_path"`
}

// TLS configures HTTPS, or says that TLS ends at a proxy.
type TLS struct {
	Mode       string `yaml:"mode"`
	CertFile   string `yaml:"cert_file"`
	KeyFile    string `yaml:"key_file"`
	MinVersion string `yaml:"min_version"`
}

// Timeouts are the http.Server timeouts and the shutdown grace period.
type Timeouts struct {
	ReadHeader Duration `yaml:"read_header"`
	Read       Duration `yaml:"read"`
	Write      Duration `yaml:"write"`
	Idle       Duration `yaml:"idle"`
	Shutdown   Duration `yaml:"shutdown"`
}

// RateLimit configures the per-client limiter.
type RateLimit struct {
	Default    Rate   `yaml:"default"`
	Burst      int    `yaml:"burst"`
	Key        string `yaml:"key"`
	Store      string `yaml:"store"`
	URLEnv     string `yaml:"url_env"`
	MaxClients int    `yaml:"max_clients"`
}

// CORS configures cross-origin requests.
type CORS struct {
	Origins     []string `yaml:"origins"`
	Methods     []string `yaml:"methods"`
	Headers     []string `yaml:"headers"`
	Credentials bool     `yaml:"credentials"`
	MaxAge      Duration `yaml:"max_age"`
}

// Headers holds the security header values; "" drops a header.
type Headers struct {
	HSTS                  HSTS   `yaml:"hsts"`
	ContentSecurityPolicy string `yaml:"content_security_policy"`
	FrameOptions          string `yaml:"frame_options"`
	ContentTypeOptions    string `yaml:"content_type_options"`
	ReferrerPolicy        string `yaml:"referrer_policy"`
}

// HSTS is the Strict-Transport-Security policy; MaxAge 0 drops the header.
type HSTS struct {
	MaxAge            int  `yaml:"max_age"`
	IncludeSubdomains bool `yaml:"include_subdomains"`
	Preload           bool `yaml:"preload"`
}

// ErrorsConf chooses the JSON shape of error answers.
type ErrorsConf struct {
	Format string `yaml:"format"`
}

// Route is one route as written in the spec.
type Route struct {
	Name       string   `yaml:"name"`
	Method     string   `yaml:"method"`
	Path       string   `yaml:"path"`
	Public     bool     `yaml:"public"`
	Auth       string   `yaml:"auth"`
	Roles      []string `yaml:"roles"`
	RolesMatch string   `yaml:"roles_match"`
	RateLimit  *Rate    `yaml:"rate_limit"`
	MaxBody    *Size    `yaml:"max_body"`
}

// Group shares a prefix, roles and limits among its routes.
type Group struct {
	Prefix     string   `yaml:"prefix"`
	Roles      []string `yaml:"roles"`
	RolesMatch string   `yaml:"roles_match"`
	RateLimit  *Rate    `yaml:"rate_limit"`
	MaxBody    *Size    `yaml:"max_body"`
	Routes     []Route  `yaml:"routes"`
}

// Access says what a route asks of the caller.
type Access string

// The three kinds of access.
const (
	AccessRequired Access = "required"
	AccessOptional Access = "optional"
	AccessPublic   Access = "public"
)

// Endpoint is a route resolved against its group: full path, effective
// access, roles and limits, and its Go method name.
type Endpoint struct {
	Name     string
	Method   string
	Path     string
	Access   Access
	Roles    []string
	MatchAll bool
	Rate     Rate // zero N with Off false: the default applies
	MaxBody  int64
	Route    *Route // the route as written
}

// Pattern is the http.ServeMux pattern of the endpoint.
func (e Endpoint) Pattern() string { return e.Method + " " + e.Path }

// Endpoints returns the resolved routes, groups flattened, in spec order.
func (s *Spec) Endpoints() []Endpoint { return s.endpoints }

// RoleNames returns the declared role names in spec order.
func (s *Spec) RoleNames() []string {
	names := make([]string, len(s.Roles))
	for i, r := range s.Roles {
		names[i] = r.Name
	}
	return names
}

// Grants returns, for each role, every role it grants: itself and the
// roles it inherits, transitively, sorted.
func (s *Spec) Grants() map[string][]string {
	byName := map[string]Role{}
	for _, r := range s.Roles {
		byName[r.Name] = r
	}
	out := map[string][]string{}
	for _, r := range s.Roles {
		seen := map[string]bool{}
		var walk func(name string)
		walk = func(name string) {
			if seen[name] {
				return
			}
			seen[name] = true
			for _, in := range byName[name].Inherits {
				walk(in)
			}
		}
		walk(r.Name)
		out[r.Name] = sortedKeys(seen)
	}
	return out
}

// Duration is a Go duration written as "15m" or "720h".
type Duration time.Duration

// Size is a byte count written as 1048576, "64KiB" or "1MiB".
type Size int64

// Rate is N requests per period, or Off.
type Rate struct {
	N   int
	Per time.Duration
	Off bool
}

// String renders the rate the way the spec writes it.
func (r Rate) String() string {
	if r.Off {
		return "off"
	}
	unit := map[time.Duration]string{time.Second: "second", time.Minute: "minute", time.Hour: "hour"}[r.Per]
	return itoa(r.N) + "/" + unit
}
