// Package oidcsignin signs people in through their organisation's OpenID
// Connect provider: the authorisation code flow with PKCE, state and nonce,
// and the checks on the ID token (issuer, audience, expiry, nonce and the
// signature against the provider's published keys, fetched again when the
// provider rotates them). It knows nothing of HTTP routing or the database;
// the server keeps the pending sign-ins and decides who the person is.
package oidcsignin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Settings are one organisation's provider as the flow needs them.
type Settings struct {
	Issuer       string
	ClientID     string
	ClientSecret string // never logged
	RedirectURL  string // this service's callback, registered with the provider
}

// Pending is what must be kept between sending the person to the provider
// and their return: all three are single-use random values.
type Pending struct {
	State    string // sent and returned in the query; binds the return to the browser
	Nonce    string // must come back inside the ID token
	Verifier string // PKCE: only its S256 hash goes to the browser
}

// Identity is who the provider says signed in.
type Identity struct {
	Subject string
	Email   string // lower case; verified by the provider
	Name    string
}

// Reason says why a sign-in was refused, for the audit trail and tests.
type Reason string

// The reasons a sign-in through a provider can fail.
const (
	Unavailable     Reason = "provider_unavailable" // down, unreachable or answering garbage
	Refused         Reason = "provider_refused"     // the provider said no (error in the callback or at the token endpoint)
	WrongIssuer     Reason = "wrong_issuer"
	WrongAudience   Reason = "wrong_audience"
	Expired         Reason = "expired"
	BadSignature    Reason = "bad_signature"
	BadNonce        Reason = "bad_nonce"
	BadToken        Reason = "bad_token"
	NoEmail         Reason = "no_email"
	UnverifiedEmail Reason = "unverified_email"
)

// Error is a refused sign-in: a message for the person, the reason, and the
// underlying error for the log (which never holds a secret or a token).
type Error struct {
	Reason  Reason
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return string(e.Reason) + ": " + e.Err.Error()
	}
	return string(e.Reason)
}

func (e *Error) Unwrap() error { return e.Err }

func fail(r Reason, err error) *Error { return &Error{Reason: r, Message: messages[r], Err: err} }

var messages = map[Reason]string{
	Unavailable:     "Your organisation's sign-in service could not be reached, or gave an answer this service could not read. Try again in a few minutes; if it keeps happening, tell your IT service.",
	Refused:         "Your organisation's sign-in service did not sign you in. Try again; if it keeps happening, tell your IT service.",
	WrongIssuer:     "The answer from your organisation's sign-in service came from a different issuer than the one set up, so you have not been signed in. Tell your IT service.",
	WrongAudience:   "The answer from your organisation's sign-in service was meant for another application (wrong audience), so you have not been signed in. Tell your IT service.",
	Expired:         "The answer from your organisation's sign-in service had expired before it arrived, so you have not been signed in. Try again.",
	BadSignature:    "The answer from your organisation's sign-in service was not signed with its published keys, so you have not been signed in. Tell your IT service.",
	BadNonce:        "The answer from your organisation's sign-in service does not belong to this sign-in (the nonce does not match), so you have not been signed in. Start again from the sign-in page.",
	BadToken:        "The answer from your organisation's sign-in service could not be read, so you have not been signed in. Tell your IT service.",
	NoEmail:         "Your organisation's sign-in service did not send your email address, so you have not been signed in. Tell your IT service that the email claim is needed.",
	UnverifiedEmail: "Your organisation's sign-in service has not verified your email address, so you cannot sign in with it. Ask your IT service to verify it.",
}

// Scopes asked for: the ID token with the person's email.
var Scopes = []string{oidc.ScopeOpenID, "email", "profile"}

// discoveryLifetime is how long a provider's discovery document is kept
// before it is read again. Its keys are fetched again sooner, whenever a
// token names a key that is not known (rotation).
const discoveryLifetime = time.Hour

// Client talks to providers. One is shared by the whole server.
type Client struct {
	http *http.Client
	now  func() time.Time

	mu        sync.Mutex
	providers map[string]cachedProvider
}

type cachedProvider struct {
	p       *oidc.Provider
	fetched time.Time
	logout  string // end_session_endpoint, if published
}

// New makes a Client. A nil httpClient gets one with a 10 second timeout,
// so a provider that does not answer holds no request for long.
func New(httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{http: httpClient, now: time.Now, providers: map[string]cachedProvider{}}
}

func (c *Client) ctx(ctx context.Context) context.Context { return oidc.ClientContext(ctx, c.http) }

