package spec

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// decoder turns a yaml.Node tree into Go values strictly: unknown keys,
// duplicate keys and wrong types are errors, and the position of every
// decoded field is remembered for validation messages.
type decoder struct {
	file string
	errs ErrorList
	pos  map[any]Pos
	keys []string // the keys leading to the value being decoded

	// failed holds the values (field pointers) whose decoding reported an
	// error, and every value that contains one, so that validation can
	// stay quiet about what a decoding error already explains.
	failed map[any]bool
}

// MaxItems is the longest list a spec may hold; longer lists are refused
// so that validation stays fast on any input.
const MaxItems = 1000

// MaxRoutes is the most routes a spec may hold in all its lists together.
// Validation and generation grow linearly with the routes, so this only
// bounds the work a hostile spec can ask for.
const MaxRoutes = 10000

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Pos: nodePos(n), Msg: fmt.Sprintf(format, args...)})
}

// valueErrorf reports a problem with a value, naming the key it is under
// ("routes.roles: expected a list ...").
func (d *decoder) valueErrorf(n *yaml.Node, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if where := d.where(); where != "" {
		msg = where + ": " + msg
	}
	d.errs = append(d.errs, &Error{File: d.file, Pos: nodePos(n), Msg: msg})
}

// where is the dotted key path of the value being decoded, "" at the top.
func (d *decoder) where() string { return strings.Join(d.keys, ".") }

func nodePos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

var (
	durationType = reflect.TypeFor[Duration]()
	sizeType     = reflect.TypeFor[Size]()
	rateType     = reflect.TypeFor[Rate]()
	rolesType    = reflect.TypeFor[Roles]()
)

// decode fills v (a pointer's element) from n; what is absent keeps its
// current value, which is how defaults survive.
func (d *decoder) decode(n *yaml.Node, v reflect.Value) {
	before := len(d.errs)
	d.decodeValue(n, v)
	if len(d.errs) > before && v.CanAddr() {
		d.failed[v.Addr().Interface()] = true
	}
}

func (d *decoder) decodeValue(n *yaml.Node, v reflect.Value) {
	if v.CanAddr() {
		d.pos[v.Addr().Interface()] = nodePos(n)
	}
	switch v.Type() {
	case durationType:
		d.decodeDuration(n, v)
		return
	case sizeType:
		d.decodeSize(n, v)
		return
	case rateType:
		d.decodeRate(n, v)
		return
	case rolesType:
		d.decodeRoles(n, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if n.Tag == "!!null" {
			return
		}
		elem := reflect.New(v.Type().Elem())
		d.decode(n, elem.Elem())
		v.Set(elem)
	case reflect.Struct:
		d.decodeStruct(n, v)
	case reflect.Slice:
		d.decodeSlice(n, v)
	case reflect.String:
		if d.expectScalar(n, "!!str", "a string") {
			v.SetString(n.Value)
		}
	case reflect.Bool:
		if d.expectScalar(n, "!!bool", "true or false") {
			v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
		}
	case reflect.Int:
		if d.expectScalar(n, "!!int", "a whole number") {
			i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
			if err != nil || i > 1<<31 || i < -1<<31 {
				d.valueErrorf(n, "%s is not a whole number this spec can use", n.Value)
				return
			}
			v.SetInt(i)
		}
	default:
		panic("spec: cannot decode into " + v.Type().String())
	}
}

func (d *decoder) expectScalar(n *yaml.Node, tag, want string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == tag {
		return true
	}
	d.valueErrorf(n, "expected %s, found %s%s", want, describe(n), quoteHint(n, tag))
	return false
}

// quoteHint tells how to write a scalar that YAML read as the wrong type.
func quoteHint(n *yaml.Node, tag string) string {
	if n.Kind != yaml.ScalarNode {
		return ""
	}
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
	switch {
	case tag == "!!str" && (n.Tag == "!!int" || n.Tag == "!!float" || n.Tag == "!!bool"):
		return fmt.Sprintf("; put it in quotes to mean the text %q", n.Value)
	case tag == "!!int" && quoted && isInt(n.Value), tag == "!!bool" && quoted && (n.Value == "true" || n.Value == "false"):
		return "; write it without quotes"
	}
	return ""
}

func isInt(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// describe names what a node holds, for type errors.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "nothing"
	}
	return strconv.Quote(n.Value)
}

// fieldsOf maps yaml keys to struct field indexes.
func fieldsOf(t reflect.Type) (map[string]int, []string) {
	idx := map[string]int{}
	var keys []string
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("yaml")
		if tag == "" || tag == "-" {
			continue
		}
		idx[tag] = i
		keys = append(keys, tag)
	}
	return idx, keys
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.valueErrorf(n, "expected a map of keys, found %s", describe(n))
		return
	}
	idx, keys := fieldsOf(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			d.valueErrorf(k, "key %q appears twice; keep one", k.Value)
			continue
		}
		seen[k.Value] = true
		fi, ok := idx[k.Value]
		if !ok {
			d.unknownKey(k, keys)
			if v.CanAddr() {
				d.failed[unknownKeyIn{v.Addr().Interface()}] = true
			}
			continue
		}
		d.keys = append(d.keys, k.Value)
		d.decode(val, v.Field(fi))
		d.keys = d.keys[:len(d.keys)-1]
	}
}

