package generator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGoldenBuilds proves the goldens: every want/ tree is a module that
// vets and passes its own generated tests. It needs the go command and the
// module proxy (or a warm module cache).
func TestGoldenBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every golden project; skipped in -short mode")
	}
	for _, c := range goldenCases(t) {
		if c.failing {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(c.dir, "want")
			run(t, dir, "go", "vet", "./...")
			run(t, dir, "go", "test", "-count=1", "./...")
		})
	}
}

func run(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v in %s: %v\n%s", name, args, dir, err, out)
	}
}
