package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegeneration walks a project through the life of a spec: user edits,
// then routes added, renamed and removed, roles changed and a group added.
// After every generate the user's files are byte-identical, new stubs
// exist, the project builds, and a second generate changes nothing.
func TestRegeneration(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated project several times; skipped in -short mode")
	}
	dir := filepath.Join(t.TempDir(), "blog")
	secgen(t, 0, "new", dir)
	appendTo(t, filepath.Join(dir, "internal/handlers/get_me.go"), "\n// a line the user wrote\n")
	appendTo(t, filepath.Join(dir, "cmd/blog/main.go"), "\n// the user's main\n")
	specFile := filepath.Join(dir, "secgen.yaml")

	steps := []struct {
		name      string
		old, new  string
		stub      string // a handler file that must now exist
		orphan    string // a handler file that must be reported orphaned
		specHolds string // a string the generated spec_gen.go must now hold
	}{
		{name: "add a route", old: "routes:\n", new: "routes:\n  - {name: GetReports, method: GET, path: /reports, roles: [editor]}\n",
			stub: "get_reports.go", specHolds: `"GetReports"`},
		{name: "rename a route", old: "name: GetData,", new: "name: FetchData,",
			stub: "fetch_data.go", orphan: "get_data.go", specHolds: `"FetchData"`},
		{name: "remove a route", old: "  - {name: ListPosts, method: GET, path: /posts, public: true}\n", new: "",
			orphan: "list_posts.go"},
		{name: "change roles", old: "path: /posts, roles: [editor]", new: "path: /posts, roles: [admin]",
			specHolds: `Path: "/posts", Access: AccessRequired, Roles: []string{"admin"}`},
		{name: "add a group", old: "\nroutes:\n", new: "\ngroups:\n  - prefix: /admin\n    roles: [admin]\n    routes:\n      - {method: GET, path: /stats}\n\nroutes:\n",
			stub: "get_admin_stats.go", specHolds: `"/admin/stats"`},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := userFiles(t, dir)
			replaceIn(t, specFile, st.old, st.new)
			before["secgen.yaml"] = hashFile(t, specFile)

			out := secgen(t, 0, "generate", "--spec", specFile)
			after := userFiles(t, dir)
			for name, sum := range before {
				if after[name] != sum {
					t.Errorf("%s changed", name)
				}
			}
			if st.stub != "" {
				if _, err := os.Stat(filepath.Join(dir, "internal/handlers", st.stub)); err != nil {
					t.Errorf("stub %s missing: %v\n%s", st.stub, err, out)
				}
			}
			if st.orphan != "" && !strings.Contains(out, "orphaned     internal/handlers/"+st.orphan) {
				t.Errorf("generate did not report %s as orphaned:\n%s", st.orphan, out)
			}
			if st.specHolds != "" {
				if gen := readFile(t, filepath.Join(dir, "internal/api/spec_gen.go")); !strings.Contains(gen, st.specHolds) {
					t.Errorf("spec_gen.go does not hold %s", st.specHolds)
				}
			}
			goBuild(t, dir, "")
			again := secgen(t, 0, "generate", "--spec", specFile, "--check")
			if !strings.Contains(again, "0 written") || !strings.Contains(again, "0 scaffolded") {
				t.Errorf("second generate would change files:\n%s", again)
			}
		})
	}

	// A route whose stub the user deleted is a compile error naming it.
	os.Remove(filepath.Join(dir, "internal/handlers/get_admin_stats.go"))
	goBuild(t, dir, "missing method GetAdminStats")
}

// secgen runs the CLI in-process, wants the exit status and returns stdout.
func secgen(t *testing.T, want int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, nil, &out, &errb); code != want {
		t.Fatalf("secgen %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errb.String())
	}
	return out.String() + errb.String()
}

// goBuild builds the project; with wantErr it must fail saying that.
func goBuild(t *testing.T, dir, wantErr string) {
	t.Helper()
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	switch {
	case wantErr == "" && err != nil:
		t.Fatalf("go build: %v\n%s", err, out)
	case wantErr != "" && err == nil:
		t.Fatalf("go build passed, want an error saying %q", wantErr)
	case wantErr != "" && !strings.Contains(string(out), wantErr):
		t.Fatalf("go build error does not say %q:\n%s", wantErr, out)
	}
}

// userFiles hashes every file that is not generated.
func userFiles(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	files := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(filepath.ToSlash(rel), "internal/api/") {
			return nil
		}
		files[filepath.ToSlash(rel)] = hashFile(t, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func hashFile(t *testing.T, name string) [32]byte {
	t.Helper()
	return sha256.Sum256([]byte(readFile(t, name)))
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func appendTo(t *testing.T, name, text string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
