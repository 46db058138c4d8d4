package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// fixture is two organisations, A and B, with a person in every role, and a
// national admin.
type fixture struct {
	t      testing.TB
	st     *store.Store
	srv    *server.Server
	orgA   store.Organisation
	orgB   store.Organisation
	people map[string]store.User // "A owner", "B viewer", "admin" ...
}

var fixtureRoles = []string{store.RoleOwner, store.RoleContributor, store.RoleViewer}

func newFixture(t testing.TB, st *store.Store) *fixture {
	t.Helper()
	return newFixtureWith(t, st, func(*server.Deps) {})
}

// newFixtureWith is newFixture with the server's settings changed by set.
// Test requests come from 0.0.0.0 (Fiber's app.Test).
func newFixtureWith(t testing.TB, st *store.Store, set func(*server.Deps)) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, st: st, people: map[string]store.User{}}
	f.srv = f.newServer(set)
	actor := store.SystemActor("test")
	mk := func(slug, name, sector string) store.Organisation {
		o, err := st.CreateOrganisation(ctx, actor, store.Organisation{Slug: slug, Name: name, Sector: sector, Nation: "England", Region: "South West", PeerGroup: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.orgA = mk("alpha", "Alphashire Constabulary", "police")
	f.orgB = mk("borset", "Borsetshire Fire and Rescue Service", "fire")
	for _, org := range []store.Organisation{f.orgA, f.orgB} {
		letter := strings.ToUpper(org.Slug[:1])
		for _, role := range fixtureRoles {
			id := org.ID
			u := store.User{OrganisationID: &id, Role: role, Email: strings.ToLower(letter) + "-" + role + "@" + org.Slug + ".example", DisplayName: letter + " " + role + " person"}
			if role == store.RoleContributor {
				u.Sections = []string{"area:LEAD"}
			}
			created, err := st.CreateUser(ctx, actor, store.AllOrganisations(), u)
			if err != nil {
				t.Fatal(err)
			}
			f.people[letter+" "+role] = created
		}
	}
	admin, err := st.CreateUser(ctx, actor, store.AllOrganisations(), store.User{Role: store.RoleNationalAdmin, Email: "admin@npws.example", DisplayName: "Nat Admin"})
	if err != nil {
		t.Fatal(err)
	}
	f.people["admin"] = admin
	return f
}

// withServer is the same organisations and people served by a second
// server whose settings set changes.
func (f *fixture) withServer(set func(*server.Deps)) *fixture {
	g := *f
	g.srv = f.newServer(set)
	return &g
}

func (f *fixture) newServer(set func(*server.Deps)) *server.Server {
	f.t.Helper()
	deps := server.Deps{Store: f.st, Frameworks: builtinFrameworks(f.t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"}
	set(&deps)
	srv, err := server.New(deps)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(srv.Close) // batches stop before the store closes
	return srv
}

// client is one browser: it keeps cookies and the CSRF token of the last page.
type client struct {
	f       *fixture
	cookies map[string]string
	csrf    string
	bearer  string // API token, sent as Authorization: Bearer
}

func (f *fixture) anonymous() *client { return &client{f: f, cookies: map[string]string{}} }

// signedIn returns a client with a session for u, made directly in the store
// (sign-in itself is tested separately; hashing passwords here would be slow).
func (f *fixture) signedIn(u store.User) *client {
	f.t.Helper()
	token, hash, err := auth.NewToken()
	if err != nil {
		f.t.Fatal(err)
	}
	csrf, _, _ := auth.NewToken()
	now := f.st.Now()
	if err := f.st.CreateSession(context.Background(), store.Session{Hash: hash, UserID: u.ID, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(3600e9)}); err != nil {
		f.t.Fatal(err)
	}
	return &client{f: f, cookies: map[string]string{"session": token}, csrf: csrf}
}

var reCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// do sends a request like a browser would: cookies attached, the CSRF token
// added to forms, cookies and token updated from the response.
func (cl *client) do(method, path string, form url.Values) (*http.Response, string) {
	cl.f.t.Helper()
	return cl.doWith(method, path, form, nil)
}

// doWith is do with extra request headers.
func (cl *client) doWith(method, path string, form url.Values, headers map[string]string) (*http.Response, string) {
	cl.f.t.Helper()
	var body io.Reader
	if form != nil {
		if form.Get("_csrf") == "" && cl.csrf != "" {
			form.Set("_csrf", cl.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if cl.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+cl.bearer)
	}
	for k, v := range cl.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := cl.f.srv.App().Test(req, -1)
	if err != nil {
		cl.f.t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(cl.cookies, c.Name)
		} else {
			cl.cookies[c.Name] = c.Value
		}
	}
	b, _ := io.ReadAll(resp.Body)
	text := string(b)
	if m := reCSRF.FindStringSubmatch(text); m != nil {
		cl.csrf = m[1]
	}
	return resp, text
}

func (cl *client) get(path string) (*http.Response, string) { return cl.do(http.MethodGet, path, nil) }

func (cl *client) post(path string, form url.Values) (*http.Response, string) {
	if form == nil {
		form = url.Values{}
	}
	return cl.do(http.MethodPost, path, form)
}

// apiToken creates an API token for u and returns the secret.
func (f *fixture) apiToken(u store.User) string {
	f.t.Helper()
	token, hash, err := auth.NewToken()
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.st.CreateAPIToken(context.Background(), store.SystemActor("test"), store.APIToken{UserID: u.ID, Name: "test token", Hash: hash, Prefix: token[:8]}); err != nil {
		f.t.Fatal(err)
	}
	return token
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func regexpFind(body, pattern string) string {
	if m := regexp.MustCompile(pattern).FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// openCycle opens a cycle on the current framework edition.
func (f *fixture) openCycle(name string) store.Cycle {
	f.t.Helper()
	now := f.st.Now()
	c, err := f.st.CreateCycle(context.Background(), store.SystemActor("test"), store.Cycle{Name: name, FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: now.Add(-24 * time.Hour), ClosesOn: now.Add(60 * 24 * time.Hour)})
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// startAssessment starts a blank assessment for org in the named cycle,
// through the page an owner uses.
func (f *fixture) startAssessment(org store.Organisation, cycle string) store.Assessment {
	f.t.Helper()
	ctx := context.Background()
	cycles, _ := f.st.Cycles(ctx)
	var c store.Cycle
	for _, cy := range cycles {
		if cy.Name == cycle {
			c = cy
		}
	}
	owner := f.signedIn(f.people[strings.ToUpper(org.Slug[:1])+" owner"])
	if resp, body := owner.post("/assessments", url.Values{"cycle": {itoa(c.ID)}, "mode": {"blank"}}); resp.StatusCode != 303 {
		f.t.Fatalf("start assessment = %d\n%s", resp.StatusCode, body)
	}
	all, err := f.st.ListAssessments(ctx, store.Scope{OrgID: org.ID})
	if err != nil || len(all) == 0 {
		f.t.Fatalf("no assessment started: %v", err)
	}
	return all[0]
}

// frameworkStandards lists the standard ids of an assessment's edition.
func (f *fixture) frameworkStandards(t *testing.T, as store.Assessment) []string {
	t.Helper()
	fw := builtinFrameworks(t).Framework(as.FrameworkKey, as.FrameworkVersion)
	var ids []string
	for _, s := range fw.Standards() {
		ids = append(ids, s.ID)
	}
	return ids
}

// upload posts a file as a browser's multipart form would, with the CSRF token.
func (cl *client) upload(path, field, filename string, data []byte) (*http.Response, string) {
	cl.f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("_csrf", cl.csrf)
	fw, _ := mw.CreateFormFile(field, filename)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range cl.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := cl.f.srv.App().Test(req, -1)
	if err != nil {
		cl.f.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if m := reCSRF.FindStringSubmatch(string(b)); m != nil {
		cl.csrf = m[1]
	}
	return resp, string(b)
}
