package generator

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"

	"github.com/secgen/secgen/spec"
)

// funcs is sprig's hermetic map (nothing reads the clock, the environment
// or randomness) plus the few functions that turn spec values into Go
// literals. Every spec string reaches Go source through goString.
func funcs() template.FuncMap {
	m := sprig.HermeticTxtFuncMap()
	m["goDuration"] = goDuration
	m["goRoleSets"] = goRoleSets
	m["goString"] = strconv.Quote
	m["goStrings"] = goStrings
	return m
}

func goStrings(list []string) string {
	quoted := make([]string, len(list))
	for i, s := range list {
		quoted[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(quoted, ", ") + "}"
}

func goRoleSets(sets [][]string) string {
	parts := make([]string, len(sets))
	for i, set := range sets {
		parts[i] = strings.TrimPrefix(goStrings(set), "[]string")
	}
	return "[][]string{" + strings.Join(parts, ", ") + "}"
}

// goDuration writes a time.Duration or spec.Duration as a readable Go
// expression such as 15 * time.Minute.
func goDuration(v any) string {
	var d time.Duration
	switch x := v.(type) {
	case time.Duration:
		d = x
	case spec.Duration:
		d = time.Duration(x)
	default:
		panic(fmt.Sprintf("goDuration: %T is not a duration", v))
	}
	units := []struct {
		d    time.Duration
		name string
	}{{time.Hour, "time.Hour"}, {time.Minute, "time.Minute"}, {time.Second, "time.Second"}, {time.Millisecond, "time.Millisecond"}}
	for _, u := range units {
		if d != 0 && d%u.d == 0 {
			if n := d / u.d; n != 1 {
				return strconv.FormatInt(int64(n), 10) + " * " + u.name
			}
			return u.name
		}
	}
	return strconv.FormatInt(int64(d), 10)
}

func itoa(i int) string { return strconv.Itoa(i) }
