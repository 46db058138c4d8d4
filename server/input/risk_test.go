package input

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// testModel is a small risk model: likelihood 1 to 5, severity 1 to 4, two
// hazards, two controls and one role with both.
var testModel = &frameworks.RiskModel{
	Likelihood: make([]frameworks.RiskLevel, 5),
	Severity:   make([]frameworks.RiskLevel, 4),
	Hazards:    []frameworks.Hazard{{ID: "HZ-01", Name: "Trauma exposure"}, {ID: "HZ-02", Name: "Fatigue"}},
	Controls: []frameworks.Control{{ID: "CT-01", Name: "Peer support", LikelihoodReduction: 1, SeverityReduction: 1},
		{ID: "CT-02", Name: "Rotation", LikelihoodReduction: 2}},
}

var testRole = frameworks.Role{ID: "RL-01", Name: "Digital investigator", RecommendedControls: []string{"CT-01", "CT-02"},
	Hazards: []frameworks.RoleHazard{{Hazard: "HZ-01", Likelihood: 4, Severity: 4}, {Hazard: "HZ-02", Likelihood: 3, Severity: 2}}}

// validReview rates both hazards: the first as usual with a catalogue and
// a local control, the second differently, with a reason, and its residual
// set by hand.
func validReview() RoleReview {
	return RoleReview{Headcount: 40, ExposedHeadcount: 35, PeopleScreened: 30, StructuredInterviews: 6, Referrals: 2, SignedOffBy: "Jo Bloggs",
		Hazards: []HazardReview{
			{HazardID: "HZ-01", Likelihood: 4, Severity: 4, Controls: []ControlReview{
				{ControlID: "CT-01", Status: frameworks.ControlInPlace, DueOn: ptr("2027-03-31")},
				{LocalName: "Buddy scheme", Status: frameworks.ControlPlanned, LikelihoodReduction: 1}}},
			{HazardID: "HZ-02", Likelihood: 2, Severity: 2, Rationale: "Shorter shifts",
				ResidualOverride: &ResidualOverride{Likelihood: 1, Severity: 1, Rationale: "Rotated out after six months"}},
		}}
}

// changedReview is a change to a valid review of the test role, checked
// against the test model, so that checkRules can run a type whose Validate
// takes the model; each rule starts from a fresh valid review.
type changedReview struct{ change func(*RoleReview) }

func (c changedReview) Validate() Problems {
	in := validReview()
	if c.change != nil {
		c.change(&in)
	}
	return in.Validate(testModel, testRole)
}

func review(change func(*RoleReview)) func(*changedReview) {
	return func(c *changedReview) { c.change = change }
}

func TestRoleReviewRules(t *testing.T) {
	first := func(in *RoleReview) *HazardReview { return &in.Hazards[0] }
	second := func(in *RoleReview) *HazardReview { return &in.Hazards[1] }
	checkRules(t, changedReview{}, []rule[changedReview]{
		{"negative count", review(func(in *RoleReview) { in.Headcount = -1 }), []string{"headcount"}},
		{"count too big", review(func(in *RoleReview) { in.Referrals = maxRoleCount + 1 }), []string{"referrals"}},
		{"not signed off", review(func(in *RoleReview) { in.SignedOffBy = "  " }), []string{"signed_off_by"}},
		{"no hazards", review(func(in *RoleReview) { in.Hazards = nil }), []string{"hazards"}},
		{"not the role's hazard", review(func(in *RoleReview) { first(in).HazardID = "HZ-99" }), []string{"hazards[0].hazard_id"}},
		{"rated twice", review(func(in *RoleReview) { second(in).HazardID = "HZ-01" }), []string{"hazards[1].hazard_id"}},
		{"likelihood off the scale", review(func(in *RoleReview) { first(in).Likelihood, first(in).Rationale = 6, "x" }), []string{"hazards[0].likelihood"}},
		{"severity off the scale", review(func(in *RoleReview) { first(in).Severity, first(in).Rationale = 5, "x" }), []string{"hazards[0].severity"}},
		{"no rating", review(func(in *RoleReview) { first(in).Likelihood, first(in).Severity = 0, 0 }),
			[]string{"hazards[0].likelihood", "hazards[0].severity", "hazards[0].rationale"}},
		{"differs without a reason", review(func(in *RoleReview) { second(in).Rationale = " " }), []string{"hazards[1].rationale"}},
		{"not a catalogue control", review(func(in *RoleReview) { first(in).Controls[0].ControlID = "CT-99" }), []string{"hazards[0].controls[0].control_id"}},
		{"no status", review(func(in *RoleReview) { first(in).Controls[0].Status = "" }), []string{"hazards[0].controls[0].status"}},
		{"due not a date", review(func(in *RoleReview) { first(in).Controls[0].DueOn = ptr("31/03/2027") }), []string{"hazards[0].controls[0].due_on"}},
		{"local control unnamed", review(func(in *RoleReview) { first(in).Controls[1].LocalName = " " }), []string{"hazards[0].controls[1].local_name"}},
		{"local reductions out of range", review(func(in *RoleReview) {
			first(in).Controls[1].LikelihoodReduction, first(in).Controls[1].SeverityReduction = maxLocalReduction+1, -1
		}), []string{"hazards[0].controls[1].likelihood_reduction", "hazards[0].controls[1].severity_reduction"}},
		{"local status unknown", review(func(in *RoleReview) { first(in).Controls[1].Status = "maybe" }), []string{"hazards[0].controls[1].status"}},
		{"override without a reason", review(func(in *RoleReview) { second(in).ResidualOverride.Rationale = "" }), []string{"hazards[1].residual_override"}},
		{"override with one level", review(func(in *RoleReview) { second(in).ResidualOverride.Severity = 0 }), []string{"hazards[1].residual_override"}},
		{"override off the scale", review(func(in *RoleReview) { second(in).ResidualOverride.Likelihood = 6 }), []string{"hazards[1].residual_override.likelihood"}},
		{"more exposed than in the role", review(func(in *RoleReview) { in.ExposedHeadcount = 41 }), []string{"exposed_headcount"}},
		{"more screened than in the role", review(func(in *RoleReview) { in.PeopleScreened = 41 }), []string{"people_screened"}},
		{"more exposed, and unsigned: the sign-off first", review(func(in *RoleReview) { in.ExposedHeadcount, in.SignedOffBy = 41, "" }), []string{"signed_off_by"}},
	})
}

