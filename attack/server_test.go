package attack

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The spec's timeouts: read_header 2s, read 4s.
const (
	readHeaderTimeout = 2 * time.Second
	readTimeout       = 4 * time.Second
	cutSlack          = 2 * time.Second
)

// attackServer covers DESIGN.md "timeouts set on http.Server including
// ReadHeaderTimeout, MaxHeaderBytes bounded", "Headers on every answer"
// and "Errors: one JSON shape for every status; 5xx bodies say only that
// something went wrong plus the request id; the cause goes to the log".
func (s *server) attackServer(t *testing.T) {
	t.Run("413 body too large", s.serverBodyLimits)
	t.Run("431 headers too large", s.serverHeaderLimit)
	t.Run("slow TLS handshake cut off", s.serverSlowHandshake)
	t.Run("slow headers cut off", s.serverSlowHeaders)
	t.Run("slow body cut off", s.serverSlowBody)
	t.Run("panic gives the generic 500", s.serverPanic)
	t.Run("handler error cause stays in the log", s.serverHandlerError)
	t.Run("security headers exactly once on every status", s.serverHeadersEveryStatus)
}

// serverBodyLimits sends bodies over the route, group, server and auth
// limits, with and without a Content-Length.
func (s *server) serverBodyLimits(t *testing.T) {
	ed := s.login(t, "ed").AccessToken
	big := func(n int) string { return `{"title":"` + strings.Repeat("a", n) + `"}` }
	cases := []struct {
		name, method, path, token, body string
	}{
		{"route max_body 1KiB", "POST", "/posts", ed, big(2 << 10)},
		{"server max_body 64KiB", "POST", "/slow", "", big(80 << 10)},
		{"login body over 8KiB", "POST", "/auth/login", "", `{"username":"` + strings.Repeat("u", 9<<10) + `"}`},
		{"register body over 8KiB", "POST", "/auth/register", "", big(9 << 10)},
		{"refresh body over 8KiB", "POST", "/auth/refresh", "", `{"refresh_token":"` + strings.Repeat("r", 9<<10) + `"}`},
	}
	for _, tc := range cases {
		c := newClient(freshIP())
		r := s.do(t, c, tc.method, tc.path, tc.token, tc.body, nil)
		checkProblem(t, tc.name, r, http.StatusRequestEntityTooLarge)
		r = s.chunked(t, tc.method, tc.path, tc.token, tc.body)
		checkProblem(t, tc.name+", chunked", r, http.StatusRequestEntityTooLarge)
	}
	r := s.do(t, newClient(freshIP()), "POST", "/posts", ed, big(900), nil)
	if r.status != http.StatusCreated {
		t.Errorf("a body under the route limit: %d %s, want 201", r.status, r.body)
	}
}

// chunked sends body with Transfer-Encoding: chunked, no Content-Length.
func (s *server) chunked(t *testing.T, method, path, token, body string) reply {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
		method, path, s.addr)
	if token != "" {
		b.WriteString("Authorization: Bearer " + token + "\r\n")
	}
	b.WriteString("Connection: close\r\n\r\n")
	for rest := body; rest != ""; {
		n := min(len(rest), 1000)
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, rest[:n])
		rest = rest[n:]
	}
	b.WriteString("0\r\n\r\n")
	return s.raw(t, freshIP(), b.String())
}

// serverHeaderLimit sends a request whose headers pass MaxHeaderBytes.
// net/http answers 431 itself, before any handler, so this answer is the
// one that carries no security headers; it has no body worth guarding.
func (s *server) serverHeaderLimit(t *testing.T) {
	cases := map[string][]string{
		"one huge header":    {"X-Filler: " + strings.Repeat("a", 70<<10)},
		"many small headers": manyHeaders(2000, 40),
		"huge cookie":        {"Cookie: c=" + strings.Repeat("b", 100<<10)},
		"huge Authorization": {"Authorization: Bearer " + strings.Repeat("c", 80<<10)},
	}
	for name, lines := range cases {
		r := s.rawGet(t, freshIP(), "GET", "/posts", lines...)
		if r.status != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("%s: %d, want 431", name, r.status)
		}
	}
	r := s.rawGet(t, freshIP(), "GET", "/posts?"+strings.Repeat("q", 70<<10))
	if r.status != http.StatusRequestHeaderFieldsTooLarge && r.status != http.StatusRequestURITooLong {
		t.Errorf("70KiB request line: %d, want 431 or 414", r.status)
	}
	if r := s.do(t, newClient(freshIP()), "GET", "/posts", "", "", hdr("X-Filler", strings.Repeat("a", 30<<10))); r.status != http.StatusOK {
		t.Errorf("30KiB of headers, under the bound: %d, want 200", r.status)
	}
}

func manyHeaders(n, size int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("X-H%d: %s", i, strings.Repeat("v", size))
	}
	return out
}

