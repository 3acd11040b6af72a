package spec

import (
	"net/http"
	"strings"
	"testing"
)

// patternPaths returns every path of one to three segments built from two
// literals and a wildcard, ending in any of those, {rest...} or {$}.
func patternPaths() []string {
	middle := []string{"a", "b", "{w}"}
	last := []string{"a", "b", "{w}", "{rest...}", "{$}"}
	var out []string
	var build func(prefix []string, n int)
	build = func(prefix []string, n int) {
		if len(prefix) == n-1 {
			for _, l := range last {
				out = append(out, "/"+strings.Join(append(prefix, numbered(l, len(prefix))), "/"))
			}
			return
		}
		for _, m := range middle {
			build(append(prefix[:len(prefix):len(prefix)], numbered(m, len(prefix))), n)
		}
	}
	for n := 1; n <= 3; n++ {
		build(nil, n)
	}
	return out
}

// numbered gives each wildcard a name unique within its path.
func numbered(seg string, i int) string {
	if seg == "{w}" {
		return "{w" + itoa(i) + "}"
	}
	return seg
}

// muxRefuses reports whether a real http.ServeMux panics on registering
// both patterns.
func muxRefuses(p1, p2 string) bool {
	mux := http.NewServeMux()
	mux.HandleFunc(p1, func(http.ResponseWriter, *http.Request) {})
	return register(mux, p2) != ""
}

// TestConflictingMatchesServeMux checks the conflict rules against the
// mux itself on every pair of a few thousand patterns.
func TestConflictingMatchesServeMux(t *testing.T) {
	paths := patternPaths()
	methods := []string{"GET", "HEAD", "POST"}
	var patterns [][2]string
	for _, m := range methods {
		for _, p := range paths {
			patterns = append(patterns, [2]string{m, p})
		}
	}
	checked := 0
	for _, a := range patterns {
		for _, b := range patterns {
			if a == b {
				continue
			}
			want := muxRefuses(a[0]+" "+a[1], b[0]+" "+b[1])
			if got := conflicting(a[0], a[1], b[0], b[1]); got != want {
				t.Errorf("conflicting(%s %s, %s %s) = %v, http.ServeMux says %v", a[0], a[1], b[0], b[1], got, want)
			}
			checked++
		}
	}
	if checked < 10000 {
		t.Fatalf("checked only %d pairs", checked)
	}
}

// TestCommonPath checks that the example path of a conflict matches both
// patterns, using the mux to match.
func TestCommonPath(t *testing.T) {
	for _, c := range [][2]string{
		{"/items/{id}", "/{kind}/latest"},
		{"/a/{x...}", "/{y}/b/c"},
		{"/a/{$}", "/{y}/{z...}"},
		{"/{a}/{b}", "/{c}/{d}"},
	} {
		path := commonPath(c[0], c[1])
		for _, p := range c {
			mux := http.NewServeMux()
			mux.HandleFunc("GET "+p, func(http.ResponseWriter, *http.Request) {})
			req, _ := http.NewRequest("GET", "http://h"+path, nil)
			if _, pat := mux.Handler(req); pat != "GET "+p {
				t.Errorf("commonPath(%q, %q) = %q, which %q does not match", c[0], c[1], path, p)
			}
		}
	}
}
