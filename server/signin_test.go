package server_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
	"github.com/bluelight-wellbeing/toolkit/server/strictjson"
)

const testPassword = "correct horse battery staple"

func setPassword(t *testing.T, f *fixture, u store.User) {
	t.Helper()
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetPassword(context.Background(), store.SystemActor("test"), store.AllOrganisations(), u.ID, h); err != nil {
		t.Fatal(err)
	}
}

func TestSignInAndOut(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.people["A owner"]
		setPassword(t, f, owner)

		cl := f.anonymous()
		resp, _ := cl.get("/")
		if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in") {
			t.Fatalf("signed-out home = %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		cl.get("/sign-in")
		if cl.csrf == "" {
			t.Fatal("sign-in page has no CSRF token")
		}
		planted := "planted-session-id"
		cl.cookies["session"] = planted

		// Wrong password and unknown account get the same answer.
		r1, b1 := cl.post("/sign-in", url.Values{"email": {owner.Email}, "password": {"not the password"}})
		r2, b2 := cl.post("/sign-in", url.Values{"email": {"nobody@nowhere.example"}, "password": {"not the password"}})
		if r1.StatusCode != 401 || r2.StatusCode != 401 || !strings.Contains(b1, "Enter the email address and password of an active account") || !strings.Contains(b2, "Enter the email address and password of an active account") {
			t.Fatalf("failed sign-ins: %d %d", r1.StatusCode, r2.StatusCode)
		}
		if !strings.Contains(b1, `value="`+owner.Email+`"`) {
			t.Error("the email typed is not kept after a failed sign-in")
		}

		resp, _ = cl.post("/sign-in", url.Values{"email": {strings.ToUpper(owner.Email)}, "password": {testPassword}, "next": {"/tokens"}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/tokens" {
			t.Fatalf("sign-in = %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		session := cl.cookies["session"]
		if session == "" || session == planted {
			t.Fatalf("sign-in did not issue a fresh session id (%q)", session)
		}
		resp, body := cl.get("/")
		if resp.StatusCode != 200 || !strings.Contains(body, owner.DisplayName) || !strings.Contains(body, f.orgA.Name) {
			t.Fatalf("home after sign-in = %d", resp.StatusCode)
		}
		for _, c := range resp.Cookies() {
			if c.Name == "session" && !c.HttpOnly {
				t.Error("session cookie is not HttpOnly")
			}
		}

		resp, _ = cl.post("/sign-out", nil)
		if resp.StatusCode != 303 {
			t.Fatalf("sign-out = %d", resp.StatusCode)
		}
		// The old cookie must be dead on the server, not just forgotten.
		replay := f.anonymous()
		replay.cookies["session"] = session
		if resp, _ := replay.get("/"); resp.StatusCode != 303 {
			t.Fatalf("session still valid after sign-out: %d", resp.StatusCode)
		}

		events, _, err := st.ListAudit(context.Background(), store.Scope{OrgID: f.orgA.ID}, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range events {
			actions[e.Action]++
		}
		if actions["signin"] != 1 || actions["signin.failed"] < 1 || actions["signout"] != 1 {
			t.Errorf("audit actions = %v", actions)
		}
	})
}

func TestSignInThrottled(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.people["A owner"]
		setPassword(t, f, owner)
		cl := f.anonymous()
		cl.get("/sign-in")
		for range 5 {
			cl.post("/sign-in", url.Values{"email": {owner.Email}, "password": {"guess guess guess"}})
		}
		resp, body := cl.post("/sign-in", url.Values{"email": {owner.Email}, "password": {testPassword}})
		if resp.StatusCode != 429 || !strings.Contains(body, "too many failed attempts") {
			t.Fatalf("sixth attempt = %d", resp.StatusCode)
		}
		// An unknown account is throttled the same way: no hint it does not exist.
		for range 5 {
			cl.post("/sign-in", url.Values{"email": {"ghost@nowhere.example"}, "password": {"guess guess guess"}})
		}
		if resp, _ := cl.post("/sign-in", url.Values{"email": {"ghost@nowhere.example"}, "password": {"guess"}}); resp.StatusCode != 429 {
			t.Fatalf("unknown account not throttled alike: %d", resp.StatusCode)
		}
		// After the window, the right password works again.
		st.Now = func() time.Time { return time.Now().UTC().Add(16 * time.Minute) }
		if resp, _ := cl.post("/sign-in", url.Values{"email": {owner.Email}, "password": {testPassword}}); resp.StatusCode != 303 {
			t.Fatalf("after the window = %d", resp.StatusCode)
		}
	})
}

func TestSessionIdleTimeout(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		cl := f.signedIn(f.people["A viewer"])
		if resp, _ := cl.get("/"); resp.StatusCode != 200 {
			t.Fatalf("home = %d", resp.StatusCode)
		}
		st.Now = func() time.Time { return time.Now().UTC().Add(31 * time.Minute) }
		if resp, _ := cl.get("/"); resp.StatusCode != 303 {
			t.Fatalf("idle session still accepted: %d", resp.StatusCode)
		}
	})
}

