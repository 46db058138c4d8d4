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
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// fuzzApp is the whole app on an embedded database, with one organisation
// whose records every route with parameters can be aimed at.
type fuzzApp struct {
	srv    *server.Server
	routes []fiber.Route
	params map[string]string        // route parameter -> a record of the organisation
	idFor  map[string]string        // route prefix -> what its :id names, where not an assessment
	people map[bool]fuzzCredentials // by national admin or not
}

type fuzzCredentials struct{ session, csrf, bearer string }

// fuzzSkipped routes are not fuzzed here: the sign-in forms hash passwords
// on purpose slowly (tested in signin_test.go), and signing out would end
// the fuzzer's session.
var fuzzSkipped = map[string]bool{"/sign-in": true, "/sign-out": true}

func newFuzzApp(f *testing.F) *fuzzApp {
	ctx, actor, all := context.Background(), store.SystemActor("fuzz"), store.AllOrganisations()
	st := storetest.Open(f, store.DialectSQLite)
	set, err := frameworks.Load()
	if err != nil {
		f.Fatal(err)
	}
	srv, err := server.New(server.Deps{Store: st, Frameworks: set, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			f.Helper()
			f.Fatal(err)
		}
	}
	org, err := st.CreateOrganisation(ctx, actor, store.Organisation{Slug: "alpha", Name: "Alphashire Constabulary", Sector: "police", Nation: "England", Region: "South West", PeerGroup: "fuzz"})
	must(err)
	other, err := st.CreateOrganisation(ctx, actor, store.Organisation{Slug: "third", Name: "Third Ambulance Service", Sector: "ambulance", Nation: "Scotland"})
	must(err)
	user := func(email, role string, orgID *int64) store.User {
		u, err := st.CreateUser(ctx, actor, all, store.User{OrganisationID: orgID, Role: role, Email: email, DisplayName: email})
		must(err)
		return u
	}
	owner := user("owner@alpha.example", store.RoleOwner, &org.ID)
	admin := user("admin@npws.example", store.RoleNationalAdmin, nil)
	victim := user("contributor@alpha.example", store.RoleContributor, &org.ID)
	credentials := func(u store.User) fuzzCredentials {
		token, hash, _ := auth.NewToken()
		csrf, _, _ := auth.NewToken()
		now := st.Now()
		must(st.CreateSession(ctx, store.Session{Hash: hash, UserID: u.ID, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}))
		bearer, bhash, _ := auth.NewToken()
		_, err := st.CreateAPIToken(ctx, actor, store.APIToken{UserID: u.ID, Name: "fuzz", Hash: bhash, Prefix: bearer[:8]})
		must(err)
		return fuzzCredentials{session: token, csrf: csrf, bearer: bearer}
	}
	a := &fuzzApp{srv: srv, routes: srv.App().GetRoutes(true), people: map[bool]fuzzCredentials{false: credentials(owner), true: credentials(admin)}}

	now := st.Now()
	cycle, err := st.CreateCycle(ctx, actor, store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: now.Add(-24 * time.Hour), ClosesOn: now.Add(60 * 24 * time.Hour)})
	must(err)
	if resp := a.send(false, http.MethodPost, "/assessments", "application/x-www-form-urlencoded", []byte("mode=blank&cycle="+itoa(cycle.ID))); resp.StatusCode != 303 {
		f.Fatalf("start assessment = %d", resp.StatusCode)
	}
	list, err := st.ListAssessments(ctx, store.Scope{OrgID: org.ID})
	must(err)
	as := list[0]
	act, err := st.AddAction(ctx, actor, all, store.Action{AssessmentID: as.ID, StandardID: "LEAD-01", What: "An action"})
	must(err)
	up, err := st.SaveUpload(ctx, all, store.WorkbookUpload{AssessmentID: as.ID, UserID: owner.ID, Data: []byte("x"), Versions: map[string]int{}})
	must(err)
	passed := now.AddDate(0, -1, 0)
	dog, err := st.SaveOK9Dog(ctx, actor, all, store.OK9Dog{OrganisationID: org.ID, CallName: "Bramble", Status: store.DogActive, AssessmentPassedOn: &passed})
	must(err)
	handler, err := st.SaveOK9Handler(ctx, actor, all, store.OK9Handler{OrganisationID: org.ID, DisplayName: "PC Handler", PeerSupporterTrainedOn: &passed, DogIDs: []int64{dog.ID}})
	must(err)
	req, err := st.CreateAidRequest(ctx, actor, all, store.AidRequest{OrganisationID: org.ID, Incident: "Flood", Location: "Town", StartsOn: now, EndsOn: now, DogsNeeded: 1})
	must(err)
	theirs, err := st.CreateAidRequest(ctx, actor, all, store.AidRequest{OrganisationID: other.ID, Incident: "Fire", Location: "Elsewhere", StartsOn: now, EndsOn: now, DogsNeeded: 1})
	must(err)
	offer, err := st.OfferAid(ctx, actor, theirs.ID, org.ID, []int64{dog.ID}, "fixture: standing is not under test", nil)
	must(err)
	_, thash, _ := auth.NewToken()
	tok, err := st.CreateAPIToken(ctx, actor, store.APIToken{UserID: owner.ID, Name: "to revoke", Hash: thash, Prefix: "revokeme"})
	must(err)
	a.params = map[string]string{
		"id": itoa(as.ID), "sid": "LEAD-01", "aid": itoa(act.ID), "uid": itoa(up.ID), "rid": "RL-01", "dog": itoa(dog.ID), "handler": itoa(handler.ID),
		"request": itoa(req.ID), "offer": itoa(offer.ID), "token": "not-a-token", "key": "blwf", "version": "2024",
	}
	// Routes whose :id is not an assessment.
	a.idFor = map[string]string{"/cycles/": itoa(cycle.ID), "/organisations/": itoa(org.ID), "/people/": itoa(victim.ID), "/tokens/": itoa(tok.ID)}
	return a
}

