package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/modfile"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/spec"
)

type generateOptions struct {
	spec     string
	out      string
	handlers string
	check    bool
	dryRun   bool
}

func newGenerateCmd(io streams) *cobra.Command {
	io.errSuffix = "; nothing was written"
	var opts generateOptions
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Rewrite the generated server package after the spec changed",
		Long: `generate renders the spec into the folder that holds it: the generated
package (--out, default internal/api) is rewritten, a stub is scaffolded in
the handlers folder (--handlers, default internal/handlers) for each new
route, and no file you own is touched. Import paths come from the go.mod of
the enclosing module. Under go generate, paths are relative to the folder of
the file holding the //go:generate line.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerate(io, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.spec, "spec", "secgen.yaml", "the spec to generate from")
	f.StringVar(&opts.out, "out", generator.DefaultAPIDir, "folder of the generated package, relative to the spec's folder")
	f.StringVar(&opts.handlers, "handlers", generator.DefaultHandlerDir, `folder of the scaffolded handlers, relative to the spec's folder; "-" scaffolds none`)
	f.BoolVar(&opts.check, "check", false, "write nothing; exit 1 and list the files that would change")
	f.BoolVar(&opts.dryRun, "dry-run", false, "write nothing; print the plan and a unified diff")
	return cmd
}

func runGenerate(io streams, opts generateOptions) error {
	s, err := loadSpec(io, func() (*spec.Spec, []*spec.Warning, error) { return spec.Load(opts.spec) })
	if err != nil {
		return err
	}
	root := filepath.Dir(opts.spec)
	importPath, err := importPathOf(root, s.Module)
	if err != nil {
		return err
	}
	if err := checkInside(opts.out, opts.handlers); err != nil {
		return err
	}
	if path.Clean(filepath.ToSlash(opts.out)) == path.Clean(filepath.ToSlash(opts.handlers)) {
		return fmt.Errorf("--out and --handlers are both %q; the generated package and your handlers need folders of their own", opts.out)
	}
	plan, err := generator.Render(s, generator.Options{
		Module:     importPath,
		SpecFile:   filepath.Base(opts.spec),
		APIDir:     filepath.ToSlash(opts.out),
		HandlerDir: filepath.ToSlash(opts.handlers),
	})
	if err != nil {
		return err
	}

	unlock, err := generator.Lock(root)
	if err != nil {
		return err
	}
	defer unlock()
	if opts.check || opts.dryRun {
		return planOnly(io, root, plan, opts)
	}
	sum, err := generator.Apply(root, plan)
	if err != nil {
		return err
	}
	printSummary(io, sum, false)
	return nil
}

// planOnly prints what generate would do; with --check a pending change
// is exit status 1.
func planOnly(io streams, root string, plan *generator.Plan, opts generateOptions) error {
	sum, err := generator.Diff(root, plan)
	if err != nil {
		return err
	}
	printSummary(io, sum, true)
	if opts.dryRun {
		diff, err := generator.UnifiedDiff(root, plan, sum)
		if err != nil {
			return err
		}
		fmt.Fprint(io.out, diff)
	}
	if opts.check && sum.Changed() {
		fmt.Fprintln(io.err, "secgen: generated files are out of date; run secgen generate")
		return exitError{1}
	}
	return nil
}

// checkInside refuses output folders that leave the spec's folder.
func checkInside(dirs ...string) error {
	for _, d := range dirs {
		if d == "-" {
			continue
		}
		clean := path.Clean(filepath.ToSlash(d))
		if filepath.IsAbs(d) || clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
			return fmt.Errorf("folder %q must be a subfolder of the spec's folder", d)
		}
	}
	return nil
}

// importPathOf returns the import path of dir: the path of the module
// whose go.mod encloses it, plus dir's place in that module. Without a
// go.mod it falls back to the spec's module.
func importPathOf(dir, fallback string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("finding module: %w", err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod := modfile.ModulePath(data)
			if mod == "" {
				return "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", fmt.Errorf("finding module: %w", err)
			}
			return path.Join(mod, filepath.ToSlash(rel)), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("reading go.mod: %w", err)
		}
		if filepath.Dir(d) == d {
			return fallback, nil
		}
	}
}

// printSummary says what a run did (or would do) to each file.
func printSummary(io streams, sum *generator.Summary, planned bool) {
	verb := func(did, would string) string {
		if planned {
			return would
		}
		return did
	}
	for _, f := range sum.Written {
		fmt.Fprintf(io.out, "%-12s %s\n", verb("wrote", "would write"), f)
	}
	for _, f := range sum.Removed {
		fmt.Fprintf(io.out, "%-12s %s\n", verb("removed", "would remove"), f)
	}
	for _, f := range sum.Scaffolded {
		fmt.Fprintf(io.out, "%-12s %s\n", verb("scaffolded", "would add"), f)
	}
	for _, f := range sum.Orphaned {
		fmt.Fprintf(io.out, "%-12s %s: no route uses this file any more; move its code to the route that replaced it, then delete it\n", "orphaned", f)
	}
	counts := []string{
		fmt.Sprintf("%d written", len(sum.Written)),
		fmt.Sprintf("%d unchanged", len(sum.Unchanged)),
		fmt.Sprintf("%d removed", len(sum.Removed)),
		fmt.Sprintf("%d scaffolded", len(sum.Scaffolded)),
		fmt.Sprintf("%d orphaned", len(sum.Orphaned)),
	}
	prefix := "secgen: "
	if planned {
		prefix = "secgen (nothing written): "
	}
	fmt.Fprintln(io.out, prefix+strings.Join(counts, ", "))
}
