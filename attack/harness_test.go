package attack

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/secgen/secgen/internal/testkit"
)

// jwtSecret is the HS256 secret the attacked server signs with. The suite
// knows it only to forge tokens whose signature is right but whose claims
// are wrong; it must never show up in the server's log.
const jwtSecret = "attack-suite-jwt-secret-0123456789-abcdefghijklmnop"

// causeMarker is in the error a handler returns; the cause must reach the
// log (DESIGN.md: "the cause goes to the log") and never a response.
const causeMarker = "upstream-db-dsn-postgres-7f3a9c"

// fixture is the generated, built project shared by the suite's servers.
type fixture struct {
	root     string // temporary folder holding everything
	bin      string // the built server
	certFile string // RSA test certificate for 127.0.0.1, with its CA
	keyFile  string
	caFile   string // the test CA
	cert     tls.Certificate
	db       string // the SQLite store with the suite's users
}

var (
	fixtureOnce sync.Once
	shared      *fixture
	fixtureErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		_ = os.RemoveAll(shared.root)
	}
	os.Exit(code)
}

// getFixture generates and builds the project once per test binary.
func getFixture(t *testing.T) *fixture {
	t.Helper()
	if testing.Short() {
		t.Skip("generates, builds and attacks a server; skipped in -short mode")
	}
	fixtureOnce.Do(func() { shared, fixtureErr = buildFixture() })
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return shared
}

// buildFixture builds the secgen CLI, generates the attack spec's project
// with it, fills in the handlers the suite needs, builds the server and
// creates the suite's users.
func buildFixture() (*fixture, error) {
	root, err := os.MkdirTemp("", "secgen-attack-")
	if err != nil {
		return nil, err
	}
	fx := &fixture{root: root, bin: filepath.Join(root, "fort-bin"), db: filepath.Join(root, "fort.db")}
	secgen := filepath.Join(root, "secgen")
	if err := runIn("..", "go", "build", "-o", secgen, "./cmd/secgen"); err != nil {
		return nil, fmt.Errorf("building secgen: %w", err)
	}
	specFile := filepath.Join(root, "fort.yaml")
	if err := os.WriteFile(specFile, []byte(attackSpec), 0o600); err != nil {
		return nil, err
	}
	proj := filepath.Join(root, "fort")
	if err := runIn(root, secgen, "new", proj, "--spec", specFile); err != nil {
		return nil, fmt.Errorf("secgen new: %w", err)
	}
	if err := writeHandlers(proj); err != nil {
		return nil, err
	}
	if err := runIn(proj, "go", "build", "-o", fx.bin, "./cmd/fort"); err != nil {
		return nil, fmt.Errorf("building the generated server: %w", err)
	}
	if err := fx.writeCert(); err != nil {
		return nil, err
	}
	for _, u := range suiteUsers {
		if err := fx.addUser(u); err != nil {
			return nil, err
		}
	}
	return fx, nil
}

// runIn runs a command in dir and returns its output with any failure.
func runIn(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// writeCert writes a test CA and an RSA server certificate for 127.0.0.1
// that it signs, so that the TLS checks can offer RSA key exchange and
// ECDHE_RSA suites, and testssl.sh judges the server rather than a
// throw-away certificate (it is told about the CA with --add-ca).
func (fx *fixture) writeCert() error {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "secgen attack suite test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(90 * 24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		// Never fetched: testssl.sh runs without --phone-out.
		CRLDistributionPoints: []string{"http://127.0.0.1:9/test-ca.crl"},
		OCSPServer:            []string{"http://127.0.0.1:9/ocsp"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	fx.certFile, fx.keyFile = filepath.Join(fx.root, "cert.pem"), filepath.Join(fx.root, "key.pem")
	fx.caFile = filepath.Join(fx.root, "ca.pem")
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	certPEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), caPEM...)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	for name, data := range map[string][]byte{fx.certFile: certPEM, fx.keyFile: keyPEM, fx.caFile: caPEM} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			return err
		}
	}
	roots.AddCert(ca)
	fx.cert, err = tls.X509KeyPair(certPEM, keyPEM)
	return err
}

// randomSerial returns a 128-bit certificate serial number.
func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		panic(err)
	}
	return n
}

