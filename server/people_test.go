package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestOwnerManagesPeople(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		owner := f.signedIn(f.people["A owner"])
		viewer := f.people["A viewer"]
		p := "/people/" + itoa(viewer.ID)

		owner.get(p)
		resp, _ := owner.post(p+"/access", url.Values{"role": {"contributor"}, "sections": {"area:MH", "risk-register"}})
		if resp.StatusCode != 303 {
			t.Fatalf("change access = %d", resp.StatusCode)
		}
		u, _ := st.UserByID(ctx, store.AllOrganisations(), viewer.ID)
		if u.Role != store.RoleContributor || strings.Join(u.Sections, ",") != "area:MH,risk-register" {
			t.Fatalf("access not saved: %+v", u)
		}
		// Bad input changes nothing and says what is wrong.
		resp, body := owner.post(p+"/access", url.Values{"role": {"national_admin"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Choose a role") {
			t.Errorf("national admin from an owner = %d", resp.StatusCode)
		}
		resp, body = owner.post(p+"/access", url.Values{"role": {"contributor"}, "sections": {"area:NOPE"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Choose sections from the list") {
			t.Errorf("unknown section = %d", resp.StatusCode)
		}
		if u2, _ := st.UserByID(ctx, store.AllOrganisations(), viewer.ID); u2.Role != store.RoleContributor || len(u2.Sections) != 2 {
			t.Errorf("a refused change was saved: %+v", u2)
		}

		// Disabling ends the person's session at once.
		victim := f.signedIn(viewer)
		if resp, _ := victim.get("/"); resp.StatusCode != 200 {
			t.Fatalf("victim home = %d", resp.StatusCode)
		}
		if resp, _ := owner.post(p+"/disable", nil); resp.StatusCode != 303 {
			t.Fatalf("disable = %d", resp.StatusCode)
		}
		if resp, _ := victim.get("/"); resp.StatusCode != 303 {
			t.Errorf("disabled person still signed in: %d", resp.StatusCode)
		}
		// An owner cannot lock themselves out.
		self := "/people/" + itoa(f.people["A owner"].ID)
		if resp, _ := owner.post(self+"/disable", nil); resp.StatusCode != 403 {
			t.Errorf("self-disable = %d", resp.StatusCode)
		}
		// Contributors and viewers cannot manage people.
		contrib := f.signedIn(f.people["A contributor"])
		if resp, _ := contrib.get("/people"); resp.StatusCode != 403 {
			t.Errorf("contributor opened people = %d", resp.StatusCode)
		}
	})
}

func TestAuditPageAndCSV(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.signedIn(f.people["admin"])
		admin.get("/organisations/new")
		resp, _ := admin.post("/organisations", url.Values{"name": {"=HYPERLINK(\"http://evil.example\")"}, "slug": {"evil"}, "sector": {"other"}, "nation": {"England"}})
		if resp.StatusCode != 303 {
			t.Fatalf("create organisation = %d", resp.StatusCode)
		}
		resp, body := admin.get("/audit?entity=organisation")
		if resp.StatusCode != 200 || !strings.Contains(body, "Added an organisation") {
			t.Fatalf("audit page = %d", resp.StatusCode)
		}
		resp, body = admin.get("/audit.csv?entity=organisation")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 { // header + alpha + borset + evil
			t.Fatalf("CSV has %d rows:\n%s", len(rows), body)
		}
		evil := rows[3]
		if !strings.HasPrefix(evil[1], "'=") {
			t.Errorf("formula not escaped in the organisation cell: %q", evil[1])
		}
		if !strings.Contains(evil[7], "HYPERLINK") || strings.HasPrefix(evil[7], "=") {
			t.Errorf("after column = %q", evil[7])
		}

		// An owner's trail is their organisation's only.
		owner := f.signedIn(f.people["A owner"])
		_, body = owner.get("/audit.csv")
		if strings.Contains(body, f.orgB.Name) || strings.Contains(body, "evil") {
			t.Errorf("owner's CSV shows other organisations:\n%s", body)
		}
		if resp, _ := f.signedIn(f.people["A viewer"]).get("/audit"); resp.StatusCode != 403 {
			t.Errorf("viewer opened the audit trail: %d", resp.StatusCode)
		}
	})
}

