package generator

import (
	"fmt"
	"strings"

	"golang.org/x/mod/module"
)

// checkSpliced refuses the values that reach generated files from outside
// the spec and that templates cannot quote: import paths (from --module,
// go.mod or the output folders), the go.mod module path, and the spec's
// file name, which appears in comments. Spec values are validated by the
// spec package and reach Go source as quoted literals.
func checkSpliced(v *view, opts Options, handlerDir string) error {
	if err := module.CheckImportPath(v.APIImport); err != nil {
		return fmt.Errorf("import path of the generated package: %w", err)
	}
	if handlerDir != "-" {
		if err := module.CheckImportPath(v.HandlersImport); err != nil {
			return fmt.Errorf("import path of the handlers: %w", err)
		}
	}
	if opts.New {
		if err := module.CheckImportPath(opts.Module); err != nil {
			return fmt.Errorf("module path: %w", err)
		}
	}
	if strings.ContainsFunc(opts.SpecFile, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' }) {
		return fmt.Errorf("spec file name %q holds a control character", opts.SpecFile)
	}
	return nil
}
