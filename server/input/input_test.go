package input

import (
	"slices"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// rule is one way an input can break a rule, and the fields it must name.
type rule[T Input] struct {
	name   string
	change func(*T)
	fields []string
}

// checkRules: the valid input has no problems, and each change breaks the
// rules it should, naming exactly those fields, in words for both readers.
func checkRules[T Input](t *testing.T, valid T, rules []rule[T]) {
	t.Helper()
	if ps := valid.Validate(); len(ps) > 0 {
		t.Fatalf("valid input refused: %+v", ps)
	}
	for _, r := range rules {
		in := valid
		r.change(&in)
		ps := in.Validate()
		if got := ps.Fields(); !slices.Equal(got, r.fields) {
			t.Errorf("%s: problems with %v, want %v: %+v", r.name, got, r.fields, ps)
		}
		for _, p := range ps {
			if p.Message == "" || !strings.HasPrefix(p.API, p.Field) {
				t.Errorf("%s: problem %+v is not worded for both the form and the API", r.name, p)
			}
		}
		if err := ps.Err(); (err == nil) != (len(ps) == 0) {
			t.Errorf("%s: Err() = %v for %d problems", r.name, err, len(ps))
		}
	}
}

func TestOK9SchemeRules(t *testing.T) {
	checkRules(t, OK9Scheme{SPOC: "Insp Jones", SLASignedOn: ptr("2026-01-05"), InsuranceExpiresOn: ptr("2027-01-05T00:00:00Z")}, []rule[OK9Scheme]{
		{"contact too long", func(in *OK9Scheme) { in.SPOC = strings.Repeat("x", MaxPlace+1) }, []string{"spoc"}},
		{"not a date", func(in *OK9Scheme) { in.SOPReviewedOn = ptr("05/01/2026") }, []string{"sop_reviewed_on"}},
		{"before 2000", func(in *OK9Scheme) { in.RiskAssessmentReviewedOn = ptr("1999-12-31") }, []string{"risk_assessment_reviewed_on"}},
		{"after 2100", func(in *OK9Scheme) { in.InsuranceExpiresOn = ptr("2101-01-01") }, []string{"insurance_expires_on"}},
		{"no such day", func(in *OK9Scheme) { in.SLASignedOn = ptr("2026-02-30") }, []string{"sla_signed_on"}},
	})
}

func TestOK9DogRules(t *testing.T) {
	checkRules(t, OK9Dog{CallName: "Bramble", Status: "active", AssessmentPassedOn: ptr("2026-01-05")}, []rule[OK9Dog]{
		{"no name", func(in *OK9Dog) { in.CallName = "  " }, []string{"call_name"}},
		{"name too long", func(in *OK9Dog) { in.CallName = strings.Repeat("x", MaxName+1) }, []string{"call_name"}},
		{"unknown status", func(in *OK9Dog) { in.Status = "asleep" }, []string{"status"}},
		{"active, not assessed", func(in *OK9Dog) { in.AssessmentPassedOn = nil }, []string{"assessment_passed_on"}},
		{"bad welfare check", func(in *OK9Dog) { in.NextWelfareCheckOn = ptr("soon") }, []string{"next_welfare_check_on"}},
	})
}

func TestOK9HandlerRules(t *testing.T) {
	checkRules(t, OK9Handler{DogIDs: []int64{1}}, []rule[OK9Handler]{
		{"name too long", func(in *OK9Handler) { in.DisplayName = strings.Repeat("x", MaxName+1) }, []string{"display_name"}},
		{"bad peer date", func(in *OK9Handler) { in.PeerSupporterTrainedOn = ptr("2026-13-01") }, []string{"peer_supporter_trained_on"}},
		{"bad first aid date", func(in *OK9Handler) { in.MHFATrainedOn = ptr("1900-01-01") }, []string{"mhfa_trained_on"}},
	})
}

func TestOK9DeploymentRules(t *testing.T) {
	checkRules(t, OK9Deployment{DeployedOn: ptr("2026-11-20"), DogIDs: []int64{1}, HandlerID: 2, Kind: "team_visit", Minutes: 60}, []rule[OK9Deployment]{
		{"no date", func(in *OK9Deployment) { in.DeployedOn = nil }, []string{"deployed_on"}},
		{"no dogs", func(in *OK9Deployment) { in.DogIDs = nil }, []string{"dog_ids"}},
		{"no handler", func(in *OK9Deployment) { in.HandlerID = 0 }, []string{"handler_id"}},
		{"mutual aid by hand", func(in *OK9Deployment) { in.Kind = "mutual_aid" }, []string{"kind"}},
		{"no kind", func(in *OK9Deployment) { in.Kind = "" }, []string{"kind"}},
		{"no time", func(in *OK9Deployment) { in.Minutes = 0 }, []string{"minutes"}},
		{"over a day", func(in *OK9Deployment) { in.Minutes = MaxMinutes + 1 }, []string{"minutes"}},
		{"negative people", func(in *OK9Deployment) { in.PeopleEngaged = -1 }, []string{"people_engaged"}},
		{"too many people", func(in *OK9Deployment) { in.PeopleEngaged = MaxEngaged + 1 }, []string{"people_engaged"}},
		{"long notes", func(in *OK9Deployment) { in.Notes = strings.Repeat("x", MaxNarrative+1) }, []string{"notes"}},
		{"long reason", func(in *OK9Deployment) { in.OverrideReason = strings.Repeat("x", MaxNarrative+1) }, []string{"override_reason"}},
	})
}

func TestPeerSupportReturnRules(t *testing.T) {
	valid := PeerSupportReturn{Year: 2026, CoordinatorInPost: ptr(true), CoordinatorFullTime: ptr(true), OHClinicianTrained: ptr(false), ESTIPLead: ptr(true),
		SupervisionInPlace: ptr(true), ConfidentialityInPlace: ptr(true), PeerSupporters: ptr(40), PeerChampions: ptr(0), PeerCoordinators: ptr(1),
		TrainedTrainers: ptr(2), DemobDefusingTrained: ptr(12), TRiMPractitioners: ptr(8), Contacts: ptr(310)}
	checkRules(t, valid, []rule[PeerSupportReturn]{
		{"no year", func(in *PeerSupportReturn) { in.Year = 0 }, []string{"year"}},
		{"unanswered", func(in *PeerSupportReturn) { in.ESTIPLead = nil }, []string{"estip_lead"}},
		{"full time, not in post", func(in *PeerSupportReturn) { in.CoordinatorInPost = ptr(false) }, []string{"coordinator_full_time"}},
		{"no coordinator: full time not asked", func(in *PeerSupportReturn) { in.CoordinatorInPost, in.CoordinatorFullTime = ptr(false), nil }, nil},
		{"coordinator: full time asked", func(in *PeerSupportReturn) { in.CoordinatorFullTime = nil }, []string{"coordinator_full_time"}},
		{"count missing", func(in *PeerSupportReturn) { in.Contacts = nil }, []string{"contacts"}},
		{"negative count", func(in *PeerSupportReturn) { in.PeerSupporters = ptr(-1) }, []string{"peer_supporters"}},
		{"count too big", func(in *PeerSupportReturn) { in.TRiMPractitioners = ptr(MaxCount + 1) }, []string{"trim_practitioners"}},
	})
}

func TestVanRequestRules(t *testing.T) {
	checkRules(t, VanRequest{Kind: "hotspot", StartsOn: ptr("2026-06-14"), EndsOn: ptr("2026-06-15"), Place: "Custody suite, Taunton", ExpectedAttendance: ptr(80), Contact: "Wellbeing lead"}, []rule[VanRequest]{
		{"no kind", func(in *VanRequest) { in.Kind = "" }, []string{"kind"}},
		{"unknown kind", func(in *VanRequest) { in.Kind = "party" }, []string{"kind"}},
		{"no first day", func(in *VanRequest) { in.StartsOn = ptr(" ") }, []string{"starts_on"}},
		{"ends before it starts", func(in *VanRequest) { in.EndsOn = ptr("2026-06-13") }, []string{"ends_on"}},
		{"over 30 days", func(in *VanRequest) { in.EndsOn = ptr("2026-07-15") }, []string{"ends_on"}},
		{"no place", func(in *VanRequest) { in.Place = "" }, []string{"place"}},
		{"place too long", func(in *VanRequest) { in.Place = strings.Repeat("x", MaxPlace+1) }, []string{"place"}},
		{"attendance missing", func(in *VanRequest) { in.ExpectedAttendance = nil }, []string{"expected_attendance"}},
		{"negative attendance", func(in *VanRequest) { in.ExpectedAttendance = ptr(-3) }, []string{"expected_attendance"}},
		{"no contact", func(in *VanRequest) { in.Contact = " " }, []string{"contact"}},
	})
}

func TestVanDeliveryRules(t *testing.T) {
	checkRules(t, VanDelivery{HealthChecks: ptr(20), FatigueAssessments: ptr(0), TraumaSupport: ptr(4), WellbeingAdvice: ptr(12), Referrals: ptr(3)}, []rule[VanDelivery]{
		{"count missing", func(in *VanDelivery) { in.Referrals = nil }, []string{"referrals"}},
		{"negative checks", func(in *VanDelivery) { in.HealthChecks = ptr(-3) }, []string{"health_checks"}},
		{"negative trauma support", func(in *VanDelivery) { in.TraumaSupport = ptr(-1) }, []string{"trauma_support"}},
		{"negative advice", func(in *VanDelivery) { in.WellbeingAdvice = ptr(-1) }, []string{"wellbeing_advice"}},
		{"partners too long", func(in *VanDelivery) { in.Partners = strings.Repeat("x", 501) }, []string{"partners"}},
	})
}

func TestAidRequestRules(t *testing.T) {
	checkRules(t, AidRequest{Incident: "Fire", Location: "Town", StartsOn: ptr("2026-11-24"), EndsOn: ptr("2026-11-26"), DogsNeeded: 2}, []rule[AidRequest]{
		{"no incident", func(in *AidRequest) { in.Incident = "" }, []string{"incident"}},
		{"no place", func(in *AidRequest) { in.Location = "" }, []string{"location"}},
		{"no start", func(in *AidRequest) { in.StartsOn = nil }, []string{"starts_on"}},
		{"bad end", func(in *AidRequest) { in.EndsOn = ptr("next week") }, []string{"ends_on"}},
		{"ends before it starts", func(in *AidRequest) { in.EndsOn = ptr("2026-11-20") }, []string{"ends_on"}},
		{"over a month", func(in *AidRequest) { in.EndsOn = ptr("2027-01-01") }, []string{"ends_on"}},
		{"no dogs", func(in *AidRequest) { in.DogsNeeded = 0 }, []string{"dogs_needed"}},
		{"too many dogs", func(in *AidRequest) { in.DogsNeeded = 51 }, []string{"dogs_needed"}},
	})
}

func TestAidOfferRules(t *testing.T) {
	checkRules(t, AidOffer{OrganisationID: 3, DogIDs: []int64{4}}, []rule[AidOffer]{
		{"no lender", func(in *AidOffer) { in.OrganisationID = 0 }, []string{"organisation_id"}},
		{"no dogs", func(in *AidOffer) { in.DogIDs = []int64{} }, []string{"dog_ids"}},
	})
}

func TestAidDecisionRules(t *testing.T) {
	checkRules(t, AidDecision{Decision: "accept", HandlerID: 5, Minutes: 120}, []rule[AidDecision]{
		{"neither", func(in *AidDecision) { in.Decision = "maybe" }, []string{"decision"}},
		{"accept without handler", func(in *AidDecision) { in.HandlerID = 0 }, []string{"handler_id"}},
		{"accept without time", func(in *AidDecision) { in.Minutes = 0 }, []string{"minutes"}},
		{"decline without reason", func(in *AidDecision) { in.Decision = "decline" }, []string{"decline_reason"}},
		{"decline, reason too long", func(in *AidDecision) { in.Decision, in.DeclineReason = "decline", strings.Repeat("x", MaxReason+1) }, []string{"decline_reason"}},
	})
}

// TestFormReading: what a person types is kept to show again, blank counts
// are 0, and a count that is not a number is refused by the count's rule.
func TestFormReading(t *testing.T) {
	fields := map[string]string{"health_checks": "1,200", "fatigue": "", "trauma": "2", "advice": "4", "referrals": "three", "partners": " Chaplaincy "}
	f := NewForm(func(name string) string { return fields[name] }, func(string) []string { return nil })
	var in VanDelivery
	if f.Read(&in) {
		t.Fatal("a count of \"three\" was accepted")
	}
	if *in.HealthChecks != 1200 || *in.FatigueAssessments != 0 || in.Partners != "Chaplaincy" {
		t.Errorf("read %+v", in)
	}
	if f.Values["referrals"] != "three" || f.Values["partners"] != "Chaplaincy" {
		t.Errorf("kept %v", f.Values)
	}
	if len(f.Errs) != 1 || f.Errs[0].Field != "referrals" || f.Errs[0].Message != "Referrals must be a whole number from 0 to 1,000,000" {
		t.Errorf("problems %+v", f.Errs)
	}
	if got := FormErrors(VanDelivery{}, Problems{{Field: "fatigue_assessments", Message: "m"}}); got[0].Field != "fatigue" {
		t.Errorf("fatigue_assessments is %q on the form", got[0].Field)
	}
	if got := YesNoFields(PeerSupportReturn{}); len(got) != 6 || got[0] != "coordinator" {
		t.Errorf("yes/no questions %v", got)
	}
}

// TestDecodeJSON: a body the API does not understand is refused naming
// where, including inside lists.
func TestDecodeJSON(t *testing.T) {
	type inner struct {
		N int `json:"n"`
	}
	type body struct {
		Items []inner `json:"items"`
		S     string  `json:"s"`
	}
	for _, tc := range []struct{ body, want string }{
		{``, "The request body is empty"},
		{`{"items":[{"n":1},{"m":2}]}`, `unknown field "items[1].m"`},
		{`{"items":[{"n":"1"}]}`, `"items[0].n" must be a whole number, not string`},
		{`{"items":[{"n":1.5}]}`, `"items[0].n" must be a whole number, not number 1.5`},
		{`{"s":1}`, `"s" must be a string, not number`},
		{`[1]`, "must be a JSON object, not array"},
		{`{"s":"x"} 1`, "nothing after it"},
		{`{"s":`, "ends too soon"},
		{`{"s" 1}`, "not valid JSON"},
	} {
		var v body
		if err := DecodeJSON([]byte(tc.body), &v); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.body, err, tc.want)
		}
	}
	var v body
	if err := DecodeJSON([]byte(`{"s":null,"items":[{"n":2}]}`), &v); err != nil || v.Items[0].N != 2 {
		t.Errorf("a valid body: %v %+v", err, v)
	}
}