// env returns the server's environment: the suite's secret, certificate
// and store, then extra NAME=value pairs, which win.
func (fx *fixture) env(extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"FORT_JWT_SECRET=" + jwtSecret,
		"FORT_TLS_CERT=" + fx.certFile,
		"FORT_TLS_KEY=" + fx.keyFile,
		"FORT_DATABASE_URL=" + fx.db,
	}
	return append(env, extra...)
}

// user is an account the suite creates with `fort user add`.
type user struct {
	name  string
	roles []string
}

// password returns the user's password.
func (u user) password() string { return passwordOf(u.name) }

// passwordOf is the password of the suite user called name.
func passwordOf(name string) string { return "Tr0ub4dor-and-" + name + "-horse" }

// suiteUsers are the accounts of the access matrix and the login attacks.
var suiteUsers = []user{
	{"root", []string{"admin"}},
	{"ed", []string{"editor"}},
	{"rita", []string{"reader"}},
	{"audrey", []string{"auditor"}},
	{"both", []string{"editor", "auditor"}},
	{"tim", []string{"reader"}},    // timing of wrong passwords
	{"victim", []string{"reader"}}, // per-username limit
	{"lockme", []string{"reader"}}, // per-username limit through a proxy
	{"refresher", []string{"reader"}},
	{"long", []string{"reader"}}, // 72-byte password
}

// longPassword is exactly 72 bytes, the most bcrypt reads.
var longPassword = strings.Repeat("p4ssw0rd", 9)

func (fx *fixture) addUser(u user) error {
	args := []string{"user", "add", "--username", u.name}
	for _, r := range u.roles {
		args = append(args, "--role", r)
	}
	pw := u.password()
	if u.name == "long" {
		pw = longPassword
	}
	cmd := exec.Command(fx.bin, args...)
	cmd.Env = fx.env()
	cmd.Stdin = strings.NewReader(pw + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("user add %s: %v\n%s", u.name, err, out)
	}
	return nil
}

// server is one running instance of the generated server.
type server struct {
	fx   *fixture
	cmd  *exec.Cmd
	addr string // 127.0.0.1:port
	base string // https://127.0.0.1:port
	log  *testkit.SyncBuffer
	done chan struct{}
	err  error // the process's exit, once done is closed
}

// startServer starts the built server on a free loopback port and waits
// until /healthz answers. The process is killed when the test ends.
func startServer(t *testing.T, fx *fixture, extraEnv ...string) *server {
	t.Helper()
	addr := testkit.FreeAddr(t)
	s := &server{fx: fx, addr: addr, base: "https://" + addr, log: &testkit.SyncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(fx.bin, "serve", "-addr", addr)
	s.cmd.Env = fx.env(extraEnv...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
	})

	if err := testkit.WaitHealthy(newClient(freshIP()), s.base+"/healthz", s.done, 30*time.Second); err != nil {
		t.Fatalf("starting the server: %v (exit: %v)\n%s", err, s.err, s.log.String())
	}
	return s
}

// stop sends SIGTERM and waits for the process to end; it returns the
// exit error (nil on status 0).
func (s *server) stop(t *testing.T) error {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done:
		return s.err
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop within 30s of SIGTERM")
		return nil
	}
}

