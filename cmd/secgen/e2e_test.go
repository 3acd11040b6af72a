package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/secgen/secgen/internal/testkit"
)

// secretInError is what the edited handler puts in its error text; it
// must reach the log, never the response.
const secretInError = "db-password-hunter2"

// TestEndToEnd creates a project with `secgen new`, builds it, starts it
// over TLS on a loopback port and drives it as a client would. Each check
// dials from its own loopback address (127.0.0.x) so that the per-client
// rate limits of one check do not spill into another.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated server; skipped in -short mode")
	}
	dir := filepath.Join(t.TempDir(), "shop")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"new", dir}, nil, &out, &errb); code != 0 {
		t.Fatalf("secgen new: exit %d\n%s%s", code, out.String(), errb.String())
	}
	editHandlers(t, dir)
	bin := buildProject(t, dir)

	env := serverEnv(t)
	addUser(t, bin, env, "root", "admin")
	addUser(t, bin, env, "ed", "editor")
	addUser(t, bin, env, "rita", "reader")

	srv := startServer(t, bin, env)
	t.Run("login", srv.checkLogin)
	t.Run("guards", srv.checkGuards)
	t.Run("rate limit", srv.checkRateLimit)
	t.Run("cors", srv.checkCORS)
	t.Run("headers and errors", srv.checkHeadersAndErrors)
	t.Run("handler error", srv.checkHandlerError)
	srv.stop(t)
	if strings.Contains(srv.log.String(), "correct-horse") {
		t.Errorf("a password reached the server log")
	}
	if !strings.Contains(srv.log.String(), secretInError) {
		t.Errorf("the handler's error cause is missing from the log:\n%s", srv.log.String())
	}
}

// editHandlers makes ListPosts fail with a secret in its error, as a
// buggy handler would. (The starter's GetMe comes filled in.)
func editHandlers(t *testing.T, dir string) {
	t.Helper()
	replaceIn(t, filepath.Join(dir, "internal/handlers/list_posts.go"), "\treturn api.ErrNotImplemented\n",
		"\treturn errors.New(\"query failed: "+secretInError+"\")\n")
	replaceIn(t, filepath.Join(dir, "internal/handlers/list_posts.go"), "\tapi \"example.com/shop/internal/api\"\n", "\t\"errors\"\n")
}

func replaceIn(t *testing.T, name, old, new string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not hold %q", name, old)
	}
	if err := os.WriteFile(name, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func buildProject(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "shop-bin")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/shop")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serverEnv writes a test certificate and returns the server's environment.
func serverEnv(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	cert, key := writeTestCert(t, dir)
	return append(os.Environ(),
		"SHOP_JWT_SECRET=e2e-secret-that-is-long-enough-0123456789",
		"SHOP_TLS_CERT="+cert,
		"SHOP_TLS_KEY="+key,
		"SHOP_DATABASE_URL="+filepath.Join(dir, "shop.db"),
	)
}

func writeTestCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writePEM(t, certFile, "CERTIFICATE", der)
	writePEM(t, keyFile, "PRIVATE KEY", keyDER)
	return certFile, keyFile
}

func writePEM(t *testing.T, name, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(name, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func addUser(t *testing.T, bin string, env []string, name, role string) {
	t.Helper()
	cmd := exec.Command(bin, "user", "add", "--username", name, "--role", role)
	cmd.Env = env
	cmd.Stdin = strings.NewReader("correct-horse-" + name + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user add %s: %v\n%s", name, err, out)
	}
}

// server is a running generated server.
type server struct {
	cmd  *exec.Cmd
	base string
	log  *testkit.SyncBuffer
	done chan struct{} // closed when the process ends
	err  error         // its exit, once done is closed
}

func startServer(t *testing.T, bin string, env []string) *server {
	t.Helper()
	addr := testkit.FreeAddr(t)
	s := &server{base: "https://" + addr, log: &testkit.SyncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "-addr", addr)
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() { s.cmd.Process.Kill() })

	if err := testkit.WaitHealthy(client("127.0.0.1"), s.base+"/healthz", s.done, 30*time.Second); err != nil {
		t.Fatalf("starting the server: %v (exit: %v)\n%s", err, s.err, s.log.String())
	}
	return s
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		if s.err != nil {
			t.Errorf("server exit after SIGTERM: %v\n%s", s.err, s.log.String())
		}
	case <-time.After(30 * time.Second):
		t.Errorf("server did not stop within 30s of SIGTERM")
	}
}

