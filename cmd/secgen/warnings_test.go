package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateWarnsAndErrs checks that generate prints warnings and still
// writes (exit 0), and that a spec error writes nothing (exit 1).
func TestGenerateWarnsAndErrs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shop")
	if code, _, stderr := runCLI(t, "new", dir); code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	specFile := filepath.Join(dir, "secgen.yaml")
	data, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	warned := strings.Replace(string(data), "routes:\n", "routes:\n  - {name: Feedback, method: POST, path: /feedback, public: true}\n", 1)
	os.WriteFile(specFile, []byte(warned), 0o644)
	code, _, stderr := runCLI(t, "generate", "--spec", specFile)
	if code != 0 || !strings.Contains(stderr, "warning: public route POST /feedback changes state without a login") {
		t.Fatalf("warning: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "internal/handlers/feedback.go")); err != nil {
		t.Errorf("generate with a warning wrote no stub: %v", err)
	}

	broken := strings.Replace(warned, "name: Feedback,", "name: Contact, roles: [nobody],", 1)
	os.WriteFile(specFile, []byte(broken), 0o644)
	code, _, stderr = runCLI(t, "generate", "--spec", specFile)
	if code != 1 || !strings.Contains(stderr, `unknown role "nobody"`) || !strings.Contains(stderr, "nothing was written") {
		t.Fatalf("error: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "internal/handlers/contact.go")); err == nil {
		t.Error("generate wrote a stub despite the error")
	}
}
