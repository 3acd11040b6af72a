package generator_test

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/internal/testkit"
	"github.com/secgen/secgen/spec"
)

// FuzzGenerate loads and renders arbitrary specs: nothing panics, and every
// spec the loader accepts renders Go files that go/parser accepts.
// A bounded run: go test ./generator -run '^$' -fuzz FuzzGenerate -fuzztime 60s
func FuzzGenerate(f *testing.F) {
	for _, data := range append(testkit.SeedSpecs(f), spec.Starter()) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _, err := spec.Parse("secgen.yaml", data)
		if err != nil {
			return
		}
		plan, err := generator.Render(s, generator.Options{Module: s.Module, SpecFile: "secgen.yaml", New: true, SpecData: data})
		if err != nil {
			t.Fatalf("an accepted spec does not render: %v", err)
		}
		for _, file := range plan.Files {
			if !strings.HasSuffix(file.Path, ".go") {
				continue
			}
			if _, err := parser.ParseFile(token.NewFileSet(), file.Path, file.Data, parser.AllErrors); err != nil {
				t.Fatalf("%s does not parse: %v", file.Path, err)
			}
		}
	})
}