func TestCSRFRequired(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		cl := f.signedIn(f.people["A owner"])
		cl.csrf = "" // send exactly the token each case gives
		for _, token := range []string{"", "wrong-token-wrong-token-wrong-token"} {
			resp, _ := cl.do("POST", "/tokens", url.Values{"name": {"x"}, "_csrf": {token}})
			if resp.StatusCode != 403 {
				t.Errorf("POST with CSRF token %q = %d, want 403", token, resp.StatusCode)
			}
		}
		toks, _ := st.ListAPITokens(context.Background(), f.people["A owner"].ID)
		if len(toks) != 0 {
			t.Fatalf("a token was created without a valid CSRF token")
		}
	})
}

func TestSetPasswordLink(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.signedIn(f.people["A owner"])
		owner.get("/people/new")
		resp, body := owner.post("/people", url.Values{"email": {"new.person@alpha.example"}, "name": {"New Person"}, "role": {"contributor"}, "sections": {"area:MH", "risk-register"}})
		if resp.StatusCode != 200 {
			t.Fatalf("add person = %d\n%s", resp.StatusCode, body)
		}
		path := linkPath(t, body)

		cl := f.anonymous()
		if resp, _ := cl.get(path); resp.StatusCode != 200 {
			t.Fatalf("link page = %d", resp.StatusCode)
		}
		// Policy errors keep the page and explain.
		resp, body = cl.post(path, url.Values{"password": {"password123"}, "confirm": {"password123"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "govuk-error-summary") {
			t.Fatalf("weak password = %d", resp.StatusCode)
		}
		resp, _ = cl.post(path, url.Values{"password": {testPassword}, "confirm": {testPassword}})
		if resp.StatusCode != 303 {
			t.Fatalf("set password = %d", resp.StatusCode)
		}
		// Single use.
		if resp, _ := cl.get(path); resp.StatusCode != 404 {
			t.Fatalf("used link = %d, want 404", resp.StatusCode)
		}
		cl.get("/sign-in")
		if resp, _ := cl.post("/sign-in", url.Values{"email": {"new.person@alpha.example"}, "password": {testPassword}}); resp.StatusCode != 303 {
			t.Fatalf("sign in with new password = %d", resp.StatusCode)
		}
		u, err := st.UserByEmail(context.Background(), "new.person@alpha.example")
		if err != nil || u.Role != store.RoleContributor || *u.OrganisationID != f.orgA.ID || len(u.Sections) != 2 {
			t.Fatalf("created person = %+v %v", u, err)
		}
	})
}

