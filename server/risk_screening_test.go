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

// everyControlForm fills the role form with the catalogue's ratings and
// every control the form offers in place against every hazard.
func everyControlForm(m *frameworks.RiskModel, role frameworks.Role) url.Values {
	form := url.Values{"headcount": {"40"}, "exposed": {"35"}, "screened": {"30"}, "interviews": {"6"}, "referrals": {"2"}, "signed_off_by": {"Jo Bloggs, Head of Wellbeing"}}
	for i, h := range role.Hazards {
		p := "h" + strconv.Itoa(i) + "_"
		form.Set(p+"l", strconv.Itoa(h.Likelihood))
		form.Set(p+"s", strconv.Itoa(h.Severity))
		for j := range m.ControlsFor(role, h.Hazard) {
			form.Set(p+"c"+strconv.Itoa(j)+"_status", frameworks.ControlInPlace)
		}
	}
	return form
}

func currentRole(t *testing.T, st *store.Store, orgID int64, roleID string) store.RoleAssessment {
	t.Helper()
	reg, err := st.RoleRegister(context.Background(), store.AllOrganisations(), orgID)
	if err != nil {
		t.Fatal(err)
	}
	for _, ra := range reg {
		if ra.RoleID == roleID {
			return ra
		}
	}
	t.Fatalf("role %s is not on the register", roleID)
	return store.RoleAssessment{}
}

// Screening is set by the role, not the band: POLIT/ICAT with every
// control in place still screens six-monthly from its last screening, and
// no screening-programme role shows a date more than 12 months away.
func TestScreeningSetByRole(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := builtinFrameworks(t).CurrentRiskModel().RiskModel
		owner := f.signedIn(f.people["A owner"])
		polit, _ := m.Role("RL-01")

		last := time.Now().UTC().AddDate(0, -2, 0).Format(time.DateOnly)
		form := everyControlForm(m, polit)
		for k, v := range map[string]string{"co_periodic_due": "38", "co_periodic_screened": "36", "co_periodic_nfa": "30", "co_periodic_further": "4", "co_periodic_referred": "2", "co_periodic_last": last,
			"co_initial_due": "3", "co_initial_screened": "3", "co_initial_nfa": "3"} {
			form.Set(k, v)
		}
		owner.get("/risk/roles/RL-01/review")
		if resp, body := owner.post("/risk/roles/RL-01", form); resp.StatusCode != 303 {
			t.Fatalf("save = %d\n%s", resp.StatusCode, body)
		}
		ra := currentRole(t, st, f.orgA.ID, "RL-01")
		lastDay, _ := time.Parse(time.DateOnly, last)
		limit := lastDay.AddDate(0, 6, 0)
		if ra.NextScreeningOn.After(limit) {
			t.Errorf("POLIT/ICAT with every control in place (band %s): next screening %v, more than 6 months after %v", ra.OverallBand, ra.NextScreeningOn, lastDay)
		}
		if len(ra.Cohorts) != 2 {
			t.Fatalf("cohorts = %+v", ra.Cohorts)
		}
		for _, co := range ra.Cohorts {
			switch co.Cohort {
			case frameworks.CohortPeriodic:
				if co.PeopleDue != 38 || co.Screened != 36 || co.NoFurtherAction != 30 || co.FurtherAssessment != 4 || co.Referred != 2 || co.DueOn == nil || co.DueOn.After(limit) {
					t.Errorf("periodic cohort %+v", co)
				}
			case frameworks.CohortInitial:
				if co.DueOn != nil { // everyone due has been screened
					t.Errorf("initial cohort with nobody outstanding has a due date %v", co.DueOn)
				}
			}
		}
		// The band did fall with the controls: the screening date did not follow it.
		if b, _ := m.Band(frameworks.Rating{Likelihood: 5, Severity: 4}); b.Key == ra.OverallBand {
			t.Errorf("every control in place left the band at %s", ra.OverallBand)
		}

		// No role of a screening programme, with every control in place and no
		// screening recorded, is given a date more than 12 months away.
		for _, role := range m.Roles {
			if !role.ScreeningProgramme || !frameworks.InSector(role.Sectors, f.orgA.Sector) || role.ID == polit.ID {
				continue
			}
			owner.get("/risk/roles/" + role.ID + "/review")
			if resp, body := owner.post("/risk/roles/"+role.ID, everyControlForm(m, role)); resp.StatusCode != 303 {
				t.Fatalf("save %s = %d\n%s", role.ID, resp.StatusCode, body)
			}
			other := currentRole(t, st, f.orgA.ID, role.ID)
			if other.NextScreeningOn.After(other.ReviewedOn.AddDate(0, 12, 0)) {
				t.Errorf("%s (band %s): screening due %v, more than 12 months after %v", role.ID, other.OverallBand, other.NextScreeningOn, other.ReviewedOn)
			}
		}

		// The register shows the cohort's date.
		_, body := owner.get("/risk")
		if !strings.Contains(body, ra.NextScreeningOn.Format("2 January 2006")) {
			t.Error("the register does not show POLIT/ICAT's screening date")
		}
	})
}

