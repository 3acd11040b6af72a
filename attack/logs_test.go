package attack

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// jwtShape matches anything that looks like a JWT or its header.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}`)

// checkLog covers DESIGN.md "Logs are log/slog JSON on stderr, one line
// per request, with the request id; tokens, passwords and secrets never
// appear in logs". It runs after the whole suite, on everything the
// server wrote: every token and password the suite sent or got, the JWT
// secret, and anything shaped like a JWT must be absent.
func (s *server) checkLog(t *testing.T) {
	log := s.log.String()
	lines := strings.Split(strings.TrimSpace(log), "\n")
	requests := 0
	for i, line := range lines {
		if !strings.HasPrefix(line, "{") {
			continue // the start banner on stdout
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line %d is not JSON: %v\n%s", i+1, err, line)
			continue
		}
		if rec["msg"] == "request" {
			requests++
			if id, _ := rec["request_id"].(string); len(id) != 32 {
				t.Errorf("log line %d has no request id: %s", i+1, line)
			}
		}
	}
	t.Logf("log: %d lines, %d request lines, checked for %d credentials", len(lines), requests, len(remembered()))
	if requests < 1000 {
		t.Errorf("only %d request lines in the log", requests)
	}

	for _, secret := range append(remembered(), jwtSecret, jwtSecret[:16]) {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds a credential: %.24s...", secret)
		}
	}
	if m := jwtShape.FindString(log); m != "" {
		t.Errorf("the log holds something shaped like a token: %.40s", m)
	}
	for _, word := range []string{"Tr0ub4dor", "password\":\"", "Bearer ", "access_token="} {
		if strings.Contains(log, word) {
			t.Errorf("the log holds %q", word)
		}
	}
}