// A role an organisation defines itself has no usual ratings to differ
// from; and a due date may come as a time, as the API has always sent it.
func TestRoleReviewAllows(t *testing.T) {
	local := testRole
	local.ID = "LOCAL-DIGITAL"
	in := validReview()
	in.Hazards[1].Rationale = ""
	in.Hazards[0].Controls[0].DueOn = ptr("2027-03-31T12:00:00+01:00")
	if ps := in.Validate(testModel, local); len(ps) > 0 {
		t.Errorf("refused: %+v", ps)
	}
}

func TestRoleReviewApply(t *testing.T) {
	in := validReview()
	in.Teams, in.SignedOffBy = " POLIT ", " Jo Bloggs "
	in.Hazards[0].Controls[0].LikelihoodReduction = 2 // a catalogue control takes the catalogue's
	ra := store.RoleAssessment{OrganisationID: 7, RoleID: "RL-01"}
	in.Apply(testModel, &ra)
	if ra.OrganisationID != 7 || ra.Teams != "POLIT" || ra.SignedOffBy != "Jo Bloggs" || ra.Headcount != 40 || ra.ExposedHeadcount != 35 || len(ra.Hazards) != 2 {
		t.Fatalf("applied %+v", ra)
	}
	due := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	ct, local := ra.Hazards[0].Controls[0], ra.Hazards[0].Controls[1]
	if ct.ControlID != "CT-01" || ct.LikelihoodReduction != 1 || ct.SeverityReduction != 1 || ct.DueOn == nil || !ct.DueOn.Equal(due) {
		t.Errorf("catalogue control %+v", ct)
	}
	if local.LocalName != "Buddy scheme" || local.LikelihoodReduction != 1 || local.DueOn != nil {
		t.Errorf("local control %+v", local)
	}
	if h := ra.Hazards[1]; h.Rationale != "Shorter shifts" || h.ResidualL != 1 || h.ResidualS != 1 || h.OverrideRationale != "Rotated out after six months" {
		t.Errorf("hand-set residual %+v", h)
	}
}

