package benchmark

import (
	"math"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// What leaves the package: rounded figures, the median alone below
// MinQuantileGroup, nothing below MinGroup, and a median that secondary
// suppression does not hide.
func TestStatsPublishesOnlyWhatTheRuleAllows(t *testing.T) {
	var b builder
	b.add(region("Ten"), 1.04, 2.26, 3.01, 4.55, 5.12, 6.3, 7.7, 8.11, 9.49, 10.3)
	b.add(region("Five"), 16.66, 50, 66.67, 66.67, 100)
	b.add(region("Four"), 1, 2, 3, 4)
	r := Compute(b.dataset(), Options{})

	ten := r.Stats(GroupKey{DimRegion, "Ten"}, "lead")
	raw := r.rawStats(GroupKey{DimRegion, "Ten"}, "lead")
	for name, pair := range map[string][2]figure.Value{"median": {ten.Median, raw.Median}, "Q1": {ten.Q1, raw.Q1}, "Q3": {ten.Q3, raw.Q3},
		"P20": {ten.P20, raw.P20}, "P80": {ten.P80, raw.P80}, "min": {ten.Min, raw.Min}, "max": {ten.Max, raw.Max}} {
		got, want := pair[0], pair[1]
		if !got.Ok() || got.V != math.Round(want.V*10)/10 {
			t.Errorf("group of 10, %s = %+v, want %v rounded to one decimal", name, got, want.V)
		}
	}

	five := r.Stats(GroupKey{DimRegion, "Five"}, "lead")
	if !five.Median.Ok() || five.Median.V != 66.7 {
		t.Errorf("group of 5 median = %+v, want 66.7", five.Median)
	}
	for name, v := range map[string]figure.Value{"Q1": five.Q1, "Q3": five.Q3, "P20": five.P20, "P80": five.P80, "min": five.Min, "max": five.Max} {
		if v.State != figure.Suppressed {
			t.Errorf("group of 5, %s = %+v, want suppressed", name, v)
		}
	}
	if p := r.Position(b.orgs[10].ID, GroupKey{DimRegion, "Five"}, "lead"); p.Band != figure.BandNone || p.Median.V != 66.7 {
		t.Errorf("position in a group of 5 = %+v, want no band against median 66.7", p)
	}

	four := r.Stats(GroupKey{DimRegion, "Four"}, "lead")
	for name, v := range map[string]figure.Value{"mean": four.Mean, "median": four.Median, "Q1": four.Q1, "max": four.Max} {
		if v.State != figure.Suppressed {
			t.Errorf("group of 4, %s = %+v, want suppressed", name, v)
		}
	}
}

func TestSecondarySuppressionHidesTheMeanNotTheMedian(t *testing.T) {
	var b builder
	// Everyone in a region: with one region of 3, another (the smallest
	// shown) is hidden so the small one's total cannot be worked out.
	b.add(region("Small"), 1, 2, 3)
	b.add(region("Middle"), 4, 5, 6, 7, 8)
	b.add(region("Big"), seq(10, 12)...)
	r := Compute(b.dataset(), Options{})
	if raw := r.rawStats(GroupKey{DimRegion, "Middle"}, "lead"); !raw.Suppressed || raw.Reason != secondaryReason {
		t.Fatalf("test set-up: Middle is %+v, want hidden by secondary suppression", raw)
	}
	st := r.Stats(GroupKey{DimRegion, "Middle"}, "lead")
	if st.Mean.State != figure.Suppressed || !st.Suppressed {
		t.Errorf("mean = %+v, want suppressed", st.Mean)
	}
	if !st.Median.Ok() || st.Median.V != 6 {
		t.Errorf("median = %+v, want 6 shown", st.Median)
	}
}
