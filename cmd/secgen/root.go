package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/secgen/secgen/spec"
)

// streams are the standard streams a command uses, injected for tests.
type streams struct {
	in       io.Reader
	out, err io.Writer

	// errSuffix ends the line that counts spec errors: commands that
	// write say that they wrote nothing.
	errSuffix string
}

// errSilent marks an error whose message was already printed.
var errSilent = errors.New("silent")

// exitError carries an exit status other than 1.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run executes the CLI with args and returns the process exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	io := streams{in: stdin, out: stdout, err: stderr}
	root := newRootCmd(io)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.code
	case errors.Is(err, errSilent):
		return 1
	}
	fmt.Fprintln(stderr, "secgen:", err)
	return 1
}

func newRootCmd(io streams) *cobra.Command {
	root := &cobra.Command{
		Use:           "secgen",
		Short:         "Generate a secure Go HTTP server from a spec of routes and roles",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newNewCmd(io), newGenerateCmd(io), newValidateCmd(io), newSchemaCmd(io), newVersionCmd(io))
	return root
}

// loadSpec loads a spec and prints its warnings, or its errors.
func loadSpec(io streams, load func() (*spec.Spec, []*spec.Warning, error)) (*spec.Spec, error) {
	s, warns, err := load()
	var list spec.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(io.err, e)
		}
		fmt.Fprintf(io.err, "secgen: %d %s in the spec%s\n", len(list), plural(len(list), "error", "errors"), io.errSuffix)
		return nil, errSilent
	}
	if err != nil {
		return nil, err
	}
	for _, w := range warns {
		fmt.Fprintf(io.err, "%s:%d:%d: warning: %s\n", w.File, w.Pos.Line, w.Pos.Col, w.Msg)
	}
	return s, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