// unknownKey reports a key the struct does not have, with the closest
// known key and the list of all of them.
func (d *decoder) unknownKey(k *yaml.Node, keys []string) {
	in := ""
	if where := d.where(); where != "" {
		in = " in " + where
	}
	if k.Kind != yaml.ScalarNode {
		d.errorf(k, "unknown key %s%s; known keys: %s", describe(k), in, strings.Join(sorted(keys), ", "))
		return
	}
	d.errorf(k, "unknown key %q%s%s; known keys: %s", k.Value, in, suggest(k.Value, keys), strings.Join(sorted(keys), ", "))
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		d.valueErrorf(n, "expected a list, found %s%s", describe(n), listHint(n))
		return
	}
	if !d.checkLength(n) {
		return
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	v.Set(out)
	for i, item := range n.Content {
		d.decode(item, v.Index(i))
	}
}

// listHint suggests the list syntax for a single value written alone.
func listHint(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		return fmt.Sprintf("; write a list such as [%s]", n.Value)
	}
	return ""
}

// checkLength refuses a list longer than MaxItems.
func (d *decoder) checkLength(n *yaml.Node) bool {
	if len(n.Content) <= MaxItems {
		return true
	}
	d.valueErrorf(n, "a list of %d items is longer than a spec may hold (at most %d)", len(n.Content), MaxItems)
	return false
}

func (d *decoder) decodeDuration(n *yaml.Node, v reflect.Value) {
	if !d.expectScalar(n, "!!str", "a duration such as 15m or 720h") {
		return
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil || dur <= 0 {
		d.valueErrorf(n, "%q is not a positive duration (write it like 30s, 15m or 720h; days are 24h)", n.Value)
		return
	}
	v.SetInt(int64(dur))
}

// maxSize is the largest body limit a spec may set.
const maxSize = 1 << 30

var sizeUnits = []struct {
	suffix string
	mult   int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

func (d *decoder) decodeSize(n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		i, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil || i <= 0 || i > maxSize {
			d.valueErrorf(n, "%s is not a size from 1 byte to 1GiB (write it like 512KiB or 1MiB)", n.Value)
			return
		}
		v.SetInt(i)
		return
	}
	if !d.expectScalar(n, "!!str", "a size such as 64KiB or 1MiB") {
		return
	}
	size, ok := parseSize(n.Value)
	if !ok {
		d.valueErrorf(n, "%q is not a size from 1 byte to 1GiB (write it like 512KiB or 1MiB)", n.Value)
		return
	}
	v.SetInt(size)
}

func parseSize(s string) (int64, bool) {
	for _, u := range sizeUnits {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		i, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
		if err != nil || i <= 0 || i > maxSize/u.mult {
			return 0, false
		}
		return i * u.mult, true
	}
	return 0, false
}

var ratePeriods = map[string]time.Duration{"second": time.Second, "minute": time.Minute, "hour": time.Hour}

func (d *decoder) decodeRate(n *yaml.Node, v reflect.Value) {
	if !d.expectScalar(n, "!!str", `a rate such as 100/minute, or "off"`) {
		return
	}
	if n.Value == "off" {
		v.Set(reflect.ValueOf(Rate{Off: true}))
		return
	}
	num, unit, ok := strings.Cut(n.Value, "/")
	per, known := ratePeriods[unit]
	count, err := strconv.Atoi(num)
	if !ok || !known || err != nil || count < 0 {
		d.valueErrorf(n, "%q is not a rate (write N/second, N/minute or N/hour, such as 100/minute, or \"off\")%s",
			n.Value, suggest(unit, []string{"second", "minute", "hour"}))
		return
	}
	if count == 0 {
		d.valueErrorf(n, "rate %q would refuse every request; write \"off\" to disable the limit", n.Value)
		return
	}
	if count > 1_000_000 {
		d.valueErrorf(n, "rate %q is too high to mean anything (at most 1000000 per period)", n.Value)
		return
	}
	v.Set(reflect.ValueOf(Rate{N: count, Per: per}))
}

// decodeRoles accepts a list of names or a map of name to {description, inherits}.
func (d *decoder) decodeRoles(n *yaml.Node, v reflect.Value) {
	var roles Roles
	switch n.Kind {
	case yaml.SequenceNode:
		if !d.checkLength(n) {
			return
		}
		for _, item := range n.Content {
			if d.expectScalar(item, "!!str", "a role name") {
				roles = append(roles, Role{Name: item.Value})
				d.pos[roleKey(item.Value)] = nodePos(item)
			}
		}
	case yaml.MappingNode:
		if len(n.Content)/2 > MaxItems {
			d.valueErrorf(n, "%d roles are more than a spec may hold (at most %d)", len(n.Content)/2, MaxItems)
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if !d.expectScalar(k, "!!str", "a role name") {
				continue
			}
			r := Role{Name: k.Value}
			if val.Tag != "!!null" {
				d.keys = append(d.keys, k.Value)
				d.decodeStruct(val, reflect.ValueOf(&r).Elem())
				d.keys = d.keys[:len(d.keys)-1]
			}
			roles = append(roles, r)
			d.pos[roleKey(k.Value)] = nodePos(k)
			d.pos[inheritsKey(k.Value)] = nodePos(val)
			d.rememberInherits(val, k.Value)
		}
	default:
		d.valueErrorf(n, "expected a list of role names or a map of name to {description, inherits}, found %s", describe(n))
		return
	}
	v.Set(reflect.ValueOf(roles))
}

// rememberInherits records the position of each inherited name.
func (d *decoder) rememberInherits(val *yaml.Node, role string) {
	if val.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(val.Content); i += 2 {
		if val.Content[i].Value != "inherits" || val.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for j, item := range val.Content[i+1].Content {
			d.pos[inheritKey{role, j}] = nodePos(item)
		}
	}
}

// unknownKeyIn marks, in decoder.failed, a map that held an unknown key:
// a misspelt key may be the value a later rule misses.
type unknownKeyIn struct{ ptr any }

// Position keys for values that have no stable field address.
type (
	roleKey     string
	inheritsKey string
	inheritKey  struct {
		role string
		i    int
	}
)

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
