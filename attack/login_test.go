package attack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// loginLimit is the spec's auth.login.rate_limit: 6 attempts a minute per
// IP and per username.
const loginLimit = 6

// credentialsBody is a login or register body.
func credentialsBody(name, password string) string {
	b, _ := json.Marshal(map[string]string{"username": name, "password": password})
	return string(b)
}

// attackLogin covers DESIGN.md "Login: failures look the same for unknown
// users and wrong passwords, in body and in time (a dummy bcrypt compare);
// passwords over 72 bytes are refused, not silently truncated; login is
// limited per IP and per username before bcrypt runs."
func (s *server) attackLogin(t *testing.T) {
	t.Run("unknown user and wrong password look the same", s.loginSameAnswer)
	t.Run("password over 72 bytes refused", s.loginLongPassword)
	t.Run("malformed bodies", s.loginMalformed)
	t.Run("limit per IP before bcrypt", s.loginLimitPerIP)
	t.Run("limit per username", s.loginLimitPerName)
	t.Run("register and refresh", s.registerAndRefresh)
}

// loginSameAnswer compares wrong-password and unknown-user failures: same
// status, headers and body, and times within a factor of two (without the
// dummy compare an unknown user would answer many times faster).
func (s *server) loginSameAnswer(t *testing.T) {
	const rounds = 5
	var wrongT, unknownT []time.Duration
	var wrongBody, unknownBody string
	var wrongHdr, unknownHdr []string
	for i := range rounds {
		remember("wrong-password-attempt")
		w := s.do(t, newClient(freshIP()), "POST", "/auth/login", "",
			credentialsBody("tim", "wrong-password-attempt"), nil)
		u := s.do(t, newClient(freshIP()), "POST", "/auth/login", "",
			credentialsBody(fmt.Sprintf("nobody-%d", i), "wrong-password-attempt"), nil)
		checkProblem(t, "wrong password", w, http.StatusUnauthorized)
		checkProblem(t, "unknown user", u, http.StatusUnauthorized)
		wrongT, unknownT = append(wrongT, w.took), append(unknownT, u.took)
		wrongBody, unknownBody = withoutRequestID(w.body), withoutRequestID(u.body)
		wrongHdr, unknownHdr = headerNames(w.header), headerNames(u.header)
	}
	if wrongBody != unknownBody {
		t.Errorf("bodies differ:\nwrong password %s\nunknown user   %s", wrongBody, unknownBody)
	}
	if !slices.Equal(wrongHdr, unknownHdr) {
		t.Errorf("header names differ:\nwrong password %v\nunknown user   %v", wrongHdr, unknownHdr)
	}
	mw, mu := median(wrongT), median(unknownT)
	t.Logf("median login time: wrong password %v, unknown user %v", mw, mu)
	if mu < mw/2 || mu > mw*2 {
		t.Errorf("unknown user answers in %v, wrong password in %v: timing tells them apart", mu, mw)
	}
}

