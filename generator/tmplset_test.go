package generator

import (
	"bytes"
	"go/format"
	"strings"
	"testing"
)

// TestStaticTemplatesFormatted checks, once here instead of on every run,
// what Render relies on when it copies a static template: the source is
// Go that parses and that gofmt leaves unchanged.
func TestStaticTemplatesFormatted(t *testing.T) {
	set, err := loadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if len(set.static) == 0 {
		t.Fatal("no static templates found")
	}
	for name, src := range set.static {
		if !strings.HasSuffix(name, ".go.tmpl") {
			continue
		}
		got, err := format.Source(src)
		if err != nil {
			t.Errorf("%s does not parse: %v", name, err)
			continue
		}
		if !bytes.Equal(got, src) {
			t.Errorf("%s is not gofmt-formatted; run gofmt on it (as a .go file)", name)
		}
	}
}

// TestTemplatesParsedOnce checks that Render reuses one parsed set.
func TestTemplatesParsedOnce(t *testing.T) {
	a, errA := loadTemplates()
	b, errB := loadTemplates()
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a != b {
		t.Fatal("templates parsed twice")
	}
}
