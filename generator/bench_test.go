package generator_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/spec"
)

// benchSpec returns a valid spec of n routes: groups of four routes per
// resource (list, create, get, delete) mixing public, signed-in and
// role-guarded access, the shape of a real API. A spec list holds at most
// spec.MaxItems entries, so the routes come in groups of 500 under their
// own prefix. scripts/bench-generate.sh writes the same spec with awk.
func benchSpec(n int) []byte {
	var b strings.Builder
	b.WriteString(`version: 1
name: bench
module: example.com/bench
roles:
  admin: {inherits: [editor]}
  editor: {inherits: [reader]}
  reader: {}
groups:
`)
	for i := range n {
		if i%500 == 0 {
			fmt.Fprintf(&b, "  - prefix: /v%d\n    routes:\n", i/500)
		}
		res := fmt.Sprintf("/res%d", i/4)
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "      - {method: GET, path: %s, public: true}\n", res)
		case 1:
			fmt.Fprintf(&b, "      - {method: POST, path: %s, roles: [editor], max_body: 64KiB}\n", res)
		case 2:
			fmt.Fprintf(&b, "      - {method: GET, path: \"%s/{id}\"}\n", res)
		case 3:
			fmt.Fprintf(&b, "      - {method: DELETE, path: \"%s/{id}\", roles: [admin], rate_limit: 10/minute}\n", res)
		}
	}
	return []byte(b.String())
}

var benchSizes = []int{10, 100, 1000, 5000}

// BenchmarkGenerate measures what `secgen generate` does in memory:
// parsing and validating the spec, then rendering every file.
func BenchmarkGenerate(b *testing.B) {
	for _, n := range benchSizes {
		data := benchSpec(n)
		b.Run(fmt.Sprintf("routes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, _, err := spec.Parse("secgen.yaml", data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := generator.Render(s, generator.Options{Module: s.Module, SpecFile: "secgen.yaml"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseSpec isolates loading and validating the spec.
func BenchmarkParseSpec(b *testing.B) {
	for _, n := range benchSizes {
		data := benchSpec(n)
		b.Run(fmt.Sprintf("routes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := spec.Parse("secgen.yaml", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRender isolates rendering a spec already validated.
func BenchmarkRender(b *testing.B) {
	for _, n := range benchSizes {
		s, _, err := spec.Parse("secgen.yaml", benchSpec(n))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("routes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := generator.Render(s, generator.Options{Module: s.Module, SpecFile: "secgen.yaml"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBenchSpecIsValid keeps the benchmark's spec honest.
func TestBenchSpecIsValid(t *testing.T) {
	s, _, err := spec.Parse("secgen.yaml", benchSpec(100))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.Endpoints()); got < 100 {
		t.Fatalf("%d endpoints, want at least 100", got)
	}
}
