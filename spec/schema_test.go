package spec

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// compileSchema compiles Schema() as draft 2020-12.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("schema.json is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(SchemaFile, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaFile)
	if err != nil {
		t.Fatalf("compiling the schema: %v", err)
	}
	return sch
}

// yamlInstance turns a YAML spec into the JSON value an editor validates.
func yamlInstance(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func globAll(t *testing.T, patterns ...string) []string {
	t.Helper()
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	return files
}

// TestSchemaAcceptsValidSpecs checks every valid spec of golden/,
// examples/ and the shared real cases against the schema.
func TestSchemaAcceptsValidSpecs(t *testing.T) {
	sch := compileSchema(t)
	files := globAll(t, "../golden/*/secgen.yaml", "../examples/*.yaml", "../../shared/cases/real/*.yaml")
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := Parse(f, data); err != nil {
			continue // a failing case; see TestSchemaRejectsSchemaMistakes
		}
		checked++
		if err := sch.Validate(yamlInstance(t, data)); err != nil {
			t.Errorf("%s is valid but the schema refuses it:\n%v", f, err)
		}
	}
	starter := Starter()
	if err := sch.Validate(yamlInstance(t, starter)); err != nil {
		t.Errorf("the starter spec fails the schema: %v", err)
	}
	if checked < 4 {
		t.Errorf("only %d valid specs found", checked)
	}
}

// TestSchemaRejectsSchemaMistakes checks that the failing golden cases whose
// mistake a schema can express fail it too.
func TestSchemaRejectsSchemaMistakes(t *testing.T) {
	sch := compileSchema(t)
	for _, name := range []string{
		"bad-02-unknown-key", "bad-03-missing-version", "bad-04-future-version", "bad-05-bad-method",
		"bad-11-bad-rate", "bad-12-zero-rate", "bad-13-bad-duration", "bad-15-low-bcrypt",
		"bad-16-bad-path", "bad-21-bad-name", "bad-23-wrong-type", "bad-26-roles-key-typo",
		"bad-34-tls-below-1.2", "bad-38-header-line-break", "bad-39-unquoted-tls-version",
		"bad-40-high-bcrypt", "bad-42-bad-route-name", "bad-46-misspelt-top-key",
		"bad-48-size-unit", "bad-50-group-no-routes",
	} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../golden", name, "secgen.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := Parse("secgen.yaml", data); err == nil {
				t.Fatal("the loader accepts it; it is not a failing case")
			}
			if err := sch.Validate(yamlInstance(t, data)); err == nil {
				t.Error("the schema accepts it")
			}
		})
	}
}

// schemaNode is a decoded JSON Schema object.
type schemaNode = map[string]any

// resolve follows a local $ref.
func resolve(root, n schemaNode) schemaNode {
	ref, ok := n["$ref"].(string)
	if !ok {
		return n
	}
	return root["$defs"].(schemaNode)[strings.TrimPrefix(ref, "#/$defs/")].(schemaNode)
}

// TestSchemaMatchesStructs checks that the schema's keys are exactly the
// yaml tags of the Go types, at every level, and that every key has a
// description, so the two cannot drift apart.
func TestSchemaMatchesStructs(t *testing.T) {
	var root schemaNode
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatal(err)
	}
	if root["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", root["$schema"])
	}
	matchStruct(t, root, root, reflect.TypeFor[Spec](), "spec")
}

func matchStruct(t *testing.T, root, n schemaNode, typ reflect.Type, where string) {
	t.Helper()
	props, _ := n["properties"].(schemaNode)
	if n["additionalProperties"] != false {
		t.Errorf("%s: additionalProperties is not false, so unknown keys pass", where)
	}
	var tags, keys []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "" || tag == "-" {
			continue
		}
		tags = append(tags, tag)
		p, ok := props[tag].(schemaNode)
		if !ok {
			continue
		}
		if d, _ := p["description"].(string); d == "" {
			t.Errorf("%s.%s has no description", where, tag)
		}
		matchField(t, root, resolve(root, p), f.Type, where+"."+tag)
	}
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(tags)
	sort.Strings(keys)
	if strings.Join(tags, " ") != strings.Join(keys, " ") {
		t.Errorf("%s: schema keys %v, Go yaml tags %v", where, keys, tags)
	}
}

func matchField(t *testing.T, root, n schemaNode, typ reflect.Type, where string) {
	t.Helper()
	switch {
	case typ == rolesType:
		forms := n["oneOf"].([]any)
		role := forms[1].(schemaNode)["additionalProperties"].(schemaNode)["anyOf"].([]any)[1].(schemaNode)
		matchStruct(t, root, resolve(root, role), reflect.TypeFor[Role](), where+".<role>")
	case typ.Kind() == reflect.Pointer:
		matchField(t, root, n, typ.Elem(), where)
	case typ == durationType || typ == sizeType || typ == rateType:
	case typ.Kind() == reflect.Struct:
		matchStruct(t, root, n, typ, where)
	case typ.Kind() == reflect.Slice && typ.Elem().Kind() == reflect.Struct:
		matchStruct(t, root, resolve(root, n["items"].(schemaNode)), typ.Elem(), where+"[]")
	}
}
