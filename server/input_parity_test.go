package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var reSummaryLink = regexp.MustCompile(`href="#([a-z0-9_]+)"`)

// TestFormAndAPIFindTheSameProblems: the same bad input, posted on the page
// and sent to the API, is refused with problems on the same fields (each
// side under its own names for them), and changes nothing.
func TestFormAndAPIFindTheSameProblems(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		owner := f.people["A owner"]
		page, token := f.signedIn(owner), f.apiToken(owner)
		for _, tc := range []struct {
			name, page, api string
			in              input.Input
			form            url.Values
			json            string
		}{
			{"van request", "/provision/vans", "/api/v1/provision/vans", input.VanRequest{},
				url.Values{"kind": {"party"}, "starts_on": {"2026-13-40"}, "ends_on": {"2026-06-01"}, "place": {" "}, "attendance": {"-1"}, "contact": {"Lead"}},
				`{"kind":"party","starts_on":"2026-13-40","ends_on":"2026-06-01","place":" ","expected_attendance":-1,"contact":"Lead"}`},
			{"mutual-aid request", "/mutual-aid", "/api/v1/mutual-aid", input.AidRequest{},
				url.Values{"incident": {""}, "location": {"Town"}, "starts_on": {"2026-11-24"}, "ends_on": {"2026-11-20"}, "dogs": {"0"}},
				`{"incident":"","location":"Town","starts_on":"2026-11-24","ends_on":"2026-11-20","dogs_needed":0}`},
			{"deployment", "/provision/ok9/deployments", "/api/v1/provision/ok9/deployments", input.OK9Deployment{},
				url.Values{"deployed_on": {""}, "kind": {"mutual_aid"}, "minutes": {"1441"}, "people": {"7"}},
				`{"deployed_on":null,"kind":"mutual_aid","minutes":1441,"people_engaged":7}`},
		} {
			sameProblems(t, f, token, page, tc.name, tc.in, http.MethodPost, tc.api, tc.json, tc.page, tc.form)
		}
		if visits, _ := st.VanRequests(t.Context(), store.AllOrganisations(), f.orgA.ID, 2026); len(visits) != 0 {
			t.Errorf("refused van requests were recorded: %+v", visits)
		}
	})
}

// TestAssessmentFormsAndAPIFindTheSameProblems: the same for an answer to a
// standard and for the sign-off that submits an assessment.
func TestAssessmentFormsAndAPIFindTheSameProblems(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner := f.people["A owner"]
		page, token := f.signedIn(owner), f.apiToken(owner)
		api := "/api/v1/assessments/" + itoa(as.ID)
		long := strings.Repeat("e", input.MaxEvidence+1)
		page.get(stdPath(as, "LEAD-01"))
		sameProblems(t, f, token, page, "answer", input.Answer{}, http.MethodPut, api+"/responses/LEAD-01",
			`{"level":9,"target":7,"evidence":"`+long+`","version":1}`,
			stdPath(as, "LEAD-01"), url.Values{"level": {"9"}, "target": {"7"}, "evidence": {long}, "version": {"1"}})

		for _, sid := range f.frameworkStandards(t, as) { // complete, so that only the sign-off is wrong
			if resp, body := page.post(stdPath(as, sid), url.Values{"level": {"2"}, "version": {"1"}}); resp.StatusCode != 303 {
				t.Fatalf("answer %s = %d\n%s", sid, resp.StatusCode, body)
			}
		}
		page.get("/assessments/" + itoa(as.ID))
		sameProblems(t, f, token, page, "sign-off", input.SignOff{}, http.MethodPost, api+"/submit",
			`{"signed_off_name":" ","signed_off_role":""}`,
			"/assessments/"+itoa(as.ID)+"/submit", url.Values{"signoff_name": {" "}, "signoff_role": {""}})
		if got, _ := st.AssessmentByID(t.Context(), store.AllOrganisations(), as.ID); got.Status != store.StatusDraft {
			t.Errorf("a refused sign-off submitted the assessment: %s", got.Status)
		}
	})
}

// sameProblems sends the same bad input to the API and posts it on the
// page, and checks that both refuse it naming the same fields (each side
// under its own names for them), at least two of them.
func sameProblems(t *testing.T, f *fixture, token string, page *client, name string, in input.Input, method, api, body, path string, form url.Values) {
	t.Helper()
	var refused apiRefusal
	if code := apiCall(t, f, token, method, api, body, &refused); code != 422 {
		t.Fatalf("%s: API = %d %+v", name, code, refused)
	}
	var apiFields input.Problems
	for _, msg := range strings.Split(refused.Error.Message, "; ") {
		field, _, _ := strings.Cut(msg, " ")
		apiFields = append(apiFields, input.Problem{Field: field, Message: msg})
	}
	var want []string
	for _, e := range input.FormErrors(in, apiFields) {
		want = append(want, e.Field)
	}
	resp, html := page.post(path, form)
	if resp.StatusCode != 200 && resp.StatusCode != 422 {
		t.Fatalf("%s: form = %d", name, resp.StatusCode)
	}
	var got []string
	for _, m := range reSummaryLink.FindAllStringSubmatch(html, -1) {
		if m[1] != "main_content" && !slices.Contains(got, m[1]) {
			got = append(got, m[1])
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) < 2 || !slices.Equal(got, want) {
		t.Errorf("%s: the form found problems with %v, the API with %v (%s)", name, got, want, refused.Error.Message)
	}
}