// Bad input is refused with the field named and nothing saved: a rating
// off the scale, screening counts over the headcount or outcomes over those
// screened, and (on the API) a control against a hazard it does not act on.
func TestRoleReviewRefusesBadInput(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := builtinFrameworks(t).CurrentRiskModel().RiskModel
		owner := f.signedIn(f.people["A owner"])
		polit, _ := m.Role("RL-01")
		owner.get("/risk/roles/RL-01/review")
		for _, tc := range []struct {
			field, value, wantField, wantText string
		}{
			{"h0_l", "9", "h0_l", "likelihood must be from 1 to 5"},
			{"co_periodic_due", "41", "co_periodic_due", "people due cannot be more than the people in the role"},
			{"co_initial_screened", "2", "co_initial_screened", "people screened cannot be more than the people due"},
			{"co_periodic_last", "last spring", "co_periodic_last", "The last screening must be a real date"},
		} {
			form := everyControlForm(m, polit)
			form.Set(tc.field, tc.value)
			if tc.field == "co_initial_screened" {
				form.Set("co_initial_due", "1")
			}
			resp, body := owner.post("/risk/roles/RL-01", form)
			if resp.StatusCode != 422 || !strings.Contains(body, tc.wantText) || !strings.Contains(body, `href="#`+tc.wantField+`"`) {
				t.Errorf("%s=%q: %d, want 422 naming %s with %q", tc.field, tc.value, resp.StatusCode, tc.wantField, tc.wantText)
			}
		}
		form := everyControlForm(m, polit)
		form.Set("co_referral_due", "2")
		form.Set("co_referral_screened", "1")
		form.Set("co_referral_referred", "1")
		form.Set("co_referral_nfa", "1")
		if resp, body := owner.post("/risk/roles/RL-01", form); resp.StatusCode != 422 || !strings.Contains(body, "outcomes add up to more than the people screened") {
			t.Errorf("outcomes over screened = %d", resp.StatusCode)
		}
		tok := f.apiToken(f.people["A owner"])
		var apiErr struct{ Error struct{ Message string } }
		body := `{"headcount":10,"signed_off_by":"Jo","hazards":[{"hazard_id":"HZ-14","likelihood":4,"severity":3,"controls":[{"control_id":"CT-21","status":"in place"}]}]}`
		if code := apiCall(t, f, tok, "POST", "/api/v1/risk/roles/RL-01", body, &apiErr); code != 422 || !strings.Contains(apiErr.Error.Message, "CT-21 does not mitigate HZ-14") {
			t.Errorf("hash matching against workload = %d %q", code, apiErr.Error.Message)
		}
		body = `{"headcount":10,"signed_off_by":"Jo","hazards":[{"hazard_id":"HZ-01","likelihood":5,"severity":4}],"cohorts":[{"cohort":"periodic","people_due":11}]}`
		if code := apiCall(t, f, tok, "POST", "/api/v1/risk/roles/RL-01", body, &apiErr); code != 422 || !strings.Contains(apiErr.Error.Message, "cohorts[0].people_due cannot be more than headcount") {
			t.Errorf("cohort over headcount on the API = %d %q", code, apiErr.Error.Message)
		}
		if reg, _ := st.RoleRegister(context.Background(), store.AllOrganisations(), f.orgA.ID); len(reg) != 0 {
			t.Errorf("a refused review saved: %+v", reg)
		}
		// The form offers hash matching against abuse imagery, never against workload.
		_, page := owner.get("/risk/roles/RL-01/review")
		i := strings.Index(page, "High workload and backlog pressure</h2>")
		if i < 0 {
			t.Fatal("no workload section on the form")
		}
		rest := page[i:]
		if j := strings.Index(rest, "</section>"); j > 0 {
			rest = rest[:j]
		}
		if strings.Contains(rest, "Automated matching of known imagery") {
			t.Error("hash matching offered against workload")
		}
		if !strings.Contains(page, "Almost certain") || !strings.Contains(page, "Exposure is constant or built into the core work") {
			t.Error("the form does not show the likelihood labels and descriptors")
		}
	})
}

