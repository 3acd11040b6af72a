package generator

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// UnifiedDiff renders, for each file that sum writes, scaffolds or
// removes, a unified diff from the file on disk to the planned one.
func UnifiedDiff(root string, p *Plan, sum *Summary) (string, error) {
	planned := map[string][]byte{}
	for _, f := range p.Files {
		planned[f.Path] = f.Data
	}
	var b strings.Builder
	names := append(append(append([]string{}, sum.Written...), sum.Scaffolded...), sum.Removed...)
	for _, name := range names {
		old, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		from, to := "a/"+name, "b/"+name
		if old == nil {
			from = "/dev/null"
		}
		if _, ok := planned[name]; !ok {
			to = "/dev/null"
		}
		b.WriteString(udiff.Unified(from, to, string(old), string(planned[name])))
	}
	return b.String(), nil
}