// A new link ends the earlier one, and the link used ends with its use.
func TestSetPasswordLinkEndsEarlierLinks(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.signedIn(f.people["A owner"])
		owner.get("/people/new")
		resp, body := owner.post("/people", url.Values{"email": {"new.person@alpha.example"}, "name": {"New Person"}, "role": {"viewer"}})
		if resp.StatusCode != 200 {
			t.Fatalf("add person = %d\n%s", resp.StatusCode, body)
		}
		l1 := linkPath(t, body)
		u, err := st.UserByEmail(context.Background(), "new.person@alpha.example")
		if err != nil {
			t.Fatal(err)
		}
		owner.get("/people/" + itoa(u.ID))
		_, body = owner.post("/people/"+itoa(u.ID)+"/password-link", nil)
		l2 := linkPath(t, body)

		cl := f.anonymous()
		set := func(path string) int {
			resp, _ := cl.post(path, url.Values{"password": {testPassword}, "confirm": {testPassword}})
			return resp.StatusCode
		}
		if resp, _ := cl.get(l1); resp.StatusCode != 404 {
			t.Errorf("the first link after a second was issued = %d, want 404", resp.StatusCode)
		}
		cl.get("/sign-in") // a CSRF token
		if code := set(l1); code != 404 {
			t.Errorf("setting the password with the first link = %d, want 404", code)
		}
		if code := set(l2); code != 303 {
			t.Fatalf("setting the password with the second link = %d, want 303", code)
		}
		if code := set(l2); code != 404 {
			t.Errorf("the second link used again = %d, want 404", code)
		}
		if code := set(l1); code != 404 {
			t.Errorf("the first link after the password was set = %d, want 404", code)
		}
	})
}

// A sign-in goes on to next only when next is a page of this site: the
// values below all left the site (or could) under some browser's reading.
func TestSignInNextStaysOnSite(t *testing.T) {
	hostile := []string{
		"/\t/evil.example", "/\r/evil.example", "/\n/evil.example", "/\x00/evil.example",
		"/ /evil.example", " /evil.example", "/\x7f/evil.example", "/tokens\t", "/tokens\n",
		"/\\evil.example", "\\/evil.example", "/tokens\\..\\..\\\\evil.example", "/people/1\\",
		"//evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "/%5C/evil.example", "/%09/evil.example",
		"/\u3000/evil.example", "/\u00a0/evil.example", "/\u2028/evil.example", "/\ufeff/evil.example", "/ｅvil",
		"https://evil.example/", "http:/evil.example", "HTTPS://evil.example", "javascript:alert(1)", "//evil.example/%2e%2e",
		"/javascript:alert(1)", "evil.example", "", "/nowhere", "/people/../../evil.example", "/people/%2e%2e/tokens",
		"/assessments//evil.example", "/people/",
	}
	kept := []string{"/", "/tokens", "/people/12", "/reports/3/benchmark?org=2", "/assessments?x=%2F%2Fevil.example"}
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.people["A owner"]
		setPassword(t, f, owner)
		want := func(next string) string {
			if slices.Contains(kept, next) {
				return next
			}
			return "/"
		}
		for _, next := range slices.Concat(hostile, kept) {
			cl := f.anonymous()
			cl.get("/sign-in?next=" + url.QueryEscape(next))
			resp, _ := cl.post("/sign-in", url.Values{"email": {owner.Email}, "password": {testPassword}, "next": {next}})
			if strictjson.TextProblem(next) != "" {
				// Not text at all: refused at the edge before sign-in reads it.
				if resp.StatusCode != 400 || resp.Header.Get("Location") != "" {
					t.Errorf("sign in with next=%q: %d Location %q, want 400 and no redirect", next, resp.StatusCode, resp.Header.Get("Location"))
				}
				continue
			}
			if got := resp.Header.Get("Location"); resp.StatusCode != 303 || got != want(next) {
				t.Errorf("sign in with next=%q: %d Location %q, want %q", next, resp.StatusCode, got, want(next))
			}
			resp, _ = cl.get("/sign-in?next=" + url.QueryEscape(next))
			if got := resp.Header.Get("Location"); resp.StatusCode != 303 || got != want(next) {
				t.Errorf("signed in, GET /sign-in?next=%q: %d Location %q, want %q", next, resp.StatusCode, got, want(next))
			}
		}
	})
}
