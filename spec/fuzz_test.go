package spec

import (
	"errors"
	"testing"

	"github.com/secgen/secgen/internal/testkit"
)

// FuzzLoad checks that Parse never panics, that every refusal is an
// ErrorList of positioned messages, and that an accepted spec has routes.
// A bounded run: go test ./spec -run '^$' -fuzz FuzzLoad -fuzztime 30s
func FuzzLoad(f *testing.F) {
	for _, s := range append(testkit.SeedSpecs(f), Starter()) {
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
