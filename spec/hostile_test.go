package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fastEnough is how long refusing a hostile spec may take; the real cost
// is milliseconds, the margin is for slow machines and the race detector.
const fastEnough = 3 * time.Second

// TestLoadHostile checks that hostile YAML fails fast with a positioned
// error instead of hanging or exhausting memory.
func TestLoadHostile(t *testing.T) {
	bomb := "version: 1\nname: shop\na: &a [x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 'b', 'a'; i <= 'j'; i, prev = i+1, i {
		bomb += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(prev)+", ", 8) + "*" + string(prev) + "]\n"
	}
	deepBlock := "version: 1\nname: shop\n"
	for i := range 200 {
		deepBlock += strings.Repeat("  ", i) + "k:\n"
	}
	manyRoutes := "version: 1\nname: shop\nroutes:\n" + strings.Repeat("  - {method: GET, path: /a}\n", MaxItems+1)
	for _, c := range []struct {
		name, src, msg string
	}{
		{"alias bomb", bomb, "anchors and aliases are not allowed"},
		{"deep flow nesting", "version: 1\nx: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000), "invalid YAML"},
		{"moderate flow nesting", "version: 1\nx: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000), "nested too deeply"},
		{"deep block nesting", deepBlock, "nested too deeply"},
		{"50 MB", "version: 1\nname: " + strings.Repeat("a", 50<<20), "larger than the 1MiB"},
		{"long list", manyRoutes, "longer than a spec may hold"},
		{"huge key", "version: 1\n" + strings.Repeat("k", 900<<10) + ": 1\n", "invalid YAML"},
		{"huge value", "version: 1\nnmae: " + strings.Repeat("k", 900<<10) + "\n", `unknown key "nmae" (did you mean "name"?)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, _, err := Parse("secgen.yaml", []byte(c.src))
			if d := time.Since(start); d > fastEnough {
				t.Errorf("took %v", d)
			}
			var list ErrorList
			if !errors.As(err, &list) || !strings.Contains(list.Error(), c.msg) {
				t.Errorf("want an error containing %q, got %.300v", c.msg, err)
			}
		})
	}
}

// TestLoadBigFile checks that Load reads no more than it needs of a huge
// file before refusing it.
func TestLoadBigFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "secgen.yaml")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	start := time.Now()
	_, _, err = Load(name)
	if d := time.Since(start); d > fastEnough {
		t.Errorf("took %v", d)
	}
	if err == nil || !strings.Contains(err.Error(), "larger than the 1MiB") {
		t.Errorf("want a size error, got %v", err)
	}
}

// TestLoadManyGroupRoutes checks that a spec at the size limit made of
// many routes is checked in reasonable time.
func TestLoadManyGroupRoutes(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nname: shop\ngroups:\n")
	for g := range 40 {
		b.WriteString("  - prefix: /g" + itoa(g) + "\n    routes:\n")
		for r := range 200 {
			b.WriteString("      - {method: GET, path: /r" + itoa(r) + "}\n")
		}
	}
	start := time.Now()
	_, _, err := Parse("secgen.yaml", []byte(b.String()))
	if d := time.Since(start); d > fastEnough {
		t.Errorf("8000 routes took %v", d)
	}
	t.Logf("8000 routes: %v, err %.100v", time.Since(start), err)
}
