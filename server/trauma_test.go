package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestTraumaReturnPagesAndAPI: the quarterly TRiM and trauma support return
// on the page and through the API; bad counts are refused with the field
// named and nothing saved; viewers read but do not write.
func TestTraumaReturnPagesAndAPI(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		ctx := context.Background()
		if err := st.SetWorkforce(ctx, store.SystemActor("test"), store.AllOrganisations(), store.Workforce{OrganisationID: f.orgA.ID, Year: 2026, Officers: 600, Staff: 400}); err != nil {
			t.Fatal(err)
		}
		form := func(change map[string]string) url.Values {
			v := url.Values{"year": {"2026"}, "quarter": {"3"}, "incidents": {"12"}, "planning_meetings": {"11"}, "risk_assessments": {"30"}, "reviews": {"22"},
				"defusings": {"4"}, "demobilisations": {"7"}, "estims": {"1"}, "referrals_oh": {"3"}, "referrals_psych": {"2"},
				"practitioners_trained": {"6"}, "team_leaders_trained": {"1"}, "managers_trained": {"0"}}
			for k, x := range change {
				v.Set(k, x)
			}
			return v
		}
		owner := f.signedIn(f.people["A owner"])
		for _, tc := range []struct {
			change map[string]string
			says   string
		}{
			{map[string]string{"reviews": "31"}, "TRiM reviews at 28 days (reviews) cannot be more than the TRiM risk assessments held"},
			{map[string]string{"incidents": "-2"}, "Incidents that triggered the trauma process must be a whole number from 0 to 1,000,000"},
			{map[string]string{"defusings": "1001"}, "Defusings held (defusings) cannot be more than the workforce of 1000"},
			{map[string]string{"planning_meetings": "13"}, "cannot be more than the incidents"},
		} {
			resp, body := owner.post("/provision/trauma", form(tc.change))
			if resp.StatusCode != 200 || !strings.Contains(body, tc.says) || !strings.Contains(body, "govuk-error-summary") {
				t.Errorf("%v = %d, want the page again saying %q", tc.change, resp.StatusCode, tc.says)
			}
		}
		if list, _ := st.TraumaReturns(ctx, store.AllOrganisations(), f.orgA.ID); len(list) != 0 {
			t.Fatalf("refused returns saved: %+v", list)
		}
		if resp, body := owner.post("/provision/trauma", form(nil)); resp.StatusCode != 303 {
			t.Fatalf("good return = %d %s", resp.StatusCode, body)
		}
		viewer := f.signedIn(f.people["A viewer"])
		_, body := viewer.get("/provision/trauma")
		if !strings.Contains(body, "July to September 2026") || !strings.Contains(body, ">22<") || strings.Contains(body, `action="/provision/trauma`) {
			t.Errorf("viewer's page: %s", body)
		}
		if resp, _ := viewer.post("/provision/trauma", form(nil)); resp.StatusCode != 403 {
			t.Errorf("viewer saved a return: %d", resp.StatusCode)
		}

		// The API: the quarter is in the address; the same rules.
		tok, vtok := f.apiToken(f.people["A owner"]), f.apiToken(f.people["A viewer"])
		body4 := `{"incidents":5,"planning_meetings":5,"risk_assessments":9,"reviews":10,"defusings":1,"demobilisations":2,"estims":0,"referrals_oh":1,"referrals_psych":0,"practitioners_trained":0,"team_leaders_trained":0,"managers_trained":0}`
		var refused apiRefusal
		if code := apiCall(t, f, tok, http.MethodPut, "/api/v1/provision/trauma/2026/4", body4, &refused); code != 422 || !strings.Contains(refused.Error.Message, "(reviews)") {
			t.Errorf("API reviews over assessments = %d %+v", code, refused)
		}
		if code := apiCall(t, f, tok, http.MethodPut, "/api/v1/provision/trauma/2026/4", strings.Replace(body4, `"estims":0,`, ``, 1), &refused); code != 422 || !strings.Contains(refused.Error.Message, "estims") {
			t.Errorf("API missing count = %d %+v", code, refused)
		}
		if code := apiCall(t, f, tok, http.MethodPut, "/api/v1/provision/trauma/2026/5", strings.Replace(body4, `"reviews":10`, `"reviews":9`, 1), &refused); code != 422 || !strings.Contains(refused.Error.Message, "quarter") {
			t.Errorf("API quarter 5 = %d %+v", code, refused)
		}
		if code := apiCall(t, f, vtok, http.MethodPut, "/api/v1/provision/trauma/2026/4", strings.Replace(body4, `"reviews":10`, `"reviews":9`, 1), &refused); code != 403 {
			t.Errorf("viewer's API save = %d", code)
		}
		var saved struct{ Quarter, Reviews int }
		if code := apiCall(t, f, tok, http.MethodPut, "/api/v1/provision/trauma/2026/4", strings.Replace(body4, `"reviews":10`, `"reviews":9`, 1), &saved); code != 200 || saved.Quarter != 4 || saved.Reviews != 9 {
			t.Errorf("API save = %d %+v", code, saved)
		}
		var list struct {
			Returns []struct{ Year, Quarter, Incidents int }
		}
		if code := apiCall(t, f, vtok, http.MethodGet, "/api/v1/provision/trauma", "", &list); code != 200 || len(list.Returns) != 2 || list.Returns[0].Quarter != 4 || list.Returns[1].Incidents != 12 {
			t.Errorf("API list = %d %+v", code, list)
		}
		// Another organisation reads none of them.
		if code := apiCall(t, f, f.apiToken(f.people["B owner"]), http.MethodGet, "/api/v1/provision/trauma", "", &list); code != 200 || len(list.Returns) != 0 {
			t.Errorf("B's list = %d %+v", code, list)
		}
	})
}
