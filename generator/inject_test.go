package generator_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/spec"
)

// hostile are values that would break out of a Go string literal, a
// comment or a template if they were spliced into generated source.
var hostile = []string{
	`a"b`, "a`b", "a\nb", "a\r\nb", "*/", "a*/b", "/*", "{{.Name}}", `{{template "x"}}`, `a\b`,
	"x\x00y", "a\u2028b", `");}func init(){panic(1)}//`, "`+os.Getenv(\"HOME\")+`", "\n}\nfunc init() {\n", "\nfunc init() { panic(1) }\n//",
}

// injectField is a place in a spec where a value goes: the spec with V
// where the value is written, how a value is shaped to have a chance of
// passing the loader, and whether an accepted value must appear in the
// generated code as a string literal.
type injectField struct {
	name    string
	spec    string
	shape   func(string) string
	literal bool
}

func same(v string) string       { return v }
func asPath(v string) string     { return "/p" + v }
func asOrigin(v string) string   { return "https://a.example.com" + v }
func asEnv(v string) string      { return "A_" + v }
func asIdent(v string) string    { return "Get" + v }
func asFileName(v string) string { return "k" + v + ".pem" }

const tail = "routes:\n  - {method: GET, path: /a}\n"

var injectFields = []injectField{
	{"name", "version: 1\nname: V\n" + tail, same, true},
	{"module", "version: 1\nname: shop\nmodule: V\n" + tail, same, false},
	{"route name", "version: 1\nname: shop\nroutes:\n  - {name: V, method: GET, path: /a}\n", asIdent, true},
	{"route path", "version: 1\nname: shop\nroutes:\n  - {method: GET, path: V}\n", asPath, true},
	{"group prefix", "version: 1\nname: shop\ngroups:\n  - {prefix: V, routes: [{method: GET, path: /a}]}\n", asPath, false},
	{"method", "version: 1\nname: shop\nroutes:\n  - {method: V, path: /a}\n", same, true},
	{"role name", "version: 1\nname: shop\nroles: [V]\nroutes:\n  - {method: GET, path: /a, roles: [V]}\n", same, true},
	{"role description", "version: 1\nname: shop\nroles:\n  admin: {description: V}\n" + tail, same, false},
	{"default role", "version: 1\nname: shop\nroles: [V]\nauth: {register: {enabled: true, default_roles: [V]}}\n" + tail, same, true},
	{"secret_env", "version: 1\nname: shop\nauth: {secret_env: V}\n" + tail, asEnv, true},
	{"dsn_env", "version: 1\nname: shop\nauth: {users: {dsn_env: V}}\n" + tail, asEnv, true},
	{"url_env", "version: 1\nname: shop\nrate_limit: {url_env: V}\n" + tail, asEnv, true},
	{"issuer", "version: 1\nname: shop\nauth: {issuer: V}\n" + tail, same, true},
	{"audience", "version: 1\nname: shop\nauth: {audience: V}\n" + tail, same, true},
	{"key_file", "version: 1\nname: shop\nauth: {algorithm: EdDSA, key_file: V}\n" + tail, asFileName, true},
	{"cert_file", "version: 1\nname: shop\nserver: {tls: {cert_file: V}}\n" + tail, asFileName, true},
	{"addr", "version: 1\nname: shop\nserver: {addr: V}\n" + tail, func(v string) string { return v + ":8443" }, true},
	{"login path", "version: 1\nname: shop\nauth: {login: {path: V}}\n" + tail, asPath, true},
	{"health path", "version: 1\nname: shop\nserver: {health_path: V}\n" + tail, asPath, true},
	{"trusted proxy", "version: 1\nname: shop\nserver: {trusted_proxies: [V]}\n" + tail, func(v string) string { return "10.0.0.0/8" + v }, true},
	{"origin", "version: 1\nname: shop\ncors: {origins: [V]}\n" + tail, asOrigin, true},
	{"cors header", "version: 1\nname: shop\ncors: {headers: [V]}\n" + tail, func(v string) string { return "X-" + v }, true},
	{"content_security_policy", "version: 1\nname: shop\nheaders: {content_security_policy: V}\n" + tail, same, true},
	{"referrer_policy", "version: 1\nname: shop\nheaders: {referrer_policy: V}\n" + tail, same, true},
	{"frame_options", "version: 1\nname: shop\nheaders: {frame_options: V}\n" + tail, same, true},
}

