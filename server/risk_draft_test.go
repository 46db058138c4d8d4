package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestRoleReviewDraftAndSignOff: a review saved part way keeps what was
// typed, counts in no figure and shows on the register as a draft with who
// saved it; a wrong value in a draft is still refused with its field
// named; only the register's editors may save one; signing off checks the
// whole review, records the version and removes the draft, in the audit
// trail in words. The API does the same by the same rules.
func TestRoleReviewDraftAndSignOff(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		m := builtinFrameworks(t).CurrentRiskModel().RiskModel
		role, _ := m.Role("RL-01")
		owner := f.signedIn(f.people["A owner"])

		// Part way: no headcount, the first hazard not yet rated, a reason
		// typed for the second, one control chosen, nobody signing off.
		part := url.Values{"action": {"draft"}, "headcount": {""}, "h1_l": {"4"}, "h1_rationale": {"Night shifts see more of it"},
			"h1_c0_status": {frameworks.ControlPlanned}, "h1_c0_owner": {"TRiM lead"}}
		resp, body := owner.post("/risk/roles/RL-01", part)
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/risk/roles/RL-01/review") {
			t.Fatalf("draft = %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		if reg, _ := st.RoleRegister(ctx, store.AllOrganisations(), f.orgA.ID); len(reg) != 0 {
			t.Fatalf("a draft is in the register's figures: %+v", reg)
		}
		_, form := owner.get("/risk/roles/RL-01/review")
		for _, want := range []string{"Draft, not signed off: saved by", "Night shifts see more of it", `value="TRiM lead"`, `name="h1_l" type="radio" value="4" checked`} {
			if !strings.Contains(form, want) {
				t.Errorf("the draft's form lacks %q", want)
			}
		}
		if strings.Contains(form, `name="h0_l" type="radio" value="`+strconv.Itoa(role.Hazards[0].Likelihood)+`" checked`) {
			t.Error("a level not yet chosen in the draft came back chosen")
		}
		// A count left blank comes back blank, not as a 0 nobody typed.
		for _, count := range []string{"headcount", "exposed", "screened"} {
			if at := strings.Index(form, `name="`+count+`" type="text"`); at < 0 || strings.HasPrefix(form[at+len(`name="`+count+`" type="text"`):], ` value=`) {
				t.Errorf("the draft's %s came back with a value: %.120s", count, form[max(at, 0):])
			}
		}
		_, reg := owner.get("/risk")
		if !strings.Contains(reg, "Draft, not signed off") || !strings.Contains(reg, "No roles assessed yet.") {
			t.Errorf("the register does not show the draft apart from its figures")
		}

		// A value that is there and wrong is refused in a draft too, and the
		// draft is left as it was.
		wrong := url.Values{"action": {"draft"}, "h0_l": {"9"}, "h1_rationale": {"changed"}}
		resp, body = owner.post("/risk/roles/RL-01", wrong)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#h0_l"`) {
			t.Errorf("a draft off the scale = %d", resp.StatusCode)
		}
		if d, _ := st.RoleReviewDraftOf(ctx, store.AllOrganisations(), f.orgA.ID, "RL-01"); d == nil || strings.Contains(d.Review, "changed") {
			t.Errorf("a refused draft changed the saved one: %+v", d)
		}

		// Someone who may not edit the register may not save a draft.
		viewer := f.signedIn(f.people["A viewer"])
		if resp, _ := viewer.post("/risk/roles/RL-01", url.Values{"action": {"draft"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a viewer's draft = %d", resp.StatusCode)
		}
		if _, reg := viewer.get("/risk"); !strings.Contains(reg, "Draft, not signed off") {
			t.Error("a viewer does not see that the role is a draft")
		}

		// The API: the same wrong value is refused on the same field; a
		// partial review is kept and listed.
		token := f.apiToken(f.people["A owner"])
		var refused apiRefusal
		if code := apiCall(t, f, token, http.MethodPut, "/api/v1/risk/roles/RL-01/draft", `{"hazards":[{"hazard_id":"`+role.Hazards[0].Hazard+`","likelihood":9}]}`, &refused); code != http.StatusUnprocessableEntity ||
			!strings.HasPrefix(refused.Error.Message, "hazards[0].likelihood") {
			t.Errorf("API draft off the scale = %d %s", code, refused.Error.Message)
		}
		var saved struct {
			Status  string
			SavedBy string `json:"saved_by"`
			Review  json.RawMessage
		}
		if code := apiCall(t, f, token, http.MethodPut, "/api/v1/risk/roles/RL-01/draft", `{"headcount":40,"hazards":[{"hazard_id":"`+role.Hazards[1].Hazard+`","likelihood":4,"rationale":"from the API"}]}`, &saved); code != http.StatusOK ||
			!strings.Contains(string(saved.Review), "from the API") || saved.Status != "draft" || saved.SavedBy == "" {
			t.Errorf("API draft = %d %+v", code, saved)
		}
		var list struct {
			Roles  []any
			Drafts []struct {
				RoleID  string `json:"role_id"`
				SavedBy string `json:"saved_by"`
			}
		}
		if code := apiCall(t, f, token, http.MethodGet, "/api/v1/risk/roles", "", &list); code != http.StatusOK || len(list.Roles) != 0 || len(list.Drafts) != 1 || list.Drafts[0].RoleID != "RL-01" {
			t.Errorf("API register = %d %+v", code, list)
		}
		if _, form := owner.get("/risk/roles/RL-01/review"); !strings.Contains(form, "from the API") || !strings.Contains(form, `name="headcount" type="text" value="40"`) && !strings.Contains(form, `value="40"`) {
			t.Error("the page does not show the draft the API saved")
		}

		// Signing off an incomplete review is refused; a complete one is
		// recorded and the draft is gone.
		if resp, _ := owner.post("/risk/roles/RL-01", url.Values{"action": {"sign-off"}, "headcount": {"40"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("signing off an incomplete review = %d", resp.StatusCode)
		}
		full := reviewForm(role)
		full.Set("action", "sign-off")
		if resp, body := owner.post("/risk/roles/RL-01", full); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-off = %d\n%s", resp.StatusCode, body)
		}
		if d, _ := st.RoleReviewDraftOf(ctx, store.AllOrganisations(), f.orgA.ID, "RL-01"); d != nil {
			t.Errorf("the draft outlived the sign-off: %+v", d)
		}
		if reg, _ := st.RoleRegister(ctx, store.AllOrganisations(), f.orgA.ID); len(reg) != 1 || reg[0].SignedOffBy != "Jo Bloggs, Head of Wellbeing" {
			t.Errorf("register after sign-off = %+v", reg)
		}
		if _, role := owner.get("/risk/roles/RL-01"); !strings.Contains(role, "signed off by Jo Bloggs, Head of Wellbeing (recorded by ") {
			t.Error("the role page does not say who signed off and who recorded it when")
		}
		if _, reg := owner.get("/risk"); strings.Contains(reg, "Draft, not signed off") {
			t.Error("the register still shows a draft after sign-off")
		}
		if _, trail := owner.get("/audit"); !strings.Contains(trail, "Signed off a role&#39;s risk assessment (RL-01/v1) as Jo Bloggs, Head of Wellbeing") ||
			!strings.Contains(trail, "Saved a draft of a role&#39;s risk assessment, not signed off") {
			t.Error("the audit trail does not say in words who saved the draft and who signed off")
		}
	})
}
