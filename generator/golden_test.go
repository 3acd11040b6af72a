package generator_test

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/spec"
)

// update rewrites the goldens: `go test ./generator -update` regenerates
// every golden/<case>/want tree and every stderr.txt, and logs which files
// changed. Review the diff before committing it.
var update = flag.Bool("update", false, "rewrite the golden files")

const goldenDir = "../golden"

// goldenCase is one folder of golden/: a spec and either the whole
// expected tree (want/) or, for a failing spec, the expected error text
// (stderr.txt). With -update, a spec that fails gets a stderr.txt.
type goldenCase struct {
	name, dir string
	failing   bool
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	entries, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(goldenDir, e.Name())
		_, err := os.Stat(filepath.Join(dir, "stderr.txt"))
		cases = append(cases, goldenCase{name: e.Name(), dir: dir, failing: err == nil})
	}
	return cases
}

// renderCase loads a case's spec as `secgen new` would and plans it.
// The case named "starter" is rendered as the built-in starter.
func renderCase(t *testing.T, dir string) (*generator.Plan, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "secgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := spec.Parse("secgen.yaml", data)
	if err != nil {
		return nil, err
	}
	return generator.Render(s, generator.Options{Module: s.Module, SpecFile: "secgen.yaml", New: true, SpecData: data, Starter: filepath.Base(dir) == "starter"})
}

// TestGolden compares every case's output with its golden files.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			plan, err := renderCase(t, c.dir)
			var list spec.ErrorList
			if c.failing || *update && errors.As(err, &list) {
				checkFailing(t, c, err)
				return
			}
			if err != nil {
				t.Fatalf("rendering: %v", err)
			}
			checkTree(t, filepath.Join(c.dir, "want"), plan)
		})
	}
}

func checkFailing(t *testing.T, c goldenCase, err error) {
	t.Helper()
	var list spec.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want spec errors, got %v", err)
	}
	got := list.Error() + "\n"
	name := filepath.Join(c.dir, "stderr.txt")
	if *update {
		writeIfChanged(t, name, []byte(got))
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run go test ./generator -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("errors differ (-want +got):\n%s", diff)
	}
}

// checkTree compares the plan with the files under want, both ways.
func checkTree(t *testing.T, want string, plan *generator.Plan) {
	t.Helper()
	planned := map[string][]byte{}
	for _, f := range plan.Files {
		planned[f.Path] = f.Data
	}
	if *update {
		for name, data := range planned {
			writeIfChanged(t, filepath.Join(want, filepath.FromSlash(name)), data)
		}
	}
	onDisk := readTree(t, want)
	for name, data := range planned {
		got, ok := onDisk[name]
		if !ok {
			t.Errorf("%s: generated but missing from %s", name, want)
			continue
		}
		if diff := cmp.Diff(lines(got), lines(data)); diff != "" {
			t.Errorf("%s differs (-want +got):\n%s", name, diff)
		}
	}
	for name := range onDisk {
		if _, ok := planned[name]; ok {
			continue
		}
		if *update {
			t.Logf("removed %s", name)
			os.Remove(filepath.Join(want, filepath.FromSlash(name)))
			continue
		}
		t.Errorf("%s: in %s but no longer generated", name, want)
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return files
}

func writeIfChanged(t *testing.T, name string, data []byte) {
	t.Helper()
	if old, err := os.ReadFile(name); err == nil && string(old) == string(data) {
		return
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("updated %s", name)
}

// lines splits a file so that cmp.Diff reports whole lines.
func lines(b []byte) []string { return strings.Split(string(b), "\n") }
