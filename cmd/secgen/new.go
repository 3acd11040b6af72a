package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/module"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/spec"
)

type newOptions struct {
	dir    string
	spec   string
	module string
}

func newNewCmd(io streams) *cobra.Command {
	io.errSuffix = "; nothing was written"
	var opts newOptions
	cmd := &cobra.Command{
		Use:   "new PATH",
		Short: "Create a new project that builds, tests and serves",
		Long: `new creates PATH holding a Go module generated from the built-in starter
spec, or from --spec FILE.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runNew(io, opts)
		},
	}
	cmd.Flags().StringVar(&opts.spec, "spec", "", "start from this spec instead of the built-in starter")
	cmd.Flags().StringVar(&opts.module, "module", "", "module path of the new project (default: the spec's module)")
	return cmd
}

func runNew(io streams, opts newOptions) error {
	if err := checkEmpty(opts.dir); err != nil {
		return err
	}
	if opts.module != "" {
		if err := module.CheckImportPath(opts.module); err != nil {
			return fmt.Errorf("new: --module %q is not a valid module path: %w", opts.module, err)
		}
	}
	file, data, err := newSpecData(opts)
	if err != nil {
		return err
	}
	s, err := loadSpec(io, func() (*spec.Spec, []*spec.Warning, error) { return spec.Parse(file, data) })
	if err != nil {
		return err
	}
	module := s.Module
	if opts.module != "" {
		module = opts.module
	}
	plan, err := generator.Render(s, generator.Options{Module: module, SpecFile: "secgen.yaml", New: true, SpecData: withModeline(data), Starter: opts.spec == ""})
	if err != nil {
		return err
	}
	plan.Files = append(plan.Files, generator.File{Path: spec.SchemaFile, Kind: generator.Scaffolded, Data: spec.Schema()})
	if _, err := generator.Apply(opts.dir, plan); err != nil {
		return err
	}
	fmt.Fprintf(io.out, "created %s (module %s, %d routes)\n\n", opts.dir, module, len(s.Endpoints()))
	if base := filepath.Base(filepath.Clean(opts.dir)); opts.spec == "" && base != s.Name {
		fmt.Fprintf(io.out, "note: %q is not a usable project name, so the project is called %s\n\n", base, s.Name)
	}
	fmt.Fprintf(io.out, "  cd %s\n  go run ./cmd/%s serve -dev   # HTTPS on localhost with a dev admin user\n  go test ./...\n", shellQuote(opts.dir), s.Name)
	return nil
}

// withModeline puts the yaml-language-server line that names the schema
// at the top of a new project's spec, unless the spec has one already.
func withModeline(data []byte) []byte {
	if bytes.Contains(data, []byte("yaml-language-server:")) {
		return data
	}
	return append([]byte(spec.SchemaModeline+"\n"), data...)
}

// checkEmpty refuses a target that exists and holds files.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("new: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("new: %s exists and is not empty; choose a new folder", dir)
	}
	return nil
}

var projectNameRE = regexp.MustCompile(`[^a-z0-9_-]+`)

// newSpecData returns the spec for a new project: the given file, or the
// starter with its name and module taken from the folder name.
func newSpecData(opts newOptions) (string, []byte, error) {
	if opts.spec != "" {
		data, err := os.ReadFile(opts.spec)
		if err != nil {
			return "", nil, fmt.Errorf("reading spec: %w", err)
		}
		return opts.spec, data, nil
	}
	name := projectNameRE.ReplaceAllString(strings.ToLower(filepath.Base(filepath.Clean(opts.dir))), "")
	name = strings.TrimLeft(name, "0123456789_-")
	if name == "" {
		name = "myapi"
	}
	module := "example.com/" + name
	if opts.module != "" {
		module = opts.module
	}
	text := string(spec.Starter())
	text = strings.Replace(text, "\nname: myapi\n", "\nname: "+name+"\n", 1)
	text = strings.Replace(text, "\nmodule: example.com/myapi\n", "\nmodule: "+module+"\n", 1)
	return "secgen.yaml", []byte(text), nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