// TestRoleReviewForm: the page names hazards and controls by place; what is
// typed is shown again, and each problem is on the field it is about.
func TestRoleReviewForm(t *testing.T) {
	start := NewRoleReviewForm(testModel, testRole, nil)
	if len(start.Hazards) != 2 || start.Hazards[0].L != "4" || start.Hazards[1].S != "2" || len(start.Hazards[0].Controls) != 2 || start.Hazards[0].LocalStatus != frameworks.ControlPlanned {
		t.Fatalf("starting form %+v", start)
	}
	posted := url.Values{"headcount": {"forty"}, "exposed": {" 35 "}, "screened": {""}, "interviews": {"6"}, "referrals": {"2"}, "signed_off_by": {"Jo Bloggs"},
		"h0_l": {"4"}, "h0_s": {"4"}, "h0_c1_status": {frameworks.ControlPlanned}, "h0_c1_due": {"soon"}, "h0_local_name": {"Buddy scheme"}, "h0_local_l": {"3"}, "h0_local_status": {"planned"},
		"h1_l": {"2"}, "h1_s": {"2"}, "h1_override_l": {"1"}}
	form := start.Posted(posted.Get)
	_, errs := form.Check(testModel, testRole)
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field)
	}
	want := []string{"headcount", "screened", "h0_c1_due", "h0_local_l", "h1_rationale", "h1_reason"}
	if !slices.Equal(fields, want) {
		t.Errorf("problems with %v, want %v: %+v", fields, want, errs)
	}
	if form.Headcount != "forty" || form.Exposed != "35" || form.Hazards[0].Controls[1].Due != "soon" || form.Hazards[0].LocalL != "3" || form.Hazards[1].OverrideL != "1" {
		t.Errorf("what was typed is not kept: %+v", form)
	}
	if !strings.Contains(errs[2].Message, "Rotation") || !strings.Contains(errs[3].Message, "Buddy scheme") {
		t.Errorf("problems do not name the control: %+v", errs)
	}
}

// The form as first shown from a version, saved unchanged, makes the same
// ratings again.
func TestRoleReviewFormRoundTrip(t *testing.T) {
	var cur store.RoleAssessment
	validReview().Apply(testModel, &cur)
	form := NewRoleReviewForm(testModel, testRole, &cur)
	in, errs := form.Check(testModel, testRole)
	if len(errs) > 0 {
		t.Fatalf("the current version's form is refused: %+v", errs)
	}
	var again store.RoleAssessment
	in.Apply(testModel, &again)
	if got, want := again.Hazards, cur.Hazards; len(got) != len(want) || got[1].ResidualL != want[1].ResidualL || got[1].OverrideRationale != want[1].OverrideRationale ||
		len(got[0].Controls) != len(want[0].Controls) || got[0].Controls[1].LocalName != want[0].Controls[1].LocalName || !got[0].Controls[0].DueOn.Equal(*want[0].Controls[0].DueOn) {
		t.Errorf("saved again as %+v, was %+v", got, want)
	}
}

// A draft may leave out what is still to come, but a value that is there
// and wrong is refused as at sign-off, with its field named.
func TestRoleReviewDraftRules(t *testing.T) {
	partial := RoleReview{Headcount: 0, Hazards: []HazardReview{
		{HazardID: "HZ-01", Likelihood: 0, Severity: 3, Controls: []ControlReview{{ControlID: "CT-01"}}},
		{HazardID: "HZ-02", Likelihood: 1, ResidualOverride: &ResidualOverride{Likelihood: 1}},
	}, Cohorts: []CohortReview{{Cohort: frameworks.CohortReferral, PeopleDue: 3}}}
	if ps := partial.ValidateDraft(testModel, testRole); len(ps) != 0 {
		t.Errorf("a partial draft was refused: %v", ps)
	}
	if ps := partial.Validate(testModel, testRole); len(ps) == 0 {
		t.Error("the partial review could be signed off")
	}
	for _, tc := range []struct {
		field  string
		change func(*RoleReview)
	}{
		{"hazards[0].likelihood", func(in *RoleReview) { in.Hazards[0].Likelihood = 6 }},
		{"hazards[0].severity", func(in *RoleReview) { in.Hazards[0].Severity = -1 }},
		{"hazards[0].hazard_id", func(in *RoleReview) { in.Hazards[0].HazardID = "HZ-99" }},
		{"hazards[0].controls[0].status", func(in *RoleReview) { in.Hazards[0].Controls[0].Status = "maybe" }},
		{"hazards[0].controls[0].due_on", func(in *RoleReview) { in.Hazards[0].Controls[0].DueOn = ptr("soon") }},
		{"hazards[1].residual_override.severity", func(in *RoleReview) { in.Hazards[1].ResidualOverride.Severity = 9 }},
		{"cohorts[0].people_due", func(in *RoleReview) { in.Headcount = 2 }},
		{"headcount", func(in *RoleReview) { in.Headcount = -3 }},
	} {
		in := partial
		in.Hazards = slices.Clone(partial.Hazards)
		in.Hazards[0].Controls = slices.Clone(partial.Hazards[0].Controls)
		o := *partial.Hazards[1].ResidualOverride
		in.Hazards[1].ResidualOverride = &o
		tc.change(&in)
		ps := in.ValidateDraft(testModel, testRole)
		if len(ps) != 1 || ps[0].Field != tc.field {
			t.Errorf("%s: draft problems = %v", tc.field, ps)
		}
	}
}
