package frameworks

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// format2FS is the format 2 fixture with replacements applied.
func format2FS(t *testing.T, replace ...string) fstest.MapFS {
	t.Helper()
	data, err := os.ReadFile("testdata/format2/risk.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(text, replace[i]) {
			t.Fatalf("fixture does not contain %q", replace[i])
		}
		text = strings.Replace(text, replace[i], replace[i+1], 1)
	}
	return fstest.MapFS{"risk.yaml": &fstest.MapFile{Data: []byte(text)}}
}

// A format 2 model is refused, with file and line, when a control names a
// hazard that does not exist, a screening-programme role has no cadence,
// or a floor is off the scale; and for the other rules of the format.
func TestFormat2RulesRejectABadFile(t *testing.T) {
	cases := []struct {
		name     string
		replace  []string
		wantAt   string
		wantText string
	}{
		{"unknown hazard in mitigates", []string{"{hazard: H1, axis: likelihood, amount: 2}", "{hazard: H9, axis: likelihood, amount: 2}"}, "t/risk.yaml:40", `mitigates hazard "H9", which is not in the hazard catalogue`},
		{"programme role without cadence", []string{"    screening:\n      cohorts: [initial, periodic, referral]\n      periodic_months: 6\n", ""}, "t/risk.yaml:54", `role "R1" is in a screening programme but has no screening cadence`},
		{"cadence longer than a year", []string{"periodic_months: 6", "periodic_months: 24"}, "t/risk.yaml:57", "periodic_months 24 must be from 1 to 12"},
		{"programme without periodic cohort", []string{"cohorts: [initial, periodic, referral]", "cohorts: [initial, referral]"}, "t/risk.yaml:56", "screens the periodic cohort"},
		{"floor off the scale", []string{"floor: {likelihood: 2,", "floor: {likelihood: 7,"}, "t/risk.yaml:32", "likelihood 7 is not on the likelihood scale (1 to 3)"},
		{"screening acting on likelihood", []string{"{hazard: H1, axis: severity, amount: 1}", "{hazard: H1, axis: likelihood, amount: 1}"}, "t/risk.yaml:46", `control "C2" is screening: it lessens harm (severity)`},
		{"control naming no hazard", []string{"    mitigates:\n      - {hazard: H1, axis: likelihood, amount: 2}\n", ""}, "t/risk.yaml:35", `control "C1" names no hazard it mitigates`},
		{"old-style reductions", []string{"description: Known images matched.", "description: Known images matched.\n    likelihood_reduction: 1"}, "t/risk.yaml:35", "not likelihood_reduction or severity_reduction"},
		{"amount off the scale", []string{"axis: likelihood, amount: 2}", "axis: likelihood, amount: 3}"}, "t/risk.yaml:40", "amount 3 must be between 1 and 2"},
		{"unknown axis", []string{"axis: likelihood, amount: 2}", "axis: frequency, amount: 2}"}, "t/risk.yaml:40", `axis "frequency" is not allowed`},
		{"role without group", []string{"    group: specialist\n", ""}, "t/risk.yaml:49", `group "" is not allowed`},
		{"hazard without sectors", []string{"    sectors: [police]\n    description: Viewing images.", "    description: Viewing images."}, "t/risk.yaml:27", `hazard "H1" needs at least one sector`},
		{"unknown format", []string{"format: 2", "format: 3"}, "t/risk.yaml:6", "format 3 is not known"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, problems, err := loadTest(format2FS(t, tc.replace...))
			if err == nil {
				t.Fatal("loaded a bad file without complaint")
			}
			for _, p := range problems {
				if strings.HasPrefix(p.String(), tc.wantAt) && strings.Contains(p.Message, tc.wantText) {
					return
				}
			}
			t.Fatalf("want a problem at %s containing %q; got:\n%v", tc.wantAt, tc.wantText, err)
		})
	}
}

func TestFormat2Mitigations(t *testing.T) {
	set, _, err := loadTest(format2FS(t))
	if err != nil {
		t.Fatal(err)
	}
	m := set.RiskModel("mini-risk", "2")
	r1, _ := m.Role("R1")
	// Matching acts on imagery only: the form offers it against H1, not H2.
	if got := m.ControlsFor(r1, "H1"); len(got) != 2 {
		t.Errorf("controls against H1 = %v", got)
	}
	if got := m.ControlsFor(r1, "H2"); len(got) != 1 || got[0].ID != "C2" {
		t.Errorf("controls against H2 = %v", got)
	}
	c1, _ := m.Control("C1")
	if l, s, ok := c1.Reduction("H2"); ok || l != 0 || s != 0 {
		t.Errorf("matching acts on workload: %d %d %v", l, s, ok)
	}
	// The floor holds likelihood at 2 however strong the controls.
	got := m.ResidualFor("H1", Rating{3, 3}, []AppliedControl{{LikelihoodReduction: 2, Status: ControlInPlace}, {SeverityReduction: 1, Status: ControlInPlace}})
	if got != (Rating{2, 2}) {
		t.Errorf("residual with floor = %v, want {2 2}", got)
	}
	// A floor never lifts a rating that starts below it.
	if got := m.ResidualFor("H1", Rating{1, 3}, nil); got != (Rating{1, 3}) {
		t.Errorf("floor lifted a low rating: %v", got)
	}
}

