package server_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/oidcsignin/oidctest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// The server's redirect URI with the fixture's default PUBLIC_URL.
const oidcRedirect = "http://127.0.0.1:8080/sign-in/oidc/callback"

var oidcKey = []byte("0123456789abcdef0123456789abcdef")

func withOIDCKey(d *server.Deps) { d.SecretKey = oidcKey }

// configureProvider sets up org's provider through the national admin's
// page, as a person would.
func configureProvider(t *testing.T, f *fixture, org store.Organisation, p *oidctest.Provider, domains string, passwords bool) {
	t.Helper()
	admin := f.signedIn(f.people["admin"])
	admin.get("/organisations/" + itoa(org.ID) + "/sign-in")
	form := url.Values{"issuer": {p.Issuer}, "client_id": {p.ClientID}, "client_secret": {p.ClientSecret}, "domains": {domains}}
	if passwords {
		form.Set("password_sign_in", "yes")
	}
	resp, body := admin.post("/organisations/"+itoa(org.ID)+"/sign-in", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the provider = %d: %s", resp.StatusCode, errorSummary(body))
	}
}

func errorSummary(body string) string {
	if i := strings.Index(body, "govuk-error-summary__list"); i >= 0 {
		return body[i:min(len(body), i+600)]
	}
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:min(len(body), i+600)]
	}
	return body[:min(len(body), 300)]
}

