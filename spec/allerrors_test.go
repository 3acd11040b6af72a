package spec

import (
	"errors"
	"strings"
	"testing"
)

// TestAllErrorsAtOnce: decoding errors and rule errors come in one list,
// sorted, without follow-on errors about the values that did not decode.
func TestAllErrorsAtOnce(t *testing.T) {
	src := `version: 1
name: shop
roles: [admin]
auth:
  token_ttl: 5
routes:
  - {method: GET, path: /a, roles: [root]}
  - {method: 7, path: /b}
  - {method: GET, path: /c, rols: [admin]}
`
	_, _, err := Parse("secgen.yaml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want errors, got %v", err)
	}
	want := []string{
		"secgen.yaml:5:14: ", // token_ttl: wrong type
		"secgen.yaml:7:37: ", // unknown role, a rule
		"secgen.yaml:8:14: ", // method: wrong type
		"secgen.yaml:9:29: ", // unknown key
	}
	if len(list) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(list), len(want), list)
	}
	for i, prefix := range want {
		if !strings.HasPrefix(list[i].Error(), prefix) {
			t.Errorf("error %d is %q, want it at %s", i, list[i], prefix)
		}
	}
	if strings.Contains(list.Error(), "has no method") {
		t.Errorf("a follow-on error about the method that did not decode:\n%v", list)
	}
}
