package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// reviewForm fills the role form with the catalogue's baseline ratings and
// the first recommended control in place against every hazard.
func reviewForm(role frameworks.Role) url.Values {
	form := url.Values{"headcount": {"40"}, "exposed": {"35"}, "screened": {"30"}, "interviews": {"6"}, "referrals": {"2"}, "signed_off_by": {"Jo Bloggs, Head of Wellbeing"}}
	for i, h := range role.Hazards {
		p := "h" + strconv.Itoa(i) + "_"
		form.Set(p+"l", strconv.Itoa(h.Likelihood))
		form.Set(p+"s", strconv.Itoa(h.Severity))
		form.Set(p+"c0_status", frameworks.ControlInPlace)
	}
	return form
}

func TestRoleRiskAssessment(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		m := builtinFrameworks(t).CurrentRiskModel().RiskModel
		role, _ := m.Role("RL-01")
		owner := f.signedIn(f.people["A owner"])

		owner.get("/risk/roles/RL-01/review")
		bad := reviewForm(role)
		bad.Set("exposed", "41")
		bad.Set("h0_l", "1") // differs from the catalogue without a reason
		resp, body := owner.post("/risk/roles/RL-01", bad)
		if resp.StatusCode != 422 || !strings.Contains(body, "say why the rating differs") || !strings.Contains(body, `value="Jo Bloggs, Head of Wellbeing"`) {
			t.Fatalf("bad form = %d", resp.StatusCode)
		}
		if reg, _ := st.RoleRegister(ctx, store.AllOrganisations(), f.orgA.ID); len(reg) != 0 {
			t.Fatal("a refused form saved")
		}

		if resp, body := owner.post("/risk/roles/RL-01", reviewForm(role)); resp.StatusCode != 303 {
			t.Fatalf("save = %d\n%s", resp.StatusCode, body)
		}
		reg, _ := st.RoleRegister(ctx, store.AllOrganisations(), f.orgA.ID)
		if len(reg) != 1 {
			t.Fatalf("register = %+v", reg)
		}
		ra := reg[0]
		var residuals []frameworks.Rating
		for i, h := range role.Hazards {
			// c0 is the first control the form offers against this hazard.
			l, sv, _ := m.ControlsFor(role, h.Hazard)[0].Reduction(h.Hazard)
			want := m.ResidualFor(h.Hazard, frameworks.Rating{Likelihood: h.Likelihood, Severity: h.Severity},
				[]frameworks.AppliedControl{{LikelihoodReduction: l, SeverityReduction: sv, Status: frameworks.ControlInPlace}})
			got := ra.Hazards[i]
			if got.ResidualL != want.Likelihood || got.ResidualS != want.Severity {
				t.Errorf("hazard %s residual = %d x %d, want %v", h.Hazard, got.ResidualL, got.ResidualS, want)
			}
			residuals = append(residuals, want)
		}
		band, _ := m.Worst(residuals)
		if ra.OverallBand != band.Key || !ra.NextReviewOn.Equal(band.NextReview(ra.ReviewedOn)) || !ra.NextScreeningOn.Equal(frameworks.PeriodicDue(role, band, ra.ReviewedOn)) {
			t.Errorf("band %s review %v screening %v; want %s", ra.OverallBand, ra.NextReviewOn, ra.NextScreeningOn, band.Key)
		}

		// A residual set by hand needs a reason, and then wins.
		manual := reviewForm(role)
		manual.Set("h0_override_l", "1")
		manual.Set("h0_override_s", "1")
		if resp, _ := owner.post("/risk/roles/RL-01", manual); resp.StatusCode != 422 {
			t.Errorf("override without a reason = %d", resp.StatusCode)
		}
		manual.Set("h0_reason", "Role rotated out after six months")
		manual.Set("teams", "Paedophile Online Investigation Team")
		manual.Set("h0_c1_status", frameworks.ControlPlanned)
		manual.Set("h0_c1_due", "not a date")
		if resp, body := owner.post("/risk/roles/RL-01", manual); resp.StatusCode != 422 || !strings.Contains(body, "The due date must be a real date") {
			t.Errorf("bad due date = %d", resp.StatusCode)
		}
		manual.Set("h0_c1_due", "2027-06-30")
		if resp, _ := owner.post("/risk/roles/RL-01", manual); resp.StatusCode != 303 {
			t.Fatalf("override = %d", resp.StatusCode)
		}
		_, body = owner.get("/risk/roles/RL-01")
		for _, want := range []string{"Current assessment", "Version 1", "Set by hand: Role rotated out after six months", "What changed since version 1", "covers Paedophile Online Investigation Team", "due 30 June 2027"} {
			if !strings.Contains(body, want) {
				t.Errorf("role page lacks %q", want)
			}
		}
		h0, _ := m.Hazard(role.Hazards[0].Hazard)
		resp, body = owner.get("/risk/roles/RL-01/compare?from=1&to=2")
		if resp.StatusCode != 200 || !strings.Contains(body, h0.Name+": after controls") || !strings.Contains(body, "L1 × S1") {
			t.Errorf("compare = %d; the hand-set residual of %s is not shown as a change", resp.StatusCode, h0.Name)
		}

		// Overdue reviews are flagged; the heat map counts the role and its people.
		st.Now = func() time.Time { return time.Now().UTC().AddDate(1, 0, 0) }
		_, body = f.signedIn(f.people["A owner"]).get("/risk") // a session of the future
		if !strings.Contains(body, "Overdue") {
			t.Error("an overdue review is not flagged")
		}
		if _, home := f.signedIn(f.people["A owner"]).get("/"); !strings.Contains(home, "Overdue: review the risk assessment of "+role.Name) {
			t.Error("the home page does not flag the overdue review")
		}
		st.Now = func() time.Time { return time.Now().UTC() }
		_, body = owner.get("/risk/heatmap")
		if strings.Count(body, "1 role</strong>") != 2 || !strings.Contains(body, "40 people") {
			t.Errorf("heat map does not count the role in both grids:\n%s", body)
		}

		// The register is offered as evidence on standards tagged for screening.
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		_, body = owner.get(stdPath(as, "MH-07"))
		if !strings.Contains(body, "Evidence from your records") || !strings.Contains(body, role.Name+": 30 of 40 people screened") || !strings.Contains(body, "(source: role risk register, as at ") {
			t.Errorf("screening evidence not offered on MH-07")
		}
		if _, body = owner.get(stdPath(as, "LEAD-01")); strings.Contains(body, "Evidence from your records") || strings.Contains(body, "role risk register, as at") {
			t.Errorf("risk register offered on an untagged standard")
		}

		// The API gives the register and the history to the organisation's own token.
		// A viewer's token gets 2 referrals as "fewer than 5", 30 screened exactly.
		var apiReg struct {
			Roles []struct {
				Version        int
				Referrals      any
				PeopleScreened any `json:"people_screened"`
			}
		}
		tok := f.apiToken(f.people["A viewer"])
		if code := apiCall(t, f, tok, "GET", "/api/v1/risk/roles", "", &apiReg); code != 200 || len(apiReg.Roles) != 1 || apiReg.Roles[0].Version != 2 ||
			apiReg.Roles[0].Referrals != "fewer than 5" || apiReg.Roles[0].PeopleScreened != float64(30) {
			t.Errorf("API register = %d %+v", code, apiReg)
		}
		var apiHist struct{ Versions []struct{ Version int } }
		if code := apiCall(t, f, tok, "GET", "/api/v1/risk/roles/RL-01", "", &apiHist); code != 200 || len(apiHist.Versions) != 2 {
			t.Errorf("API history = %d, %d versions", code, len(apiHist.Versions))
		}
		ownerTok := f.apiToken(f.people["A owner"])
		var saved struct {
			Version     int
			OverallBand string `json:"overall_band"`
			Referrals   any
			Hazards     []store.HazardRating
		}
		body3 := `{"headcount":50,"exposed_headcount":40,"people_screened":45,"structured_interviews":9,"referrals":3,"signed_off_by":"Jo Bloggs",
			"hazards":[{"hazard_id":"` + role.Hazards[0].Hazard + `","likelihood":` + strconv.Itoa(role.Hazards[0].Likelihood) + `,"severity":` + strconv.Itoa(role.Hazards[0].Severity) + `,
			"controls":[{"control_id":"` + role.RecommendedControls[0] + `","status":"in place"}]}]}`
		if code := apiCall(t, f, ownerTok, "POST", "/api/v1/risk/roles/RL-01", body3, &saved); code != 201 || saved.Version != 3 || saved.OverallBand == "" || saved.Hazards[0].ResidualL > role.Hazards[0].Likelihood || saved.Referrals != float64(3) {
			t.Errorf("API save = %d %+v", code, saved)
		}
		var apiErr struct{ Error struct{ Message string } }
		if code := apiCall(t, f, ownerTok, "POST", "/api/v1/risk/roles/RL-01", `{"headcount":5,"signed_off_by":"x","hazards":[{"hazard_id":"HZ-99","likelihood":9,"severity":1}]}`, &apiErr); code != 422 || !strings.Contains(apiErr.Error.Message, `"HZ-99" is not a hazard of this role`) {
			t.Errorf("bad API save = %d %q", code, apiErr.Error.Message)
		}
		if code := apiCall(t, f, tok, "POST", "/api/v1/risk/roles/RL-01", body3, nil); code != 403 {
			t.Errorf("viewer API save = %d", code)
		}
		if code := apiCall(t, f, f.apiToken(f.people["B owner"]), "GET", "/api/v1/risk/roles/RL-01", "", nil); code != 404 {
			t.Errorf("B's token read A's role: %d", code)
		}

		// A role of the organisation's own, from catalogue hazards and controls.
		owner.get("/risk")
		resp, _ = owner.post("/risk/local", url.Values{"local_name": {"Mortuary liaison"}, "local_hazards": {"HZ-01", "HZ-02"}, "local_controls": {"CT-01"}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/risk/roles/LOCAL-MORTUARY-LIAISON/review" {
			t.Fatalf("define local role = %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		owner.get("/risk/roles/LOCAL-MORTUARY-LIAISON/review")
		local := url.Values{"headcount": {"6"}, "exposed": {"6"}, "screened": {"6"}, "interviews": {"1"}, "referrals": {"0"}, "signed_off_by": {"Jo Bloggs"},
			"h0_l": {"4"}, "h0_s": {"4"}, "h1_l": {"2"}, "h1_s": {"3"}, "h0_c0_status": {frameworks.ControlInPlace}}
		if resp, body := owner.post("/risk/roles/LOCAL-MORTUARY-LIAISON", local); resp.StatusCode != 303 {
			t.Fatalf("assess local role = %d\n%s", resp.StatusCode, body)
		}
		if _, body := owner.get("/risk"); !strings.Contains(body, "Mortuary liaison (local role)") {
			t.Error("the local role is not on the register")
		}
		if resp, body := owner.post("/risk/local", url.Values{"local_name": {"Mortuary liaison"}, "local_hazards": {"HZ-01"}}); resp.StatusCode != 422 || !strings.Contains(body, "already has a role called") {
			t.Errorf("duplicate local role = %d", resp.StatusCode)
		}
		if resp, _ := f.signedIn(f.people["B owner"]).get("/risk/roles/LOCAL-MORTUARY-LIAISON"); resp.StatusCode != 404 {
			t.Errorf("B opened A's local role: %d", resp.StatusCode)
		}

		// National admins read any organisation's register by naming it.
		admin := f.signedIn(f.people["admin"])
		if resp, body := admin.get("/risk?org=" + itoa(f.orgA.ID)); resp.StatusCode != 200 || !strings.Contains(body, role.Name) || !strings.Contains(body, "/risk/roles/RL-01?org="+itoa(f.orgA.ID)) {
			t.Errorf("admin register of A = %d", resp.StatusCode)
		}
		if resp, _ := admin.get("/risk"); resp.StatusCode != 404 {
			t.Errorf("admin register without an organisation = %d", resp.StatusCode)
		}
		if resp, _ := admin.post("/risk/roles/RL-01?org="+itoa(f.orgA.ID), reviewForm(role)); resp.StatusCode != 403 {
			t.Errorf("a national admin changed an organisation's register: %d", resp.StatusCode)
		}

		// Only owners and contributors given the register may change it.
		for _, who := range []string{"A viewer", "A contributor"} {
			if resp, _ := f.signedIn(f.people[who]).post("/risk/roles/RL-01", reviewForm(role)); resp.StatusCode != 403 {
				t.Errorf("%s saved a role assessment: %d", who, resp.StatusCode)
			}
		}
		if resp, _ := f.signedIn(f.people["A viewer"]).get("/risk"); resp.StatusCode != 200 {
			t.Errorf("viewer cannot read the register: %d", resp.StatusCode)
		}
	})
}
