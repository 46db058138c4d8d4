package frameworks

import (
	"testing"
	"time"
)

func TestResidual(t *testing.T) {
	cases := []struct {
		name     string
		inherent Rating
		controls []AppliedControl
		want     Rating
	}{
		{"no controls", Rating{4, 5}, nil, Rating{4, 5}},
		{"in place gives the full reduction", Rating{4, 5}, []AppliedControl{{1, 1, ControlInPlace}}, Rating{3, 4}},
		{"reductions add up", Rating{5, 4}, []AppliedControl{{1, 0, ControlInPlace}, {1, 1, ControlInPlace}}, Rating{3, 3}},
		{"partly in place gives half, rounded down", Rating{5, 5}, []AppliedControl{{2, 1, ControlPartly}}, Rating{4, 5}},
		{"planned gives nothing yet", Rating{5, 5}, []AppliedControl{{2, 2, ControlPlanned}}, Rating{5, 5}},
		{"never below the lowest level", Rating{2, 2}, []AppliedControl{{2, 2, ControlInPlace}, {2, 2, ControlInPlace}}, Rating{1, 1}},
		{"an unknown status gives nothing", Rating{3, 3}, []AppliedControl{{1, 1, "hoped for"}}, Rating{3, 3}},
	}
	for _, tc := range cases {
		if got := Residual(tc.inherent, tc.controls); got != tc.want {
			t.Errorf("%s: Residual(%v) = %v, want %v", tc.name, tc.inherent, got, tc.want)
		}
	}
}

func TestBandsAgainstTheBuiltInGrid(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	m := set.RiskModel("psych-risk", "2026.1")
	cases := []struct {
		r    Rating
		want string
	}{
		{Rating{1, 1}, "low"}, {Rating{5, 5}, "very-high"}, {Rating{1, 5}, m.Grid[0].Bands[4]}, {Rating{3, 3}, m.Grid[2].Bands[2]},
	}
	for _, tc := range cases {
		b, ok := m.Band(tc.r)
		if !ok || b.Key != tc.want {
			t.Errorf("Band(%v) = %q %v, want %q", tc.r, b.Key, ok, tc.want)
		}
	}
	if _, ok := m.Band(Rating{6, 1}); ok {
		t.Error("a rating off the scale has a band")
	}
	worst, ok := m.Worst([]Rating{{1, 1}, {5, 5}, {2, 2}})
	if !ok || worst.Key != "very-high" {
		t.Errorf("Worst = %q", worst.Key)
	}
	from := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	if got := worst.NextScreening(from); !got.Equal(from.AddDate(0, 0, worst.ScreeningIntervalDays)) || worst.ScreeningIntervalDays > 190 {
		t.Errorf("very high screening every %d days, next %v", worst.ScreeningIntervalDays, got)
	}
	// Every cell of the grid has a band, and risk never falls as either rises.
	for l := 1; l <= len(m.Likelihood); l++ {
		for s := 1; s <= len(m.Severity); s++ {
			b, ok := m.Band(Rating{l, s})
			if !ok {
				t.Fatalf("no band for %d x %d", l, s)
			}
			if up, ok := m.Band(Rating{min(l+1, 5), min(s+1, 5)}); ok && up.Rank < b.Rank {
				t.Errorf("band falls from %d x %d", l, s)
			}
		}
	}
}
