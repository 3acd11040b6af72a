package attack

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// attackRateLimits covers DESIGN.md "Rate limits key on the socket
// address; forwarding headers count only from trusted_proxies; 429 carries
// Retry-After and the RateLimit headers." The memory bound is attackFlood.
func (s *server) attackRateLimits(t *testing.T) {
	t.Run("Retry-After is the real time to wait", s.limitRetryAfter)
	t.Run("RateLimit headers", s.limitHeaders)
	t.Run("spoofed forwarding headers", s.limitSpoofed)
	t.Run("trusted proxy: right-most untrusted hop", s.limitTrustedProxy)
}

// until429 sends GET path until it is refused, at most 10 times, and
// returns the refusal; the first two requests must pass (a burst of 2).
func (s *server) until429(t *testing.T, c *http.Client, path string, h http.Header) reply {
	t.Helper()
	for i := range 10 {
		r := s.do(t, c, "GET", path, "", "", h)
		if r.status == http.StatusTooManyRequests {
			if i < 2 {
				t.Errorf("GET %s refused at request %d, within the burst", path, i+1)
			}
			return r
		}
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
	}
	t.Fatalf("GET %s: ten requests and no 429", path)
	return reply{}
}

// limitRetryAfter exhausts GET /fast (2/second, so one token per 500ms):
// Retry-After says 1, and a retry after it passes.
func (s *server) limitRetryAfter(t *testing.T) {
	c := newClient(freshIP())
	r := s.until429(t, c, "/fast", nil)
	checkProblem(t, "request over 2/second", r, http.StatusTooManyRequests)
	ra, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || ra != 1 {
		t.Fatalf("Retry-After %q, want 1", r.header.Get("Retry-After"))
	}
	time.Sleep(time.Duration(ra) * time.Second)
	if r := s.do(t, c, "GET", "/fast", "", "", nil); r.status != http.StatusOK {
		t.Errorf("retry after Retry-After: %d, want 200", r.status)
	}
}

// limitHeaders exhausts GET /scarce (3/minute: one token per 20s) and
// reads the numbers of the answers: none on the served ones (the
// RateLimit headers go on 429s only, README: "Headers"), all on the 429.
func (s *server) limitHeaders(t *testing.T) {
	c := newClient(freshIP())
	for i := range 3 {
		r := s.do(t, c, "GET", "/scarce", "", "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
		for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"} {
			if got := r.header.Values(h); len(got) != 0 {
				t.Errorf("request %d, served: %s %q", i+1, h, got)
			}
		}
	}
	r := s.do(t, c, "GET", "/scarce", "", "", nil)
	checkProblem(t, "fourth request", r, http.StatusTooManyRequests)
	want := map[string][2]int{
		"Retry-After":         {15, 20}, // the next token, 20s after the first was taken
		"RateLimit-Limit":     {3, 3},
		"RateLimit-Remaining": {0, 0},
		"RateLimit-Reset":     {55, 60}, // until the bucket is full again
	}
	for h, rng := range want {
		vals := r.header.Values(h)
		n, err := strconv.Atoi(strings.Join(vals, ","))
		if len(vals) != 1 || err != nil || n < rng[0] || n > rng[1] {
			t.Errorf("429 %s %q, want one value in [%d, %d]", h, vals, rng[0], rng[1])
		}
	}
}

// exhaust uses up GET /scarce for a client; h is sent with each request.
func (s *server) exhaust(t *testing.T, c *http.Client, h http.Header) {
	t.Helper()
	for i := range 3 {
		if r := s.do(t, c, "GET", "/scarce", "", "", h); r.status != http.StatusOK {
			t.Fatalf("exhausting /scarce, request %d with %v: %d", i+1, h, r.status)
		}
	}
	if r := s.do(t, c, "GET", "/scarce", "", "", h); r.status != http.StatusTooManyRequests {
		t.Fatalf("exhausting /scarce with %v: %d, want 429", h, r.status)
	}
}

// forwardingHeaders are the headers spoofers set, with a made-up client.
func forwardingHeaders(ip string) []http.Header {
	return []http.Header{
		hdr("X-Forwarded-For", ip), hdr("X-Forwarded-For", ip+", "+ip), hdr("X-Real-IP", ip),
		hdr("Forwarded", "for="+ip), hdr("True-Client-IP", ip), hdr("CF-Connecting-IP", ip),
		hdr("X-Client-IP", ip), hdr("X-Forwarded-For", "127.0.9.1"), hdr("X-Forwarded-For", "::1"),
	}
}

// limitSpoofed checks, from an address outside trusted_proxies, that
// forwarding headers neither give a limited client a fresh bucket nor let
// it spend someone else's.
func (s *server) limitSpoofed(t *testing.T) {
	attacker := freshIP()
	c := newClient(attacker)
	s.exhaust(t, c, nil)
	for _, h := range forwardingHeaders("203.0.113.77") {
		if r := s.do(t, c, "GET", "/scarce", "", "", h); r.status != http.StatusTooManyRequests {
			t.Errorf("limited client with %v: %d, want 429 (bucket reset by a header)", h, r.status)
		}
	}

	// Lock-out: a spoofer names its victim in every header it can.
	victim := freshIP()
	spoofer := newClient(freshIP())
	for range 4 {
		for _, h := range forwardingHeaders(victim) {
			s.do(t, spoofer, "GET", "/scarce", "", "", h)
		}
	}
	if r := s.do(t, newClient(victim), "GET", "/scarce", "", "", nil); r.status != http.StatusOK {
		t.Errorf("victim %s after a spoofer used its address in headers: %d, want 200", victim, r.status)
	}
}

