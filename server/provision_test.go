package server

import (
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

func TestOK9Readiness(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	at := func(days int) *time.Time { d := now.AddDate(0, 0, days); return &d }
	good := store.OK9Scheme{SLASignedOn: at(-400), SOPReviewedOn: at(-30), RiskAssessmentReviewedOn: at(-300), InsuranceExpiresOn: at(100)}
	dogs := []store.OK9Dog{
		{CallName: "Bramble", Status: store.DogActive, AssessmentPassedOn: at(-50), NextWelfareCheckOn: at(60)},
		{CallName: "Old Tom", Status: store.DogRetired}, // retired dogs need nothing
	}
	handlers := []store.OK9Handler{{DisplayName: "PC 1", MHFATrainedOn: at(-10)}}
	for _, c := range ok9Readiness(now, good, dogs, handlers) {
		if !c.OK {
			t.Errorf("a scheme in good standing fails %q: %s", c.Label, c.Detail)
		}
	}

	bad := store.OK9Scheme{SOPReviewedOn: at(-400), InsuranceExpiresOn: at(-1)}
	dogs = append(dogs, store.OK9Dog{CallName: "Juno", Status: store.DogActive, NextWelfareCheckOn: at(-2)})
	handlers = append(handlers, store.OK9Handler{DisplayName: "PC 2"})
	got := map[string]ReadinessCheck{}
	for _, c := range ok9Readiness(now, bad, dogs, handlers) {
		got[c.Label] = c
	}
	want := map[string]string{
		"Service level agreement signed":                                         "Not recorded",
		"Every active dog has passed the OK9 suitability assessment":             "Not yet assessed: Juno",
		"Every handler is a trained peer supporter or mental health first aider": "Not yet trained: PC 2",
		"Standing operating procedure reviewed within the year":                  "over a year ago",
		"Risk assessment reviewed within the year":                               "No date recorded",
		"Insurance in date":                 "Expired 22 November 2026",
		"No dog's welfare check is overdue": "Overdue or not booked: Juno",
	}
	for label, detail := range want {
		c, ok := got[label]
		if !ok || c.OK || !strings.Contains(c.Detail, detail) {
			t.Errorf("%s = %+v, want a failure saying %q", label, c, detail)
		}
	}
}

func TestJoinNames(t *testing.T) {
	for want, in := range map[string][]string{"": nil, "A": {"A"}, "A and B": {"A", "B"}, "A, B and C": {"A", "B", "C"}} {
		if got := joinNames(in); got != want {
			t.Errorf("joinNames(%q) = %q, want %q", in, got, want)
		}
	}
}