// An assessment made under 2026.1 keeps showing that edition on the
// register until its next review, which starts from its ratings and
// reasons carried across the crosswalk.
func TestAssessmentCarriedToNewEdition(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		set := builtinFrameworks(t)
		old := set.Edition("psych-risk", "2026.1")
		now := time.Now().UTC()
		ra := store.RoleAssessment{OrganisationID: f.orgA.ID, RoleID: "RL-08", ModelKey: old.Key, ModelVersion: old.Version, ModelSHA256: old.SHA256,
			Headcount: 120, ExposedHeadcount: 100, OverallBand: "high", ReviewedOn: now, NextReviewOn: now.AddDate(0, 6, 0), NextScreeningOn: now.AddDate(1, 0, 0), SignedOffBy: "Jo",
			Hazards: []store.HazardRating{{HazardID: "HZ-05", InherentL: 3, InherentS: 4, ResidualL: 3, ResidualS: 3, Rationale: "Armed deployments halved since the unit merged",
				Controls: []store.RoleControl{{ControlID: "CT-12", Status: frameworks.ControlInPlace, Owner: "Firearms lead", SeverityReduction: 1}}}}}
		if _, err := st.SaveRoleAssessment(context.Background(), store.SystemActor("test"), store.AllOrganisations(), ra); err != nil {
			t.Fatal(err)
		}
		owner := f.signedIn(f.people["A owner"])
		_, reg := owner.get("/risk")
		if !strings.Contains(reg, "Edition 2026.1") {
			t.Error("the register does not say the role was assessed under 2026.1")
		}
		_, form := owner.get("/risk/roles/RL-08/review")
		for _, want := range []string{"made under edition 2026.1", "Armed deployments halved since the unit merged", `value="Firearms lead"`} {
			if !strings.Contains(form, want) {
				t.Errorf("the review form does not carry %q", want)
			}
		}
	})
}

