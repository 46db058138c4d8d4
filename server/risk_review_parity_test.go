package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestRoleReviewFormAndAPIFindTheSameProblems: the same bad review, posted
// on the page and sent to the API, is refused with problems on the same
// fields (the page names hazards and controls by place, the API by their
// place in the lists sent), and changes nothing.
func TestRoleReviewFormAndAPIFindTheSameProblems(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := builtinFrameworks(t).CurrentRiskModel().RiskModel
		role, _ := m.Role("RL-01")
		owner := f.people["A owner"]
		page, token := f.signedIn(owner), f.apiToken(owner)

		// On the page: the usual ratings with the first control in place
		// against every hazard, then the mistakes.
		form := reviewForm(role)
		form.Set("headcount", "-1")
		form.Set("signed_off_by", "")
		form.Set("h0_l", "9")
		form.Set("h0_c0_due", "soon")
		form.Set("h0_local_name", "Buddy scheme")
		form.Set("h0_local_l", "3")
		form.Set("h0_local_status", "maybe")
		form.Set("h0_override_l", "1")
		form.Set("h1_c1_status", "sometimes")
		form.Set("co_initial_due", "1")
		form.Set("co_initial_screened", "2")

		// To the API: the same review.
		in := input.RoleReview{Headcount: -1, ExposedHeadcount: 35, PeopleScreened: 30, StructuredInterviews: 6, Referrals: 2}
		for _, h := range role.Hazards {
			in.Hazards = append(in.Hazards, input.HazardReview{HazardID: h.Hazard, Likelihood: h.Likelihood, Severity: h.Severity,
				Controls: []input.ControlReview{{ControlID: m.ControlsFor(role, h.Hazard)[0].ID, Status: frameworks.ControlInPlace}}})
		}
		in.Cohorts = []input.CohortReview{{Cohort: frameworks.CohortInitial, PeopleDue: 1, Screened: 2}}
		soon := "soon"
		h0, h1 := &in.Hazards[0], &in.Hazards[1]
		h0.Likelihood, h0.Controls[0].DueOn = 9, &soon
		h0.Controls = append(h0.Controls, input.ControlReview{LocalName: "Buddy scheme", Status: "maybe", LikelihoodReduction: 3})
		h0.ResidualOverride = &input.ResidualOverride{Likelihood: 1}
		h1.Controls = append(h1.Controls, input.ControlReview{ControlID: m.ControlsFor(role, h1.HazardID)[1].ID, Status: "sometimes"})
		body, _ := json.Marshal(in)

		same := [][2]string{ // each problem, as the page and as the API name its field
			{"headcount", "headcount"},
			{"signed_off_by", "signed_off_by"},
			{"h0_l", "hazards[0].likelihood"},
			{"h0_rationale", "hazards[0].rationale"},
			{"h0_c0_due", "hazards[0].controls[0].due_on"},
			{"h0_local_l", "hazards[0].controls[1].likelihood_reduction"},
			{"h0_local_status", "hazards[0].controls[1].status"},
			{"h0_reason", "hazards[0].residual_override"},
			{"h1_c1_status", "hazards[1].controls[1].status"},
			{"co_initial_screened", "cohorts[0].screened"},
		}
		var wantPage, wantAPI []string
		for _, s := range same {
			wantPage, wantAPI = append(wantPage, s[0]), append(wantAPI, s[1])
		}

		resp, html := page.post("/risk/roles/RL-01", form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("page = %d", resp.StatusCode)
		}
		var gotPage []string
		for _, m := range reSummaryLink.FindAllStringSubmatch(html, -1) {
			if m[1] != "main_content" && !slices.Contains(gotPage, m[1]) {
				gotPage = append(gotPage, m[1])
			}
		}
		var refused apiRefusal
		if code := apiCall(t, f, token, http.MethodPost, "/api/v1/risk/roles/RL-01", string(body), &refused); code != http.StatusUnprocessableEntity {
			t.Fatalf("API = %d %+v", code, refused)
		}
		var gotAPI []string
		for _, msg := range strings.Split(refused.Error.Message, "; ") {
			field, _, _ := strings.Cut(msg, " ")
			gotAPI = append(gotAPI, strings.TrimSuffix(field, ":"))
		}
		if !slices.Equal(gotPage, wantPage) {
			t.Errorf("the page found problems with\n%v, want\n%v", gotPage, wantPage)
		}
		if !slices.Equal(gotAPI, wantAPI) {
			t.Errorf("the API found problems with\n%v, want\n%v (%s)", gotAPI, wantAPI, refused.Error.Message)
		}
		if reg, _ := st.RoleRegister(t.Context(), store.AllOrganisations(), f.orgA.ID); len(reg) != 0 {
			t.Errorf("a refused review was recorded: %+v", reg)
		}
	})
}