// serverSlowHandshake opens TCP connections and never starts TLS: the
// server must drop them at its shortest timeout (read_header, 2s).
func (s *server) serverSlowHandshake(t *testing.T) {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(freshIP())}}
	conn, err := d.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	took, _, err := waitClosed(conn, readHeaderTimeout+cutSlack+5*time.Second)
	if err != nil || took > readHeaderTimeout+cutSlack {
		t.Errorf("a silent TCP client was dropped after %v (%v), want within %v", took, err, readHeaderTimeout+cutSlack)
	}
	t.Logf("silent client dropped after %v", took.Round(10*time.Millisecond))
}

// serverSlowHeaders is slowloris: headers trickle in a byte at a time,
// each byte well within any per-read timeout, and the server must close
// the connection once read_header has passed.
func (s *server) serverSlowHeaders(t *testing.T) {
	conn, err := s.dialTLS(freshIP())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := fmt.Fprintf(conn, "GET /posts HTTP/1.1\r\nHost: %s\r\n", s.addr); err != nil {
		t.Fatal(err)
	}
	closed := make(chan time.Duration, 1)
	go func() {
		_, _, _ = waitClosed(conn, 20*time.Second)
		closed <- time.Since(start)
	}()
	limit := readHeaderTimeout + cutSlack
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case took := <-closed:
			t.Logf("slow headers cut off after %v", took.Round(10*time.Millisecond))
			if took > limit {
				t.Errorf("slow headers cut off after %v, want within %v", took, limit)
			}
			return
		case <-tick.C:
			if time.Since(start) > limit+3*time.Second {
				t.Fatalf("slow headers still accepted after %v", time.Since(start))
			}
			_, _ = conn.Write([]byte("X"))
		}
	}
}

// serverSlowBody sends headers at once and then a body a byte at a time:
// the read timeout (4s, from the start of the request) must end it, and
// the handler must never answer 200.
func (s *server) serverSlowBody(t *testing.T) {
	conn, err := s.dialTLS(freshIP())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /slow HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n", s.addr)
	done := make(chan string, 1)
	go func() {
		_, got, _ := waitClosed(conn, 30*time.Second)
		done <- got
	}()
	limit := readTimeout + cutSlack
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case got := <-done:
			took := time.Since(start)
			t.Logf("slow body cut off after %v: %q", took.Round(10*time.Millisecond), firstLine(got))
			if took > limit {
				t.Errorf("slow body cut off after %v, want within %v", took, limit)
			}
			if strings.HasPrefix(got, "HTTP/1.1 2") {
				t.Errorf("slow body got a success answer: %q", firstLine(got))
			}
			return
		case <-tick.C:
			if time.Since(start) > limit+3*time.Second {
				t.Fatalf("slow body still accepted after %v", time.Since(start))
			}
			_, _ = conn.Write([]byte(" "))
		}
	}
}

// serverPanic calls the handler that panics: the answer is the generic
// 500 with a request id, the panic stays in the log, and the same
// connection serves the next request.
func (s *server) serverPanic(t *testing.T) {
	c := newClient(freshIP())
	for range 3 {
		r := s.do(t, c, "GET", "/crash", "", "", nil)
		p := checkProblem(t, "panicking handler", r, http.StatusInternalServerError)
		if strings.Contains(r.body, "nil map") || strings.Contains(r.body, causeMarker) || strings.Contains(r.body, "goroutine") {
			t.Errorf("500 body leaks the panic: %s", r.body)
		}
		if !strings.Contains(p.Detail, "something went wrong") {
			t.Errorf("500 detail %q, want the generic one", p.Detail)
		}
		checkSecurityHeaders(t, "500 after a panic", r)
		if !s.logHas(p.RequestID) {
			t.Errorf("the panic's request id %s is not in the log", p.RequestID)
		}
		if r := s.do(t, c, "GET", "/posts", "", "", nil); r.status != http.StatusOK {
			t.Errorf("request after a panic: %d, want 200", r.status)
		}
	}
	if !s.logHas("handler bug: nil map") {
		t.Errorf("the panic value is not in the log")
	}
}

// serverHandlerError checks that an error's text reaches the log only.
func (s *server) serverHandlerError(t *testing.T) {
	r := s.do(t, newClient(freshIP()), "GET", "/posts/fail", "", "", nil)
	checkProblem(t, "failing handler", r, http.StatusInternalServerError)
	if strings.Contains(r.body, causeMarker) || strings.Contains(r.body, "query failed") {
		t.Errorf("500 body leaks the cause: %s", r.body)
	}
	if !s.logHas(causeMarker) {
		t.Errorf("the handler's error cause is missing from the log")
	}
}

// securityHeaders are the values of the spec's (default) headers section.
var securityHeaders = map[string]string{
	"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
	"X-Content-Type-Options":    "nosniff",
	"X-Frame-Options":           "DENY",
	"Content-Security-Policy":   "default-src 'none'; frame-ancestors 'none'",
	"Referrer-Policy":           "no-referrer",
}

