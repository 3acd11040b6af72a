package spec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// seedSpecs are the specs the fuzzers start from: every golden case,
// example and shared case.
func seedSpecs(f *testing.F) [][]byte {
	f.Helper()
	var seeds [][]byte
	for _, p := range []string{"../golden/*/secgen.yaml", "../examples/*.yaml", "../../shared/cases/*/*.yaml"} {
		files, _ := filepath.Glob(p)
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, data)
		}
	}
	return append(seeds, Starter())
}

// FuzzLoad checks that Parse never panics, that every refusal is an
// ErrorList of positioned messages, and that an accepted spec has routes.
// A bounded run: go test ./spec -run '^$' -fuzz FuzzLoad -fuzztime 30s
func FuzzLoad(f *testing.F) {
	for _, s := range seedSpecs(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _, err := Parse("secgen.yaml", data)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("want a non-empty ErrorList, got %T %v", err, err)
			}
			for _, e := range list {
				if e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" || e.File != "secgen.yaml" {
					t.Fatalf("badly formed error %#v", e)
				}
			}
			return
		}
		if s == nil || len(s.Endpoints()) == 0 {
			t.Fatal("accepted a spec without routes")
		}
	})
}