// Screening counts under 5 are "fewer than 5" to viewers and national
// admins, on the register, the role page and the API; the owner sees them
// exactly.
func TestSmallScreeningCountsWithheld(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := builtinFrameworks(t).CurrentRiskModel().RiskModel
		owner := f.signedIn(f.people["A owner"])
		polit, _ := m.Role("RL-01")
		form := everyControlForm(m, polit)
		form.Set("screened", "3")
		form.Set("referrals", "1")
		form.Set("interviews", "2")
		for k, v := range map[string]string{"co_periodic_due": "12", "co_periodic_screened": "12", "co_periodic_nfa": "9", "co_periodic_further": "2", "co_periodic_referred": "1", "co_periodic_last": time.Now().UTC().Format(time.DateOnly)} {
			form.Set(k, v)
		}
		owner.get("/risk/roles/RL-01/review")
		if resp, body := owner.post("/risk/roles/RL-01", form); resp.StatusCode != 303 {
			t.Fatalf("save = %d\n%s", resp.StatusCode, body)
		}
		q := "?org=" + itoa(f.orgA.ID)
		for who, c := range map[string]*client{"viewer": f.signedIn(f.people["A viewer"]), "national admin": f.signedIn(f.people["admin"])} {
			_, reg := c.get("/risk" + q)
			_, role := c.get("/risk/roles/RL-01" + q)
			if !strings.Contains(reg, "fewer than 5") || strings.Contains(role, "3 screened in the interval") || !strings.Contains(role, "fewer than 5 screened in the interval") {
				t.Errorf("%s sees small counts exactly", who)
			}
			if !strings.Contains(role, ">12<") { // 12 due is not small
				t.Errorf("%s does not see the periodic cohort's 12 people due", who)
			}
		}
		_, role := owner.get("/risk/roles/RL-01")
		if !strings.Contains(role, "3 screened in the interval, 2 structured interviews, 1 referrals") {
			t.Error("the owner does not see exact small counts")
		}
		var api struct {
			Roles []struct {
				Cohorts []map[string]any
			}
		}
		if code := apiCall(t, f, f.apiToken(f.people["A viewer"]), "GET", "/api/v1/risk/roles", "", &api); code != 200 || len(api.Roles) != 1 || len(api.Roles[0].Cohorts) != 1 {
			t.Fatalf("API = %d %+v", code, api)
		}
		if co := api.Roles[0].Cohorts[0]; co["referred"] != "fewer than 5" || co["people_due"] != float64(12) || co["due_on"] == nil {
			t.Errorf("viewer's API cohort = %v", co)
		}
	})
}

// The heat map takes its band colours from the model, names the band in
// every cell and links each cell with roles to those roles on the register.
func TestHeatmapFromModel(t *testing.T) {
	st := storetest.Open(t, store.DialectSQLite)
	f := newFixture(t, st)
	m := builtinFrameworks(t).CurrentRiskModel().RiskModel
	owner := f.signedIn(f.people["A owner"])
	for _, id := range []string{"RL-01", "RL-16"} {
		role, _ := m.Role(id)
		owner.get("/risk/roles/" + id + "/review")
		if resp, body := owner.post("/risk/roles/"+id, everyControlForm(m, role)); resp.StatusCode != 303 {
			t.Fatalf("save %s = %d\n%s", id, resp.StatusCode, body)
		}
	}
	resp, css := owner.get("/risk/bands.css")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("bands.css = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	colours := map[string]bool{}
	for _, b := range m.Bands {
		if !strings.Contains(css, ".app-band--"+b.Key+"{background-color:"+b.Colour) {
			t.Errorf("band %s is not coloured %s", b.Key, b.Colour)
		}
		colours[b.Colour] = true
	}
	if len(colours) != len(m.Bands) {
		t.Error("two bands share a colour")
	}
	_, body := owner.get("/risk/heatmap")
	cells := len(m.Likelihood) * len(m.Severity) * 2
	if n := strings.Count(body, `<span class="app-heatmap__band">`); n != cells {
		t.Errorf("%d cells name their band, want %d", n, cells)
	}
	link := "/risk?cell=inherent-5-4"
	if !strings.Contains(body, `href="`+link+`"`) {
		t.Fatalf("no link to POLIT/ICAT's cell before controls (L5 x S4)")
	}
	_, reg := owner.get(link)
	if !strings.Contains(reg, "Online child sexual abuse investigator") || strings.Contains(reg, "Response police officer") {
		t.Errorf("the cell's link does not show only the roles in it:\n%s", reg)
	}
}
