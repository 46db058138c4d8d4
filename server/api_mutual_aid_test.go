package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

type apiAid struct {
	ID           int64
	Requester    string
	Status       string
	DogsAccepted int `json:"dogs_accepted"`
	Offers       []apiAidOfferRow
}

type apiAidOfferRow struct {
	ID             int64
	OrganisationID int64 `json:"organisation_id"`
	Lender         string
	DogNames       []string `json:"dog_names"`
	Status         string
	DecidedBy      string `json:"decided_by"`
	DeclineReason  string `json:"decline_reason"`
}

type apiAidDetail struct {
	Request    apiAid
	Timeline   []struct{ Who, What, Action string }
	Candidates *[]struct {
		Dog struct {
			CallName string `json:"call_name"`
		}
		Organisation struct{ Name, Region string }
		Proximity    string
		CanGo        bool `json:"can_go"`
		Blocked      string
	}
}

func (d apiAidDetail) actions() []string {
	var out []string
	for _, s := range d.Timeline {
		out = append(out, s.Action)
	}
	return out
}

// TestMutualAidAPIAcrossOrganisations plays a mutual-aid episode through
// the API only: A asks, a national admin sees the dogs that could go and
// offers B's, B's owner accepts (after a refusal by the welfare limits),
// the deployment shows in both logs, and every step is in the trail; a
// second offer is declined, and A closes the request.
func TestMutualAidAPIAcrossOrganisations(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		ctx := context.Background()
		aEditor, aOwner, aViewer := f.apiToken(provisionEditor(t, f)), f.apiToken(f.people["A owner"]), f.apiToken(f.people["A viewer"])
		bOwner, bViewer, admin := f.apiToken(f.people["B owner"]), f.apiToken(f.people["B viewer"]), f.apiToken(f.people["admin"])

		// B records its dogs through the API: one ready to go, one with no
		// trained handler, one still in training.
		// Both schemes are in good standing (see TestStandingGateAPI for one
		// that is not).
		scheme := `{"spoc":"OK9 lead","spoc_email":"ok9@example.org.uk","sla_signed_on":"2025-01-10","sop_reviewed_on":"2026-06-01","risk_assessment_reviewed_on":"2026-06-01",` +
			`"insurance_expires_on":"2027-06-01","welfare_scheme":"Working dog welfare scheme","welfare_scheme_expires_on":"2027-06-01"}`
		if code := apiCall(t, f, bOwner, http.MethodPut, "/api/v1/provision/ok9/scheme", scheme, nil); code != 200 {
			t.Fatalf("B's scheme = %d", code)
		}
		var biscuit, pepper apiDog
		apiCall(t, f, bOwner, http.MethodPost, "/api/v1/provision/ok9/dogs", `{"call_name":"Biscuit","status":"active","assessment_passed_on":"2026-02-01","next_welfare_check_on":"2026-12-20"}`, &biscuit)
		apiCall(t, f, bOwner, http.MethodPost, "/api/v1/provision/ok9/dogs", `{"call_name":"Pepper","status":"active","assessment_passed_on":"2026-02-01","next_welfare_check_on":"2026-12-20"}`, &pepper)
		apiCall(t, f, bOwner, http.MethodPost, "/api/v1/provision/ok9/dogs", `{"call_name":"Scout","status":"training"}`, nil)
		var bHandler struct{ ID int64 }
		if code := apiCall(t, f, bOwner, http.MethodPost, "/api/v1/provision/ok9/handlers", fmt.Sprintf(`{"display_name":"FF 210","mhfa_trained_on":"2025-09-01","suitability_assessed_on":"2026-02-01","suitability_outcome":"passed","dog_ids":[%d]}`, biscuit.ID), &bHandler); code != 201 {
			t.Fatalf("B's handler = %d", code)
		}
		// A third organisation, in another nation, with a dog ready to go.
		c, cOwnerUser := f.thirdOrg()
		cOwner := f.apiToken(cOwnerUser)
		var taff apiDog
		if code := apiCall(t, f, cOwner, http.MethodPut, "/api/v1/provision/ok9/scheme", scheme, nil); code != 200 {
			t.Fatalf("C's scheme = %d", code)
		}
		apiCall(t, f, cOwner, http.MethodPost, "/api/v1/provision/ok9/dogs", `{"call_name":"Taff","status":"active","assessment_passed_on":"2026-03-01","next_welfare_check_on":"2026-12-20"}`, &taff)
		apiCall(t, f, cOwner, http.MethodPost, "/api/v1/provision/ok9/handlers", fmt.Sprintf(`{"display_name":"Paramedic 7","peer_supporter_trained_on":"2025-01-01","suitability_assessed_on":"2026-03-01","suitability_outcome":"passed","dog_ids":[%d]}`, taff.ID), nil)

		// A asks.
		ask := `{"incident":"Fatal collision involving a school bus","location":"Alphaston","starts_on":"2026-11-24","ends_on":"2026-11-26","dogs_needed":1}`
		var refused apiRefusal
		if code := apiCall(t, f, aViewer, http.MethodPost, "/api/v1/mutual-aid", ask, &refused); code != 403 {
			t.Errorf("viewer asked for dogs: %d", code)
		}
		if code := apiCall(t, f, aEditor, http.MethodPost, "/api/v1/mutual-aid", strings.Replace(ask, "2026-11-26", "2026-11-20", 1), &refused); code != 422 || !strings.Contains(refused.Error.Message, "ends_on must be on or after starts_on") {
			t.Errorf("request ending before it starts = %d %+v", code, refused)
		}
		var req apiAid
		if code := apiCall(t, f, aEditor, http.MethodPost, "/api/v1/mutual-aid", ask, &req); code != 201 || req.Status != "open" || req.Requester != f.orgA.Name {
			t.Fatalf("ask = %d %+v", code, req)
		}
		reqPath := "/api/v1/mutual-aid/" + itoa(req.ID)
		var detail apiAidDetail
		if apiCall(t, f, aOwner, http.MethodGet, reqPath, "", &detail); detail.Candidates != nil {
			t.Errorf("the requester is shown other organisations' dogs: %+v", *detail.Candidates)
		}

		// The national admin sees who could go, nearest first, and why not.
		detail = apiAidDetail{}
		if code := apiCall(t, f, admin, http.MethodGet, reqPath, "", &detail); code != 200 || detail.Candidates == nil {
			t.Fatalf("admin view = %d %+v", code, detail)
		}
		var seen []string
		for _, cand := range *detail.Candidates {
			seen = append(seen, cand.Dog.CallName)
			switch cand.Dog.CallName {
			case "Biscuit":
				if !cand.CanGo || cand.Organisation.Region != "South West" || cand.Proximity != "same region" || cand.Organisation.Name != f.orgB.Name {
					t.Errorf("Biscuit = %+v", cand)
				}
			case "Pepper":
				if cand.CanGo || !strings.Contains(cand.Blocked, "no handler who passes the deployment gates") {
					t.Errorf("Pepper = %+v", cand)
				}
			case "Taff":
				if !cand.CanGo || cand.Proximity != "elsewhere" || cand.Organisation.Region != "Wales" {
					t.Errorf("Taff = %+v", cand)
				}
			}
		}
		if !slices.Equal(seen, []string{"Biscuit", "Pepper", "Taff"}) {
			t.Errorf("candidates = %v, want B's active dogs (same region) then C's; never a dog in training", seen)
		}

		// Only national admins offer; the requester cannot lend to itself.
		offerB := fmt.Sprintf(`{"organisation_id":%d,"dog_ids":[%d]}`, f.orgB.ID, biscuit.ID)
		if code := apiCall(t, f, aOwner, http.MethodPost, reqPath+"/offers", offerB, &refused); code != 403 {
			t.Errorf("owner offered dogs: %d", code)
		}
		if code := apiCall(t, f, admin, http.MethodPost, reqPath+"/offers", fmt.Sprintf(`{"organisation_id":%d,"dog_ids":[%d]}`, f.orgA.ID, biscuit.ID), &refused); code != 422 || !strings.Contains(refused.Error.Message, "cannot lend to itself") {
			t.Errorf("offer from the requester = %d %+v", code, refused)
		}
		var offer apiAidOfferRow
		if code := apiCall(t, f, admin, http.MethodPost, reqPath+"/offers", offerB, &offer); code != 201 || offer.Status != "offered" || offer.Lender != f.orgB.Name || !slices.Equal(offer.DogNames, []string{"Biscuit"}) {
			t.Fatalf("offer = %d %+v", code, offer)
		}

		// Only dogs that could go are offered, and each only once.
		for _, tc := range []struct{ body, want string }{
			{fmt.Sprintf(`{"organisation_id":%d,"dog_ids":[%d]}`, f.orgB.ID, pepper.ID), "Pepper cannot go: no handler who passes the deployment gates"},
			{offerB, "Biscuit is already offered to this request"},
			{fmt.Sprintf(`{"organisation_id":%d,"dog_ids":[%d]}`, f.orgB.ID, taff.ID), "Taff is already offered to this request, or is not an active, assessed dog of that organisation"},
			{fmt.Sprintf(`{"organisation_id":%d}`, f.orgB.ID), "dog_ids must name at least one"},
		} {
			if code := apiCall(t, f, admin, http.MethodPost, reqPath+"/offers", tc.body, &refused); code != 422 || !strings.Contains(refused.Error.Message, tc.want) {
				t.Errorf("offer %s = %d %+v, want %q", tc.body, code, refused, tc.want)
			}
		}

		// B sees the request; only B's owner answers.
		var bList struct{ Requests []apiAid }
		if code := apiCall(t, f, bViewer, http.MethodGet, "/api/v1/mutual-aid", "", &bList); code != 200 || len(bList.Requests) != 1 || bList.Requests[0].Requester != f.orgA.Name {
			t.Errorf("B's list = %d %+v", code, bList)
		}
		offerPath := "/api/v1/mutual-aid/offers/" + itoa(offer.ID)
		accept := func(minutes int) string {
			return fmt.Sprintf(`{"decision":"accept","handler_id":%d,"minutes":%d}`, bHandler.ID, minutes)
		}
		if code := apiCall(t, f, bViewer, http.MethodPost, offerPath, accept(120), &refused); code != 403 {
			t.Errorf("B's viewer answered: %d", code)
		}
		if code := apiCall(t, f, aOwner, http.MethodPost, offerPath, accept(120), &refused); code != 404 {
			t.Errorf("A's owner answered B's offer: %d", code)
		}
		if code := apiCall(t, f, bOwner, http.MethodPost, offerPath, `{"decision":"maybe"}`, &refused); code != 422 || !strings.Contains(refused.Error.Message, `decision must be "accept" or "decline"`) {
			t.Errorf("unclear decision = %d %+v", code, refused)
		}
		refused = apiRefusal{}
		if code := apiCall(t, f, bOwner, http.MethodPost, offerPath, accept(200), &refused); code != 422 || !refused.MayOverride || len(refused.Breaches) == 0 || !strings.Contains(refused.Breaches[0], "Biscuit: would work 3 h 20 min") {
			t.Errorf("accepting beyond the day's limit = %d %+v", code, refused)
		}
		if code := apiCall(t, f, bOwner, http.MethodPost, offerPath, accept(120), &offer); code != 200 || offer.Status != "accepted" || !strings.Contains(offer.DecidedBy, "B owner person") {
			t.Fatalf("accept = %d %+v", code, offer)
		}
		if code := apiCall(t, f, bOwner, http.MethodPost, offerPath, accept(120), &refused); code != 409 {
			t.Errorf("answering twice = %d", code)
		}

		// A deployment for each of the request's three days is in both
		// organisations' logs.
		for who, tok := range map[string]string{"A": aViewer, "B": bViewer} {
			var log struct{ Deployments []apiDeploymentRow }
			apiCall(t, f, tok, http.MethodGet, "/api/v1/provision/ok9/deployments", "", &log)
			if len(log.Deployments) != 3 {
				t.Errorf("%s's log = %+v, want the three days", who, log)
				continue
			}
			for _, d := range log.Deployments {
				if d.Kind != "mutual_aid" || d.OrganisationID != f.orgB.ID || d.HostOrganisationID == nil || *d.HostOrganisationID != f.orgA.ID || d.Minutes != 120 || !slices.Equal(d.DogNames, []string{"Biscuit"}) {
					t.Errorf("%s's log shows %+v", who, d)
				}
			}
		}

		// Both sides see every step; the audit trail holds each.
		for who, tok := range map[string]string{"A": aViewer, "B": bViewer} {
			detail = apiAidDetail{}
			apiCall(t, f, tok, http.MethodGet, reqPath, "", &detail)
			if detail.Request.Status != "agreed" || detail.Request.DogsAccepted != 1 || !slices.Equal(detail.actions(), []string{"ok9.aid.request", "ok9.aid.offer", "ok9.aid.accepted"}) {
				t.Errorf("%s sees %+v", who, detail)
			}
			if n := len(detail.Timeline); n == 3 && !strings.Contains(detail.Timeline[2].Who, f.orgB.Name) {
				t.Errorf("the acceptance does not say who lent: %+v", detail.Timeline[2])
			}
			if detail.Candidates != nil {
				t.Errorf("%s, not national, is shown candidates: %s", who, mustJSON(*detail.Candidates))
			}
		}
		trail, _, _ := st.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{EntityType: "ok9_aid_request"})
		if len(trail) != 3 {
			t.Errorf("audit trail of the request = %+v", trail)
		}
		for _, e := range trail {
			if e.EntityID != itoa(req.ID) || e.RequestID == "" || e.ActorUserID == nil {
				t.Errorf("audit step without its request, request id or person: %+v", e)
			}
		}
		bTrail, _, _ := st.ListAudit(ctx, store.Scope{OrgID: f.orgB.ID}, store.AuditFilter{EntityType: "ok9_deployment"})
		if len(bTrail) != 3 || !strings.Contains(bTrail[0].After, fmt.Sprintf(`"host_organisation_id":%d`, f.orgA.ID)) {
			t.Errorf("B's trail of the deployment = %+v", bTrail)
		}

		// A second request, offered C's dog, which C declines with a reason.
		var second apiAid
		apiCall(t, f, aEditor, http.MethodPost, "/api/v1/mutual-aid", strings.Replace(ask, "school bus", "second incident", 1), &second)
		var cOffer apiAidOfferRow
		if code := apiCall(t, f, admin, http.MethodPost, "/api/v1/mutual-aid/"+itoa(second.ID)+"/offers", fmt.Sprintf(`{"organisation_id":%d,"dog_ids":[%d]}`, c.ID, taff.ID), &cOffer); code != 201 {
			t.Fatalf("offer C's dog = %d", code)
		}
		// The page's form holds a national admin to the same dogs.
		resp, body := f.signedIn(f.people["admin"]).post("/mutual-aid/"+itoa(second.ID)+"/offers", url.Values{"organisation": {itoa(f.orgB.ID)}, "dogs-" + itoa(f.orgB.ID): {itoa(pepper.ID)}})
		if resp.StatusCode != 200 || !strings.Contains(body, "Pepper cannot go: no handler who passes the deployment gates") {
			t.Errorf("offering a dog that cannot go through the page = %d", resp.StatusCode)
		}
		cPath := "/api/v1/mutual-aid/offers/" + itoa(cOffer.ID)
		if code := apiCall(t, f, cOwner, http.MethodPost, cPath, `{"decision":"decline"}`, &refused); code != 422 || !strings.Contains(refused.Error.Message, "decline_reason is required") {
			t.Errorf("decline without a reason = %d %+v", code, refused)
		}
		if code := apiCall(t, f, cOwner, http.MethodPost, cPath, `{"decision":"decline","decline_reason":"Taff is at a major incident here"}`, &cOffer); code != 200 || cOffer.Status != "declined" || cOffer.DeclineReason != "Taff is at a major incident here" {
			t.Errorf("decline = %d %+v", code, cOffer)
		}
		if code := apiCall(t, f, bViewer, http.MethodGet, "/api/v1/mutual-aid/"+itoa(second.ID), "", &refused); code != 404 {
			t.Errorf("B sees a request it was not offered on: %d", code)
		}

		// Closing: the requester's editors or a national admin.
		closePath := "/api/v1/mutual-aid/" + itoa(second.ID) + "/close"
		if code := apiCall(t, f, aViewer, http.MethodPost, closePath, "", &refused); code != 403 {
			t.Errorf("viewer closed: %d", code)
		}
		if code := apiCall(t, f, cOwner, http.MethodPost, closePath, "", &refused); code != 404 {
			t.Errorf("the lender closed the requester's request: %d", code)
		}
		if code := apiCall(t, f, aEditor, http.MethodPost, closePath, `{"reason":"over"}`, &refused); code != 422 || !strings.Contains(refused.Error.Message, `unknown field "reason"`) {
			t.Errorf("close with a body = %d %+v", code, refused)
		}
		var closed apiAid
		if code := apiCall(t, f, aEditor, http.MethodPost, closePath, "{}", &closed); code != 200 || closed.Status != "closed" {
			t.Errorf("close = %d %+v", code, closed)
		}
		if code := apiCall(t, f, admin, http.MethodPost, closePath, "", &refused); code != 409 {
			t.Errorf("closing twice = %d", code)
		}
		// C declined: the request is no longer C's to read.
		if code := apiCall(t, f, cOwner, http.MethodGet, "/api/v1/mutual-aid/"+itoa(second.ID), "", &refused); code != 404 {
			t.Errorf("C, having declined, reads the request: %d", code)
		}
		detail = apiAidDetail{}
		apiCall(t, f, aViewer, http.MethodGet, "/api/v1/mutual-aid/"+itoa(second.ID), "", &detail)
		if !slices.Equal(detail.actions(), []string{"ok9.aid.request", "ok9.aid.offer", "ok9.aid.declined", "ok9.aid.close"}) {
			t.Errorf("A sees the steps %v", detail.actions())
		}
	})
}