func TestAPIToken(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		viewer := f.signedIn(f.people["A viewer"])
		viewer.get("/tokens")
		resp, body := viewer.post("/tokens", url.Values{"name": {"Reporting"}})
		if resp.StatusCode != 200 {
			t.Fatalf("create token = %d", resp.StatusCode)
		}
		token := regexpFind(body, `<div class="govuk-panel__body app-token">([A-Za-z0-9_-]{40,})</div>`)
		if token == "" {
			t.Fatalf("token not shown:\n%s", body)
		}
		if _, again := viewer.get("/tokens"); strings.Contains(again, token) {
			t.Error("the token is shown a second time")
		}
		api := f.anonymous()
		api.bearer = token
		var me map[string]any
		resp, raw := api.get("/api/v1/me")
		if resp.StatusCode != 200 {
			t.Fatalf("/api/v1/me = %d", resp.StatusCode)
		}
		if err := json.Unmarshal([]byte(raw), &me); err != nil || me["email"] != f.people["A viewer"].Email || me["role"] != "viewer" {
			t.Fatalf("me = %v %v", me, err)
		}
		toks, _ := st.ListAPITokens(context.Background(), f.people["A viewer"].ID)
		if len(toks) != 1 || toks[0].LastUsedAt == nil || strings.Contains(toks[0].Hash, token) {
			t.Fatalf("stored token: %+v", toks)
		}
		viewer.post("/tokens/"+itoa(toks[0].ID)+"/revoke", nil)
		if resp, _ := api.get("/api/v1/me"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("revoked token = %d", resp.StatusCode)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixtureWith(t, st, func(d *server.Deps) { d.TrustedProxies = []string{"0.0.0.0"} }) // a TLS proxy
		resp, _ := f.anonymous().get("/sign-in")
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if resp.Header.Get("Strict-Transport-Security") != "" {
			t.Error("HSTS sent over plain HTTP")
		}
		r, _ := f.anonymous().doWith(http.MethodGet, "/sign-in", nil, map[string]string{"X-Forwarded-Proto": "https"})
		if !strings.Contains(r.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Error("no HSTS behind a TLS proxy")
		}
		for _, c := range r.Cookies() {
			if !c.Secure {
				t.Errorf("cookie %s is not Secure behind TLS", c.Name)
			}
		}
	})
}

func TestOrganisationFormKeepsInputOnError(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.signedIn(f.people["admin"])
		admin.get("/organisations/new")
		resp, body := admin.post("/organisations", url.Values{"name": {"Wessex Police"}, "slug": {"alpha"}, "sector": {"police"}, "nation": {"England"}, "region": {"South West"}})
		if resp.StatusCode != 422 || !strings.Contains(body, `<a href="#slug">`) || !strings.Contains(body, "already used") {
			t.Fatalf("duplicate slug = %d\n%s", resp.StatusCode, body)
		}
		for _, kept := range []string{`value="Wessex Police"`, `value="South West"`, `value="police" checked`} {
			if !strings.Contains(body, kept) {
				t.Errorf("the form lost %s", kept)
			}
		}
		orgs, _ := st.ListOrganisations(context.Background(), store.AllOrganisations())
		if len(orgs) != 2 {
			t.Errorf("%d organisations after a refused add", len(orgs))
		}
		// Workforce: bad numbers are refused field by field and nothing is saved.
		p := "/organisations/" + itoa(f.orgA.ID)
		admin.get(p)
		resp, body = admin.post(p+"/workforce", url.Values{"year": {"2026"}, "officers": {"many"}, "staff": {"10"}, "volunteers": {"-1"}})
		if resp.StatusCode != 422 || !strings.Contains(body, `<a href="#officers">`) || !strings.Contains(body, `<a href="#volunteers">`) || !strings.Contains(body, `value="many"`) {
			t.Fatalf("bad workforce = %d", resp.StatusCode)
		}
		if wf, _ := st.Workforce(context.Background(), store.AllOrganisations(), f.orgA.ID); len(wf) != 0 {
			t.Errorf("bad workforce saved: %+v", wf)
		}
	})
}

func TestBodyLimits(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.signedIn(f.people["A owner"])
		big := url.Values{"name": {strings.Repeat("x", 2<<20)}}
		if resp, _ := owner.post("/tokens", big); resp.StatusCode != 413 {
			t.Errorf("a 2 MiB form = %d, want 413", resp.StatusCode)
		}
		if toks, _ := st.ListAPITokens(context.Background(), f.people["A owner"].ID); len(toks) != 0 {
			t.Error("an oversized form was acted on")
		}
	})
}