// path fills a route's parameters with the organisation's records.
func (a *fuzzApp) path(route string) string {
	return reParam.ReplaceAllStringFunc(route, func(p string) string {
		name := strings.TrimPrefix(p, ":")
		if name == "id" {
			for prefix, id := range a.idFor {
				if strings.HasPrefix(route, prefix) {
					return id
				}
			}
		}
		return a.params[name]
	})
}

func (a *fuzzApp) send(admin bool, method, path, contentType string, body []byte) *http.Response {
	who := a.people[admin]
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-CSRF-Token", who.csrf)
	req.AddCookie(&http.Cookie{Name: "session", Value: who.session})
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+who.bearer)
	}
	resp, err := a.srv.App().Test(req, -1)
	if err != nil {
		panic(err)
	}
	return resp
}

// FuzzFormPosts sends arbitrary bodies to every route that takes one, as the
// owner or a national admin with a valid session and CSRF token: forms as
// the browser encodes them, the workbook upload as a file, API bodies as
// JSON. No body may make the app fail (5xx) or panic.
func FuzzFormPosts(f *testing.F) {
	a := newFuzzApp(f)
	var targets []fiber.Route
	for _, r := range a.routes {
		if r.Method != fiber.MethodGet && r.Method != fiber.MethodHead && !fuzzSkipped[r.Path] && r.Path != "/assets/*" {
			targets = append(targets, r)
		}
	}
	for i, r := range targets {
		var body string
		switch {
		case strings.HasPrefix(r.Path, "/api/"):
			body = `{"level":2,"version":1,"signed_off_by":"x","headcount":1,"hazards":[]}`
		default:
			body = url.Values{"level": {"2"}, "version": {"1"}, "what": {"Act"}, "status": {"planned"}, "name": {"X"}, "year": {"2026"}, "call_name": {"Rex"}, "dogs": {a.params["dog"]},
				"headcount": {"4"}, "exposed": {"2"}, "h0_l": {"5"}, "minutes": {"30"}, "deployed_on": {"2026-11-01"}, "kind": {"visit"}, "decision": {"accept"}}.Encode()
		}
		f.Add(uint8(i), false, []byte(body))
		f.Add(uint8(i), true, []byte("%zz&=&&a=%00&level=-1&year=99999999999999999999"))
	}
	f.Fuzz(func(t *testing.T, which uint8, admin bool, body []byte) {
		r := targets[int(which)%len(targets)]
		path, contentType := a.path(r.Path), "application/x-www-form-urlencoded"
		switch {
		case strings.HasPrefix(r.Path, "/api/"):
			contentType = "application/json"
		case strings.HasSuffix(r.Path, "/upload"):
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("workbook", "fuzz.xlsx")
			fw.Write(body)
			mw.Close()
			body, contentType = buf.Bytes(), mw.FormDataContentType()
		}
		resp := a.send(admin, r.Method, path, contentType, body)
		if resp.StatusCode >= 500 {
			msg, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s %s = %d for body %q\n%.500s", r.Method, path, resp.StatusCode, body, msg)
		}
	})
}
