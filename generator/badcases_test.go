package generator_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedCases is the folder of shared spec cases beside this repository.
const sharedCases = "../../shared/cases"

// TestGoldenHoldsSharedBadCases checks that every failing spec of the
// shared cases has a golden copy, golden/bad-<name>/secgen.yaml, so its
// error text is golden-tested.
func TestGoldenHoldsSharedBadCases(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedCases, "bad", "*.yaml"))
	if len(files) == 0 {
		t.Skip("no shared cases beside the repository")
	}
	for _, f := range files {
		name := "bad-" + strings.TrimSuffix(filepath.Base(f), ".yaml")
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(goldenDir, name, "secgen.yaml"))
		if err != nil {
			t.Errorf("%s has no golden copy: %v", f, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s/secgen.yaml differs from %s", name, f)
		}
		if _, err := os.Stat(filepath.Join(goldenDir, name, "stderr.txt")); err != nil {
			t.Errorf("%s has no stderr.txt", name)
		}
	}
}