// The screening due date is the sooner of the role's cadence and the
// band's interval, so a lower band never lengthens it.
func TestPeriodicDue(t *testing.T) {
	from := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	six := Role{ScreeningProgramme: true, Screening: &Screening{Cohorts: []string{CohortInitial, CohortPeriodic}, PeriodicMonths: 6}}
	low := Band{ScreeningIntervalDays: 730}
	veryHigh := Band{ScreeningIntervalDays: 90}
	if got := PeriodicDue(six, low, from); !got.Equal(from.AddDate(0, 6, 0)) {
		t.Errorf("six-monthly role in a low band due %v", got)
	}
	if got := PeriodicDue(six, veryHigh, from); !got.Equal(from.AddDate(0, 0, 90)) {
		t.Errorf("band sooner than the role: due %v", got)
	}
	old := Role{ScreeningProgramme: true} // a format 1 role: at least yearly
	if got := PeriodicDue(old, low, from); !got.Equal(from.AddDate(0, 12, 0)) {
		t.Errorf("format 1 programme role due %v", got)
	}
	if got := PeriodicDue(Role{}, low, from); !got.Equal(from.AddDate(0, 0, 730)) {
		t.Errorf("role outside a programme due %v", got)
	}
}

// The built-in 2027.1 edition: every screening-programme role has a
// cadence of at most 12 months, POLIT/ICAT six; every role a group; and
// the roles the issue names are there.
func TestBuiltin2027(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	m := set.RiskModel("psych-risk", "2027.1")
	if m == nil || set.CurrentRiskModel().Version != "2027.1" {
		t.Fatal("2027.1 is not the current risk model")
	}
	for _, r := range m.Roles {
		if r.ScreeningProgramme && (r.Screening == nil || r.Screening.PeriodicMonths > 12) {
			t.Errorf("%s: cadence %+v", r.ID, r.Screening)
		}
	}
	polit, _ := m.Role("RL-01")
	if polit.Screening.PeriodicMonths != 6 {
		t.Errorf("POLIT/ICAT screened every %d months", polit.Screening.PeriodicMonths)
	}
	for _, want := range []string{"ABE", "CAID", "SOIT", "Roads policing", "British Transport Police", "POLSA", "111"} {
		found := false
		for _, r := range m.Roles {
			found = found || strings.Contains(r.Name, want)
		}
		if !found {
			t.Errorf("no role for %s", want)
		}
	}
	if x := set.CrosswalkBetween("psych-risk", "2026.1", "psych-risk", "2027.1"); x == nil || x.Notice == "" {
		t.Error("no crosswalk with a notice from 2026.1 to 2027.1")
	}
	// Hash matching acts on abuse imagery, not on workload.
	ct, _ := m.Control("CT-21")
	if _, _, ok := ct.Reduction("HZ-14"); ok {
		t.Error("hash matching lowers workload")
	}
}

// A crosswalk between risk models must account for every hazard, control
// and role of both editions, and name only ones that exist.
func TestRiskCrosswalkLinks(t *testing.T) {
	data, err := os.ReadFile("data/crosswalk-psych-risk-2026-2027.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"unknown hazard", "  - relation: new\n    to: [HZ-23]", "  - relation: new\n    to: [HZ-99]", `hazard "HZ-99" does not exist in psych-risk 2027.1`},
		{"role dropped", "  - relation: equal\n    from: [RL-24]\n    to: [RL-24]\n", "", `role "RL-24" of psych-risk 2026.1 is not mapped`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(strings.Replace(string(data), "key: psych-risk-2026-to-2027", "key: test-crosswalk", 1), tc.from, tc.to, 1)
			if text == string(data) {
				t.Fatal("replacement did not apply")
			}
			_, err := LoadSources(Builtin(), Source{Name: "t", FS: fstest.MapFS{"x.yaml": &fstest.MapFile{Data: []byte(text)}}})
			if err == nil || !strings.Contains(err.Error(), "t/x.yaml:") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want a problem in t/x.yaml with %q; got %v", tc.want, err)
			}
		})
	}
}
