// Go no longer offers these by default; the TLS attacks need a client
// that still does, and a control server that accepts them.

//go:debug tlsrsakex=1
//go:debug tls10server=1
//go:debug tls3des=1

package attack

import (
	"crypto/tls"
	"net"
	"testing"
	"time"
)

// tlsOffer is what a client offers: versions and, when set, suites.
type tlsOffer struct {
	name     string
	min, max uint16
	suites   []uint16
}

// config returns a client configuration offering o that trusts the
// suite's test CA.
func (o tlsOffer) config() *tls.Config {
	return &tls.Config{MinVersion: o.min, MaxVersion: o.max, CipherSuites: o.suites, RootCAs: roots} // #nosec G402 -- offering weak TLS is the attack
}

// weakClients offer only what DESIGN.md rules out.
var weakClients = []tlsOffer{
	{"TLS 1.0", tls.VersionTLS10, tls.VersionTLS10, nil},
	{"TLS 1.1", tls.VersionTLS11, tls.VersionTLS11, nil},
	{"TLS 1.2 CBC suites only", tls.VersionTLS12, tls.VersionTLS12, []uint16{
		tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	}},
	{"TLS 1.2 RSA key exchange only", tls.VersionTLS12, tls.VersionTLS12, []uint16{
		tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	}},
	{"TLS 1.2 3DES", tls.VersionTLS12, tls.VersionTLS12, []uint16{
		tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
	}},
}

// goodClients must be accepted, with the suite they offer.
var goodClients = []tlsOffer{
	{"TLS 1.2 ECDHE-RSA-AES128-GCM", tls.VersionTLS12, tls.VersionTLS12,
		[]uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}},
	{"TLS 1.2 ECDHE-RSA-AES256-GCM", tls.VersionTLS12, tls.VersionTLS12,
		[]uint16{tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384}},
	{"TLS 1.2 ECDHE-RSA-CHACHA20-POLY1305", tls.VersionTLS12, tls.VersionTLS12,
		[]uint16{tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256}},
	{"TLS 1.3", tls.VersionTLS13, tls.VersionTLS13, nil},
}

// attackTLS covers DESIGN.md "TLS 1.2 minimum, ECDHE with AEAD suites only
// for 1.2". Each weak client first proves against a permissive control
// server that it really offers what it claims, so a refusal by the
// generated server is down to the server.
func (s *server) attackTLS(t *testing.T) {
	control := startControlTLS(t, s.fx.cert)
	for _, wc := range weakClients {
		if _, err := handshake(control, wc.config()); err != nil {
			t.Fatalf("%s: the control server refused it too (%v); the client does not offer it", wc.name, err)
		}
		if st, err := handshake(s.addr, wc.config()); err == nil {
			t.Errorf("%s: accepted (version %x, suite %s)", wc.name, st.Version, tls.CipherSuiteName(st.CipherSuite))
		}
	}
	for _, gc := range goodClients {
		st, err := handshake(s.addr, gc.config())
		if err != nil {
			t.Errorf("%s: refused: %v", gc.name, err)
			continue
		}
		if len(gc.suites) == 1 && st.CipherSuite != gc.suites[0] {
			t.Errorf("%s: negotiated %s", gc.name, tls.CipherSuiteName(st.CipherSuite))
		}
		if gc.min == tls.VersionTLS13 && st.Version != tls.VersionTLS13 {
			t.Errorf("%s: negotiated version %x", gc.name, st.Version)
		}
	}
	// A client that offers everything gets TLS 1.3.
	st, err := handshake(s.addr, tlsOffer{min: tls.VersionTLS10, max: tls.VersionTLS13}.config())
	if err != nil || st.Version != tls.VersionTLS13 {
		t.Errorf("a client offering every version: %v, version %x, want TLS 1.3", err, st.Version)
	}
}

// handshake dials addr with cfg and returns the negotiated state.
func handshake(addr string, cfg *tls.Config) (tls.ConnectionState, error) {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(freshIP())}, Timeout: 5 * time.Second}
	conn, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer conn.Close()
	return conn.ConnectionState(), nil
}

// startControlTLS starts a TLS listener that accepts every version and
// suite Go implements and returns its address.
func startControlTLS(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	var suites []uint16
	for _, cs := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		suites = append(suites, cs.ID)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10, CipherSuites: suites} // #nosec G402 -- the control server accepts weak TLS on purpose
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				_ = c.(*tls.Conn).Handshake()
				c.Close()
			}()
		}
	}()
	return ln.Addr().String()
}
