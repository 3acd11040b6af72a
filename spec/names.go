package spec

import (
	"strings"
	"unicode"
)

// initialisms are written in capitals in derived Go names.
var initialisms = map[string]bool{
	"id": true, "ids": true, "url": true, "uri": true, "api": true, "uuid": true, "html": true,
	"json": true, "xml": true, "http": true, "ip": true, "sql": true, "jwt": true, "css": true,
}

// DeriveName returns the Go method name of a route without a name:
// the method, then the path's words, with each segment followed by a
// parameter made singular and the parameter written as "ByName", so
// GET /posts/{id} is GetPostByID.
func DeriveName(method, path string) string {
	var b strings.Builder
	b.WriteString(pascal(strings.ToLower(method)))
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, seg := range segs {
		if seg == "" || seg == "{$}" {
			continue
		}
		if strings.HasPrefix(seg, "{") {
			b.WriteString("By" + words(strings.TrimSuffix(strings.Trim(seg, "{}"), "...")))
			continue
		}
		if i+1 < len(segs) && strings.HasPrefix(segs[i+1], "{") && segs[i+1] != "{$}" {
			seg = singular(seg)
		}
		b.WriteString(words(seg))
	}
	if b.Len() == len(method) {
		b.WriteString("Root")
	}
	return b.String()
}

// words turns "find-by_status.v2" into "FindByStatusV2", keeping existing
// capitals ("findByTags" becomes "FindByTags").
func words(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var b strings.Builder
	for _, p := range parts {
		if !isASCIIWord(p) {
			continue
		}
		if initialisms[strings.ToLower(p)] {
			b.WriteString(strings.ToUpper(p))
			continue
		}
		b.WriteString(pascal(p))
	}
	return b.String()
}

func isASCIIWord(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

func pascal(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss") && len(s) > 3:
		return s[:len(s)-1]
	}
	return s
}

// FileName is the scaffolded handler file of a Go method name:
// GetPostByID becomes get_post_by_id.go. A name whose file would be a test
// or carry a build constraint (ListTests, GetLinux, GetArm64) or take the
// package's own handlers.go gets "_route" added, so the file is always
// compiled: get_linux_route.go.
func FileName(goName string) string {
	base := snake(goName)
	parts := strings.Split(base, "_")
	last := parts[len(parts)-1]
	if base == "handlers" || last == "test" || knownOS[last] || knownArch[last] {
		base += "_route"
	}
	return base + ".go"
}

// knownOS and knownArch are the GOOS and GOARCH values that the go command
// reads as a build constraint at the end of a file name.
var (
	knownOS = setOf("aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
		"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos")
	knownArch = setOf("386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
		"mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv",
		"riscv64", "s390", "s390x", "sparc", "sparc64", "wasm")
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// snake turns a Go name into lower-case words joined by "_".
func snake(goName string) string {
	var b strings.Builder
	rs := []rune(goName)
	for i, r := range rs {
		upper := unicode.IsUpper(r) || unicode.IsDigit(r) && i > 0 && !unicode.IsDigit(rs[i-1])
		if i > 0 && upper {
			prevLower := unicode.IsLower(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || (nextLower && unicode.IsUpper(rs[i-1])) || unicode.IsDigit(r) && !unicode.IsDigit(rs[i-1]) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