// startProviderSignIn types the email on the sign-in page and returns
// where the server sends the browser.
func startProviderSignIn(t *testing.T, cl *client, email, next string) *http.Response {
	t.Helper()
	cl.get("/sign-in?next=" + url.QueryEscape(next))
	resp, body := cl.post("/sign-in", url.Values{"email": {email}, "step": {"email"}, "next": {next}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("email step for %s = %d: %s", email, resp.StatusCode, errorSummary(body))
	}
	return resp
}

// providerSignIn goes the whole way: email, the provider's login as
// subject, and back to the server's callback, whose answer it returns.
func providerSignIn(t *testing.T, cl *client, p *oidctest.Provider, email, subject string) (*http.Response, string, *url.URL) {
	t.Helper()
	resp := startProviderSignIn(t, cl, email, "/tokens")
	back := p.Authorize(t, resp.Header.Get("Location"), subject)
	if back.String() == "" || !strings.HasPrefix(back.String(), oidcRedirect) {
		t.Fatalf("provider sent the browser to %s", back)
	}
	r, body := cl.get(back.RequestURI())
	return r, body, back
}

func TestOIDCSignIn(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixtureWith(t, st, withOIDCKey)
		p := oidctest.Start(t, "toolkit-alpha", "alpha client secret 123", oidcRedirect)
		owner := f.people["A owner"] // no password: added by an owner, never set one
		p.AddUser(oidctest.User{Email: strings.ToUpper(owner.Email), EmailVerified: true, Name: "Someone"})

		// Before any provider, the page asks for email and password at once.
		_, body := f.anonymous().get("/sign-in")
		if !strings.Contains(body, `name="password"`) {
			t.Fatal("without providers the sign-in page lacks the password field")
		}
		configureProvider(t, f, f.orgA, p, "alpha.example\n@Alpha.Example, alpha.example", true)

		// The secret is stored sealed, and appears in no audit record.
		saved, err := st.IdentityProviderOf(ctx, f.orgA.ID)
		if err != nil || strings.Contains(saved.ClientSecretSealed, p.ClientSecret) || saved.ClientSecretSealed == "" || strings.Join(saved.Domains, ",") != "alpha.example" {
			t.Fatalf("stored provider = %+v, %v", saved, err)
		}
		var events []store.AuditEvent
		if err := st.DB().Where("action = ?", "signin_provider.save").Find(&events).Error; err != nil || len(events) != 1 {
			t.Fatalf("audit of the provider = %d events, %v", len(events), err)
		}
		if strings.Contains(events[0].After, p.ClientSecret) || strings.Contains(events[0].After, saved.ClientSecretSealed) || !strings.Contains(events[0].After, p.Issuer) {
			t.Errorf("audit record shows the secret or lacks the issuer: %s", events[0].After)
		}

		// Now the page asks for the work email first, and its form may go
		// on to the provider.
		resp, body := f.anonymous().get("/sign-in")
		if strings.Contains(body, `name="password"`) || !strings.Contains(body, `name="step" value="email"`) || !strings.Contains(body, "Continue") {
			t.Fatalf("sign-in page does not ask for the email first: %s", errorSummary(body))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https: "+p.Issuer) {
			t.Errorf("sign-in page CSP does not let the form lead to the provider: %s", csp)
		}

		cl := f.anonymous()
		start := startProviderSignIn(t, cl, owner.Email, "/tokens")
		authURL, _ := url.Parse(start.Header.Get("Location"))
		q := authURL.Query()
		if !strings.HasPrefix(authURL.String(), p.Issuer) || q.Get("client_id") != "toolkit-alpha" || q.Get("redirect_uri") != oidcRedirect ||
			q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("nonce") == "" || q.Get("login_hint") != owner.Email || !strings.Contains(q.Get("scope"), "email") {
			t.Fatalf("authorisation request = %s", authURL)
		}
		if cl.cookies["oidc_state"] != q.Get("state") {
			t.Fatal("the state is not kept in the browser's cookie")
		}
		back := p.Authorize(t, authURL.String(), strings.ToUpper(owner.Email))
		resp, _ = cl.get(back.RequestURI())
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/tokens" || cl.cookies["session"] == "" {
			t.Fatalf("callback = %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, ok := cl.cookies["oidc_state"]; ok {
			t.Error("the state cookie outlives the sign-in")
		}
		_, body = cl.get("/")
		if !strings.Contains(body, owner.DisplayName) || !strings.Contains(body, f.orgA.Name) {
			t.Fatal("not signed in as the owner after the provider")
		}
		if err := st.DB().Where("action = ? AND entity_id = ?", "signin", itoa(owner.ID)).Find(&events).Error; err != nil || len(events) != 1 || !strings.Contains(events[0].After, "oidc") {
			t.Errorf("sign-in audit = %+v %v", events, err)
		}

		// The same return again, even with the state cookie put back: the
		// state was used, so it is refused.
		replay := f.anonymous()
		replay.cookies["oidc_state"] = back.Query().Get("state")
		resp, body = replay.get(back.RequestURI())
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already been used or has expired") || replay.cookies["session"] != "" {
			t.Errorf("replayed state = %d: %s", resp.StatusCode, errorSummary(body))
		}
		// A return that did not start in this browser (login CSRF).
		other := f.anonymous()
		start = startProviderSignIn(t, f.anonymous(), owner.Email, "/")
		back = p.Authorize(t, start.Header.Get("Location"), strings.ToUpper(owner.Email))
		resp, body = other.get(back.RequestURI())
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "did not start in this browser") || other.cookies["session"] != "" {
			t.Errorf("callback in another browser = %d: %s", resp.StatusCode, errorSummary(body))
		}

		// Signing out ends our session and offers the provider's sign-out.
		resp, _ = cl.post("/sign-out", nil)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/sign-in?org="+itoa(f.orgA.ID)) {
			t.Fatalf("sign-out = %d %s", resp.StatusCode, loc)
		}
		if r, _ := cl.get("/"); r.StatusCode != http.StatusSeeOther {
			t.Error("still signed in after signing out")
		}
		_, body = cl.get(loc)
		if !strings.Contains(body, "You have signed out.") || !strings.Contains(body, `href="`+p.Issuer+`/end_session?client_id=toolkit-alpha&amp;post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fsign-in"`) {
			t.Errorf("no offer of the provider's sign-out: %s", errorSummary(body))
		}

		// Someone at a domain without a provider gets the password form,
		// and passwords still work for the organisation with a provider
		// (passwords allowed).
		b := f.people["B owner"]
		setPassword(t, f, b)
		cl = f.anonymous()
		cl.get("/sign-in")
		resp, body = cl.post("/sign-in", url.Values{"email": {b.Email}, "step": {"email"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="password"`) || !strings.Contains(body, `name="step" value="password"`) || !strings.Contains(body, `value="`+b.Email+`"`) {
			t.Fatalf("email step without a provider = %d: %s", resp.StatusCode, errorSummary(body))
		}
		resp, body = cl.post("/sign-in", url.Values{"email": {b.Email}, "step": {"password"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter your password") {
			t.Errorf("empty password at the password step = %d", resp.StatusCode)
		}
		if resp, _ = cl.post("/sign-in", url.Values{"email": {b.Email}, "step": {"password"}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("password sign-in = %d", resp.StatusCode)
		}
		viewer := f.people["A viewer"]
		setPassword(t, f, viewer)
		if resp, _ = f.anonymous().post("/sign-in", url.Values{"email": {viewer.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusForbidden {
			// The CSRF check refuses a post without a token first.
			t.Errorf("sign-in without CSRF token = %d", resp.StatusCode)
		}
		cl = f.anonymous()
		cl.get("/sign-in")
		if resp, _ = cl.post("/sign-in", url.Values{"email": {viewer.Email}, "step": {"password"}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("password sign-in at a provider's domain, passwords allowed = %d", resp.StatusCode)
		}

		// Keys rotated at the provider: the next sign-in still verifies.
		p.RotateKey()
		if resp, body, _ := providerSignIn(t, f.anonymous(), p, owner.Email, strings.ToUpper(owner.Email)); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after key rotation = %d: %s", resp.StatusCode, errorSummary(body))
		}
	})
}

func TestOIDCRefusals(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixtureWith(t, st, withOIDCKey)
		pa := oidctest.Start(t, "toolkit-alpha", "alpha secret", oidcRedirect)
		pb := oidctest.Start(t, "toolkit-borset", "borset secret", oidcRedirect)
		configureProvider(t, f, f.orgA, pa, "alpha.example", true)
		configureProvider(t, f, f.orgB, pb, "borset.example", true)

		owner, contributor := f.people["A owner"], f.people["A contributor"]
		// Someone whose address is at Alphashire's domain but whose account
		// Borsetshire added.
		bID := f.orgB.ID
		moved, err := st.CreateUser(ctx, store.SystemActor("test"), store.AllOrganisations(), store.User{OrganisationID: &bID, Role: store.RoleViewer, Email: "moved@alpha.example", DisplayName: "Moved Person"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetUserDisabled(ctx, store.SystemActor("test"), store.AllOrganisations(), contributor.ID, true); err != nil {
			t.Fatal(err)
		}
		pa.AddUser(oidctest.User{Email: owner.Email, EmailVerified: true})
		pa.AddUser(oidctest.User{Subject: "unverified", Email: owner.Email})
		pa.AddUser(oidctest.User{Email: contributor.Email, EmailVerified: true})
		pa.AddUser(oidctest.User{Email: moved.Email, EmailVerified: true})
		pa.AddUser(oidctest.User{Email: "stranger@alpha.example", EmailVerified: true})
		// Alphashire's provider vouching for an address at Borsetshire's domain.
		pa.AddUser(oidctest.User{Subject: "b-owner", Email: f.people["B owner"].Email, EmailVerified: true})

		cases := []struct {
			name, subject string
			bend, unbend  func()
			status        int
			message       string
		}{
			{"wrong audience", owner.Email, func() { pa.IssueFor("some-other-app") }, func() { pa.IssueFor("") }, 401, "meant for another application (wrong audience)"},
			{"expired token", owner.Email, func() { pa.SetIDTokenLifetime(-time.Hour) }, func() { pa.SetIDTokenLifetime(time.Hour) }, 401, "had expired before it arrived"},
			{"bad nonce", owner.Email, func() { pa.SetNonce("another nonce") }, func() { pa.SetNonce("") }, 401, "the nonce does not match"},
			{"unverified email", "unverified", nil, nil, 401, "has not verified your email address"},
			{"another organisation's domain", "b-owner", nil, nil, 403, "which is not at one of its email domains"},
			{"account of another organisation", moved.Email, nil, nil, 403, "belongs to another organisation, not " + f.orgA.Name},
			{"disabled person", contributor.Email, nil, nil, 403, "has been disabled"},
			{"no account (no self-registration)", "stranger@alpha.example", nil, nil, 403, "There is no account for stranger@alpha.example at " + f.orgA.Name},
		}
		for _, tc := range cases {
			if tc.bend != nil {
				tc.bend()
			}
			cl := f.anonymous()
			resp, body, _ := providerSignIn(t, cl, pa, owner.Email, tc.subject)
			if tc.unbend != nil {
				tc.unbend()
			}
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.message) {
				t.Errorf("%s: %d, want %d with %q: %s", tc.name, resp.StatusCode, tc.status, tc.message, errorSummary(body))
			}
			if cl.cookies["session"] != "" {
				t.Errorf("%s: a session was started", tc.name)
			}
			if r, _ := cl.get("/"); r.StatusCode != http.StatusSeeOther {
				t.Errorf("%s: signed in after all", tc.name)
			}
		}
		var refused int64
		if err := st.DB().Model(&store.AuditEvent{}).Where("action = ?", "signin.refused").Count(&refused).Error; err != nil || refused != int64(len(cases)) {
			t.Errorf("refusals in the audit trail = %d, want %d (%v)", refused, len(cases), err)
		}

		// The provider says no (the person cancelled there).
		cl := f.anonymous()
		start := startProviderSignIn(t, cl, owner.Email, "/")
		state, _ := url.Parse(start.Header.Get("Location"))
		resp, body := cl.get("/sign-in/oidc/callback?error=access_denied&state=" + url.QueryEscape(state.Query().Get("state")))
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "did not sign you in") {
			t.Errorf("provider error = %d: %s", resp.StatusCode, errorSummary(body))
		}
		// After all that, the owner still signs in.
		if resp, body, _ := providerSignIn(t, f.anonymous(), pa, owner.Email, owner.Email); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("good sign-in after refusals = %d: %s", resp.StatusCode, errorSummary(body))
		}
	})
}

// TestOIDCHeldFormAfterIdleSignOut: what was typed as an idle session
// ended is offered back after signing in again through the organisation's
// provider, as after a password, but only to the person who typed it.
func TestOIDCHeldFormAfterIdleSignOut(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixtureWith(t, st, withOIDCKey)
		p := oidctest.Start(t, "toolkit-alpha", "alpha secret", oidcRedirect)
		configureProvider(t, f, f.orgA, p, "alpha.example", false)
		owner, other := f.people["A owner"], f.people["A contributor"]
		p.AddUser(oidctest.User{Email: owner.Email, EmailVerified: true})
		p.AddUser(oidctest.User{Email: other.Email, EmailVerified: true})
		hidden := regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
		hiddenFields := func(body string) url.Values {
			form := url.Values{}
			for _, m := range hidden.FindAllStringSubmatch(body, -1) {
				form.Add(m[1], html.UnescapeString(m[2]))
			}
			return form
		}

		// typedAsSessionEnds: u's session ends while they type on page;
		// they save (to post), and are asked to sign in again, the email
		// first. It returns that page's form, filled in as it is shown.
		typedAsSessionEnds := func(u store.User, page, post string, typed url.Values) (*client, url.Values) {
			t.Helper()
			st.Now = time.Now
			cl := f.signedIn(u)
			cl.get(page)
			later := time.Now().UTC().Add(31 * time.Minute)
			st.Now = func() time.Time { return later }
			resp, body := cl.post(post, typed)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Sign in again") || !strings.Contains(body, `name="step" value="email"`) {
				t.Fatalf("%s: save after the idle limit = %d, want sign in again, email first: %s", post, resp.StatusCode, errorSummary(body))
			}
			form := hiddenFields(body)
			form.Set("email", u.Email)
			return cl, form
		}
		// heldSignIn: the owner signs in again through the provider, coming
		// back signed in as subject.
		heldSignIn := func(page, post string, typed url.Values, subject string) (*client, *http.Response, string) {
			t.Helper()
			cl, form := typedAsSessionEnds(owner, page, post, typed)
			resp, body := cl.post("/sign-in", form)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: sign in again = %d, want the provider: %s", post, resp.StatusCode, errorSummary(body))
			}
			back := p.Authorize(t, resp.Header.Get("Location"), subject)
			resp, body = cl.get(back.RequestURI())
			return cl, resp, body
		}

		year := itoa(int64(time.Now().Year() - 1))
		peerSupport := "/provision/peer-support?year=" + year
		for _, tc := range []struct {
			page, post string
			typed      url.Values
			shown      []string
		}{
			{peerSupport, peerSupport, url.Values{"supporters": {"417"}, "contacts": {"9031"}}, []string{`value="417"`, `value="9031"`}},
			// Sent to an address that is not a page (safeNext turns it away).
			{"/provision/ok9", "/provision/ok9/scheme", url.Values{"spoc": {"Sergeant Typed & Held"}}, []string{`value="Sergeant Typed &amp; Held"`}},
		} {
			cl, resp, body := heldSignIn(tc.page, tc.post, tc.typed, owner.Email)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You are signed in again") || !strings.Contains(html.UnescapeString(body), `action="`+tc.post+`"`) {
				t.Fatalf("%s: back from the provider = %d %s, want what was typed offered back: %s", tc.post, resp.StatusCode, resp.Header.Get("Location"), errorSummary(body))
			}
			resp, body = cl.post(tc.post, hiddenFields(body))
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Not saved yet") {
				t.Fatalf("%s: the form offered back = %d: %s", tc.post, resp.StatusCode, errorSummary(body))
			}
			for _, want := range tc.shown {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page shown back lacks %s", tc.post, want)
				}
			}
		}
		rs, _ := st.PeerSupportReturns(ctx, store.AllOrganisations(), f.orgA.ID)
		sch, _ := st.OK9Scheme(ctx, store.AllOrganisations(), f.orgA.ID)
		if len(rs) != 0 || sch.SPOC != "" {
			t.Fatalf("held forms saved before the owner saved them: %+v %+v", rs, sch)
		}

		// Someone else signs in at the provider: signed in as themselves,
		// sent on to the page, never shown the owner's typing, which is gone.
		cl, resp, body := heldSignIn(peerSupport, peerSupport, url.Values{"supporters": {"417"}}, other.Email)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != peerSupport || strings.Contains(body, "417") {
			t.Fatalf("another person back from the provider = %d %s: %s", resp.StatusCode, resp.Header.Get("Location"), errorSummary(body))
		}
		if _, body = cl.get(peerSupport); !strings.Contains(body, other.DisplayName) || strings.Contains(body, "417") {
			t.Fatalf("not signed in as the other person, or shown the owner's typing: %s", errorSummary(body))
		}
		var kept int64
		if err := st.DB().Model(&store.PendingOIDCSignIn{}).Where("held <> ''").Count(&kept).Error; err != nil || kept != 0 {
			t.Errorf("held forms still kept with pending sign-ins: %d (%v)", kept, err)
		}

		// Someone at an organisation without a provider goes on from the
		// email to the password, still carrying what they typed for an
		// address that is not a page.
		b := f.people["B owner"]
		setPassword(t, f, b)
		cl, form := typedAsSessionEnds(b, "/provision/ok9", "/provision/ok9/scheme", url.Values{"spoc": {"Station Manager Held"}})
		resp, body = cl.post("/sign-in", form)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="password"`) {
			t.Fatalf("email step without a provider = %d: %s", resp.StatusCode, errorSummary(body))
		}
		form = hiddenFields(body)
		form.Set("email", b.Email)
		form.Set("password", testPassword)
		resp, body = cl.post("/sign-in", form)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You are signed in again") || !strings.Contains(body, `value="Station Manager Held"`) || !strings.Contains(body, `action="/provision/ok9/scheme"`) {
			t.Fatalf("password after the email step = %d %s, want what was typed offered back: %s", resp.StatusCode, resp.Header.Get("Location"), errorSummary(body))
		}
	})
}

