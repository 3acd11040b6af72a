package spec

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Pos is a position in a spec file, 1-based.
type Pos struct {
	Line, Col int
}

// Error is one problem found in a spec, at a position.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

// Error renders the problem as file:line:col: message.
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// ErrorList is every problem of a spec, sorted by position.
type ErrorList []*Error

// Error renders one problem a line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Pos.Line != l[j].Pos.Line {
			return l[i].Pos.Line < l[j].Pos.Line
		}
		if l[i].Pos.Col != l[j].Pos.Col {
			return l[i].Pos.Col < l[j].Pos.Col
		}
		return l[i].Msg < l[j].Msg
	})
}

// Warning is a finding that is not an error: the spec is valid, but a
// reviewer should look at it.
type Warning = Error

// suggest returns ` (did you mean "x"?)` for the closest candidate, or
// ` (did you mean "x" or "y"?)` when two are as close, or "".
func suggest(got string, candidates []string) string {
	if len(got) > 64 {
		return "" // nothing is that close, and the distance is costly
	}
	var best []string
	bestDist := max(1, len(got)/3) + 1 // the largest distance that still suggests, plus one
	for _, c := range candidates {
		switch d := editDistance(strings.ToLower(got), strings.ToLower(c)); {
		case d < bestDist:
			best, bestDist = []string{c}, d
		case d == bestDist && len(best) > 0 && !slices.Contains(best, c):
			best = append(best, c)
		}
	}
	switch len(best) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf(" (did you mean %q?)", best[0])
	}
	return fmt.Sprintf(" (did you mean %q or %q?)", best[0], best[1])
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours cost one each.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
