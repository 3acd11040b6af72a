// Package testkit holds what secgen's end-to-end and attack tests share
// for driving a generated server over real HTTPS on loopback: clients
// that dial from a chosen loopback address, one-call requests, the checks
// of the error shape, and a buffer for a child process's output.
package testkit

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// FreeAddr returns a loopback address with a port that was free a moment
// ago; the caller hands it to a server it starts.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Client returns an HTTPS client that dials from the loopback address
// local (so that per-client limits tell test clients apart), trusts what
// conf says, and never follows redirects.
func Client(local string, conf *tls.Config) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{
			DialContext:     dialer.DialContext,
			TLSClientConfig: conf,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Reply is an answer with its body read.
type Reply struct {
	Status int
	Header http.Header
	Body   string
	Took   time.Duration
}

// Header builds a header from name, value pairs.
func Header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// Do sends one request to url. A non-empty body goes as application/json
// unless h sets another Content-Type; token, when set, goes in
// "Authorization: Bearer". A transport error fails the test.
func Do(t testing.TB, c *http.Client, method, url, token, body string, h http.Header) Reply {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return Reply{Status: resp.StatusCode, Header: resp.Header, Body: string(b), Took: time.Since(start)}
}

// Problem is the RFC 9457 error shape (errors.format problem).
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	RequestID string `json:"request_id"`
}

// CheckProblem checks that r is an error answer of status in the one
// error shape: problem+json, no unknown fields, a request id equal to the
// X-Request-Id header.
func CheckProblem(t testing.TB, what string, r Reply, status int) Problem {
	t.Helper()
	var p Problem
	if r.Status != status {
		t.Errorf("%s: status %d, want %d (body %s)", what, r.Status, status, r.Body)
		return p
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: Content-Type %q, want application/problem+json", what, ct)
	}
	dec := json.NewDecoder(strings.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || p.Status != status || p.Title == "" || len(p.RequestID) != 32 {
		t.Errorf("%s: body %q is not the problem shape (%v)", what, r.Body, err)
	}
	if p.RequestID != r.Header.Get("X-Request-Id") {
		t.Errorf("%s: request_id %q differs from X-Request-Id %q", what, p.RequestID, r.Header.Get("X-Request-Id"))
	}
	return p
}

// WithoutRequestID returns body with its request id removed, the one
// field two otherwise identical error answers differ in.
func WithoutRequestID(body string) string {
	var m map[string]any
	if json.Unmarshal([]byte(body), &m) != nil {
		return body
	}
	delete(m, "request_id")
	b, _ := json.Marshal(m)
	return string(b)
}

// SyncBuffer is a bytes.Buffer safe for a child process's two streams.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Contains reports whether text was written so far.
func (b *SyncBuffer) Contains(text string) bool {
	return strings.Contains(b.String(), text)
}

// WaitHealthy polls url every 100ms until it answers 200, and returns nil
// then. It gives up with an error when exited is closed (the server's
// process ended) or after limit.
func WaitHealthy(c *http.Client, url string, exited <-chan struct{}, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		select {
		case <-exited:
			return errors.New("the server exited")
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer from %s within %v: %v", url, limit, err)
		}
	}
}
