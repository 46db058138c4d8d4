package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// ok9Records gives A a scheme, an active dog and a handler; ready says
// whether the handler passes the gates and the scheme is in good standing.
func ok9Records(t *testing.T, st *store.Store, org store.Organisation, ready bool) (store.OK9Dog, store.OK9Handler) {
	t.Helper()
	ctx, sys, all := context.Background(), store.SystemActor("test"), store.AllOrganisations()
	on := func(y int, m time.Month, d int) *time.Time { t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); return &t }
	sch := store.OK9Scheme{OrganisationID: org.ID, SPOC: "Insp Jones", SPOCEmail: "ok9@example.police.uk", SLASignedOn: on(2025, 1, 10), SOPReviewedOn: on(2026, 6, 1),
		RiskAssessmentReviewedOn: on(2026, 6, 1), InsuranceExpiresOn: on(2027, 6, 1), WelfareScheme: "Working dog welfare scheme", WelfareSchemeExpiresOn: on(2027, 6, 1)}
	if !ready {
		sch.InsuranceExpiresOn = on(2026, 11, 1)
	}
	if _, err := st.SaveOK9Scheme(ctx, sys, all, sch); err != nil {
		t.Fatal(err)
	}
	dog, err := st.SaveOK9Dog(ctx, sys, all, store.OK9Dog{OrganisationID: org.ID, CallName: "Juno", Status: store.DogActive, AssessmentPassedOn: on(2026, 2, 1), NextWelfareCheckOn: on(2026, 12, 5)})
	if err != nil {
		t.Fatal(err)
	}
	h := store.OK9Handler{OrganisationID: org.ID, DisplayName: "PC 4521", PeerSupporterTrainedOn: on(2025, 5, 1), SupervisorAgreedOn: on(2026, 1, 20), ProtectedHoursMonth: 8, DogIDs: []int64{dog.ID}}
	if ready {
		h.SuitabilityAssessedOn, h.SuitabilityOutcome = on(2026, 2, 1), store.SuitabilityPassed
	}
	h, err = st.SaveOK9Handler(ctx, sys, all, h)
	if err != nil {
		t.Fatal(err)
	}
	return dog, h
}

// TestOK9ReadOnlyPages: a viewer sees the dog and the handler as records,
// with dates in words, and no form to change them.
func TestOK9ReadOnlyPages(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		dog, h := ok9Records(t, st, f.orgA, true)
		viewer := f.signedIn(f.people["A viewer"])
		for path, want := range map[string][]string{
			"/provision/ok9/dogs/" + itoa(dog.ID):   {"<h1 class=\"govuk-heading-l\">Dog: Juno</h1>", "1 February 2026", "5 December 2026", "Active"},
			"/provision/ok9/handlers/" + itoa(h.ID): {"<h1 class=\"govuk-heading-l\">Handler: PC 4521</h1>", "Trained 1 May 2025", "Passed 1 February 2026", "20 January 2026", "8 hours a month", "Juno"},
			"/provision/ok9":                        {"Insp Jones", "10 January 2025", "Working dog welfare scheme, expires 1 June 2027", "In date until 1 June 2027"},
		} {
			resp, body := viewer.get(path)
			if resp.StatusCode != 200 {
				t.Fatalf("%s = %d", path, resp.StatusCode)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", path, w)
				}
			}
			for _, never := range []string{"Change Juno", "Change PC 4521", "2026-02-01", "2025-01-10", `<form method="post" action="/provision/ok9/`} {
				if strings.Contains(body, never) {
					t.Errorf("%s shows a viewer %q", path, never)
				}
			}
		}
		// The owner gets the forms.
		if _, body := f.signedIn(f.people["A owner"]).get("/provision/ok9/handlers/" + itoa(h.ID)); !strings.Contains(body, "Change PC 4521") || !strings.Contains(body, `name="suitability_outcome"`) {
			t.Errorf("owner's handler page has no form")
		}
	})
}