// headerNames returns the sorted names of h, without the per-request and
// rate-limit counters.
func headerNames(h http.Header) []string {
	var out []string
	for k := range h {
		if k != "Date" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// loginLongPassword checks that bcrypt's 72-byte truncation is not an
// open door: the 72-byte password works, the same with more appended is
// refused with 400.
func (s *server) loginLongPassword(t *testing.T) {
	remember(longPassword)
	ok := s.do(t, newClient(freshIP()), "POST", "/auth/login", "", credentialsBody("long", longPassword), nil)
	if ok.status != http.StatusOK {
		t.Fatalf("the 72-byte password: %d %s, want 200", ok.status, ok.body)
	}
	for _, extra := range []string{"x", "anything-at-all", strings.Repeat("z", 100)} {
		r := s.do(t, newClient(freshIP()), "POST", "/auth/login", "", credentialsBody("long", longPassword+extra), nil)
		checkProblem(t, fmt.Sprintf("72-byte password + %d bytes", len(extra)), r, http.StatusBadRequest)
	}
	r := s.do(t, newClient(freshIP()), "POST", "/auth/register", "",
		credentialsBody("longer", longPassword+"x"), nil)
	checkProblem(t, "register with a 73-byte password", r, http.StatusBadRequest)
}

// loginMalformed sends credentials in the wrong places and shapes; none
// may log in.
func (s *server) loginMalformed(t *testing.T) {
	good := credentialsBody("rita", passwordOf("rita"))
	q := url.Values{"username": {"rita"}, "password": {passwordOf("rita")}}.Encode()
	cases := []struct {
		name, path, body string
		h                http.Header
		want             int
	}{
		{"credentials in the query", "/auth/login?" + q, "", nil, http.StatusUnsupportedMediaType},
		{"credentials in the query, empty JSON", "/auth/login?" + q, "{}", nil, http.StatusBadRequest},
		{"basic auth header", "/auth/login", "", hdr("Authorization", "Basic cml0YTpwdw=="),
			http.StatusUnsupportedMediaType},
		{"form body", "/auth/login", q, hdr("Content-Type", "application/x-www-form-urlencoded"),
			http.StatusUnsupportedMediaType},
		{"text/plain JSON", "/auth/login", good, hdr("Content-Type", "text/plain"), http.StatusUnsupportedMediaType},
		{"no content type", "/auth/login", good, hdr("Content-Type", ""), http.StatusUnsupportedMediaType},
		{"truncated JSON", "/auth/login", good[:len(good)-5], nil, http.StatusBadRequest},
		{"trailing JSON", "/auth/login", good + good, nil, http.StatusBadRequest},
		{"trailing garbage", "/auth/login", good + " x", nil, http.StatusBadRequest},
		{"unknown field", "/auth/login", `{"username":"rita","password":"` + passwordOf("rita") + `","admin":true}`,
			nil, http.StatusBadRequest},
		{"array body", "/auth/login", "[" + good + "]", nil, http.StatusBadRequest},
		{"password as number", "/auth/login", `{"username":"rita","password":12345678}`, nil, http.StatusBadRequest},
		{"empty password", "/auth/login", `{"username":"rita","password":""}`, nil, http.StatusBadRequest},
	}
	for _, tc := range cases {
		r := s.do(t, newClient(freshIP()), "POST", tc.path, "", tc.body, tc.h)
		checkProblem(t, tc.name, r, tc.want)
	}
	// Credentials in the URL's user info never log in either.
	c := newClient(freshIP())
	req, _ := http.NewRequest("POST", "https://rita:"+url.PathEscape(passwordOf("rita"))+"@"+s.addr+"/auth/login", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Errorf("credentials in the URL logged in")
	}
}

// loginLimitPerIP makes one address guess passwords of many users: after
// loginLimit attempts it gets 429, even for a right password and however
// X-Forwarded-For changes, and the 429 comes much faster than a bcrypt
// compare (so the limit is applied before bcrypt).
func (s *server) loginLimitPerIP(t *testing.T) {
	c := newClient(freshIP())
	var failT []time.Duration
	for i := range loginLimit {
		r := s.do(t, c, "POST", "/auth/login", "", credentialsBody(fmt.Sprintf("guess-%d", i), "guess-guess"), nil)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, r.status)
		}
		failT = append(failT, r.took)
	}
	var limitedT []time.Duration
	tries := []http.Header{nil, hdr("X-Forwarded-For", "203.0.113.9"), hdr("X-Real-IP", "203.0.113.10"),
		hdr("Forwarded", "for=203.0.113.11"), hdr("X-Forwarded-For", "127.0.9.1")}
	for i, h := range tries {
		r := s.do(t, c, "POST", "/auth/login", "", credentialsBody(fmt.Sprintf("guess-x%d", i), "guess-guess"), h)
		checkProblem(t, fmt.Sprintf("attempt over the limit with %v", h), r, http.StatusTooManyRequests)
		if r.header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
		limitedT = append(limitedT, r.took)
	}
	remember(passwordOf("ed"))
	r := s.do(t, c, "POST", "/auth/login", "", credentialsBody("ed", passwordOf("ed")), nil)
	checkProblem(t, "right password over the IP limit", r, http.StatusTooManyRequests)

	mf, ml := median(failT), median(limitedT)
	t.Logf("median failed login %v, median refused-by-limit %v", mf, ml)
	if ml > mf/3 {
		t.Errorf("a limited attempt takes %v, a failed one %v: bcrypt seems to run before the limit", ml, mf)
	}
}

