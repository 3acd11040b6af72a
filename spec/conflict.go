package spec

import "strings"

// relation is how the sets of requests two patterns match compare, in the
// terms http.ServeMux uses to order patterns.
type relation int

const (
	equivalent   relation = iota // the same requests
	moreGeneral                  // a strict superset
	moreSpecific                 // a strict subset
	overlaps                     // some in common, neither holds the other
	disjoint                     // nothing in common
)

// segment is one element of a path pattern: a literal, a {name} wildcard,
// a {name...} wildcard matching the rest, or {$} (the literal "/" here,
// matching only the trailing slash).
type segment struct {
	lit   string
	wild  bool
	multi bool
}

// parsePattern splits a checked path into segments.
func parsePattern(path string) []segment {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	segs := make([]segment, len(parts))
	for i, p := range parts {
		switch {
		case p == "{$}":
			segs[i] = segment{lit: "/"}
		case strings.HasSuffix(p, "...}"):
			segs[i] = segment{wild: true, multi: true}
		case strings.HasPrefix(p, "{"):
			segs[i] = segment{wild: true}
		default:
			segs[i] = segment{lit: p}
		}
	}
	return segs
}

// inverse swaps the direction of a relation.
func (r relation) inverse() relation {
	switch r {
	case moreGeneral:
		return moreSpecific
	case moreSpecific:
		return moreGeneral
	}
	return r
}

// combine is the relation of two patterns from the relations of two of
// their independent parts (method and path, or two segments).
func combine(a, b relation) relation {
	switch {
	case a == disjoint || b == disjoint:
		return disjoint
	case a == equivalent:
		return b
	case b == equivalent:
		return a
	case a == overlaps || b == overlaps:
		return overlaps
	case a == b:
		return a
	}
	return overlaps // one more general, the other more specific
}

// compareMethods relates two methods; GET also matches HEAD.
func compareMethods(a, b string) relation {
	switch {
	case a == b:
		return equivalent
	case a == "GET" && b == "HEAD":
		return moreGeneral
	case a == "HEAD" && b == "GET":
		return moreSpecific
	}
	return disjoint
}

func compareSegments(a, b segment) relation {
	switch {
	case a.multi && b.multi:
		return equivalent
	case a.multi:
		return moreGeneral
	case b.multi:
		return moreSpecific
	case a.wild && b.wild:
		return equivalent
	case a.wild:
		return wildVersus(b)
	case b.wild:
		return wildVersus(a).inverse()
	case a.lit == b.lit:
		return equivalent
	}
	return disjoint
}

// wildVersus relates a single-segment wildcard to a literal: it matches
// every literal but the empty last segment that {$} stands for.
func wildVersus(lit segment) relation {
	if lit.lit == "/" {
		return disjoint
	}
	return moreGeneral
}

// comparePaths relates two path patterns segment by segment; a trailing
// {name...} also matches what the other pattern has left over.
func comparePaths(a, b []segment) relation {
	multiA := a[len(a)-1].multi
	multiB := b[len(b)-1].multi
	if len(a) != len(b) && !multiA && !multiB {
		return disjoint
	}
	rel := equivalent
	n := min(len(a), len(b))
	for i := range n {
		if rel = combine(rel, compareSegments(a[i], b[i])); rel == disjoint {
			return disjoint
		}
	}
	switch {
	case len(a) == len(b):
		return rel
	case len(a) < len(b) && multiA:
		return combine(rel, moreGeneral)
	case len(b) < len(a) && multiB:
		return combine(rel, moreSpecific)
	}
	return disjoint
}

// comparePatterns relates two "METHOD /path" patterns.
func comparePatterns(m1, p1, m2, p2 string) relation {
	mrel := compareMethods(m1, m2)
	if mrel == disjoint {
		return disjoint
	}
	return combine(mrel, comparePaths(parsePattern(p1), parsePattern(p2)))
}

// conflicting reports whether http.ServeMux refuses to hold both
// patterns: they match a request in common and neither is more specific.
func conflicting(m1, p1, m2, p2 string) bool {
	rel := comparePatterns(m1, p1, m2, p2)
	return rel == equivalent || rel == overlaps
}

// commonPath returns a path that both path patterns match, for messages;
// it is only meaningful when the patterns are not disjoint.
func commonPath(p1, p2 string) string {
	a, b := parsePattern(p1), parsePattern(p2)
	var out []string
	for i := 0; i < max(len(a), len(b)); i++ {
		var sa, sb *segment
		if i < len(a) {
			sa = &a[i]
		}
		if i < len(b) {
			sb = &b[i]
		}
		out = append(out, pickLiteral(sa, sb))
	}
	return "/" + strings.Join(out, "/")
}

// pickLiteral is the text of a segment that matches both sa and sb (nil
// past the end of a pattern): a literal when either is one, else "x".
func pickLiteral(sa, sb *segment) string {
	for _, s := range []*segment{sa, sb} {
		if s != nil && !s.wild {
			return strings.TrimPrefix(s.lit, "/")
		}
	}
	return "x"
}
