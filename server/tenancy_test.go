package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// bResources gives, for every route with parameters, the values that point
// at organisation B's records. A route missing here fails the test, so a new
// route cannot skip the tenancy check.
func bResources(t *testing.T, f *fixture) map[string]map[string]string {
	ctx := context.Background()
	bOwner := f.people["B owner"]
	_, hash, _ := auth.NewToken()
	tok, err := f.st.CreateAPIToken(ctx, store.SystemActor("test"), store.APIToken{UserID: bOwner.ID, Name: "B's token", Hash: hash, Prefix: "bbbbbbbb"})
	if err != nil {
		t.Fatal(err)
	}
	org, person, token := itoa(f.orgB.ID), itoa(bOwner.ID), itoa(tok.ID)
	cycle, bAssessment := f.openCycle("2026/27"), f.startAssessment(f.orgB, "2026/27")
	act, err := f.st.AddAction(ctx, store.SystemActor("test"), store.AllOrganisations(), store.Action{AssessmentID: bAssessment.ID, StandardID: "LEAD-01", What: "B's action"})
	if err != nil {
		t.Fatal(err)
	}
	up, err := f.st.SaveUpload(ctx, store.AllOrganisations(), store.WorkbookUpload{AssessmentID: bAssessment.ID, UserID: bOwner.ID, Data: []byte("x"), Versions: map[string]int{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SaveRoleAssessment(ctx, store.SystemActor("test"), store.AllOrganisations(), store.RoleAssessment{
		OrganisationID: f.orgB.ID, RoleID: "RL-01", ModelKey: "psych-risk", ModelVersion: "2026.1", ModelSHA256: "x", Headcount: 12, OverallBand: "high",
		ReviewedOn: f.st.Now(), NextReviewOn: f.st.Now(), NextScreeningOn: f.st.Now(), SignedOffBy: "B's risk sign-off",
		Hazards: []store.HazardRating{{HazardID: "HZ-01", InherentL: 4, InherentS: 4, ResidualL: 3, ResidualS: 3, Rationale: "B's risk rationale"}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SaveRoleReviewDraft(ctx, store.SystemActor("test"), store.AllOrganisations(), store.RoleReviewDraft{
		OrganisationID: f.orgB.ID, RoleID: "RL-01", ModelKey: "psych-risk", ModelVersion: "2027.1", Review: `{"teams":"B's draft teams","headcount":7}`,
	}); err != nil {
		t.Fatal(err)
	}
	bDog, bHandler, bRequest, bOffer := bProvision(t, f)
	as, std := itoa(bAssessment.ID), "LEAD-01"
	bVans, err := f.st.VanRequests(ctx, store.AllOrganisations(), f.orgB.ID, f.st.Now().Year())
	if err != nil || len(bVans) != 1 {
		t.Fatalf("B's van requests = %+v %v", bVans, err)
	}
	bVan := itoa(bVans[0].ID)
	return map[string]map[string]string{
		"/cycles/:id":                                     {"id": itoa(cycle.ID)},
		"/risk/roles/:rid":                                {"rid": "RL-01"},
		"/risk/roles/:rid/review":                         {"rid": "RL-01"},
		"/risk/roles/:rid/compare":                        {"rid": "RL-01"},
		"/api/v1/risk/roles/:rid":                         {"rid": "RL-01"},
		"/api/v1/assessments/:id":                         {"id": as},
		"/api/v1/assessments/:id/responses/:sid":          {"id": as, "sid": std},
		"/api/v1/assessments/:id/submit":                  {"id": as},
		"/assessments/:id":                                {"id": as},
		"/assessments/:id/submit":                         {"id": as},
		"/assessments/:id/check":                          {"id": as},
		"/assessments/:id/submitted":                      {"id": as},
		"/assessments/:id/history":                        {"id": as},
		"/assessments/:id/workbook.xlsx":                  {"id": as},
		"/assessments/:id/upload":                         {"id": as},
		"/assessments/:id/upload/:uid/apply":              {"id": as, "uid": itoa(up.ID)},
		"/assessments/:id/return":                         {"id": as},
		"/assessments/:id/validate":                       {"id": as},
		"/assessments/:id/peer-review":                    {"id": as},
		"/assessments/:id/standards/:sid":                 {"id": as, "sid": std},
		"/assessments/:id/standards/:sid/actions":         {"id": as, "sid": std},
		"/assessments/:id/actions/:aid":                   {"id": as, "aid": itoa(act.ID)},
		"/organisations/:id":                              {"id": org},
		"/organisations/:id/workforce":                    {"id": org},
		"/organisations/:id/sign-in":                      {"id": org},
		"/organisations/:id/sign-in/remove":               {"id": org},
		"/people/:id":                                     {"id": person},
		"/people/:id/access":                              {"id": person},
		"/people/:id/disable":                             {"id": person},
		"/people/:id/enable":                              {"id": person},
		"/people/:id/password-link":                       {"id": person},
		"/tokens/:id/revoke":                              {"id": token},
		"/provision/ok9/dogs/:dog":                        {"dog": bDog},
		"/provision/ok9/handlers/:handler":                {"handler": bHandler},
		"/mutual-aid/:request":                            {"request": bRequest},
		"/mutual-aid/:request/offers":                     {"request": bRequest},
		"/mutual-aid/:request/close":                      {"request": bRequest},
		"/mutual-aid/offers/:offer":                       {"offer": bOffer},
		"/reports/:cycle/benchmark":                       {"cycle": itoa(cycle.ID)},
		"/reports/:cycle/benchmark.pdf":                   {"cycle": itoa(cycle.ID)},
		"/reports/:cycle/gap-analysis.xlsx":               {"cycle": itoa(cycle.ID)},
		"/reports/:cycle/business-case":                   {"cycle": itoa(cycle.ID)},
		"/reports/:cycle/business-case.pdf":               {"cycle": itoa(cycle.ID)},
		"/api/v1/reports/:cycle":                          {"cycle": itoa(cycle.ID)},
		"/national/:cycle":                                {"cycle": itoa(cycle.ID)},
		"/national/:cycle/workbook.xlsx":                  {"cycle": itoa(cycle.ID)},
		"/national/:cycle/summary.pdf":                    {"cycle": itoa(cycle.ID)},
		"/national/:cycle/batch":                          {"cycle": itoa(cycle.ID)},
		"/national/batches/:batch":                        {"batch": "no-such-batch"},
		"/national/batches/:batch/download":               {"batch": "no-such-batch"},
		"/api/v1/provision/ok9/dogs/:dog":                 {"dog": bDog},
		"/api/v1/provision/ok9/handlers/:handler":         {"handler": bHandler},
		"/api/v1/provision/peer-support/:year":            {"year": itoa(int64(f.st.Now().Year()))},
		"/api/v1/provision/trauma/:year/:quarter":         {"year": itoa(int64(f.st.Now().Year())), "quarter": "1"},
		"/api/v1/mutual-aid/:request":                     {"request": bRequest},
		"/api/v1/mutual-aid/:request/offers":              {"request": bRequest},
		"/api/v1/mutual-aid/:request/close":               {"request": bRequest},
		"/api/v1/mutual-aid/offers/:offer":                {"offer": bOffer},
		"/national/vans/:van":                             {"van": "1"},
		"/api/v1/vans/:van":                               {"van": "1"},
		"/provision/vans/:request/withdraw":               {"request": bVan},
		"/api/v1/provision/vans/:request/withdraw":        {"request": bVan},
		"/national/vans/requests/:request":                {"request": bVan},
		"/national/vans/requests/:request/schedule":       {"request": bVan},
		"/national/vans/requests/:request/decline":        {"request": bVan},
		"/national/vans/requests/:request/delivery":       {"request": bVan},
		"/api/v1/van-requests/:request/schedule":          {"request": bVan},
		"/api/v1/van-requests/:request/decline":           {"request": bVan},
		"/api/v1/van-requests/:request/delivery":          {"request": bVan},
		"/api/v1/assessments/:id/standards/:sid/evidence": {"id": as, "sid": std},
		"/api/v1/risk/roles/:rid/draft":                   {"rid": "RL-01"},
		"/assessments/:id/actions/:aid/remove":            {"id": as, "aid": itoa(act.ID)},
	}
}

// bProvision gives organisation B a dog, a handler, this year's peer
// support return, a van request and a mutual-aid request, and a third
// organisation a request on which B's dog is offered: A is party to neither.
func bProvision(t *testing.T, f *fixture) (dog, handler, request, offer string) {
	t.Helper()
	ctx, a, sc := context.Background(), store.SystemActor("test"), store.AllOrganisations()
	if _, err := f.st.SavePeerSupportReturn(ctx, store.SystemActor("B's return author"), sc, store.PeerSupportReturn{OrganisationID: f.orgB.ID, Year: f.st.Now().Year(), PeerSupporters: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.RequestVan(ctx, a, sc, store.VanRequest{OrganisationID: f.orgB.ID, Kind: "hotspot", StartsOn: f.st.Now(), EndsOn: f.st.Now(), Place: "B's van stop", Contact: "B's lead"}); err != nil {
		t.Fatal(err)
	}
	on := f.st.Now().AddDate(0, -1, 0)
	d, err := f.st.SaveOK9Dog(ctx, a, sc, store.OK9Dog{OrganisationID: f.orgB.ID, CallName: "B's dog", Status: store.DogActive, AssessmentPassedOn: &on})
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.st.SaveOK9Handler(ctx, a, sc, store.OK9Handler{OrganisationID: f.orgB.ID, DisplayName: "B's handler", PeerSupporterTrainedOn: &on, DogIDs: []int64{d.ID}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.st.CreateAidRequest(ctx, a, sc, store.AidRequest{OrganisationID: f.orgB.ID, Incident: "B's incident", Location: "B's town", StartsOn: f.st.Now(), EndsOn: f.st.Now(), DogsNeeded: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.st.CreateOrganisation(ctx, a, store.Organisation{Slug: "third", Name: "Third Ambulance Service", Sector: "ambulance", Nation: "Scotland"})
	if err != nil {
		t.Fatal(err)
	}
	cr, err := f.st.CreateAidRequest(ctx, a, sc, store.AidRequest{OrganisationID: c.ID, Incident: "B's lending", Location: "Elsewhere", StartsOn: f.st.Now(), EndsOn: f.st.Now(), DogsNeeded: 1})
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.st.OfferAid(ctx, a, cr.ID, f.orgB.ID, []int64{d.ID}, "fixture: standing is not under test", nil)
	if err != nil {
		t.Fatal(err)
	}
	return itoa(d.ID), itoa(h.ID), itoa(r.ID), itoa(o.ID)
}

// notTenantData are routes whose parameters name no organisation's records.
var notTenantData = map[string]string{
	"/api/v1/frameworks/:key/:version": "framework editions are shared reference content",
	"/set-password/:token":             "the link's secret token is the authorisation",
	"/email-settings/:token":           "the link's secret token is the authorisation, for that person's email settings only",
	"/assets/*":                        "static files",
}

// ownDataRoutes take parameters that name shared catalogue entries, not
// records: they always show the caller's own organisation, so they answer,
// but must still show nothing of B's.
var ownDataRoutes = map[string]bool{"/risk/roles/:rid": true, "/risk/roles/:rid/review": true, "/risk/roles/:rid/compare": true, "/api/v1/risk/roles/:rid": true, "/api/v1/risk/roles/:rid/draft": true,
	"/api/v1/provision/peer-support/:year": true, "/api/v1/provision/trauma/:year/:quarter": true,
	// Cycles are national: a report of a cycle is always of the caller's
	// own organisation (?org= is for national admins only).
	"/reports/:cycle/benchmark": true, "/reports/:cycle/benchmark.pdf": true, "/reports/:cycle/gap-analysis.xlsx": true,
	"/reports/:cycle/business-case": true, "/reports/:cycle/business-case.pdf": true, "/api/v1/reports/:cycle": true}

var reParam = regexp.MustCompile(`:(\w+)|\*`)

// TestTenancy walks every route for every organisation role signed in to
// organisation A, aimed at organisation B's records, and expects refusal
// with none of B's data in the body, and B's records unchanged.
func TestTenancy(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		values := bResources(t, f)
		bMarkers := []string{f.orgB.Name, f.people["B owner"].Email, f.people["B viewer"].Email, f.people["B contributor"].DisplayName, "B's token", "B's action", "B's risk rationale", "B's risk sign-off", "B's draft teams", "B's dog", "B's handler", "B's incident", "B's lending", "B's return author", "B's van stop"}

		routes := f.srv.App().GetRoutes(true)
		for _, role := range fixtureRoles {
			for _, r := range routes {
				if r.Method == fiber.MethodHead {
					continue
				}
				if _, ok := notTenantData[r.Path]; ok {
					continue
				}
				path := r.Path
				hasParams := reParam.MatchString(path)
				if hasParams {
					vals, ok := values[r.Path]
					if !ok {
						t.Errorf("%s %s has parameters but no entry in the tenancy table (bResources): add organisation B's value", r.Method, r.Path)
						continue
					}
					path = reParam.ReplaceAllStringFunc(path, func(p string) string { return vals[strings.TrimPrefix(p, ":")] })
				}
				// A fresh session each time: a route such as sign-out may end it.
				cl := f.signedIn(f.people["A "+role])
				if strings.HasPrefix(r.Path, "/api/") {
					cl.bearer = f.apiToken(f.people["A "+role])
				}
				var resp *http.Response
				var body string
				if r.Method == fiber.MethodGet {
					resp, body = cl.get(path)
				} else {
					// The form a real attacker would send: valid CSRF, plausible fields.
					resp, body = cl.do(r.Method, path, url.Values{"role": {"owner"}, "name": {"Hijacked"}, "slug": {"hijacked"}, "sector": {"police"},
						"year": {"2026"}, "officers": {"1"}, "staff": {"1"}, "volunteers": {"1"},
						"level": {"4"}, "version": {"1"}, "evidence": {"Hijacked"}, "status": {"done"}, "what": {"Hijacked"},
						"signoff_name": {"X"}, "signoff_role": {"Y"}, "comment": {"Hijacked"},
						"call_name": {"Hijacked"}, "display_name": {"Hijacked"}, "decision": {"accept"}, "minutes": {"30"}, "handler": {"1"}, "organisation": {"1"}, "dogs": {"1"}})
				}
				if hasParams && !ownDataRoutes[r.Path] && resp.StatusCode != 403 && resp.StatusCode != 404 {
					t.Errorf("A %s: %s %s = %d, want 403 or 404", role, r.Method, path, resp.StatusCode)
				}
				for _, m := range bMarkers {
					if strings.Contains(body, m) {
						t.Errorf("A %s: %s %s shows organisation B's data %q", role, r.Method, path, m)
					}
				}
			}
		}

		// Nothing of B's changed.
		ctx := context.Background()
		b, err := st.Organisation(ctx, store.AllOrganisations(), f.orgB.ID)
		if err != nil || b.Name != f.orgB.Name || b.Slug != f.orgB.Slug {
			t.Errorf("organisation B changed: %+v %v", b, err)
		}
		owner, err := st.UserByID(ctx, store.AllOrganisations(), f.people["B owner"].ID)
		if err != nil || owner.DisabledAt != nil || owner.Role != store.RoleOwner {
			t.Errorf("B's owner changed: %+v %v", owner, err)
		}
		if wf, _ := st.Workforce(ctx, store.AllOrganisations(), f.orgB.ID); len(wf) != 0 {
			t.Errorf("B's workforce written: %+v", wf)
		}
		if d, _ := st.RoleReviewDraftOf(ctx, store.AllOrganisations(), f.orgB.ID, "RL-01"); d == nil || !strings.Contains(d.Review, "B's draft teams") {
			t.Errorf("B's draft changed: %+v", d)
		}
		if reg, _ := st.RoleRegister(ctx, store.AllOrganisations(), f.orgB.ID); len(reg) != 1 || reg[0].Version != 1 {
			t.Errorf("B's risk register changed: %+v", reg)
		}
		bas, _ := st.ListAssessments(ctx, store.Scope{OrgID: f.orgB.ID})
		if len(bas) != 1 || bas[0].Status != store.StatusDraft || bas[0].PeerReviewRequestedAt != nil {
			t.Errorf("B's assessment changed: %+v", bas)
		}
		if rs, _ := st.Responses(ctx, store.AllOrganisations(), bas[0].ID); rs[0].Version != 1 {
			t.Errorf("B's response changed: %+v", rs[0])
		}
		acts, _ := st.Actions(ctx, store.AllOrganisations(), bas[0].ID)
		if len(acts) != 1 || acts[0].Status != "planned" {
			t.Errorf("B's action changed: %+v", acts)
		}
		if dogs, _ := st.OK9Dogs(ctx, store.AllOrganisations(), f.orgB.ID); len(dogs) != 1 || dogs[0].CallName != "B's dog" || dogs[0].Status != store.DogActive {
			t.Errorf("B's dog changed: %+v", dogs)
		}
		if hs, _ := st.OK9Handlers(ctx, store.AllOrganisations(), f.orgB.ID); len(hs) != 1 || hs[0].DisplayName != "B's handler" {
			t.Errorf("B's handler changed: %+v", hs)
		}
		if deps, _ := st.OK9Deployments(ctx, store.AllOrganisations(), f.orgB.ID, f.st.Now().AddDate(-1, 0, 0), f.st.Now().AddDate(1, 0, 0)); len(deps) != 0 {
			t.Errorf("deployments written in B's log: %+v", deps)
		}
		if rs, _ := st.PeerSupportReturns(ctx, store.AllOrganisations(), f.orgB.ID); len(rs) != 1 || rs[0].PeerSupporters != 7 || rs[0].UpdatedBy != "B's return author" {
			t.Errorf("B's peer support return changed: %+v", rs)
		}
		if vs, _ := st.VanRequests(ctx, store.AllOrganisations(), f.orgB.ID, f.st.Now().Year()); len(vs) != 1 || vs[0].Place != "B's van stop" || vs[0].State != store.VanRequested {
			t.Errorf("B's van requests changed: %+v", vs)
		}
		reqs, _ := st.AidRequests(ctx, store.AllOrganisations())
		for _, r := range reqs {
			if r.Status != store.AidOpen || len(r.Offers) > 1 || (len(r.Offers) == 1 && r.Offers[0].Status != store.OfferMade) {
				t.Errorf("a request A is not party to changed: %+v", r)
			}
		}
		toks, _ := st.ListAPITokens(ctx, owner.ID)
		if len(toks) != 1 || toks[0].RevokedAt != nil {
			t.Errorf("B's token changed: %+v", toks)
		}
	})
}