// limitTrustedProxy checks the keys behind the trusted proxies
// (127.0.9.0/24): the client is the right-most hop that is not a trusted
// proxy, whatever a client puts to the left of it.
func (s *server) limitTrustedProxy(t *testing.T) {
	client := "198.51.100.7"
	s.exhaust(t, newClient(proxyIP(1)), hdr("X-Forwarded-For", client))
	limited := []http.Header{
		hdr("X-Forwarded-For", client),                                   // the same client through another proxy
		hdr("X-Forwarded-For", "203.0.113.1, "+client),                   // spoofed hop on the left
		hdr("X-Forwarded-For", "203.0.113.1,"+client),                    // without the space
		hdr("X-Forwarded-For", client+", 127.0.9.77"),                    // a trusted hop on the right
		hdr("X-Forwarded-For", "203.0.113.1", "X-Forwarded-For", client), // two header lines
		hdr("X-Forwarded-For", "10.0.0.1, "+client+", 127.0.9.3, 127.0.9.4"),
		hdr("X-Forwarded-For", client, "X-Real-IP", "203.0.113.2"),
	}
	for _, h := range limited {
		if r := s.do(t, newClient(proxyIP(2)), "GET", "/scarce", "", "", h); r.status != http.StatusTooManyRequests {
			t.Errorf("via proxy with %v: %d, want 429 (client %s is limited)", h, r.status, client)
		}
	}
	free := []http.Header{
		hdr("X-Forwarded-For", "198.51.100.8"),          // another client
		hdr("X-Forwarded-For", client+", 198.51.100.9"), // the right-most untrusted hop differs
		hdr("X-Forwarded-For", "  198.51.100.10  "),
	}
	for _, h := range free {
		if r := s.do(t, newClient(proxyIP(3)), "GET", "/scarce", "", "", h); r.status != http.StatusOK {
			t.Errorf("via proxy with %v: %d, want 200 (another client)", h, r.status)
		}
	}
	// The proxy's own address is not the key: one limited client does not
	// lock out the others behind the same proxy, and a direct client with
	// the limited client's address in a header is its own key.
	if r := s.do(t, newClient(freshIP()), "GET", "/scarce", "", "", hdr("X-Forwarded-For", client)); r.status != http.StatusOK {
		t.Errorf("untrusted peer naming the limited client: %d, want 200", r.status)
	}
	// The access log names the client the limiter used.
	if !s.logHas(`"client":"` + client + `"`) {
		t.Errorf("the access log never names client %s", client)
	}
}

// rss returns the resident set size of process pid in bytes.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc to read the server's memory from: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS in /proc status")
	return 0
}

// Flood sizes. The spec's rate_limit.max_clients is 2000; floodWarm
// distinct clients fill every limiter table to that bound, floodKeys more
// would grow the default limiter's table by roughly floodKeys x 300 bytes
// (a map entry, a list element, a token bucket and the key) if it were
// unbounded.
const (
	floodWarm    = 5000
	floodKeys    = 60000
	floodWorkers = 16
	floodMaxGrow = 8 << 20
)

// attackFlood covers DESIGN.md "the limiter's memory is bounded however
// many clients come": from a trusted proxy it sends requests for tens of
// thousands of distinct forwarded clients (header values only; no traffic
// leaves loopback) and measures the server's RSS from /proc.
func (s *server) attackFlood(t *testing.T) {
	ctx := ctxTimeout(t, 90*time.Second)
	s.flood(t, ctx, 0, floodWarm)
	before := rss(t, s.pid())
	start := time.Now()
	sent := s.flood(t, ctx, floodWarm, floodKeys)
	after := rss(t, s.pid())
	t.Logf("flood of %d distinct clients in %v: RSS %.1f MiB -> %.1f MiB (%+.1f MiB)",
		sent, time.Since(start).Round(time.Millisecond), mib(before), mib(after), mib(after-before))
	if sent < floodKeys {
		t.Fatalf("only %d of %d flood requests went through in time", sent, floodKeys)
	}
	if after-before > floodMaxGrow {
		t.Errorf("RSS grew by %.1f MiB over %d new clients; the limiter's memory is not bounded",
			mib(after-before), floodKeys)
	}
	if r := s.do(t, newClient(freshIP()), "GET", "/posts", "", "", nil); r.status != http.StatusOK {
		t.Errorf("after the flood: GET /posts %d", r.status)
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// flood sends n requests, each for a different forwarded client numbered
// from first, over HTTP/2 from a trusted proxy, and returns how many got
// an answer.
func (s *server) flood(t *testing.T, ctx context.Context, first, n int) int {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(proxyIP(50))}, Timeout: 5 * time.Second}
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, TLSClientConfig: clientTLS(), ForceAttemptHTTP2: true,
		MaxConnsPerHost: 2,
	}}
	defer c.CloseIdleConnections()
	var next, ok atomic.Int64
	next.Store(int64(first))
	var wg sync.WaitGroup
	for range floodWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(first+n) {
					return
				}
				req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/posts", nil)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("2001:db8::%x:%x", i>>16, i&0xffff))
				resp, err := c.Do(req)
				if err != nil {
					continue
				}
				var v any
				_ = json.NewDecoder(resp.Body).Decode(&v)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return int(ok.Load())
}