func TestOK9HandlerRecordRules(t *testing.T) {
	checkRules(t, OK9Handler{DisplayName: "PS 2207", MHFATrainedOn: ptr("2025-01-05"), RefresherTrainedOn: ptr("2026-01-05"), Status: "active",
		SuitabilityAssessedOn: ptr("2026-02-01"), SuitabilityOutcome: "passed", SupervisorAgreedOn: ptr("2026-01-20"), ProtectedHoursMonth: 8}, []rule[OK9Handler]{
		{"unknown status", func(in *OK9Handler) { in.Status = "asleep" }, []string{"status"}},
		{"unknown outcome", func(in *OK9Handler) { in.SuitabilityOutcome = "maybe" }, []string{"suitability_outcome"}},
		{"date without outcome", func(in *OK9Handler) { in.SuitabilityOutcome = "" }, []string{"suitability_outcome"}},
		{"outcome without date", func(in *OK9Handler) { in.SuitabilityAssessedOn = nil }, []string{"suitability_assessed_on"}},
		{"refresher with no training", func(in *OK9Handler) { in.MHFATrainedOn = nil }, []string{"refresher_trained_on"}},
		{"negative hours", func(in *OK9Handler) { in.ProtectedHoursMonth = -1 }, []string{"protected_hours_month"}},
		{"bad supervisor date", func(in *OK9Handler) { in.SupervisorAgreedOn = ptr("yesterday") }, []string{"supervisor_agreed_on"}},
	})
}

