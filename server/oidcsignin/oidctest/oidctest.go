// Package oidctest runs a real OpenID Connect provider on loopback for
// tests, built on zitadel/oidc's op package (the provider side of the
// protocol: discovery, authorisation with PKCE, the token endpoint that
// signs ID tokens, published keys, end_session). Only its storage and a
// one-field login page are written here, in memory, with knobs that make
// the provider misbehave the ways a test needs: tokens for another
// application (audience), already expired, with another nonce, and rotated keys.
package oidctest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is someone who can sign in at the provider.
type User struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// Provider is a running provider. Issuer is its URL.
type Provider struct {
	Issuer       string
	ClientID     string
	ClientSecret string

	srv *httptest.Server
	op  *op.Provider
	st  *storage
}

// Start runs a provider on loopback with one confidential client allowed
// to return to redirectURI. It stops when the test ends.
func Start(t testing.TB, clientID, clientSecret, redirectURI string) *Provider {
	t.Helper()
	st := &storage{
		client:   client{id: clientID, secret: clientSecret, redirect: redirectURI, lifetime: time.Hour},
		users:    map[string]User{},
		requests: map[string]*authRequest{},
		codes:    map[string]string{},
	}
	st.rotate()
	p := &Provider{ClientID: clientID, ClientSecret: clientSecret, st: st}
	mux := http.NewServeMux()
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	p.Issuer = p.srv.URL

	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		t.Fatal(err)
	}
	provider, err := op.NewProvider(&op.Config{
		CryptoKey:                key,
		DefaultLogoutRedirectURI: "/logged-out",
		CodeMethodS256:           true,
		SupportedUILocales:       []language.Tag{language.English},
	}, st, op.StaticIssuer(p.Issuer), op.WithAllowInsecure(), op.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	p.op = provider
	interceptor := op.NewIssuerInterceptor(provider.IssuerFromRequest)
	mux.HandleFunc("GET /login", p.showLogin)
	mux.Handle("POST /login", interceptor.HandlerFunc(p.login))
	mux.HandleFunc("/logged-out", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("signed out")) })
	mux.Handle("/", provider)
	return p
}

// AddUser lets someone sign in; Subject defaults to the email.
func (p *Provider) AddUser(u User) {
	if u.Subject == "" {
		u.Subject = u.Email
	}
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	p.st.users[u.Subject] = u
}

// IssueFor makes the provider issue tokens as if the client were another
// application, so their audience (and azp) name that application and not
// the client that asked; "" puts it right again. A provider with two app
// registrations mixed up does this.
func (p *Provider) IssueFor(clientID string) { p.st.set(func() { p.st.client.issuedAs = clientID }) }

// SetIDTokenLifetime sets how long ID tokens last; a negative lifetime
// issues them already expired.
func (p *Provider) SetIDTokenLifetime(d time.Duration) { p.st.set(func() { p.st.client.lifetime = d }) }

// SetNonce makes the next ID tokens carry this nonce instead of the one
// asked for ("" sends the one asked for again).
func (p *Provider) SetNonce(n string) { p.st.set(func() { p.st.nonce = n }) }

// RotateKey signs from now on with a new key; the published key set holds
// only the new key, as after a rotation has retired the old one.
func (p *Provider) RotateKey() { p.st.set(p.st.rotate) }

