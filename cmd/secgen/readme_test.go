package main

import (
	"os"
	"strings"
	"testing"

	"github.com/secgen/secgen/spec"
)

// TestReadmeSpecIsValid keeps the README's spec example honest: the first
// yaml block under "## The spec" must validate.
func TestReadmeSpecIsValid(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## The spec\n")
	if !ok {
		t.Fatal(`README.md has no "## The spec" section`)
	}
	_, block, ok := strings.Cut(section, "```yaml\n")
	if !ok {
		t.Fatal(`"## The spec" has no yaml block`)
	}
	block, _, _ = strings.Cut(block, "```")
	if _, _, err := spec.Parse("README.md", []byte(block)); err != nil {
		t.Errorf("the README's spec does not validate:\n%v", err)
	}
}
