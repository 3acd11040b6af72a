package spec

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest spec Load reads; a bigger file is refused
// before parsing so that a hostile input cannot make secgen hang.
const MaxFileSize = 1 << 20

//go:embed starter.yaml
var starter []byte

// Starter returns the built-in starter spec that `secgen new` uses.
func Starter() []byte { return bytes.Clone(starter) }

// Load reads, defaults and validates the spec at path.
func Load(path string) (*Spec, []*Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading spec: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading spec: %w", err)
	}
	return Parse(path, data)
}

// Parse defaults and validates a spec held in memory; file names it in
// messages. The error, when not nil, is an [ErrorList].
func Parse(file string, data []byte) (*Spec, []*Warning, error) {
	if len(data) > MaxFileSize {
		return nil, nil, ErrorList{{File: file, Pos: Pos{1, 1}, Msg: "spec is larger than the 1MiB a spec may be"}}
	}
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, nil, err
	}

	s := defaults()
	s.File = file
	d := &decoder{file: file, pos: map[any]Pos{}, failed: map[any]bool{}}
	if !checkAliases(d, root) {
		d.errs.sort()
		return nil, nil, d.errs
	}
	d.decode(root, reflect.ValueOf(s).Elem())
	s.pos, s.failed = d.pos, d.failed
	s.fillDerived()

	// The rules run even when decoding failed, so that every error comes
	// at once; they skip the values whose decoding failed.
	v := &validator{s: s, errs: d.errs}
	v.validate(root)
	if len(v.errs) > 0 {
		v.errs.sort()
		return nil, nil, v.errs
	}
	warns := v.warnings()
	return s, warns, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses one YAML document and returns its top-level mapping.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ErrorList{{File: file, Pos: Pos{1, 1}, Msg: "spec is empty; it needs at least version, name and routes"}}
		}
		return nil, ErrorList{yamlError(file, data, err)}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, ErrorList{yamlError(file, data, err)}
	default:
		return nil, ErrorList{{File: file, Pos: atLeastOne(nodePos(&extra)), Msg: "spec holds more than one YAML document; remove the --- line and what follows"}}
	}
	if len(doc.Content) == 0 {
		return nil, ErrorList{{File: file, Pos: Pos{1, 1}, Msg: "spec is empty; it needs at least version, name and routes"}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, ErrorList{{File: file, Pos: nodePos(root), Msg: "spec must be a map of keys (version, name, routes, ...), found " + describe(root)}}
	}
	return root, nil
}

// atLeastOne keeps a position inside the file when the parser has none.
func atLeastOne(p Pos) Pos {
	return Pos{Line: max(p.Line, 1), Col: max(p.Col, 1)}
}

