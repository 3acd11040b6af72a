package main

import (
	"github.com/spf13/cobra"

	"github.com/secgen/secgen/spec"
)

// newSchemaCmd builds `secgen schema`, which prints the JSON Schema of the
// spec for editors.
func newSchemaCmd(io streams) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of secgen.yaml (draft 2020-12) for editors",
		Long: `schema prints the JSON Schema of spec version 1. secgen new writes it as
` + spec.SchemaFile + ` beside the spec, which names it on its first line for
editors that use the YAML language server. Refresh it after upgrading secgen:

  secgen schema > ` + spec.SchemaFile + `

The schema catches unknown keys, wrong types and unknown values as you type;
secgen validate checks everything else.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := io.out.Write(spec.Schema())
			return err
		},
	}
}
