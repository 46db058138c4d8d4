package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var reSetPasswordPath = regexp.MustCompile(`/set-password/[A-Za-z0-9_-]+`)

// linkPath is the path of the set-password link shown on a page.
func linkPath(t *testing.T, body string) string {
	t.Helper()
	p := reSetPasswordPath.FindString(body)
	if p == "" {
		t.Fatalf("no set-password link shown:\n%s", body)
	}
	return p
}

// An owner cannot tell whether an email address has an account in another
// organisation: adding it answers exactly as adding a new address does, and
// the link shown can never set the other account's password.
func TestAddingAnAddressUsedElsewhereLooksTheSame(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.signedIn(f.people["A owner"])
		theirs := f.people["B viewer"]
		add := func(name, email string) (*http.Response, string) {
			t.Helper()
			owner.get("/people/new")
			return owner.post("/people", url.Values{"email": {email}, "name": {name}, "role": {"viewer"}})
		}
		normal := func(body, name, email string) string {
			body = strings.ReplaceAll(body, name, "NAME")
			body = strings.ReplaceAll(body, email, "EMAIL")
			body = strings.ReplaceAll(body, strings.ToLower(email), "EMAIL")
			body = regexp.MustCompile(`until \d+ \w+ \d{4} \d\d:\d\d`).ReplaceAllString(body, "until TIME") // a minute may pass
			body = reSetPasswordPath.ReplaceAllString(body, "/set-password/TOKEN")
			body = regexp.MustCompile(`/people/\d+`).ReplaceAllString(body, "/people/ID")
			return reCSRF.ReplaceAllString(body, "CSRF")
		}
		usedResp, usedBody := add("Casey Clash", strings.ToUpper(theirs.Email))
		newResp, newBody := add("Fran Fresh", "fran.fresh@elsewhere.example")
		if usedResp.StatusCode != newResp.StatusCode || usedResp.Header.Get("Location") != newResp.Header.Get("Location") {
			t.Fatalf("address used elsewhere = %d %q, new address = %d %q", usedResp.StatusCode, usedResp.Header.Get("Location"),
				newResp.StatusCode, newResp.Header.Get("Location"))
		}
		if a, b := normal(usedBody, "Casey Clash", strings.ToUpper(theirs.Email)), normal(newBody, "Fran Fresh", "fran.fresh@elsewhere.example"); a != b {
			t.Fatalf("the answers differ:\n--- used elsewhere\n%s\n--- new\n%s", a, b)
		}
		if strings.Contains(usedBody, f.orgB.Name) || strings.Contains(usedBody, theirs.DisplayName) {
			t.Fatal("the answer shows the other organisation's person")
		}

		// The link works for the new person, and never for the other account.
		cl := f.anonymous()
		used := linkPath(t, usedBody)
		cl.get(used)
		resp, body := cl.post(used, url.Values{"password": {testPassword}, "confirm": {testPassword}})
		if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, "already has an account") {
			t.Fatalf("the invitation's link = %d\n%s", resp.StatusCode, body)
		}
		if u, _ := st.UserByID(t.Context(), store.AllOrganisations(), theirs.ID); u.PasswordHash != "" || *u.OrganisationID != f.orgB.ID {
			t.Fatalf("the other organisation's account changed: %+v", u)
		}
		fresh := linkPath(t, newBody)
		cl.get(fresh)
		if resp, _ := cl.post(fresh, url.Values{"password": {testPassword}, "confirm": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the new person's link = %d", resp.StatusCode)
		}

		// The owner's list and trail show both alike; the national admin is
		// told about the clash.
		_, list := owner.get("/people")
		if !strings.Contains(list, "Casey Clash") || !strings.Contains(list, "Fran Fresh") || strings.Contains(list, "already has an account") {
			t.Errorf("owner's list:\n%s", list)
		}
		if _, trail := owner.get("/audit"); strings.Contains(trail, "email_clash") {
			t.Error("the owner's audit trail shows the clash")
		}
		_, national := f.signedIn(f.people["admin"]).get("/people")
		if strings.Count(national, "Email already has an account") != 1 {
			t.Errorf("national admin not told of the clash:\n%s", national)
		}
		// Adding an address already in the organisation is still refused.
		if resp, body := add("Again", "fran.fresh@elsewhere.example"); resp.StatusCode != 422 || !strings.Contains(body, "Someone in your organisation already has") {
			t.Errorf("same address twice = %d", resp.StatusCode)
		}
	})
}

// A password set through a link someone else issued ends the person's
// sessions and revokes their API tokens.
func TestOwnersPasswordLinkRevokesAPITokens(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		viewer := f.people["A viewer"]
		api := f.anonymous()
		api.bearer = f.apiToken(viewer)
		session := f.signedIn(viewer)
		if resp, _ := api.get("/api/v1/me"); resp.StatusCode != http.StatusOK {
			t.Fatalf("token before the reset = %d", resp.StatusCode)
		}
		owner := f.signedIn(f.people["A owner"])
		owner.get("/people/" + itoa(viewer.ID))
		_, body := owner.post("/people/"+itoa(viewer.ID)+"/password-link", nil)
		link := linkPath(t, body)
		cl := f.anonymous()
		cl.get(link)
		if resp, _ := cl.post(link, url.Values{"password": {testPassword}, "confirm": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("set password = %d", resp.StatusCode)
		}
		if resp, _ := api.get("/api/v1/me"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("API token after the reset = %d, want 401", resp.StatusCode)
		}
		if resp, _ := session.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("session after the reset = %d, want a redirect to sign in", resp.StatusCode)
		}
	})
}