func (s *server) login(t *testing.T, c *http.Client, user string) string {
	t.Helper()
	resp := s.call(t, c, "POST", "/auth/login", "", fmt.Sprintf(`{"username":%q,"password":"correct-horse-%s"}`, user, user), nil)
	if resp.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", user, resp.Status, resp.Body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &tok); err != nil {
		t.Fatalf("login resp.Body %q: %v", resp.Body, err)
	}
	if tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 || tok.AccessToken == "" {
		t.Fatalf("login answer %+v, want a Bearer token for 3600s", tok)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("login Cache-Control %q, want no-store", cc)
	}
	return tok.AccessToken
}

func (s *server) checkLogin(t *testing.T) {
	c := client("127.0.0.2")
	s.login(t, c, "root")

	wrong := s.call(t, c, "POST", "/auth/login", "", `{"username":"root","password":"nope-nope"}`, nil)
	unknown := s.call(t, c, "POST", "/auth/login", "", `{"username":"nobody","password":"nope-nope"}`, nil)
	if wrong.Status != http.StatusUnauthorized || unknown.Status != http.StatusUnauthorized {
		t.Errorf("bad logins: %d and %d, want 401 twice", wrong.Status, unknown.Status)
	}
	if testkit.WithoutRequestID(wrong.Body) != testkit.WithoutRequestID(unknown.Body) {
		t.Errorf("wrong password and unknown user answer differently:\n%s\n%s", wrong.Body, unknown.Body)
	}
}