func TestOK9SchemeContactRules(t *testing.T) {
	checkRules(t, OK9Scheme{SPOC: "Insp Jones", SPOCEmail: "ok9@example.police.uk", WelfareScheme: "Working dog scheme", WelfareSchemeExpiresOn: ptr("2027-01-01")}, []rule[OK9Scheme]{
		{"not an email", func(in *OK9Scheme) { in.SPOCEmail = "Insp Jones" }, []string{"spoc_email"}},
		{"welfare scheme too long", func(in *OK9Scheme) { in.WelfareScheme = strings.Repeat("x", MaxPlace+1) }, []string{"welfare_scheme"}},
		{"bad welfare expiry", func(in *OK9Scheme) { in.WelfareSchemeExpiresOn = ptr("2027-02-30") }, []string{"welfare_scheme_expires_on"}},
	})
}

func TestTraumaReturnRules(t *testing.T) {
	n := func(v int) *int { return &v }
	valid := TraumaReturn{Year: 2026, Quarter: 3, Incidents: n(10), PlanningMeetings: n(9), RiskAssessments: n(20), Reviews: n(15), Defusings: n(3),
		Demobilisations: n(4), ESTIMs: n(1), ReferralsOH: n(2), ReferralsPsych: n(1), PractitionersTrained: n(5), TeamLeadersTrained: n(1), ManagersTrained: n(0)}
	checkRules(t, valid, []rule[TraumaReturn]{
		{"no year", func(in *TraumaReturn) { in.Year = 0 }, []string{"year"}},
		{"quarter 5", func(in *TraumaReturn) { in.Quarter = 5 }, []string{"quarter"}},
		{"negative incidents", func(in *TraumaReturn) { in.Incidents = n(-1) }, []string{"incidents"}},
		{"missing reviews", func(in *TraumaReturn) { in.Reviews = nil }, []string{"reviews"}},
		{"negative referrals", func(in *TraumaReturn) { in.ReferralsPsych = n(-4) }, []string{"referrals_psych"}},
	})
}
