package attack

import (
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// b64 is base64url without padding, as JWTs use it.
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// b64JSON is b64 of v as JSON.
func b64JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b64(b)
}

// claimsFor returns the claims the server issues for sub: right issuer
// and audience, issued now, valid for five minutes (the spec allows 10m).
func claimsFor(sub string, roles ...string) map[string]any {
	now := time.Now().Unix()
	return map[string]any{
		"sub": sub, "roles": roles, "iss": "fort", "aud": []string{"fort"},
		"iat": now, "nbf": now, "exp": now + 300, "jti": "attack",
	}
}

// with returns a copy of claims with key set to v, or removed when v is nil.
func with(claims map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(claims))
	for k, v := range claims {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

// hmacSign signs header.claims with HMAC over h and key.
func hmacSign(h func() hash.Hash, key []byte, header, claims map[string]any) string {
	input := b64JSON(header) + "." + b64JSON(claims)
	mac := hmac.New(h, key)
	mac.Write([]byte(input))
	return input + "." + b64(mac.Sum(nil))
}

// hs256 is a token signed like the server signs, with key.
func hs256(key string, claims map[string]any) string {
	return hmacSign(sha256.New, []byte(key), map[string]any{"alg": "HS256", "typ": "JWT"}, claims)
}

// rsaSign signs with RS256 under key.
func rsaSign(key *rsa.PrivateKey, header, claims map[string]any) string {
	input := b64JSON(header) + "." + b64JSON(claims)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return input + "." + b64(sig)
}

// outboundTrap is a loopback listener whose URL goes into jku and x5u
// headers; a server that follows them would connect here.
type outboundTrap struct {
	ln    net.Listener
	conns atomic.Int32
}

func newOutboundTrap(t *testing.T) *outboundTrap {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tr := &outboundTrap{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			tr.conns.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return tr
}

func (tr *outboundTrap) url(path string) string { return "http://" + tr.ln.Addr().String() + path }

// attackTokens covers DESIGN.md "JWT: the algorithm is pinned; none, other
// HMAC sizes and key confusion are rejected; exp, iss and aud are required;
// nbf and iat checked with a small leeway; jku, x5u, jwk and kid never
// steer key selection. Tokens come only from Authorization: Bearer, never
// the query string. Every token failure is the same 401 with
// WWW-Authenticate: Bearer."
func (s *server) attackTokens(t *testing.T) {
	c := newClient(freshIP())
	good := claimsFor("rita", "reader")
	forged := hs256(jwtSecret, good)
	remember(forged)

	// The forgery works when nothing is wrong with it, so each rejection
	// below is down to the one thing each case changes.
	if r := s.do(t, c, "GET", "/me", forged, "", nil); r.status != http.StatusOK {
		t.Fatalf("a correctly signed token with correct claims: %d %s", r.status, r.body)
	}
	ref := s.do(t, c, "GET", "/me", "", "", nil)
	checkProblem(t, "no token", ref, http.StatusUnauthorized)
	want := withoutRequestID(ref.body)

	for name, tok := range s.badTokens(t) {
		remember(tok)
		r := s.do(t, c, "GET", "/me", tok, "", nil)
		if r.status != http.StatusUnauthorized {
			t.Errorf("%s: %d %s, want 401", name, r.status, r.body)
			continue
		}
		if got := withoutRequestID(r.body); got != want {
			t.Errorf("%s: 401 body differs from the one for no token:\n got %s\nwant %s", name, got, want)
		}
		if wa := r.header.Values("WWW-Authenticate"); len(wa) != 1 || !strings.HasPrefix(wa[0], "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q, want one Bearer challenge", name, wa)
		}
	}
	t.Run("jku and x5u are never fetched", s.attackKeyURLs)
	t.Run("token only from the Authorization header", func(t *testing.T) { s.attackTokenPlaces(t, forged) })
}

// badTokens returns every malformed or forged token, by attack name. Each
// one must get the same 401.
func (s *server) badTokens(t *testing.T) map[string]string {
	good := claimsFor("rita", "reader")
	adminClaims := claimsFor("rita", "admin")
	real := s.login(t, "rita").AccessToken
	parts := strings.Split(real, ".")
	hdrNone := func(alg string) string { return b64JSON(map[string]any{"alg": alg, "typ": "JWT"}) }
	now := time.Now().Unix()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	edInput := b64JSON(map[string]any{"alg": "EdDSA", "typ": "JWT"}) + "." + b64JSON(good)

	bad := map[string]string{
		// alg none and its spellings, with and without a signature
		"alg none":              hdrNone("none") + "." + b64JSON(adminClaims) + ".",
		"alg None":              hdrNone("None") + "." + b64JSON(adminClaims) + ".",
		"alg NONE":              hdrNone("NONE") + "." + b64JSON(adminClaims) + ".",
		"alg nOnE":              hdrNone("nOnE") + "." + b64JSON(adminClaims) + ".",
		"alg none with sig":     hdrNone("none") + "." + b64JSON(adminClaims) + "." + parts[2],
		"alg empty":             hdrNone("") + "." + b64JSON(adminClaims) + ".",
		"alg missing":           b64JSON(map[string]any{"typ": "JWT"}) + "." + b64JSON(adminClaims) + ".",
		"real token sig strip":  parts[0] + "." + parts[1] + ".",
		"real token no sig":     parts[0] + "." + parts[1],
		"payload edited":        parts[0] + "." + b64JSON(with(good, "roles", []string{"admin"})) + "." + parts[2],
		"sub edited":            parts[0] + "." + b64JSON(with(good, "sub", "root")) + "." + parts[2],
		"signature bit flipped": parts[0] + "." + parts[1] + "." + flipLast(parts[2]),
		// wrong keys and algorithms
		"wrong key":  hs256("another-secret-that-is-long-enough-0123456789", adminClaims),
		"empty key":  hs256("", adminClaims),
		"key prefix": hs256(jwtSecret[:31], adminClaims),
		"HS384 real secret": hmacSign(sha512.New384, []byte(jwtSecret),
			map[string]any{"alg": "HS384", "typ": "JWT"}, adminClaims),
		"HS512 real secret": hmacSign(sha512.New, []byte(jwtSecret),
			map[string]any{"alg": "HS512", "typ": "JWT"}, adminClaims),
		"HS256 alg lowercase": hmacSign(sha256.New, []byte(jwtSecret),
			map[string]any{"alg": "hs256", "typ": "JWT"}, adminClaims),
		"RS256 header, HMAC by secret": hmacSign(sha256.New, []byte(jwtSecret),
			map[string]any{"alg": "RS256", "typ": "JWT"}, adminClaims),
		"RS256 attacker key": rsaSign(rsaKey, map[string]any{"alg": "RS256", "typ": "JWT"}, adminClaims),
		"EdDSA attacker key": edInput + "." + b64(ed25519.Sign(edKey, []byte(edInput))),
		"ES256 header":       hdrNone("ES256") + "." + b64JSON(adminClaims) + "." + parts[2],
		// key selection from the header
		"jwk oct attacker key": hmacSign(sha256.New, []byte("attacker"), map[string]any{
			"alg": "HS256", "jwk": map[string]any{"kty": "oct", "k": b64([]byte("attacker"))}}, adminClaims),
		"jwk RSA attacker key": rsaSign(rsaKey, map[string]any{"alg": "RS256", "jwk": rsaJWK(&rsaKey.PublicKey)},
			adminClaims),
		"kid path traversal": hmacSign(sha256.New, nil,
			map[string]any{"alg": "HS256", "kid": "../../../../../../dev/null"}, adminClaims),
		"kid sql injection": hmacSign(sha256.New, []byte("attacker"),
			map[string]any{"alg": "HS256", "kid": "x' UNION SELECT 'attacker' --"}, adminClaims),
		"kid command": hmacSign(sha256.New, []byte("attacker"),
			map[string]any{"alg": "HS256", "kid": "|cat /etc/passwd"}, adminClaims),
		// registered claims
		"expired":              hs256(jwtSecret, with(good, "iat", now-3600, "nbf", now-3600, "exp", now-3000)),
		"no exp":               hs256(jwtSecret, with(good, "exp", nil)),
		"exp as string":        hs256(jwtSecret, with(good, "exp", fmt.Sprint(now+300))),
		"exp as float string":  hs256(jwtSecret, with(good, "exp", fmt.Sprintf("%d.0", now+300))),
		"exp null":             hs256(jwtSecret, with(good, "exp", json.RawMessage("null"))),
		"exp huge":             hs256(jwtSecret, with(good, "exp", json.RawMessage("1e300"))),
		"nbf in the future":    hs256(jwtSecret, with(good, "nbf", now+3600)),
		"iat in the future":    hs256(jwtSecret, with(good, "iat", now+3600, "exp", now+3900)),
		"no iat":               hs256(jwtSecret, with(good, "iat", nil)),
		"lifetime over ttl":    hs256(jwtSecret, with(good, "exp", now+25*3600)),
		"lifetime of 11m":      hs256(jwtSecret, with(good, "exp", now+660)),
		"wrong iss":            hs256(jwtSecret, with(good, "iss", "evil")),
		"no iss":               hs256(jwtSecret, with(good, "iss", nil)),
		"wrong aud":            hs256(jwtSecret, with(good, "aud", "evil")),
		"no aud":               hs256(jwtSecret, with(good, "aud", nil)),
		"aud empty list":       hs256(jwtSecret, with(good, "aud", []string{})),
		"no sub":               hs256(jwtSecret, with(good, "sub", nil)),
		"roles as string":      hs256(jwtSecret, with(good, "roles", "admin")),
		"claims are an array":  hdrNone("HS256") + "." + b64([]byte(`["sub","root"]`)) + "." + parts[2],
		"header is not json":   b64([]byte("{alg:HS256")) + "." + parts[1] + "." + parts[2],
		"payload not base64":   parts[0] + ".!!!." + parts[2],
		"padded base64 header": parts[0] + "==." + parts[1] + "." + parts[2],
		// shapes
		"one part":         "abcdef",
		"two parts":        "abc.def",
		"three empty":      "..",
		"four parts":       real + ".extra",
		"many dots":        strings.Repeat(".", 4000),
		"many segments":    strings.Repeat("eyJhbGciOiJub25lIn0.", 300),
		"huge token":       real + strings.Repeat("A", 9000),
		"token with space": parts[0] + ". " + parts[1] + "." + parts[2],
	}
	// A token signed with an attacker's key whose jku and x5u point at a
	// listener would be accepted only by a server that fetches keys; they
	// are in the list of rejections too.
	return bad
}

// flipLast changes the last character of a base64url string.
func flipLast(s string) string {
	if s[len(s)-1] == 'A' {
		return s[:len(s)-1] + "B"
	}
	return s[:len(s)-1] + "A"
}

// rsaJWK is the JWK of an RSA public key.
func rsaJWK(k *rsa.PublicKey) map[string]any {
	return map[string]any{"kty": "RSA", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
}

// attackKeyURLs sends tokens whose jku and x5u name a loopback listener
// and checks that the server never connects to it.
func (s *server) attackKeyURLs(t *testing.T) {
	trap := newOutboundTrap(t)
	c := newClient(freshIP())
	adminClaims := claimsFor("rita", "admin")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	headers := []map[string]any{
		{"alg": "RS256", "jku": trap.url("/jwks.json"), "kid": "k1"},
		{"alg": "RS256", "x5u": trap.url("/cert.pem")},
		{"alg": "HS256", "jku": trap.url("/jwks.json"), "kid": "k1"},
		{"alg": "HS256", "x5u": trap.url("/cert.pem")},
		{"alg": "RS256", "kid": trap.url("/kid")},
		{"alg": "RS256", "x5c": []string{b64([]byte("not a cert"))}, "jku": trap.url("/x")},
	}
	for i, h := range headers {
		var tok string
		if h["alg"] == "RS256" {
			tok = rsaSign(rsaKey, h, adminClaims)
		} else {
			tok = hmacSign(sha256.New, []byte("attacker"), h, adminClaims)
		}
		if r := s.do(t, c, "GET", "/me", tok, "", nil); r.status != http.StatusUnauthorized {
			t.Errorf("key URL header %d %v: %d, want 401", i, h, r.status)
		}
	}
	// kid and jku next to a good signature change nothing either way.
	steer := hmacSign(sha256.New, []byte(jwtSecret),
		map[string]any{"alg": "HS256", "kid": "other", "jku": trap.url("/jwks.json")}, claimsFor("rita", "reader"))
	remember(steer)
	if r := s.do(t, c, "GET", "/me", steer, "", nil); r.status != http.StatusOK {
		t.Errorf("kid and jku beside the real signature: %d, want 200 (header ignored)", r.status)
	}
	time.Sleep(300 * time.Millisecond)
	if n := trap.conns.Load(); n != 0 {
		t.Errorf("the server made %d outbound connections to a URL from a token header", n)
	}
}

// attackTokenPlaces checks that a valid token counts only in the
// Authorization header with the Bearer scheme, in any letter case.
func (s *server) attackTokenPlaces(t *testing.T, tok string) {
	c := newClient(freshIP())
	ignored := []struct {
		name, path string
		h          http.Header
	}{
		{"access_token query", "/me?access_token=" + tok, nil},
		{"token query", "/me?token=" + tok, nil},
		{"jwt query", "/me?jwt=" + tok, nil},
		{"cookie", "/me", hdr("Cookie", "token="+tok+"; access_token="+tok+"; jwt="+tok)},
		{"X-Access-Token", "/me", hdr("X-Access-Token", tok)},
		{"X-Auth-Token", "/me", hdr("X-Auth-Token", tok)},
		{"Basic scheme", "/me", hdr("Authorization", "Basic "+tok)},
		{"Token scheme", "/me", hdr("Authorization", "Token "+tok)},
		{"no scheme", "/me", hdr("Authorization", tok)},
		{"Bearer glued", "/me", hdr("Authorization", "Bearer"+tok)},
		{"two Authorization headers", "/me", hdr("Authorization", "Bearer "+tok, "Authorization", "Bearer "+tok)},
		{"bad then good", "/me", hdr("Authorization", "Bearer x, Bearer "+tok)},
	}
	for _, tc := range ignored {
		if r := s.do(t, c, "GET", tc.path, "", "", tc.h); r.status != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", tc.name, r.status)
		}
	}
	for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
		r := s.do(t, c, "GET", "/me", "", "", hdr("Authorization", scheme+" "+tok))
		if r.status != http.StatusOK {
			t.Errorf("scheme %q: %d, want 200 (the scheme name is case-insensitive)", scheme, r.status)
		}
	}
}
