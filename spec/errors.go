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
	bestDist := len(got)/2 + 2
	for _, c := range candidates {
		switch d := levenshtein(strings.ToLower(got), strings.ToLower(c)); {
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

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
