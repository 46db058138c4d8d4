package frameworks

import (
	"strings"
	"testing"
	"time"
)

func TestBuiltinWelfarePolicy(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	w := set.WelfarePolicy()
	if w == nil {
		t.Fatal("no OK9 welfare policy among the built-in editions")
	}
	if w.MaxMinutesPerDay != 180 || w.MaxMinutesPerWeek != 600 || w.MinRestDaysPerWeek != 2 {
		t.Errorf("built-in limits = %+v", w)
	}
	// The newest edition carries the standing and handler rules the gates use.
	if w.Standing.SOPReviewMonths != 12 || w.Standing.RiskAssessmentReviewMonths != 12 || w.Standing.ExpiryWarningDays != 60 ||
		w.Handlers.TrainingValidMonths != 36 || w.Handlers.SuitabilityValidMonths != 36 {
		t.Errorf("built-in standing and handler rules = %+v %+v", w.Standing, w.Handlers)
	}
}

func TestWelfareCheck(t *testing.T) {
	w := &WelfarePolicy{MaxMinutesPerDay: 180, MaxMinutesPerWeek: 600, MinRestDaysPerWeek: 2}
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		name    string
		worked  map[time.Time]int
		on      time.Time
		minutes int
		want    []string // limits broken
	}{
		{"first deployment", nil, day(10), 120, nil},
		{"exactly the daily limit", map[time.Time]int{day(10): 60}, day(10), 120, nil},
		{"over the daily limit", map[time.Time]int{day(10): 90}, day(10), 120, []string{"day"}},
		{"week limit from earlier days", map[time.Time]int{day(6): 180, day(7): 180, day(8): 180}, day(10), 90, []string{"week"}},
		{"week limit from later days", map[time.Time]int{day(12): 180, day(13): 180, day(14): 180}, day(10), 90, []string{"week"}},
		{"exactly the week limit", map[time.Time]int{day(6): 180, day(7): 180, day(8): 180}, day(10), 60, nil},
		{"too few rest days", map[time.Time]int{day(5): 30, day(6): 30, day(7): 30, day(8): 30, day(9): 30}, day(10), 30, []string{"rest"}},
		{"rest days kept", map[time.Time]int{day(5): 30, day(6): 30, day(7): 30, day(8): 30}, day(10), 30, nil},
		{"time of day ignored", map[time.Time]int{day(10): 150}, day(10).Add(15 * time.Hour), 60, []string{"day"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := w.Check(tc.worked, tc.on, tc.minutes)
			var limits []string
			for _, b := range got {
				limits = append(limits, b.Limit)
				if b.Reason == "" || !strings.Contains(b.Reason, "the dog") {
					t.Errorf("reason %q does not explain the breach", b.Reason)
				}
			}
			if strings.Join(limits, ",") != strings.Join(tc.want, ",") {
				t.Errorf("breaches %v, want %v (%v)", limits, tc.want, got)
			}
		})
	}
}

func TestWelfarePolicyValidation(t *testing.T) {
	bad := `kind: ok9-welfare-policy
key: ok9-welfare
version: "9"
title: Broken limits
status: draft
notice: test
max_minutes_per_day: 0
max_minutes_per_week: 10
min_rest_days_per_week: 7
mutual_aid_session_minutes: 500
`
	_, problems := parseFile("t/welfare.yaml", []byte(bad))
	text := Problems(problems).Error()
	for _, want := range []string{"t/welfare.yaml:7: max_minutes_per_day", "t/welfare.yaml:9: min_rest_days_per_week", "t/welfare.yaml:10: mutual_aid_session_minutes"} {
		if !strings.Contains(text, want) {
			t.Errorf("problems %q do not include %q", text, want)
		}
	}
}

func TestWelfarePolicyRulesValidation(t *testing.T) {
	bad := `kind: ok9-welfare-policy
key: ok9-welfare
version: "9"
title: Broken rules
status: draft
notice: test
max_minutes_per_day: 180
max_minutes_per_week: 600
min_rest_days_per_week: 2
mutual_aid_session_minutes: 120
standing:
  sop_review_months: 0
  risk_assessment_review_months: 12
  expiry_warning_days: 400
handlers:
  training_valid_months: 36
  suitability_valid_months: 121
`
	_, problems := parseFile("t/welfare.yaml", []byte(bad))
	text := Problems(problems).Error()
	for _, want := range []string{"t/welfare.yaml:12: standing.sop_review_months", "t/welfare.yaml:14: standing.expiry_warning_days",
		"t/welfare.yaml:17: handlers.suitability_valid_months"} {
		if !strings.Contains(text, want) {
			t.Errorf("problems %q do not include %q", text, want)
		}
	}
	if strings.Contains(text, "training_valid_months") || strings.Contains(text, "risk_assessment_review_months") {
		t.Errorf("problems %q blame a good field", text)
	}
}

func TestDuration(t *testing.T) {
	for in, want := range map[int]string{45: "45 min", 60: "1 h", 150: "2 h 30 min"} {
		if got := Duration(in); got != want {
			t.Errorf("Duration(%d) = %q, want %q", in, got, want)
		}
	}
}