// logHas reports whether the server's log holds text, waiting a little:
// the log arrives through a pipe, and may trail the answer.
func (s *server) logHas(text string) bool {
	for range 40 {
		if strings.Contains(s.log.String(), text) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// pid returns the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// ipCounter hands out loopback source addresses 127.1.x.y, one per client,
// so that the per-client limits of one attack do not spill into another.
var ipCounter atomic.Uint32

// freshIP returns a loopback address no other client of the suite used.
func freshIP() string {
	n := ipCounter.Add(1)
	return fmt.Sprintf("127.1.%d.%d", n/250, n%250+1)
}

// proxyIP returns an address inside the spec's trusted_proxies, 127.0.9.0/24.
func proxyIP(n int) string { return fmt.Sprintf("127.0.9.%d", n) }

// roots holds the suite's test CA once the fixture is built.
var roots = x509.NewCertPool()

// clientTLS trusts the suite's test CA and nothing else.
func clientTLS() *tls.Config {
	return &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
}

// newClient returns an HTTPS client that dials from the loopback address
// local, trusts the test CA and never follows redirects.
func newClient(local string) *http.Client { return testkit.Client(local, clientTLS()) }

// reply is an answer with its body read.
type reply struct {
	status int
	header http.Header
	body   string
	took   time.Duration
}

// hdr builds a header from name, value pairs.
func hdr(kv ...string) http.Header { return testkit.Header(kv...) }

// do sends one request (see testkit.Do) to the server.
func (s *server) do(t *testing.T, c *http.Client, method, path, token, body string, h http.Header) reply {
	t.Helper()
	r := testkit.Do(t, c, method, s.base+path, token, body, h)
	return reply{status: r.Status, header: r.Header, body: r.Body, took: r.Took}
}

// dialTLS opens a TLS connection to the server from local.
func (s *server) dialTLS(local string) (*tls.Conn, error) {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	return tls.DialWithDialer(d, "tcp", s.addr, clientTLS())
}

// raw writes request bytes as they are over a fresh TLS connection from
// local, so that paths and headers reach the server unnormalised, and
// reads one answer.
func (s *server) raw(t *testing.T, local, request string) reply {
	t.Helper()
	conn, err := s.dialTLS(local)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("raw %q: %v", firstLine(request), err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// rawGet is raw for a GET of target (sent verbatim) with extra header lines.
func (s *server) rawGet(t *testing.T, local, method, target string, lines ...string) reply {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, target, s.addr)
	for _, l := range lines {
		b.WriteString(l + "\r\n")
	}
	b.WriteString("Connection: close\r\n\r\n")
	return s.raw(t, local, b.String())
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\r\n")
	return line
}

// problem is the RFC 9457 error shape of the spec (errors.format problem).
type problem = testkit.Problem

// checkProblem checks that r is an error answer of status in the one
// shape of DESIGN.md ("Errors: one JSON shape for every status").
func checkProblem(t *testing.T, what string, r reply, status int) problem {
	t.Helper()
	return testkit.CheckProblem(t, what, testkit.Reply{Status: r.status, Header: r.header, Body: r.body}, status)
}

// withoutRequestID returns body with its request id removed.
func withoutRequestID(body string) string { return testkit.WithoutRequestID(body) }

// secrets collects every credential the suite sent or received: the log
// check looks for each of them.
var secrets = struct {
	mu  sync.Mutex
	set map[string]bool
}{set: map[string]bool{}}

// remember adds credentials for the log check.
func remember(vals ...string) {
	secrets.mu.Lock()
	defer secrets.mu.Unlock()
	for _, v := range vals {
		if len(v) >= 8 {
			secrets.set[v] = true
		}
	}
}

// remembered returns the collected credentials.
func remembered() []string {
	secrets.mu.Lock()
	defer secrets.mu.Unlock()
	out := make([]string, 0, len(secrets.set))
	for v := range secrets.set {
		out = append(out, v)
	}
	return out
}

// tokenPair is the answer of a successful login or refresh.
type tokenPair struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

// login logs name in with its suite password from a fresh address.
func (s *server) login(t *testing.T, name string) tokenPair {
	t.Helper()
	pw := passwordOf(name)
	remember(pw)
	r := s.do(t, newClient(freshIP()), "POST", "/auth/login", "",
		fmt.Sprintf(`{"username":%q,"password":%q}`, name, pw), nil)
	if r.status != http.StatusOK {
		t.Fatalf("login %s: %d %s", name, r.status, r.body)
	}
	var tp tokenPair
	if err := json.Unmarshal([]byte(r.body), &tp); err != nil {
		t.Fatal(err)
	}
	remember(tp.AccessToken, tp.RefreshToken)
	return tp
}

// errConnOpen is returned by waitClosed when the peer kept the connection.
var errConnOpen = errors.New("connection still open")

// waitClosed reads from conn until the server closes it or limit passes,
// and returns how long that took and what was read.
func waitClosed(conn net.Conn, limit time.Duration) (time.Duration, string, error) {
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(limit))
	var got bytes.Buffer
	_, err := io.Copy(&got, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return time.Since(start), got.String(), errConnOpen
	}
	return time.Since(start), got.String(), nil
}

// ctxTimeout returns a context that ends after d, for bounded loops.
func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
