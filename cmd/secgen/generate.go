package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/modfile"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/spec"
)

type generateOptions struct {
	spec   string
	check  bool
	dryRun bool
}

func newGenerateCmd(io streams) *cobra.Command {
	var opts generateOptions
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Rewrite the generated server package after the spec changed",
		Long: `generate renders the spec into the project beside it: internal/api is
rewritten, a stub is written in internal/handlers for each new route, and
no file you own is touched.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerate(io, opts)
		},
	}
	cmd.Flags().StringVar(&opts.spec, "spec", "secgen.yaml", "the spec to generate from")
	cmd.Flags().BoolVar(&opts.check, "check", false, "write nothing; exit 1 and list the files that would change")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "write nothing; print what would change")
	return cmd
}

func runGenerate(io streams, opts generateOptions) error {
	s, err := loadSpec(io, func() (*spec.Spec, []*spec.Warning, error) { return spec.Load(opts.spec) })
	if err != nil {
		return err
	}
	root := filepath.Dir(opts.spec)
	module, err := modulePath(root, s.Module)
	if err != nil {
		return err
	}
	plan, err := generator.Render(s, generator.Options{Module: module, SpecFile: filepath.Base(opts.spec)})
	if err != nil {
		return err
	}

	if opts.check || opts.dryRun {
		sum, err := generator.Diff(root, plan)
		if err != nil {
			return err
		}
		printSummary(io, sum, true)
		if opts.check && sum.Changed() {
			return exitError{1}
		}
		return nil
	}
	sum, err := generator.Apply(root, plan)
	if err != nil {
		return err
	}
	printSummary(io, sum, false)
	return nil
}

// modulePath reads the module path from root/go.mod, or falls back to the
// spec's module when there is no go.mod.
func modulePath(root, fallback string) (string, error) {
	name := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return fallback, nil
	}
	if err != nil {
		return "", fmt.Errorf("reading module path: %w", err)
	}
	path := modfile.ModulePath(data)
	if path == "" {
		return "", fmt.Errorf("%s has no module line", name)
	}
	return path, nil
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
		fmt.Fprintf(io.out, "%-11s %s\n", verb("wrote", "would write"), f)
	}
	for _, f := range sum.Removed {
		fmt.Fprintf(io.out, "%-11s %s\n", verb("removed", "would remove"), f)
	}
	for _, f := range sum.Scaffolded {
		fmt.Fprintf(io.out, "%-11s %s\n", verb("scaffolded", "would add"), f)
	}
	for _, f := range sum.Orphaned {
		fmt.Fprintf(io.out, "%-11s %s: no route uses this file any more; move its code to the route that replaced it, then delete it\n", "orphaned", f)
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