// checkSecurityHeaders checks DESIGN.md "Headers on every answer": each
// present exactly once with its value, no Server header.
func checkSecurityHeaders(t *testing.T, what string, r reply) {
	t.Helper()
	for h, v := range securityHeaders {
		if got := r.header.Values(h); len(got) != 1 || got[0] != v {
			t.Errorf("%s (%d): %s = %q, want exactly one %q", what, r.status, h, got, v)
		}
	}
	if got := r.header.Values("Server"); len(got) != 0 {
		t.Errorf("%s (%d): Server %q", what, r.status, got)
	}
	// The request id is on error answers only (README: "Headers").
	wantIDs := 0
	if r.status >= 400 {
		wantIDs = 1
	}
	if got := r.header.Values("X-Request-Id"); len(got) != wantIDs {
		t.Errorf("%s (%d): X-Request-Id %q, want %d", what, r.status, got, wantIDs)
	}
	if got := r.header.Values("X-Powered-By"); len(got) != 0 {
		t.Errorf("%s (%d): X-Powered-By %q", what, r.status, got)
	}
}

// serverHeadersEveryStatus provokes every status the server sends and
// checks its headers and, for errors, the one JSON shape.
func (s *server) serverHeadersEveryStatus(t *testing.T) {
	root, rita := s.login(t, "root"), s.login(t, "rita").AccessToken
	c := newClient(freshIP())
	origin := hdr("Origin", allowedOrigins[0])
	cases := []struct {
		name string
		send func() reply
		want int
	}{
		{"200 public", func() reply { return s.do(t, c, "GET", "/posts", "", "", origin) }, 200},
		{"200 authenticated", func() reply { return s.do(t, c, "GET", "/me", rita, "", origin) }, 200},
		{"200 health", func() reply { return s.do(t, c, "GET", "/healthz", "", "", nil) }, 200},
		{"201", func() reply { return s.do(t, c, "POST", "/posts", root.AccessToken, `{"title":"x"}`, nil) }, 201},
		{"204 preflight", func() reply {
			return s.do(t, c, "OPTIONS", "/posts", "", "", hdr("Origin", allowedOrigins[0], "Access-Control-Request-Method", "POST"))
		}, 204},
		{"204 logout", func() reply {
			return s.do(t, c, "POST", "/auth/logout", "", `{"refresh_token":"`+root.RefreshToken+`"}`, nil)
		}, 204},
		{"307 redirect to the clean path", func() reply { return s.rawGet(t, freshIP(), "GET", "//posts") }, 307},
		{"400", func() reply { return s.do(t, c, "POST", "/auth/login", "", `{`, nil) }, 400},
		{"401", func() reply { return s.do(t, c, "GET", "/me", "", "", origin) }, 401},
		{"403", func() reply { return s.do(t, c, "GET", "/admin/stats", rita, "", origin) }, 403},
		{"404", func() reply { return s.do(t, c, "GET", "/nope", "", "", nil) }, 404},
		{"405", func() reply { return s.do(t, c, "PATCH", "/posts", "", "", nil) }, 405},
		{"409", func() reply {
			return s.do(t, c, "POST", "/auth/register", "", credentialsBody("rita", "whatever-password"), nil)
		}, 409},
		{"413", func() reply {
			return s.do(t, c, "POST", "/posts", root.AccessToken, `{"title":"`+strings.Repeat("a", 2000)+`"}`, nil)
		}, 413},
		{"415", func() reply { return s.do(t, c, "POST", "/auth/login", "", "x", hdr("Content-Type", "text/plain")) }, 415},
		{"429", func() reply {
			return s.until429(t, newClient(freshIP()), "/fast", origin)
		}, 429},
		{"500", func() reply { return s.do(t, c, "GET", "/crash", "", "", nil) }, 500},
		{"501", func() reply { return s.do(t, c, "GET", "/admin/stats", root.AccessToken, "", nil) }, 501},
	}
	for _, tc := range cases {
		r := tc.send()
		if r.status != tc.want {
			t.Errorf("%s: got %d %s", tc.name, r.status, r.body)
			continue
		}
		checkSecurityHeaders(t, tc.name, r)
		if tc.want >= 400 {
			checkProblem(t, tc.name, r, tc.want)
		}
		if v := r.header.Values("Vary"); !strings.Contains(strings.Join(v, ","), "Origin") {
			t.Errorf("%s: Vary %q lacks Origin", tc.name, v)
		}
		for _, h := range []string{"Content-Type", "Cache-Control", "Content-Length", "Retry-After",
			"Www-Authenticate", "Access-Control-Allow-Origin", "Ratelimit-Limit"} {
			if n := len(r.header.Values(h)); n > 1 {
				t.Errorf("%s: %s sent %d times: %q", tc.name, h, n, r.header.Values(h))
			}
		}
	}
	// Authenticated answers must not be cached.
	for _, path := range []string{"/me", "/admin/stats", "/posts/7"} {
		r := s.do(t, c, "GET", path, rita, "", nil)
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s as rita (%d): Cache-Control %q, want no-store", path, r.status, r.header.Get("Cache-Control"))
		}
	}
}