// yamlQuote writes v as a YAML double-quoted scalar (JSON's escapes are
// YAML's too).
func yamlQuote(v string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestInjection feeds hostile values to every place of a spec that reaches
// generated code and checks that each is refused by the loader, or renders
// into Go files that parse, declare nothing the spec did not ask for, and
// hold the value byte for byte in a string literal.
func TestInjection(t *testing.T) {
	baseline := renderGo(t, tail2spec())
	refused, carried := 0, 0
	for _, f := range injectFields {
		for _, raw := range hostile {
			v := f.shape(raw)
			src := strings.ReplaceAll(f.spec, "V", yamlQuote(v))
			s, _, err := spec.Parse("secgen.yaml", []byte(src))
			if err != nil {
				refused++
				continue
			}
			carried++
			t.Run(f.name+"/"+strconv.Quote(raw), func(t *testing.T) {
				files := render(t, s, []byte(src))
				checkNoInjectedDecls(t, baseline, files)
				if f.literal && !holdsLiteral(files, v) {
					t.Errorf("accepted %q but no generated string literal holds it byte for byte", v)
				}
			})
		}
	}
	t.Logf("%d hostile values refused by the loader, %d accepted and carried as literals", refused, carried)
	if carried == 0 {
		t.Error("no hostile value was accepted; the test no longer checks rendering")
	}
}

func tail2spec() string { return "version: 1\nname: shop\n" + tail }

// renderGo loads and renders a spec, returning its parsed Go files by path.
func renderGo(t *testing.T, src string) map[string]*ast.File {
	t.Helper()
	s, _, err := spec.Parse("secgen.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return render(t, s, []byte(src))
}

func render(t *testing.T, s *spec.Spec, data []byte) map[string]*ast.File {
	t.Helper()
	plan, err := generator.Render(s, generator.Options{Module: "example.com/shop", SpecFile: "secgen.yaml", New: true, SpecData: data})
	if err != nil {
		t.Fatalf("an accepted spec does not render: %v", err)
	}
	return parseGo(t, plan)
}

// parseGo parses every Go file of a plan; a file that does not parse fails.
func parseGo(t *testing.T, plan *generator.Plan) map[string]*ast.File {
	t.Helper()
	files := map[string]*ast.File{}
	for _, f := range plan.Files {
		if !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Data, parser.ParseComments)
		if err != nil {
			t.Fatalf("%s does not parse: %v", f.Path, err)
		}
		files[f.Path] = af
	}
	return files
}

// declNames lists a file's imports and top-level declarations.
func declNames(f *ast.File) []string {
	var names []string
	for _, imp := range f.Imports {
		names = append(names, "import "+imp.Path.Value)
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				names = append(names, "method") // named after the route
				continue
			}
			names = append(names, "func "+d.Name.Name)
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					names = append(names, "type "+sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						names = append(names, d.Tok.String()+" "+n.Name)
					}
				}
			}
		}
	}
	return names
}

// checkNoInjectedDecls compares the generated package's files with the
// baseline's: the same imports and top-level names (route methods apart),
// so no value smuggled in a func init or a new import.
func checkNoInjectedDecls(t *testing.T, baseline, files map[string]*ast.File) {
	t.Helper()
	for path, f := range files {
		base, ok := baseline[path]
		if !ok {
			if !strings.HasPrefix(path, generator.DefaultHandlerDir+"/") {
				t.Errorf("%s is generated but not in the baseline", path)
			}
			continue
		}
		if got, want := declNames(f), declNames(base); !slices.Equal(got, want) {
			t.Errorf("%s declares %v, want %v", path, got, want)
		}
	}
}

// holdsLiteral reports whether any string literal of files is v.
func holdsLiteral(files map[string]*ast.File, v string) bool {
	found := false
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && s == v {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// TestInjectionOptions checks the values that come from outside the spec:
// the module path, the output folders and the spec's file name.
func TestInjectionOptions(t *testing.T) {
	src := tail2spec()
	s, _, err := spec.Parse("secgen.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	baseline := renderGo(t, src)
	for _, raw := range hostile {
		for _, opts := range []generator.Options{
			{Module: "example.com/" + raw, SpecFile: "secgen.yaml", New: true, SpecData: []byte(src)},
			{Module: "example.com/shop", APIDir: "gen" + raw + "/api", SpecFile: "secgen.yaml"},
			{Module: "example.com/shop", HandlerDir: "h" + raw, SpecFile: "secgen.yaml"},
			{Module: "example.com/shop", SpecFile: "spec" + raw + ".yaml"},
			{Module: "example.com/shop", HandlerDir: "-", SpecFile: "spec" + raw + ".yaml"},
		} {
			plan, err := generator.Render(s, opts)
			if err != nil {
				continue // refused
			}
			files := parseGo(t, plan)
			for path, f := range files {
				if base, ok := baseline[path]; ok && !slices.Equal(declNames(f), declNames(base)) {
					t.Errorf("options %+v: %s declares %v", opts, path, declNames(f))
				}
			}
		}
	}
}