// provider reads the issuer's discovery document, or returns it from the
// cache. A failure is not cached, so the next attempt tries again.
func (c *Client) provider(ctx context.Context, issuer string) (cachedProvider, error) {
	c.mu.Lock()
	cp, ok := c.providers[issuer]
	c.mu.Unlock()
	if ok && c.now().Sub(cp.fetched) < discoveryLifetime {
		return cp, nil
	}
	// The provider keeps this context for fetching keys later; go-oidc
	// drops its cancellation, so the request ending does not break it.
	p, err := oidc.NewProvider(c.ctx(ctx), issuer)
	if err != nil {
		var mismatch *oidc.IssuerMismatchError
		if errors.As(err, &mismatch) {
			return cachedProvider{}, fail(WrongIssuer, err)
		}
		return cachedProvider{}, fail(Unavailable, err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = p.Claims(&extra)
	if p.Endpoint().AuthURL == "" || p.Endpoint().TokenURL == "" {
		return cachedProvider{}, fail(Unavailable, errors.New("the discovery document has no authorization or token endpoint"))
	}
	cp = cachedProvider{p: p, fetched: c.now(), logout: extra.EndSession}
	c.mu.Lock()
	c.providers[issuer] = cp
	c.mu.Unlock()
	return cp, nil
}

func (c *Client) oauth(p *oidc.Provider, s Settings) *oauth2.Config {
	return &oauth2.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, Endpoint: p.Endpoint(), RedirectURL: s.RedirectURL, Scopes: Scopes}
}

func random() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Begin returns the provider's authorisation address to send the person
// to, and what to keep until they return. loginHint (the email typed)
// saves them typing it again at the provider.
func (c *Client) Begin(ctx context.Context, s Settings, loginHint string) (string, Pending, error) {
	cp, err := c.provider(ctx, s.Issuer)
	if err != nil {
		return "", Pending{}, err
	}
	var p Pending
	if p.State, err = random(); err != nil {
		return "", Pending{}, err
	}
	if p.Nonce, err = random(); err != nil {
		return "", Pending{}, err
	}
	p.Verifier = oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	return c.oauth(cp.p, s).AuthCodeURL(p.State, opts...), p, nil
}

// Finish exchanges the code for tokens (with the PKCE verifier), checks
// the ID token and returns who signed in. The caller has already matched
// the returned state to p and made sure p is used once.
func (c *Client) Finish(ctx context.Context, s Settings, p Pending, code string) (Identity, error) {
	cp, err := c.provider(ctx, s.Issuer)
	if err != nil {
		return Identity{}, err
	}
	tok, err := c.oauth(cp.p, s).Exchange(c.ctx(ctx), code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" {
			return Identity{}, fail(Refused, fmt.Errorf("token endpoint: %s", re.ErrorCode))
		}
		return Identity{}, fail(Unavailable, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fail(BadToken, errors.New("the token response has no id_token"))
	}
	idt, err := cp.p.VerifierContext(c.ctx(ctx), &oidc.Config{ClientID: s.ClientID, Now: c.now}).Verify(c.ctx(ctx), raw)
	if err != nil {
		return Identity{}, classify(err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.Nonce)) != 1 {
		return Identity{}, fail(BadNonce, errors.New("the ID token's nonce is not the one sent"))
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"`
		// Microsoft Entra ID does not send email_verified; its optional
		// claim xms_edov says the email's domain owner is verified.
		DomainOwnerVerified any    `json:"xms_edov"`
		Name                string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fail(BadToken, err)
	}
	email := strings.ToLower(strings.TrimSpace(claims.Email))
	if email == "" {
		return Identity{}, fail(NoEmail, nil)
	}
	if !truthy(claims.EmailVerified) && !truthy(claims.DomainOwnerVerified) {
		return Identity{}, fail(UnverifiedEmail, nil)
	}
	return Identity{Subject: idt.Subject, Email: email, Name: claims.Name}, nil
}

// truthy reads a boolean claim that some providers send as a string.
func truthy(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		return b == "true" || b == "1"
	case float64:
		return b == 1
	}
	return false
}

// classify turns go-oidc's verification error into a reason.
func classify(err error) *Error {
	var expired *oidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &expired):
		return fail(Expired, err)
	case strings.Contains(msg, "audience"):
		return fail(WrongAudience, err)
	case strings.Contains(msg, "issued by a different provider"):
		return fail(WrongIssuer, err)
	case strings.Contains(msg, "signature") || strings.Contains(msg, "keys"):
		return fail(BadSignature, err)
	}
	return fail(BadToken, err)
}

// EndSessionURL is the provider's sign-out address, where it publishes one
// (end_session_endpoint), with the client id and where to come back to; ""
// if it publishes none or cannot be reached.
func (c *Client) EndSessionURL(ctx context.Context, issuer, clientID, postLogout string) string {
	cp, err := c.provider(ctx, issuer)
	if err != nil || cp.logout == "" {
		return ""
	}
	sep := "?"
	if strings.Contains(cp.logout, "?") {
		sep = "&"
	}
	q := make([]string, 0, 2)
	q = append(q, "client_id="+urlEscape(clientID))
	if postLogout != "" {
		q = append(q, "post_logout_redirect_uri="+urlEscape(postLogout))
	}
	return cp.logout + sep + strings.Join(q, "&")
}

func urlEscape(s string) string { return url.QueryEscape(s) }
