package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/secgen/secgen/spec"
)

func newValidateCmd(io streams) *cobra.Command {
	var specPath string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a spec and print its errors and warnings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := loadSpec(io, func() (*spec.Spec, []*spec.Warning, error) { return spec.Load(specPath) })
			if err != nil {
				return err
			}
			fmt.Fprintf(io.out, "%s: valid, %d %s\n", specPath, len(s.Endpoints()), plural(len(s.Endpoints()), "route", "routes"))
			return nil
		},
	}
	cmd.Flags().StringVar(&specPath, "spec", "secgen.yaml", "the spec to check")
	return cmd
}
