package generator_test

import (
	"bytes"
	"go/format"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/spec"
)

// oddSpec has what could upset gofmt's column alignment if a template let
// spec values decide it: role names of very different lengths, long and
// short route names, several groups, every kind of access.
const oddSpec = `version: 1
name: odd
module: example.com/odd
roles:
  a: {}
  a-very-long-role-name-longer-than-forty-characters.x: {inherits: [a]}
  b.c:d: {inherits: [a-very-long-role-name-longer-than-forty-characters.x]}
routes:
  - {method: GET, path: /x, public: true}
  - {name: AVeryLongRouteNameThatGoesOnAndOnAndOnForAWhileLongerThanForty, method: POST, path: "/x/{id}/more/{rest...}", roles: [b.c:d, a], roles_match: all, max_body: 1KiB, rate_limit: 1/hour}
  - {method: GET, path: "/y/{$}", auth: optional}
groups:
  - prefix: /g
    roles: [a]
    routes:
      - {method: DELETE, path: "/z/{id}"}
`

// TestGeneratedGoIsFormatted checks what Render relies on when it parses
// templated Go without reprinting it: every Go file it plans, for every
// golden case and for specs built to vary names and lengths, is exactly
// what gofmt would print.
func TestGeneratedGoIsFormatted(t *testing.T) {
	specs := map[string][]byte{"odd": []byte(oddSpec), "bench": benchSpec(200)}
	for _, c := range goldenCases(t) {
		if !c.failing {
			plan, err := renderCase(t, c.dir)
			if err != nil {
				t.Fatal(err)
			}
			checkFormatted(t, c.name, plan)
		}
	}
	for name, data := range specs {
		s, _, err := spec.Parse("secgen.yaml", data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		plan, err := generator.Render(s, generator.Options{Module: s.Module, SpecFile: "secgen.yaml", New: true, SpecData: data})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkFormatted(t, name, plan)
	}
}

func checkFormatted(t *testing.T, name string, plan *generator.Plan) {
	t.Helper()
	for _, f := range plan.Files {
		if !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		got, err := format.Source(f.Data)
		if err != nil {
			t.Errorf("%s: %s: %v", name, f.Path, err)
			continue
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s: %s is not gofmt-formatted; a template lets spec values change its layout", name, f.Path)
		}
	}
}
