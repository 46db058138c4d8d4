package server

import (
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

func TestOK9Readiness(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	policy := set.WelfarePolicy() // the rules come from the YAML policy
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	at := func(days int) *time.Time { d := now.AddDate(0, 0, days); return &d }
	good := store.OK9Scheme{SLASignedOn: at(-400), SOPReviewedOn: at(-30), RiskAssessmentReviewedOn: at(-300), InsuranceExpiresOn: at(100),
		WelfareScheme: "Blue Cross", WelfareSchemeExpiresOn: at(200)}
	dogs := []store.OK9Dog{
		{ID: 1, CallName: "Bramble", Status: store.DogActive, AssessmentPassedOn: at(-50), NextWelfareCheckOn: at(60)},
		{ID: 2, CallName: "Old Tom", Status: store.DogRetired}, // retired dogs need nothing
	}
	handlers := []store.OK9Handler{
		{DisplayName: "PC 1", Status: store.HandlerActive, MHFATrainedOn: at(-10), SuitabilityAssessedOn: at(-40), SuitabilityOutcome: store.SuitabilityPassed,
			SupervisorAgreedOn: at(-40), ProtectedHoursMonth: 6, DogIDs: []int64{1}},
		{DisplayName: "PS 9", Status: store.HandlerInactive}, // inactive handlers need nothing
	}
	for _, c := range ok9Readiness(now, policy, good, dogs, handlers) {
		if !c.OK {
			t.Errorf("a scheme in good standing fails %q: %s", c.Label, c.Detail)
		}
	}

	bad := store.OK9Scheme{SOPReviewedOn: at(-400), InsuranceExpiresOn: at(-1)}
	dogs = append(dogs, store.OK9Dog{ID: 3, CallName: "Juno", Status: store.DogActive, NextWelfareCheckOn: at(-2)})
	handlers = append(handlers, store.OK9Handler{DisplayName: "PC 2", Status: store.HandlerActive, PeerSupporterTrainedOn: at(-1200), DogIDs: []int64{3}})
	got := map[string]ReadinessCheck{}
	for _, c := range ok9Readiness(now, policy, bad, dogs, handlers) {
		got[c.Label] = c
	}
	want := map[string]string{
		"Service level agreement":                                    "Record the date your organisation signed it",
		"Every active dog has passed the OK9 suitability assessment": "Not yet assessed: Juno",
		"Every active handler can be deployed (trained, training in date, suitability assessment passed)": "Cannot be deployed: PC 2 (PC 2 last trained on 11 August 2023: record their refresher training; Record the date and outcome of PC 2's suitability assessment with Juno)",
		"Every active handler has their supervisor's agreement and protected time":                        "protected hours a month for PC 2",
		"Standing operating procedure":      "at least every 12 months. It was last reviewed on 19 October 2025",
		"Risk assessment":                   "Record the date the risk assessment was last reviewed",
		"Insurance":                         "It expired on 22 November 2026",
		"Animal welfare scheme":             "Record the welfare scheme and the date membership expires",
		"No dog's welfare check is overdue": "Overdue or not booked: Juno",
	}
	for label, detail := range want {
		c, ok := got[label]
		if !ok || c.OK || !strings.Contains(c.Detail, detail) {
			t.Errorf("%s = %+v, want a failure saying %q", label, c, detail)
		}
	}
	if len(got) != len(want) {
		t.Errorf("readiness has %d lines, want %d: %+v", len(got), len(want), got)
	}
}

func TestJoinNames(t *testing.T) {
	for want, in := range map[string][]string{"": nil, "A": {"A"}, "A and B": {"A", "B"}, "A, B and C": {"A", "B", "C"}} {
		if got := joinNames(in); got != want {
			t.Errorf("joinNames(%q) = %q, want %q", in, got, want)
		}
	}
}