// thirdOrg adds an organisation C, in another nation, and its owner.
func (f *fixture) thirdOrg() (store.Organisation, store.User) {
	f.t.Helper()
	ctx, sys := context.Background(), store.SystemActor("test")
	c, err := f.st.CreateOrganisation(ctx, sys, store.Organisation{Slug: "cymru", Name: "Cymru Ambulance Service", Sector: "ambulance", Nation: "Wales", Region: "Wales"})
	if err != nil {
		f.t.Fatal(err)
	}
	owner, err := f.st.CreateUser(ctx, sys, store.AllOrganisations(), store.User{OrganisationID: &c.ID, Role: store.RoleOwner, Email: "owner@cymru.example", DisplayName: "C owner person"})
	if err != nil {
		f.t.Fatal(err)
	}
	return c, owner
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestMutualAidLendersSeeOnlyTheirOwnOffer: with two lenders offered on one
// request, each lender sees, on the page and through the API, the request's
// facts and its own offer and steps only; a lender that declined no longer
// sees the request; the requester and the national team see every offer
// and answer.
func TestMutualAidLendersSeeOnlyTheirOwnOffer(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		ctx, sys := context.Background(), store.SystemActor("test")
		c, cOwnerUser := f.thirdOrg()
		dog := func(org store.Organisation, name string) int64 {
			passed := provisionNow().AddDate(0, -1, 0)
			d, err := st.SaveOK9Dog(ctx, sys, store.Scope{OrgID: org.ID}, store.OK9Dog{OrganisationID: org.ID, CallName: name, Status: store.DogActive, AssessmentPassedOn: &passed})
			if err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		biscuit, taff := dog(f.orgB, "Biscuit"), dog(c, "Taff")
		req, err := st.CreateAidRequest(ctx, sys, store.Scope{OrgID: f.orgA.ID}, store.AidRequest{OrganisationID: f.orgA.ID,
			Incident: "Fatal collision", Location: "Alphaston", StartsOn: provisionNow().AddDate(0, 0, 1), EndsOn: provisionNow().AddDate(0, 0, 2), DogsNeeded: 2})
		if err != nil {
			t.Fatal(err)
		}
		bOffer, err := st.OfferAid(ctx, sys, req.ID, f.orgB.ID, []int64{biscuit}, "fixture: standing is not under test", nil)
		if err != nil {
			t.Fatal(err)
		}
		cOffer, err := st.OfferAid(ctx, sys, req.ID, c.ID, []int64{taff}, "fixture: standing is not under test", nil)
		if err != nil {
			t.Fatal(err)
		}
		page, api := "/mutual-aid/"+itoa(req.ID), "/api/v1/mutual-aid/"+itoa(req.ID)

		// C's owner declines on the page, and is taken to the list.
		cPage := f.signedIn(cOwnerUser)
		cPage.get(page)
		reason := "Our handler is at a major incident here"
		resp, _ := cPage.post("/mutual-aid/offers/"+itoa(cOffer.ID), url.Values{"request": {itoa(req.ID)}, "decision": {"decline"}, "decline_reason": {reason}, "confirmed": {"yes"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/mutual-aid?done=declined" {
			t.Errorf("decline = %d to %q, want 303 to the list", resp.StatusCode, resp.Header.Get("Location"))
		}

		// What of C's answer each party may find, on each surface.
		secrets := []string{c.Name, "Taff", reason, "C owner person"}
		apiGet := func(u store.User, path string) (int, string) {
			resp, body := (&client{f: f, cookies: map[string]string{}, bearer: f.apiToken(u)}).get(path)
			return resp.StatusCode, body
		}
		pageGet := func(u store.User, path string) (int, string) {
			resp, body := f.signedIn(u).get(path)
			return resp.StatusCode, body
		}
		type surface struct {
			name string
			get  func(store.User, string) (int, string)
			one  string
			list string
		}
		surfaces := []surface{{"page", pageGet, page, "/mutual-aid"}, {"API", apiGet, api, "/api/v1/mutual-aid"}}
		for _, s := range surfaces {
			// B, still offered, sees the request and its own offer, nothing of C's.
			for _, path := range []string{s.one, s.list} {
				code, body := s.get(f.people["B viewer"], path)
				if code != 200 || !strings.Contains(body, "Alphaston") || (path == s.one && !strings.Contains(body, "Biscuit")) {
					t.Errorf("B's %s %s = %d, want the request with B's offer", s.name, path, code)
				}
				for _, secret := range secrets {
					if strings.Contains(body, secret) {
						t.Errorf("B's %s %s shows %q of the other lender", s.name, path, secret)
					}
				}
			}
			// C declined: the request is gone from its view.
			if code, _ := s.get(cOwnerUser, s.one); code != 404 {
				t.Errorf("C, having declined, reads the request's %s: %d", s.name, code)
			}
			if _, body := s.get(cOwnerUser, s.list); strings.Contains(body, "Alphaston") {
				t.Errorf("C, having declined, lists the request on the %s", s.name)
			}
			// The requester and the national team see both offers and C's answer.
			for _, who := range []string{"A viewer", "admin"} {
				code, body := s.get(f.people[who], s.one)
				for _, want := range append([]string{f.orgB.Name, "Biscuit"}, secrets...) {
					if code != 200 || !strings.Contains(body, want) {
						t.Errorf("%s's %s = %d, want it to show %q", who, s.name, code, want)
					}
				}
			}
		}
		var detail apiAidDetail
		apiCall(t, f, f.apiToken(f.people["B viewer"]), http.MethodGet, api, "", &detail)
		if len(detail.Request.Offers) != 1 || detail.Request.Offers[0].ID != bOffer.ID || !slices.Equal(detail.actions(), []string{"ok9.aid.request", "ok9.aid.offer"}) {
			t.Errorf("B's API view = %+v, want its own offer and steps", detail)
		}
		detail = apiAidDetail{}
		apiCall(t, f, f.apiToken(f.people["A viewer"]), http.MethodGet, api, "", &detail)
		if len(detail.Request.Offers) != 2 || !slices.Equal(detail.actions(), []string{"ok9.aid.request", "ok9.aid.offer", "ok9.aid.offer", "ok9.aid.declined"}) {
			t.Errorf("A's API view = %+v, want every offer and step", detail)
		}
	})
}