// TestGateOverrideOnThePage: an owner cannot deploy a handler who fails a
// gate; a national admin, in the organisation's view, can with a reason,
// which the deployment log and the audit trail keep.
func TestGateOverrideOnThePage(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		dog, h := ok9Records(t, st, f.orgA, false)
		form := url.Values{"deployed_on": {"2026-11-20"}, "dogs": {itoa(dog.ID)}, "handler": {itoa(h.ID)}, "kind": {"trim_support"}, "people": {"6"}, "minutes": {"60"},
			"gate_override_reason": {"Only trained handler on duty after the incident"}}
		resp, body := f.signedIn(f.people["A owner"]).post("/provision/ok9/deployments", form)
		if resp.StatusCode != 200 || !strings.Contains(body, "passed the OK9 suitability assessment with their dog") || strings.Contains(body, `name="gate_override_reason"`) {
			t.Errorf("owner past a gate = %d", resp.StatusCode)
		}
		admin := f.signedIn(f.people["admin"])
		q := "?org=" + itoa(f.orgA.ID)
		noReason := url.Values{}
		for k, v := range form {
			noReason[k] = v
		}
		noReason.Del("gate_override_reason")
		noReason.Del("_csrf") // the owner's token, added by the owner's post
		form.Del("_csrf")
		resp, body = admin.post("/provision/ok9/deployments"+q, noReason)
		if resp.StatusCode != 200 || !strings.Contains(body, `name="gate_override_reason"`) || !strings.Contains(body, `action="/provision/ok9/deployments`+q+`"`) {
			t.Fatalf("national admin without a reason = %d %s", resp.StatusCode, body)
		}
		if resp, body := admin.post("/provision/ok9/deployments"+q, form); resp.StatusCode != 303 {
			t.Fatalf("national admin with a reason = %d %s", resp.StatusCode, body)
		}
		deps, _ := st.OK9Deployments(context.Background(), store.AllOrganisations(), f.orgA.ID, provisionNow().AddDate(0, -1, 0), provisionNow())
		if len(deps) != 1 || deps[0].GateOverrideReason != "Only trained handler on duty after the incident" {
			t.Fatalf("deployments = %+v", deps)
		}
		if _, body := f.signedIn(f.people["A viewer"]).get("/provision/ok9"); !strings.Contains(body, "Past a deployment gate, by the national team: Only trained handler on duty after the incident") {
			t.Errorf("the log does not show the override")
		}
		trail, _, _ := st.ListAudit(context.Background(), store.AllOrganisations(), store.AuditFilter{EntityType: "ok9_deployment"})
		if len(trail) != 1 || !strings.Contains(trail[0].After, "gates_overridden") || !strings.Contains(trail[0].ActorLabel, "National") {
			t.Errorf("audit = %+v", trail)
		}
		// Viewers and other organisations' people still cannot log.
		form.Del("_csrf")
		if resp, _ := f.signedIn(f.people["A viewer"]).post("/provision/ok9/deployments", form); resp.StatusCode != 403 {
			t.Errorf("viewer logging = %d", resp.StatusCode)
		}
	})
}

// TestStandingOnTheMutualAidPage: the national admin sees what a lender's
// scheme fails, cannot offer its dogs without a reason, and can with one.
func TestStandingOnTheMutualAidPage(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		dog, _ := ok9Records(t, st, f.orgB, true)
		sch, _ := st.OK9Scheme(context.Background(), store.AllOrganisations(), f.orgB.ID)
		lapsed := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		sch.InsuranceExpiresOn = &lapsed
		if _, err := st.SaveOK9Scheme(context.Background(), store.SystemActor("test"), store.AllOrganisations(), sch); err != nil {
			t.Fatal(err)
		}
		req, err := st.CreateAidRequest(context.Background(), store.SystemActor("test"), store.AllOrganisations(), store.AidRequest{OrganisationID: f.orgA.ID,
			Incident: "Flood", Location: "Alphaston", StartsOn: provisionNow().AddDate(0, 0, 1), EndsOn: provisionNow().AddDate(0, 0, 1), DogsNeeded: 1})
		if err != nil {
			t.Fatal(err)
		}
		admin := f.signedIn(f.people["admin"])
		page := "/mutual-aid/" + itoa(req.ID)
		_, body := admin.get(page)
		if !strings.Contains(body, "Not in good standing for mutual aid") || !strings.Contains(body, "insurance must be in date. It expired on 1 November 2026") {
			t.Errorf("candidates do not show the lapsed insurance: %s", body)
		}
		offer := url.Values{"organisation": {itoa(f.orgB.ID)}, "dogs-" + itoa(f.orgB.ID): {itoa(dog.ID)}}
		resp, body := admin.post(page+"/offers", offer)
		if resp.StatusCode != 200 || !strings.Contains(body, "Renew it and record the new expiry date") && !strings.Contains(body, "renew it and record the new expiry date") {
			t.Errorf("offer without a reason = %d", resp.StatusCode)
		}
		if r, _ := st.AidRequest(context.Background(), store.AllOrganisations(), req.ID); len(r.Offers) != 0 {
			t.Fatalf("refused offer saved: %+v", r.Offers)
		}
		offer.Set("override_reason-"+itoa(f.orgB.ID), "Insurer confirmed cover in writing")
		if resp, body := admin.post(page+"/offers", offer); resp.StatusCode != 303 {
			t.Fatalf("offer with a reason = %d %s", resp.StatusCode, body)
		}
		if r, _ := st.AidRequest(context.Background(), store.AllOrganisations(), req.ID); len(r.Offers) != 1 || r.Offers[0].OverrideReason != "Insurer confirmed cover in writing" {
			t.Errorf("offer = %+v", r.Offers)
		}
	})
}