// loginLimitPerName guesses one user's password from a new address each
// time: the per-username limit holds, also through a trusted proxy that
// forwards a new client address each time.
func (s *server) loginLimitPerName(t *testing.T) {
	for i := range loginLimit {
		r := s.do(t, newClient(freshIP()), "POST", "/auth/login", "", credentialsBody("victim", "guess-guess"), nil)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d on victim: %d, want 401", i+1, r.status)
		}
	}
	for _, name := range []string{"victim", "VICTIM", "Victim"} {
		r := s.do(t, newClient(freshIP()), "POST", "/auth/login", "", credentialsBody(name, "guess-guess"),
			hdr("X-Forwarded-For", "203.0.113.50"))
		checkProblem(t, "guess on "+name+" over the username limit", r, http.StatusTooManyRequests)
	}

	// Through the trusted proxy each attempt comes from a new client.
	for i := range loginLimit + 2 {
		h := hdr("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", 100+i))
		r := s.do(t, newClient(proxyIP(200)), "POST", "/auth/login", "", credentialsBody("lockme", "guess-guess"), h)
		want := http.StatusUnauthorized
		if i >= loginLimit {
			want = http.StatusTooManyRequests
		}
		if r.status != want {
			t.Errorf("proxied attempt %d on lockme: %d, want %d", i+1, r.status, want)
		}
	}
}

// registerAndRefresh checks self sign-up (no way to pick roles) and
// refresh-token rotation with reuse detection.
func (s *server) registerAndRefresh(t *testing.T) {
	c := newClient(freshIP())
	pw := "newbie-password-1234"
	remember(pw)
	// A new name each run: the store outlives one server (go test -count).
	newbie := fmt.Sprintf("newbie-%d", time.Now().UnixNano())
	r := s.do(t, c, "POST", "/auth/register", "",
		`{"username":"`+newbie+`","password":"`+pw+`","roles":["admin"]}`, nil)
	checkProblem(t, "register asking for admin", r, http.StatusBadRequest)
	r = s.do(t, c, "POST", "/auth/register", "", credentialsBody(newbie, pw), nil)
	if r.status != http.StatusCreated || !strings.Contains(r.body, `"roles":["reader"]`) {
		t.Fatalf("register: %d %s, want 201 with the default roles", r.status, r.body)
	}
	r = s.do(t, c, "POST", "/auth/register", "", credentialsBody(newbie, pw), nil)
	checkProblem(t, "register a taken name", r, http.StatusConflict)
	r = s.do(t, newClient(freshIP()), "POST", "/auth/login", "", credentialsBody(newbie, pw), nil)
	var tp tokenPair
	_ = json.Unmarshal([]byte(r.body), &tp)
	remember(tp.AccessToken, tp.RefreshToken)
	if r := s.do(t, c, "GET", "/admin/stats", tp.AccessToken, "", nil); r.status != http.StatusForbidden {
		t.Errorf("registered user on an admin route: %d, want 403", r.status)
	}

	first := s.login(t, "refresher")
	rotated := s.refresh(t, first.RefreshToken, http.StatusOK)
	s.refresh(t, first.RefreshToken, http.StatusUnauthorized) // reuse of a rotated token
	s.refresh(t, rotated.RefreshToken, http.StatusUnauthorized)
	s.refresh(t, "made-up-refresh-token", http.StatusUnauthorized)

	again := s.login(t, "refresher")
	r = s.do(t, c, "POST", "/auth/logout", "", `{"refresh_token":"`+again.RefreshToken+`"}`, nil)
	if r.status != http.StatusNoContent {
		t.Errorf("logout: %d, want 204", r.status)
	}
	s.refresh(t, again.RefreshToken, http.StatusUnauthorized)
}

// refresh presents a refresh token and checks the status.
func (s *server) refresh(t *testing.T, token string, want int) tokenPair {
	t.Helper()
	r := s.do(t, newClient(freshIP()), "POST", "/auth/refresh", "", `{"refresh_token":"`+token+`"}`, nil)
	if r.status != want {
		t.Errorf("refresh: %d %s, want %d", r.status, r.body, want)
	}
	var tp tokenPair
	_ = json.Unmarshal([]byte(r.body), &tp)
	remember(tp.AccessToken, tp.RefreshToken)
	return tp
}
