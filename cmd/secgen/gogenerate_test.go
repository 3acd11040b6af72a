package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoGenerateInExistingModule is the third way to use secgen: a module
// that secgen did not create, with its own main and handlers, runs
// `go generate ./...` through the tool directive and through go run, and
// then builds and passes the generated tests. A replace directive points
// at this checkout.
func TestGoGenerateInExistingModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go generate, go build and go test in a new module; skipped in -short mode")
	}
	checkout, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "module example.com/shop\n\ngo 1.26.0\n\ntool github.com/secgen/secgen/cmd/secgen\n\nrequire github.com/secgen/secgen v0.0.0\n\nreplace github.com/secgen/secgen => " + checkout + "\n",
		"api/secgen.yaml": "version: 1\nname: shop\nroles: [clerk]\nroutes:\n" +
			"  - {name: ListOrders, method: GET, path: /orders, roles: [clerk]}\n" +
			"  - {name: Ping, method: GET, path: /ping, public: true}\n",
		"api/gen.go": "// Package api holds the spec of the shop API.\npackage api\n\n" +
			"//go:generate go tool secgen generate --spec secgen.yaml --out server --handlers -\n",
		"admin/secgen.yaml": "version: 1\nname: admin\nroutes:\n  - {name: Stats, method: GET, path: /stats}\n",
		"admin/gen.go": "// Package admin holds the spec of the admin API.\npackage admin\n\n" +
			"//go:generate go run github.com/secgen/secgen/cmd/secgen generate --spec secgen.yaml --out gen/adminapi --handlers -\n",
		"internal/app/app.go": "// Package app is the shop's own business logic.\npackage app\n\n" +
			"import \"net/http\"\n\n// App serves both APIs.\ntype App struct{}\n\n" +
			"// ListOrders lists orders.\nfunc (App) ListOrders(w http.ResponseWriter, r *http.Request) error { _, err := w.Write([]byte(\"[]\")); return err }\n\n" +
			"// Ping answers pong.\nfunc (App) Ping(w http.ResponseWriter, r *http.Request) error { _, err := w.Write([]byte(\"pong\")); return err }\n\n" +
			"// Stats answers with nothing yet.\nfunc (App) Stats(w http.ResponseWriter, r *http.Request) error { return nil }\n",
		"cmd/shop/main.go": "package main\n\nimport (\n\t\"context\"\n\t\"os\"\n\n" +
			"\tadminapi \"example.com/shop/admin/gen/adminapi\"\n\t\"example.com/shop/api/server\"\n\t\"example.com/shop/internal/app\"\n)\n\n" +
			"func main() {\n\tif len(os.Args) > 1 && os.Args[1] == \"admin\" {\n\t\tos.Exit(adminapi.Main(context.Background(), os.Args[2:], app.App{}, os.Stdin, os.Stdout, os.Stderr))\n\t}\n" +
			"\tos.Exit(server.Main(context.Background(), os.Args[1:], app.App{}, os.Stdin, os.Stdout, os.Stderr))\n}\n",
	})
	userMain := readFile(t, filepath.Join(dir, "cmd/shop/main.go"))

	// What `go get -tool` does for a published secgen; -e because the
	// user's main imports packages that go generate has yet to write.
	goCmd(t, dir, "mod", "tidy", "-e")
	goCmd(t, dir, "generate", "./...")
	goCmd(t, dir, "mod", "tidy")
	goCmd(t, dir, "build", "./...")
	goCmd(t, dir, "test", "./...")

	if got := readFile(t, filepath.Join(dir, "cmd/shop/main.go")); got != userMain {
		t.Errorf("go generate changed the user's main.go")
	}
	for _, unwanted := range []string{"internal/handlers", "api/internal", "README.md", "cmd/admin"} {
		if _, err := os.Stat(filepath.Join(dir, unwanted)); err == nil {
			t.Errorf("generate created %s, outside the output folders", unwanted)
		}
	}
	if gen := readFile(t, filepath.Join(dir, "admin/gen/adminapi/spec_gen.go")); !strings.Contains(gen, "package adminapi") {
		t.Errorf("the generated package is not named after its folder")
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