func (s *server) checkGuards(t *testing.T) {
	c := client("127.0.0.3")
	reader, editor, admin := s.login(t, c, "rita"), s.login(t, c, "ed"), s.login(t, c, "root")
	cases := []struct {
		method, path, token string
		want                int
	}{
		{"GET", "/me", "", http.StatusUnauthorized},
		{"GET", "/me", "not-a-token", http.StatusUnauthorized},
		{"GET", "/me", reader, http.StatusOK},
		{"GET", "/users/admin", reader, http.StatusForbidden},
		{"GET", "/users/admin", editor, http.StatusForbidden},
		{"GET", "/users/admin", admin, http.StatusNotImplemented},
		{"POST", "/posts", reader, http.StatusForbidden},
		{"POST", "/posts", admin, http.StatusNotImplemented},
	}
	for _, tc := range cases {
		resp := s.call(t, c, tc.method, tc.path, tc.token, "", nil)
		if resp.Status != tc.want {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, resp.Status, resp.Body, tc.want)
		}
		if tc.want == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s %s: 401 without WWW-Authenticate: Bearer", tc.method, tc.path)
		}
	}
	resp := s.call(t, c, "GET", "/me", reader, "", nil)
	if !strings.Contains(resp.Body, `"username":"rita"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("GET /me as rita: %s (Cache-Control %q)", resp.Body, resp.Header.Get("Cache-Control"))
	}
}

func (s *server) checkRateLimit(t *testing.T) {
	c := client("127.0.0.4")
	var last testkit.Reply
	for i := 0; i < 11; i++ {
		last = s.call(t, c, "GET", "/data", "", "", nil)
		if i < 10 && last.Status != http.StatusNotImplemented {
			t.Fatalf("request %d to /data: %d, want 501 from the stub", i+1, last.Status)
		}
	}
	if last.Status != http.StatusTooManyRequests {
		t.Fatalf("11th request to /data: %d, want 429", last.Status)
	}
	if ra := last.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("429 Retry-After %q, want seconds until the next token", ra)
	}
	other := s.call(t, client("127.0.0.5"), "GET", "/data", "", "", nil)
	if other.Status != http.StatusNotImplemented {
		t.Errorf("another client was limited too: %d", other.Status)
	}
}

func (s *server) checkCORS(t *testing.T) {
	c := client("127.0.0.6")
	pre := testkit.Header("Origin", "https://app.example.com", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type")
	resp := s.call(t, c, "OPTIONS", "/posts", "", "", pre)
	if resp.Status >= 300 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("preflight from the allowed origin: %d, Allow-Origin %q", resp.Status, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	pre.Set("Origin", "https://evil.example.com")
	resp = s.call(t, c, "OPTIONS", "/posts", "", "", pre)
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("preflight from another origin got Allow-Origin %q", got)
	}
	if !strings.Contains(resp.Header.Get("Vary"), "Origin") {
		t.Errorf("preflight answer lacks Vary: Origin")
	}
	resp = s.call(t, c, "GET", "/me", "", "", testkit.Header("Origin", "https://app.example.com"))
	if resp.Status != http.StatusUnauthorized || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("401 for the allowed origin: %d, Allow-Origin %q", resp.Status, resp.Header.Get("Access-Control-Allow-Origin"))
	}
}

func (s *server) checkHeadersAndErrors(t *testing.T) {
	c := client("127.0.0.7")
	checks := []struct {
		method, path string
		want         int
	}{
		{"GET", "/healthz", http.StatusOK},
		{"GET", "/me", http.StatusUnauthorized},
		{"GET", "/nope", http.StatusNotFound},
		{"DELETE", "/posts", http.StatusMethodNotAllowed},
	}
	for _, tc := range checks {
		resp := s.call(t, c, tc.method, tc.path, "", "", nil)
		if resp.Status != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.Status, tc.want)
		}
		for h, v := range map[string]string{
			"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
			"X-Content-Type-Options":    "nosniff",
			"X-Frame-Options":           "DENY",
			"Referrer-Policy":           "no-referrer",
			"Content-Security-Policy":   "default-src 'none'; frame-ancestors 'none'",
		} {
			if got := resp.Header.Values(h); len(got) != 1 || got[0] != v {
				t.Errorf("%s %s: %s = %q, want exactly %q", tc.method, tc.path, h, got, v)
			}
		}
		if server := resp.Header.Get("Server"); server != "" {
			t.Errorf("%s %s: Server header %q", tc.method, tc.path, server)
		}
		if tc.want >= 400 {
			testkit.CheckProblem(t, tc.method+" "+tc.path, resp, tc.want)
		}
	}
	resp := s.call(t, c, "DELETE", "/posts", "", "", nil)
	if allow := resp.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("405 Allow %q, want GET and POST", allow)
	}
}

func (s *server) checkHandlerError(t *testing.T) {
	resp := s.call(t, client("127.0.0.8"), "GET", "/posts", "", "", nil)
	if resp.Status != http.StatusInternalServerError {
		t.Fatalf("GET /posts: %d, want 500 from the failing handler", resp.Status)
	}
	if strings.Contains(resp.Body, secretInError) || strings.Contains(resp.Body, "query failed") {
		t.Errorf("500 resp.Body leaks the cause: %s", resp.Body)
	}
	testkit.CheckProblem(t, "GET /posts", resp, http.StatusInternalServerError)
}

// client returns an HTTPS client dialing from the loopback address local
// that trusts any certificate: the server's is the test's own.
func client(local string) *http.Client {
	return testkit.Client(local, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // the test's own self-signed certificate
}

// call sends one request to the server.
func (s *server) call(t *testing.T, c *http.Client, method, path, token, body string, h http.Header) testkit.Reply {
	t.Helper()
	return testkit.Do(t, c, method, s.base+path, token, body, h)
}
