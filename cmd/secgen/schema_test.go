package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgen/secgen/spec"
)

// runCLI runs secgen in-process and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSchemaCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "schema")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if out != string(spec.Schema()) {
		t.Error("secgen schema does not print spec.Schema()")
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
}

// TestNewWritesSchemaLine checks that a new project's spec names the schema
// that new writes beside it, and still loads.
func TestNewWritesSchemaLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shop")
	if code, _, stderr := runCLI(t, "new", dir); code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "secgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if first != "# yaml-language-server: $schema=./secgen.schema.json" {
		t.Errorf("first line of the spec is %q", first)
	}
	schema, err := os.ReadFile(filepath.Join(dir, spec.SchemaFile))
	if err != nil || !bytes.Equal(schema, spec.Schema()) {
		t.Errorf("%s missing or not the schema (%v)", spec.SchemaFile, err)
	}
	if _, _, err := spec.Parse("secgen.yaml", data); err != nil {
		t.Errorf("the new spec does not load: %v", err)
	}
}

func TestNewKeepsAnExistingSchemaLine(t *testing.T) {
	src := filepath.Join(t.TempDir(), "in.yaml")
	text := "# yaml-language-server: $schema=https://example.com/s.json\nversion: 1\nname: shop\nroutes:\n  - {method: GET, path: /a}\n"
	if err := os.WriteFile(src, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "shop")
	if code, _, stderr := runCLI(t, "new", dir, "--spec", src); code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "secgen.yaml"))
	if string(data) != text {
		t.Errorf("spec changed:\n%s", data)
	}
}

func TestNewRefusesABadModule(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shop")
	code, _, stderr := runCLI(t, "new", dir, "--module", "example.com/a\"\nimport \"os")
	if code != 1 || !strings.Contains(stderr, "is not a valid module path") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("new wrote the project anyway")
	}
}

// TestValidateWarnsAndErrs checks that warnings leave the exit status 0
// and errors make it 1, each printed as file:line:col.
func TestValidateWarnsAndErrs(t *testing.T) {
	dir := t.TempDir()
	warn := filepath.Join(dir, "warn.yaml")
	os.WriteFile(warn, []byte("version: 1\nname: shop\nroutes:\n  - {method: POST, path: /a, public: true}\n"), 0o644)
	code, out, stderr := runCLI(t, "validate", "--spec", warn)
	if code != 0 || !strings.Contains(stderr, warn+":4:38: warning: public route POST /a changes state") || !strings.Contains(out, "valid") {
		t.Errorf("warnings: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\nname: shop\nroutes:\n  - {method: GET, path: /a, roles: [root]}\n"), 0o644)
	code, _, stderr = runCLI(t, "validate", "--spec", bad)
	if code != 1 || !strings.Contains(stderr, bad+":4:37: route GET /a: unknown role") || !strings.Contains(stderr, "1 error in the spec\n") || strings.Contains(stderr, "written") {
		t.Errorf("errors: exit %d, stderr %q", code, stderr)
	}
}
