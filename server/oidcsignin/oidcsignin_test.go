package oidcsignin_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/oidcsignin"
	"github.com/bluelight-wellbeing/toolkit/server/oidcsignin/oidctest"
)

func TestSealer(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	s, err := oidcsignin.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal("client secret value", "identity_provider:1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "client secret value") || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("sealed value shows the secret or lacks its format: %s", sealed)
	}
	again, _ := s.Seal("client secret value", "identity_provider:1")
	if again == sealed {
		t.Error("sealing twice gives the same value: the nonce is not random")
	}
	if got, err := s.Open(sealed, "identity_provider:1"); err != nil || got != "client secret value" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open(sealed, "identity_provider:2"); err == nil {
		t.Error("a secret sealed for one organisation opens for another")
	}
	other, _ := oidcsignin.NewSealer([]byte("another key of thirty-two bytes!"))
	if _, err := other.Open(sealed, "identity_provider:1"); err == nil || !strings.Contains(err.Error(), "key") {
		t.Errorf("a secret opens with another key: %v", err)
	}
	tampered := sealed[:len(sealed)-4] + "AAA="
	if _, err := s.Open(tampered, "identity_provider:1"); err == nil {
		t.Error("a changed value opens")
	}
	none, err := oidcsignin.NewSealer(nil)
	if err != nil || none.Ready() {
		t.Fatalf("no key: ready=%v %v", none.Ready(), err)
	}
	if _, err := none.Seal("x", "c"); !errors.Is(err, oidcsignin.ErrNoKey) {
		t.Errorf("sealing without a key: %v", err)
	}
	if _, err := oidcsignin.NewSealer([]byte("short")); err == nil {
		t.Error("a short key is accepted")
	}
}

const redirect = "http://127.0.0.1:8080/sign-in/oidc/callback"

// signIn runs the flow against the provider as subject and returns what
// Finish says.
func signIn(t *testing.T, c *oidcsignin.Client, p *oidctest.Provider, subject string) (oidcsignin.Identity, error) {
	t.Helper()
	s := oidcsignin.Settings{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: redirect}
	authURL, pending, err := c.Begin(context.Background(), s, subject)
	if err != nil {
		t.Fatal(err)
	}
	q := mustParse(t, authURL).Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") != pending.State || q.Get("nonce") != pending.Nonce || q.Get("login_hint") != subject {
		t.Fatalf("authorisation request lacks PKCE, state, nonce or hint: %s", authURL)
	}
	if strings.Contains(authURL, pending.Verifier) || strings.Contains(authURL, p.ClientSecret) {
		t.Fatal("the PKCE verifier or client secret is in the browser's address")
	}
	back := p.Authorize(t, authURL, subject)
	if back.Query().Get("state") != pending.State || back.Query().Get("code") == "" {
		t.Fatalf("provider came back with %s", back)
	}
	return c.Finish(context.Background(), s, pending, back.Query().Get("code"))
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func reason(err error) oidcsignin.Reason {
	var oe *oidcsignin.Error
	if errors.As(err, &oe) {
		return oe.Reason
	}
	return ""
}

func TestFlowAgainstRealProvider(t *testing.T) {
	p := oidctest.Start(t, "toolkit", "s3cret-value", redirect)
	p.AddUser(oidctest.User{Email: "Jo.Bloggs@Alpha.Example", EmailVerified: true, Name: "Jo Bloggs"})
	p.AddUser(oidctest.User{Email: "unverified@alpha.example"})
	c := oidcsignin.New(nil)

	id, err := signIn(t, c, p, "Jo.Bloggs@Alpha.Example")
	if err != nil || id.Email != "jo.bloggs@alpha.example" || id.Name != "Jo Bloggs" || id.Subject == "" {
		t.Fatalf("sign-in = %+v, %v", id, err)
	}

	// Keys rotate: the cached key set does not know the new key, so it is
	// fetched again.
	old := p.KeyID()
	p.RotateKey()
	if p.KeyID() == old {
		t.Fatal("key did not rotate")
	}
	if _, err := signIn(t, c, p, "Jo.Bloggs@Alpha.Example"); err != nil {
		t.Fatalf("after key rotation: %v", err)
	}

	if _, err := signIn(t, c, p, "unverified@alpha.example"); reason(err) != oidcsignin.UnverifiedEmail {
		t.Errorf("unverified email: %v", err)
	}

	p.IssueFor("some-other-app")
	if _, err := signIn(t, c, p, "Jo.Bloggs@Alpha.Example"); reason(err) != oidcsignin.WrongAudience {
		t.Errorf("wrong audience: %v", err)
	}
	p.IssueFor("")

	p.SetIDTokenLifetime(-time.Hour)
	if _, err := signIn(t, c, p, "Jo.Bloggs@Alpha.Example"); reason(err) != oidcsignin.Expired {
		t.Errorf("expired token: %v", err)
	}
	p.SetIDTokenLifetime(time.Hour)

	p.SetNonce("not-the-nonce-sent")
	if _, err := signIn(t, c, p, "Jo.Bloggs@Alpha.Example"); reason(err) != oidcsignin.BadNonce {
		t.Errorf("bad nonce: %v", err)
	}
	p.SetNonce("")

	// A wrong client secret: the token endpoint refuses.
	s := oidcsignin.Settings{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: "wrong", RedirectURL: redirect}
	authURL, pending, err := c.Begin(context.Background(), s, "")
	if err != nil {
		t.Fatal(err)
	}
	back := p.Authorize(t, authURL, "Jo.Bloggs@Alpha.Example")
	if _, err := c.Finish(context.Background(), s, pending, back.Query().Get("code")); reason(err) != oidcsignin.Refused {
		t.Errorf("wrong client secret: %v", err)
	}

	// The PKCE verifier must match the challenge.
	s.ClientSecret = p.ClientSecret
	authURL, pending, _ = c.Begin(context.Background(), s, "")
	back = p.Authorize(t, authURL, "Jo.Bloggs@Alpha.Example")
	pending.Verifier = "a-verifier-that-does-not-match-the-challenge-sent-earlier-xyz"
	if _, err := c.Finish(context.Background(), s, pending, back.Query().Get("code")); reason(err) != oidcsignin.Refused {
		t.Errorf("wrong PKCE verifier: %v", err)
	}

	if u := c.EndSessionURL(context.Background(), p.Issuer, p.ClientID, "http://127.0.0.1:8080/sign-in"); !strings.HasPrefix(u, p.Issuer+"/") || !strings.Contains(u, "client_id=toolkit") || !strings.Contains(u, "post_logout_redirect_uri=") {
		t.Errorf("end-session URL = %q", u)
	}
}

func TestProviderDownOrGarbage(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>not json</html>")) }))
	defer garbage.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer slow.Close()
	c := oidcsignin.New(&http.Client{Timeout: 500 * time.Millisecond})
	for name, issuer := range map[string]string{"down": down.URL, "garbage": garbage.URL, "slow": slow.URL} {
		_, _, err := c.Begin(context.Background(), oidcsignin.Settings{Issuer: issuer, ClientID: "x", ClientSecret: "y", RedirectURL: redirect}, "")
		var oe *oidcsignin.Error
		if !errors.As(err, &oe) || oe.Reason != oidcsignin.Unavailable || !strings.Contains(oe.Message, "could not be reached") {
			t.Errorf("%s provider: %v", name, err)
		}
	}
}
