package attack

import (
	"testing"
)

// TestAttack starts one server from the attack spec and runs every attack
// family against it in a fixed order; the last steps stop it with SIGTERM
// and read its whole log. Attacks that need a server of their own (a
// refused start, the SIGTERM drain) are separate tests.
func TestAttack(t *testing.T) {
	fx := getFixture(t)
	s := startServer(t, fx)

	t.Run("tokens", s.attackTokens)
	t.Run("login", s.attackLogin)
	t.Run("access", s.attackAccess)
	t.Run("cors", s.attackCORS)
	t.Run("rate limits", s.attackRateLimits)
	t.Run("server", s.attackServer)
	t.Run("tls", s.attackTLS)
	t.Run("testssl", s.runTestSSL)
	// The flood runs last among the attacks: it fills the limiter tables
	// that the other families rely on being empty.
	t.Run("memory bound under a flood of clients", s.attackFlood)

	if err := s.stop(t); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	t.Run("log holds no credentials", s.checkLog)
}
