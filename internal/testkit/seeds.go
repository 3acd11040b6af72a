package testkit

import (
	"os"
	"path/filepath"
	"testing"
)

// SeedSpecs returns the specs the fuzzers start from: every golden case,
// example and shared case, read from a package folder of this repository
// (the patterns are relative to it). The built-in starter is the caller's
// to add: this package cannot import spec, whose own tests use it.
func SeedSpecs(tb testing.TB) [][]byte {
	tb.Helper()
	var seeds [][]byte
	for _, p := range []string{"../golden/*/secgen.yaml", "../examples/*.yaml", "../../shared/cases/*/*.yaml"} {
		files, _ := filepath.Glob(p)
		for _, name := range files {
			data, err := os.ReadFile(name) // #nosec G304 -- the repository's own specs
			if err != nil {
				tb.Fatal(err)
			}
			seeds = append(seeds, data)
		}
	}
	return seeds
}
