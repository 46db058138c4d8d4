package riskreview

import (
	"slices"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

func TestLocalRoleID(t *testing.T) {
	for _, tc := range []struct {
		name, id string
		ok       bool
	}{
		{"Mortuary liaison", "LOCAL-MORTUARY-LIAISON", true},
		{"  Family liaison (FLO) / 24h ", "LOCAL-FAMILY-LIAISON-FLO-24H", true},
		{"Café crew", "LOCAL-CAF-CREW", true}, // letters beyond A to Z are left out
		{"!!!", "LOCAL-", false},
		{"", "LOCAL-", false},
	} {
		if id, ok := LocalRoleID(tc.name); id != tc.id || ok != tc.ok {
			t.Errorf("LocalRoleID(%q) = %q, %v; want %q, %v", tc.name, id, ok, tc.id, tc.ok)
		}
	}
	if !IsLocal("LOCAL-MORTUARY-LIAISON") || IsLocal("RL-01") {
		t.Error("IsLocal does not tell local roles from the catalogue's")
	}
}

func TestLocalRole(t *testing.T) {
	r := LocalRole(store.LocalRole{RoleID: "LOCAL-X", Name: "X", Hazards: []string{"HZ-01", "HZ-02"}, Controls: []string{"CT-01"}})
	if r.ID != "LOCAL-X" || r.Name != "X" || len(r.Hazards) != 2 || r.Hazards[1] != (frameworks.RoleHazard{Hazard: "HZ-02", Likelihood: 3, Severity: 3}) || !slices.Equal(r.RecommendedControls, []string{"CT-01"}) {
		t.Errorf("local role %+v", r)
	}
}

// model is a 2 x 2 grid: low unless both levels are 2.
var model = &frameworks.RiskModel{
	Bands: []frameworks.Band{{Key: "low", Rank: 1, ReviewIntervalDays: 365, ScreeningIntervalDays: 730}, {Key: "high", Rank: 2, ReviewIntervalDays: 90, ScreeningIntervalDays: 180}},
	Grid:  []frameworks.GridRow{{Likelihood: 1, Bands: []string{"low", "low"}}, {Likelihood: 2, Bands: []string{"low", "high"}}},
}

func TestFinish(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	ra := store.RoleAssessment{Hazards: []store.HazardRating{
		{HazardID: "A", InherentL: 2, InherentS: 2, Controls: []store.RoleControl{{Status: frameworks.ControlInPlace, LikelihoodReduction: 1}}},
		{HazardID: "B", InherentL: 2, InherentS: 2, Controls: []store.RoleControl{{Status: frameworks.ControlPlanned, LikelihoodReduction: 1}}},
	}}
	Finish(model, frameworks.Role{}, &ra, now)
	if a, b := ra.Hazards[0], ra.Hazards[1]; a.ResidualL != 1 || a.ResidualS != 2 || b.ResidualL != 2 || b.ResidualS != 2 {
		t.Errorf("residuals %+v", ra.Hazards)
	}
	if ra.OverallBand != "high" || !ra.ReviewedOn.Equal(now) || !ra.NextReviewOn.Equal(now.AddDate(0, 0, 90)) || !ra.NextScreeningOn.Equal(now.AddDate(0, 0, 180)) {
		t.Errorf("band %s, reviewed %v, next review %v, next screening %v", ra.OverallBand, ra.ReviewedOn, ra.NextReviewOn, ra.NextScreeningOn)
	}
	// A residual set by hand, with a reason, stands.
	ra.Hazards[1].ResidualL, ra.Hazards[1].ResidualS, ra.Hazards[1].OverrideRationale = 1, 1, "Rotated out"
	Finish(model, frameworks.Role{}, &ra, now)
	if ra.Hazards[1].ResidualL != 1 || ra.OverallBand != "low" || !ra.NextReviewOn.Equal(now.AddDate(0, 0, 365)) {
		t.Errorf("hand-set residual: %+v, band %s", ra.Hazards[1], ra.OverallBand)
	}
}

func TestChanges(t *testing.T) {
	m := &frameworks.RiskModel{Hazards: []frameworks.Hazard{{ID: "A", Name: "Trauma exposure"}}}
	a := store.RoleAssessment{OverallBand: "high", Headcount: 40, ModelVersion: "2026.1", Hazards: []store.HazardRating{
		{HazardID: "A", InherentL: 4, InherentS: 4, ResidualL: 3, ResidualS: 3, Controls: []store.RoleControl{{ControlID: "CT-01", Status: frameworks.ControlPlanned}}},
		{HazardID: "B", InherentL: 2, InherentS: 2, ResidualL: 2, ResidualS: 2}}}
	b := a
	b.OverallBand, b.Headcount = "low", 45
	b.Hazards = []store.HazardRating{{HazardID: "A", InherentL: 4, InherentS: 4, ResidualL: 1, ResidualS: 1,
		Controls: []store.RoleControl{{ControlID: "CT-01", Status: frameworks.ControlInPlace}, {LocalName: "Buddy", Status: frameworks.ControlPlanned}}}}
	want := []Change{
		{"Band", "high", "low"},
		{"People in the role", "40", "45"},
		{"Trauma exposure: after controls", "L3 × S3", "L1 × S1"},
		{"Trauma exposure: controls", "CT-01 planned", "CT-01 in place; Buddy planned"},
		{"B: before controls", "L2 × S2", "not assessed"}, // a hazard the model does not name goes by its id
		{"B: after controls", "L2 × S2", "not assessed"},
	}
	if got := Changes(a, b, m); !slices.Equal(got, want) {
		t.Errorf("changes\n%q\nwant\n%q", got, want)
	}
	if got := Changes(a, a, nil); len(got) != 0 {
		t.Errorf("a version differs from itself: %q", got)
	}
}