// KeyID is the id of the current signing key.
func (p *Provider) KeyID() string {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	return p.st.key.id
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html><title>Test provider</title>
<form method="post" action="/login"><input type="hidden" name="id" value="{{.}}">
<label>Subject <input name="subject"></label><button>Sign in</button></form>`))

func (p *Provider) showLogin(w http.ResponseWriter, r *http.Request) {
	_ = loginPage.Execute(w, r.URL.Query().Get("authRequestID"))
}

// login signs the person in as subject and sends them on to the
// provider's callback, which issues the code.
func (p *Provider) login(w http.ResponseWriter, r *http.Request) {
	id, subject := r.FormValue("id"), r.FormValue("subject")
	if err := p.st.authenticate(id, subject); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	http.Redirect(w, r, op.AuthCallbackURL(p.op)(r.Context(), id), http.StatusFound)
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Algorithm() jose.SignatureAlgorithm          { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }
func (k *signingKey) Use() string                                 { return "sig" }

type publicKey struct{ *signingKey }

func (k publicKey) Key() any { return &k.key.PublicKey }

type client struct {
	id, secret, redirect string
	issuedAs             string
	lifetime             time.Duration
}

func (c client) GetID() string {
	if c.issuedAs != "" {
		return c.issuedAs
	}
	return c.id
}
func (c client) RedirectURIs() []string              { return []string{c.redirect} }
func (c client) PostLogoutRedirectURIs() []string    { return nil }
func (c client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c client) GrantTypes() []oidc.GrantType        { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c client) LoginURL(id string) string           { return "/login?authRequestID=" + id }
func (c client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c client) IDTokenLifetime() time.Duration      { return c.lifetime }
func (c client) DevMode() bool                       { return true } // http redirect URIs on loopback
func (c client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c client) IsScopeAllowed(string) bool           { return false }
func (c client) IDTokenUserinfoClaimsAssertion() bool { return true } // email in the ID token
func (c client) ClockSkew() time.Duration             { return 0 }

type authRequest struct {
	id, clientID, redirect, state, nonce, subject string
	scopes                                        []string
	challenge                                     *oidc.CodeChallenge
	audience                                      []string
	authTime                                      time.Time
	done                                          bool
}

func (a *authRequest) GetID() string          { return a.id }
func (a *authRequest) GetACR() string         { return "" }
func (a *authRequest) GetAMR() []string       { return []string{"pwd"} }
func (a *authRequest) GetAudience() []string  { return a.audience }
func (a *authRequest) GetAuthTime() time.Time { return a.authTime }
func (a *authRequest) GetClientID() string    { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	return a.challenge
}
func (a *authRequest) GetNonce() string                   { return a.nonce }
func (a *authRequest) GetRedirectURI() string             { return a.redirect }
func (a *authRequest) GetResponseType() oidc.ResponseType { return oidc.ResponseTypeCode }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return "" }
func (a *authRequest) GetScopes() []string                { return a.scopes }
func (a *authRequest) GetState() string                   { return a.state }
func (a *authRequest) GetSubject() string                 { return a.subject }
func (a *authRequest) Done() bool                         { return a.done }

// storage is op.Storage in memory.
type storage struct {
	mu       sync.Mutex
	client   client
	users    map[string]User
	requests map[string]*authRequest
	codes    map[string]string // code -> request id
	key      *signingKey
	keyN     int
	nonce    string
	nextID   int
}

func (s *storage) set(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

func (s *storage) rotate() {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	s.keyN++
	s.key = &signingKey{id: "key-" + strconv.Itoa(s.keyN), key: k}
}

func (s *storage) authenticate(id, subject string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.requests[id]
	if !ok {
		return errors.New("no such authorisation request")
	}
	if _, ok := s.users[subject]; !ok {
		return errors.New("no such user")
	}
	req.subject, req.done, req.authTime = subject, true, time.Now()
	return nil
}

type notFound struct{ error }

func (notFound) IsNotFound() {}

func (s *storage) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	req := &authRequest{id: "req-" + strconv.Itoa(s.nextID), clientID: r.ClientID, redirect: r.RedirectURI, state: r.State,
		nonce: r.Nonce, subject: userID, scopes: r.Scopes, audience: []string{r.ClientID}}
	if s.client.issuedAs != "" {
		req.clientID, req.audience = s.client.issuedAs, []string{s.client.issuedAs}
	}
	if r.CodeChallenge != "" {
		req.challenge = &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod}
	}
	// The knob bends what this request's tokens will say.
	if s.nonce != "" {
		req.nonce = s.nonce
	}
	s.requests[req.id] = req
	return req, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.requests[id]; ok {
		return r, nil
	}
	return nil, notFound{errors.New("no such request")}
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, notFound{errors.New("code unknown or used")}
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.set(func() { s.codes[code] = id })
	return nil
}

func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.set(func() {
		delete(s.requests, id)
		for c, rid := range s.codes {
			if rid == id {
				delete(s.codes, c)
			}
		}
	})
	return nil
}

func (s *storage) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return "at-" + strconv.Itoa(s.nextID), time.Now().Add(5 * time.Minute), nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("refresh tokens are not offered")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) RevokeToken(context.Context, string, string, string) *oidc.Error { return nil }

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.key, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return []op.Key{publicKey{s.key}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.client.id && (s.client.issuedAs == "" || id != s.client.issuedAs) {
		return nil, notFound{errors.New("no such client")}
	}
	return s.client, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.client.id || secret != s.client.secret {
		return errors.New("wrong client id or secret")
	}
	return nil
}

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest puts the person's claims in the ID token.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, r op.IDTokenRequest, scopes []string) error {
	return s.userinfo(info, r.GetSubject(), scopes)
}

func (s *storage) userinfo(info *oidc.UserInfo, subject string, scopes []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[subject]
	if !ok {
		return fmt.Errorf("no such user %q", subject)
	}
	for _, sc := range scopes {
		switch sc {
		case oidc.ScopeOpenID:
			info.Subject = u.Subject
		case oidc.ScopeEmail:
			info.Email, info.EmailVerified = u.Email, oidc.Bool(u.EmailVerified)
		case oidc.ScopeProfile:
			info.Name = u.Name
		}
	}
	return nil
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	return s.userinfo(info, subject, []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile})
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("introspection is not offered")
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("JWT profile is not offered")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("JWT profile is not offered")
}

func (s *storage) Health(context.Context) error { return nil }

// Authorize does what a browser does at the provider: it opens authURL,
// signs in as subject on the login page, and follows the provider's
// redirects until one leads away from the provider, which it returns (the
// redirect to the client, with code and state, or an error).
func (p *Provider) Authorize(t testing.TB, authURL, subject string) *url.URL {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next := func(resp *http.Response) *url.URL {
		t.Helper()
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("provider answered %d, not a redirect: %s", resp.StatusCode, b)
		}
		loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	get := func(u *url.URL) *http.Response {
		t.Helper()
		resp, err := browser.Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	start, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	loc := next(get(start))
	if loc.Path != "/login" { // the provider refused at once (an error to the client)
		return loc
	}
	resp, err := browser.PostForm(loc.Scheme+"://"+loc.Host+"/login", url.Values{"id": {loc.Query().Get("authRequestID")}, "subject": {subject}})
	if err != nil {
		t.Fatal(err)
	}
	loc = next(resp)
	for i := 0; i < 5 && loc.Host == start.Host; i++ {
		loc = next(get(loc))
	}
	return loc
}