func TestOIDCProviderDownAndPasswordsOff(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixtureWith(t, st, func(d *server.Deps) {
			d.SecretKey = oidcKey
			d.OIDCClient = &http.Client{Timeout: 2 * time.Second}
		})
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"issuer": 42, "authorization_endpoint": [`))
		}))
		defer garbage.Close()
		configureProvider(t, f, f.orgA, &oidctest.Provider{Issuer: down.URL, ClientID: "a", ClientSecret: "a secret"}, "alpha.example", true)
		configureProvider(t, f, f.orgB, &oidctest.Provider{Issuer: garbage.URL, ClientID: "b", ClientSecret: "b secret"}, "borset.example", false)

		// Down, passwords allowed: a clear error, then the password form,
		// and the password works.
		a := f.people["A owner"]
		setPassword(t, f, a)
		cl := f.anonymous()
		cl.get("/sign-in")
		resp, body := cl.post("/sign-in", url.Values{"email": {a.Email}, "step": {"email"}})
		if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "could not be reached") || !strings.Contains(body, "You can sign in with your password instead") || !strings.Contains(body, `name="password"`) {
			t.Fatalf("provider down = %d: %s", resp.StatusCode, errorSummary(body))
		}
		if resp, _ = cl.post("/sign-in", url.Values{"email": {a.Email}, "step": {"password"}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("password sign-in while the provider is down = %d", resp.StatusCode)
		}

		// Garbage, passwords off: a clear error and no password form; a
		// password is refused however it is sent, right or wrong, before
		// the account is looked at.
		b := f.people["B owner"]
		setPassword(t, f, b)
		cl = f.anonymous()
		cl.get("/sign-in")
		resp, body = cl.post("/sign-in", url.Values{"email": {b.Email}, "step": {"email"}})
		if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "could not be reached, or gave an answer this service could not read") || strings.Contains(body, `name="password"`) {
			t.Fatalf("provider answering garbage = %d: %s", resp.StatusCode, errorSummary(body))
		}
		for _, pw := range []string{testPassword, "wrong password entirely"} {
			resp, body = cl.post("/sign-in", url.Values{"email": {b.Email}, "step": {"password"}, "password": {pw}})
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "own account, not a password") {
				t.Errorf("password with passwords off = %d: %s", resp.StatusCode, errorSummary(body))
			}
		}
		// Someone of that organisation at another domain: the right
		// password is refused too.
		bID := f.orgB.ID
		elsewhere, err := st.CreateUser(ctx, store.SystemActor("test"), store.AllOrganisations(), store.User{OrganisationID: &bID, Role: store.RoleViewer, Email: "b-viewer@elsewhere.example", DisplayName: "Elsewhere"})
		if err != nil {
			t.Fatal(err)
		}
		setPassword(t, f, elsewhere)
		resp, body = cl.post("/sign-in", url.Values{"email": {elsewhere.Email}, "password": {testPassword}})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "turned off signing in with a password") || cl.cookies["session"] != "" {
			t.Errorf("password of a person whose organisation turned passwords off = %d: %s", resp.StatusCode, errorSummary(body))
		}
		// Everyone else still signs in with a password.
		if resp, _ = cl.post("/sign-in", url.Values{"email": {f.people["admin"].Email}, "password": {"wrong"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("wrong password of an account without a provider = %d", resp.StatusCode)
		}
	})
}

func TestOIDCSettingsPage(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		noKey := newFixture(t, st)
		org := "/organisations/" + itoa(noKey.orgA.ID) + "/sign-in"
		admin := noKey.signedIn(noKey.people["admin"])
		_, body := admin.get(org)
		if !strings.Contains(body, "No encryption key is configured") || !strings.Contains(body, oidcRedirect) {
			t.Errorf("settings page without a key: %s", errorSummary(body))
		}
		good := url.Values{"issuer": {"https://login.microsoftonline.com/tenant/v2.0"}, "client_id": {"app"}, "client_secret": {"the secret"}, "domains": {"alpha.example"}, "password_sign_in": {"yes"}}
		resp, body := admin.post(org, good)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "no encryption key is configured. Set OIDC_SECRET_KEY") {
			t.Errorf("saving without a key = %d: %s", resp.StatusCode, errorSummary(body))
		}
		if _, err := st.IdentityProviderOf(ctx, noKey.orgA.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("something was stored without a key: %v", err)
		}
		if strings.Contains(body, "the secret") {
			t.Error("the page shows the secret typed")
		}
		if r, _ := noKey.signedIn(noKey.people["A owner"]).get(org); r.StatusCode != http.StatusForbidden {
			t.Errorf("an owner opens the sign-in settings: %d", r.StatusCode)
		}

		f := noKey.withServer(withOIDCKey)
		admin = f.signedIn(f.people["admin"])
		good.Del("_csrf") // the other session's token, added by the post above
		admin.get(org)
		with := func(k, v string) url.Values {
			form := url.Values{}
			for key, vals := range good {
				if key != "_csrf" {
					form[key] = vals
				}
			}
			form.Set(k, v)
			return form
		}
		for _, tc := range []struct {
			form         url.Values
			field, words string
		}{
			{with("issuer", ""), "issuer", "Enter the issuer URL"},
			{with("issuer", "ftp://login.example.com"), "issuer", "must start with https://"},
			{with("issuer", "http://login.example.com"), "issuer", "must start with https://"},
			{with("issuer", "https://login.example.com/?tenant=1"), "issuer", "with no query"},
			{with("client_id", ""), "client_id", "Enter the client ID"},
			{with("client_secret", ""), "client_secret", "Enter the client secret"},
			{with("domains", ""), "domains", "Enter at least one email domain"},
			{with("domains", "alpha.example\nnot a domain"), "domains", "is not an email domain: enter domains like"},
		} {
			resp, body := admin.post(org, tc.form)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#`+tc.field+`"`) || !strings.Contains(body, tc.words) {
				t.Errorf("%v: %d, want an error on %s saying %q: %s", tc.form, resp.StatusCode, tc.field, tc.words, errorSummary(body))
			}
			if strings.Contains(body, "the secret") {
				t.Error("the page shows the secret typed")
			}
		}
		if _, err := st.IdentityProviderOf(ctx, f.orgA.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("a refused form stored something: %v", err)
		}
		if resp, body := admin.post(org, with("issuer", good.Get("issuer"))); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving = %d: %s", resp.StatusCode, errorSummary(body))
		}
		first, _ := st.IdentityProviderOf(ctx, f.orgA.ID)
		// A blank secret keeps the stored one; passwords can be turned off.
		keep := with("client_secret", "")
		keep.Del("password_sign_in")
		if resp, body := admin.post(org, keep); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving with a blank secret = %d: %s", resp.StatusCode, errorSummary(body))
		}
		second, _ := st.IdentityProviderOf(ctx, f.orgA.ID)
		if second.ClientSecretSealed != first.ClientSecretSealed || second.PasswordSignIn {
			t.Errorf("blank secret or passwords off not kept: %+v", second)
		}
		_, body = admin.get(org)
		if !strings.Contains(body, "A secret is stored") || strings.Contains(body, "the secret") || strings.Contains(body, first.ClientSecretSealed) {
			t.Errorf("the settings page shows the secret or does not say one is stored")
		}
		// A domain can lead to one organisation only.
		orgB := "/organisations/" + itoa(f.orgB.ID) + "/sign-in"
		admin.get(orgB)
		resp, body = admin.post(orgB, with("domains", "borset.example\nalpha.example"))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The domain alpha.example already leads to the sign-in service of "+f.orgA.Name) {
			t.Errorf("a domain taken by another organisation = %d: %s", resp.StatusCode, errorSummary(body))
		}
		// Removing it brings passwords back and the one-step sign-in page.
		if resp, _ := admin.post(org+"/remove", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove = %d", resp.StatusCode)
		}
		if _, err := st.IdentityProviderForEmail(ctx, "x@alpha.example"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("the domain still leads somewhere after removal: %v", err)
		}
		if _, body := f.anonymous().get("/sign-in"); !strings.Contains(body, `name="password"`) {
			t.Error("after removing the only provider the sign-in page still asks for the email first")
		}
	})
}
