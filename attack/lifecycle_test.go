package attack

import (
	"bytes"
	"context"
	"errors"
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

// TestRefusedStart covers DESIGN.md "It refuses to start, with a clear
// message and exit status 1, on a missing or short (under 32 bytes)
// secret, a missing certificate, or an unreachable store", and checks
// that the refusal never echoes the secret.
func TestRefusedStart(t *testing.T) {
	fx := getFixture(t)
	dir := t.TempDir()
	notSQLite := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(notSQLite, bytes.Repeat([]byte("this is not a database "), 200), 0o600); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	shortSecret := "short-secret-31-bytes-long-xxxx"
	cases := []struct {
		name string
		env  []string
		say  string // what the message must mention
	}{
		{"short secret", []string{"FORT_JWT_SECRET=" + shortSecret}, "at least 32"},
		{"empty secret", []string{"FORT_JWT_SECRET="}, "FORT_JWT_SECRET"},
		{"missing certificate", []string{"FORT_TLS_CERT=" + filepath.Join(dir, "nope.pem")}, "certificate"},
		{"certificate is the key", []string{"FORT_TLS_CERT=" + fx.keyFile}, "certificate"},
		{"store is not SQLite", []string{"FORT_DATABASE_URL=" + notSQLite}, "store"},
		{"store under a plain file", []string{"FORT_DATABASE_URL=" + filepath.Join(notDir, "fort.db")}, "store"},
		{"store is a folder", []string{"FORT_DATABASE_URL=" + dir}, "store"},
	}
	if os.Geteuid() != 0 {
		// Root reads any file, so this case only means something for others.
		unreadable := filepath.Join(dir, "unreadable.db")
		if err := os.WriteFile(unreadable, nil, 0o000); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct {
			name string
			env  []string
			say  string
		}{"store unreadable", []string{"FORT_DATABASE_URL=" + unreadable}, "store"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := testkit.FreeAddr(t)
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, fx.bin, "serve", "-addr", addr)
			cmd.Env = fx.env(tc.env...)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("exit %v, want status 1\n%s", err, out)
			}
			if !strings.Contains(string(out), "cannot start") || !strings.Contains(string(out), tc.say) {
				t.Errorf("message does not say why (want %q):\n%s", tc.say, out)
			}
			if strings.Contains(string(out), shortSecret) || strings.Contains(string(out), jwtSecret) {
				t.Errorf("the refusal prints the secret:\n%s", out)
			}
			if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				t.Errorf("something listens on %s after a refused start", addr)
			}
		})
	}
}

// TestDrainOnSIGTERM covers DESIGN.md "SIGTERM drains requests in flight
// within the shutdown timeout": a request that takes 1.5s is answered in
// full after SIGTERM arrived, new connections are refused meanwhile, and
// the process exits with status 0.
func TestDrainOnSIGTERM(t *testing.T) {
	fx := getFixture(t)
	s := startServer(t, fx)
	c := newClient(freshIP())

	type result struct {
		r   reply
		err error
	}
	res := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("POST", s.base+"/slow", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, err = b.ReadFrom(resp.Body)
		res <- result{r: reply{status: resp.StatusCode, body: b.String()}, err: err}
	}()
	time.Sleep(400 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if conn, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		conn.Close()
		t.Errorf("a new connection was accepted while draining")
	}
	got := <-res
	if got.err != nil || got.r.status != http.StatusOK || !strings.Contains(got.r.body, "slow done") {
		t.Errorf("in-flight request across SIGTERM: %v %d %q, want 200 slow done", got.err, got.r.status, got.r.body)
	}
	select {
	case <-s.done:
		if s.err != nil {
			t.Errorf("exit after draining: %v\n%s", s.err, s.log.String())
		}
	case <-time.After(15 * time.Second):
		t.Errorf("server still running 15s after SIGTERM")
	}
}