// yamlError turns a parser error into a positioned one. The parser gives
// a line only; the column is that of the first tab on the line when there
// is one (the usual culprit), else 1.
func yamlError(file string, data []byte, err error) *Error {
	msg := err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return &Error{File: file, Pos: Pos{1, 1}, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	col := 1
	lines := bytes.Split(data, []byte("\n"))
	// The parser reports a misplaced tab at the end of the line before it.
	for l := line; l <= line+1 && l <= len(lines); l++ {
		if i := bytes.IndexByte(lines[l-1], '\t'); i >= 0 && strings.Contains(msg, "tab") {
			line, col = l, i+1
			break
		}
	}
	msg = "invalid YAML: " + m[2]
	if strings.Contains(msg, "tab") {
		msg += "; indent with spaces"
	}
	if l, c, ok := unquotedParam(lines, line); ok && strings.Contains(msg, "did not find expected") {
		line, col = l, c
		msg += `; a path holding {parameters} inside a {...} route must be quoted, like path: "/posts/{id}"`
	}
	return &Error{File: file, Pos: atLeastOne(Pos{line, col}), Msg: msg}
}

var unquotedParamRE = regexp.MustCompile(`path:\s*(/[^"'\s,]*\{)`)

// unquotedParam finds, from the line after line up to three before, an unquoted
// path with a {parameter}: inside a flow map YAML reads its "{" as the
// start of another map, and the parser's complaint comes later.
func unquotedParam(lines [][]byte, line int) (int, int, bool) {
	for l := min(line+1, len(lines)); l >= 1 && l >= line-3; l-- {
		if loc := unquotedParamRE.FindSubmatchIndex(lines[l-1]); loc != nil {
			return l, loc[2] + 1, true
		}
	}
	return 0, 0, false
}

// checkAliases refuses anchors and aliases: a spec has no need of them,
// and refusing them rules out alias bombs.
func checkAliases(d *decoder, n *yaml.Node) bool {
	ok := true
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if !ok {
			return
		}
		if depth > 32 {
			d.errorf(n, "spec is nested too deeply")
			ok = false
			return
		}
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			d.errorf(n, "YAML anchors and aliases are not allowed in a spec; write the value out")
			ok = false
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return ok
}

// defaults returns a spec holding every secure default.
func defaults() *Spec {
	return &Spec{
		Auth: Auth{
			Algorithm:  "HS256",
			TokenTTL:   Duration(15 * time.Minute),
			BcryptCost: 12,
			Login:      Login{Path: "/auth/login", RateLimit: Rate{N: 5, Per: time.Minute}},
			Register:   Register{Path: "/auth/register"},
			Refresh:    Refresh{TTL: Duration(720 * time.Hour), Path: "/auth/refresh", LogoutPath: "/auth/logout"},
			Users:      Users{Store: "sqlite"},
		},
		Server: Server{
			Addr:           ":8443",
			TLS:            TLS{Mode: "file", CertFile: "secrets/cert.pem", KeyFile: "secrets/key.pem", MinVersion: "1.2"},
			TrustedProxies: []string{},
			MaxBody:        1 << 20,
			Timeouts: Timeouts{
				ReadHeader: Duration(5 * time.Second),
				Read:       Duration(30 * time.Second),
				Write:      Duration(30 * time.Second),
				Idle:       Duration(120 * time.Second),
				Shutdown:   Duration(20 * time.Second),
			},
			HealthPath: "/healthz",
		},
		RateLimit: RateLimit{
			Default:    Rate{N: 100, Per: time.Minute},
			Burst:      20,
			Key:        "ip",
			Store:      "memory",
			MaxClients: 100000,
		},
		CORS: CORS{
			Origins: []string{},
			Methods: []string{"GET", "POST", "PUT", "PATCH", "DELETE"},
			Headers: []string{"Content-Type", "Authorization"},
			MaxAge:  Duration(10 * time.Minute),
		},
		Headers: Headers{
			HSTS:                  HSTS{MaxAge: 63072000, IncludeSubdomains: true},
			ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
			FrameOptions:          "DENY",
			ContentTypeOptions:    "nosniff",
			ReferrerPolicy:        "no-referrer",
		},
		Errors: ErrorsConf{Format: "problem"},
	}
}

// fillDerived sets the defaults that depend on other values.
func (s *Spec) fillDerived() {
	if s.Auth.Issuer == "" {
		s.Auth.Issuer = s.Name
	}
	if s.Auth.Audience == "" {
		s.Auth.Audience = s.Name
	}
	prefix := s.EnvPrefix()
	if s.Auth.SecretEnv == "" {
		s.Auth.SecretEnv = prefix + "JWT_SECRET"
	}
	if s.Auth.Users.DSNEnv == "" {
		s.Auth.Users.DSNEnv = prefix + "DATABASE_URL"
	}
	if s.RateLimit.URLEnv == "" {
		s.RateLimit.URLEnv = prefix + "REDIS_URL"
	}
	if s.Module == "" {
		s.Module = "example.com/" + s.Name
	}
}

// EnvPrefix is the prefix of the generated server's environment variables.
func (s *Spec) EnvPrefix() string {
	return strings.ToUpper(strings.NewReplacer("-", "_").Replace(s.Name)) + "_"
}

// PosOf returns the position of the spec value at ptr (a pointer into s),
// or the start of the file when it was not written.
func (s *Spec) PosOf(ptr any) Pos {
	if p, ok := s.pos[ptr]; ok {
		return p
	}
	return Pos{1, 1}
}
