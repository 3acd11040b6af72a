package spec

import (
	"bytes"
	_ "embed"
)

//go:embed schema.json
var schema []byte

// SchemaFile is the name `secgen new` gives the schema beside the spec,
// and the name the spec's yaml-language-server line points at.
const SchemaFile = "secgen.schema.json"

// SchemaModeline is the comment that makes editors using the YAML language
// server validate and complete a spec with the schema in SchemaFile.
const SchemaModeline = "# yaml-language-server: $schema=./" + SchemaFile

// Schema returns the JSON Schema (draft 2020-12) of spec version 1. It
// catches what an editor can (unknown keys, wrong types, unknown values);
// the loader checks the rest.
func Schema() []byte { return bytes.Clone(schema) }
