package benchmark

import (
	"math"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

func TestStatsHandWorked(t *testing.T) {
	// 1..10 given out of order: Compute must sort them.
	var b builder
	b.add(Org{}, 7, 3, 10, 1, 8, 2, 9, 5, 4, 6)
	r := Compute(b.dataset(), Options{})
	s := r.rawStats(National(), "lead")
	if s.N != 10 || s.Suppressed || s.Reason != "" {
		t.Fatalf("N %d, suppressed %v %q", s.N, s.Suppressed, s.Reason)
	}
	for _, c := range []struct {
		what string
		v    figure.Value
		want float64
	}{
		{"mean", s.Mean, 5.5},
		{"median", s.Median, 5.5},
		{"Q1", s.Q1, 3.25},
		{"Q3", s.Q3, 7.75},
		{"P20", s.P20, 2.8},
		{"P80", s.P80, 8.2},
		{"min", s.Min, 1},
		{"max", s.Max, 10},
	} {
		wantKnown(t, c.what, c.v, c.want)
	}
}

func TestPrimarySuppression(t *testing.T) {
	cases := []struct {
		name   string
		size   int // organisations in "North East"
		min    int
		hidden bool
		reason string
	}{
		{"group of 4 with minimum 5 is suppressed", 4, 5, true, "fewer than 5 organisations"},
		{"exactly the minimum is shown", 5, 5, false, ""},
		{"minimum 0 means the default 5", 4, 0, true, "fewer than 5 organisations"},
		{"group of 4 with minimum 3 is shown", 4, 3, false, ""},
		{"group of 1 with minimum 2", 1, 2, true, "fewer than 2 organisations"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b builder
			b.add(region("North East"), seq(1, c.size)...)
			// Two large regions, so secondary suppression hides one of them
			// and never North East for a second reason.
			b.add(region("London"), seq(10, 20)...)
			b.add(region("Wales"), seq(30, 20)...)
			r := Compute(b.dataset(), Options{MinGroup: c.min})
			s := r.rawStats(GroupKey{DimRegion, "North East"}, "lead")
			if s.N != c.size {
				t.Errorf("N = %d, want %d (always shown)", s.N, c.size)
			}
			if s.Suppressed != c.hidden || s.Reason != c.reason {
				t.Fatalf("suppressed %v reason %q, want %v %q", s.Suppressed, s.Reason, c.hidden, c.reason)
			}
			for what, v := range map[string]figure.Value{"mean": s.Mean, "median": s.Median, "Q1": s.Q1, "Q3": s.Q3, "P20": s.P20, "P80": s.P80, "min": s.Min, "max": s.Max} {
				if c.hidden {
					if v.State != figure.Suppressed || v.Note != c.reason || v.V != 0 {
						t.Errorf("%s = %+v, want suppressed with note %q and no number", what, v, c.reason)
					}
				} else if !v.Ok() {
					t.Errorf("%s = %+v, want known", what, v)
				}
			}
			if !c.hidden {
				wantKnown(t, "mean", s.Mean, mean(seq(1, c.size)))
			}
		})
	}
}

func TestNationalBelowMinimum(t *testing.T) {
	var b builder
	ids := b.add(region("Wales"), 1, 2, 3)
	r := Compute(b.dataset(), Options{})
	s := r.rawStats(National(), "lead")
	if !s.Suppressed || s.N != 3 || s.Reason != "fewer than 5 organisations" {
		t.Errorf("national = %+v, want suppressed with N 3", s)
	}
	if s := r.rawStats(GroupKey{DimRegion, "Wales"}, "lead"); !s.Suppressed {
		t.Errorf("Wales = %+v, want suppressed", s)
	}
	// The organisation still sees its own figure, and no band.
	p := r.Position(ids[1], National(), "lead")
	if !p.Value.Ok() || p.Value.V != 2 || p.Median.State != figure.Suppressed || p.Band != figure.BandNone || p.N != 3 {
		t.Errorf("position = %+v", p)
	}
}

func TestMetricMissingForSomeOrganisations(t *testing.T) {
	var b builder
	b.add(region("London"), 1, 2, math.NaN(), 3, 4, math.NaN(), 5, 6)
	ds := b.dataset()
	ds.Orgs[0].Values["lead"] = math.Inf(1) // not a figure either
	r := Compute(ds, Options{})
	s := r.rawStats(GroupKey{DimRegion, "London"}, "lead")
	// Organisations 1 (infinite), 3 and 6 have no figure: 5 remain.
	if s.N != 5 || s.Suppressed {
		t.Fatalf("N %d suppressed %v, want 5 shown", s.N, s.Suppressed)
	}
	wantKnown(t, "mean", s.Mean, 4) // (2+3+4+5+6)/5
	wantKnown(t, "median", s.Median, 4)
	wantKnown(t, "min", s.Min, 2)

	// One more missing and London drops below the minimum.
	delete(ds.Orgs[1].Values, "lead")
	r = Compute(ds, Options{})
	if s := r.rawStats(GroupKey{DimRegion, "London"}, "lead"); s.N != 4 || !s.Suppressed {
		t.Errorf("after removing one: %+v, want N 4 suppressed", s)
	}
}

func TestGroupWithNoFigures(t *testing.T) {
	var b builder
	b.add(region("London"), seq(1, 6)...)
	b.add(region("Wales"), math.NaN(), math.NaN())
	r := Compute(b.dataset(), Options{})
	s := r.rawStats(GroupKey{DimRegion, "Wales"}, "lead")
	if s.N != 0 || s.Suppressed || s.Median.State != figure.Missing || s.Median.Note == "" {
		t.Errorf("Wales = %+v, want N 0 and every figure missing, not suppressed", s)
	}
	if got := r.Suppressions(); len(got) != 0 {
		t.Errorf("Suppressions = %q, want none", got)
	}
}

func TestUnknownGroupOrMetric(t *testing.T) {
	var b builder
	b.add(region("London"), seq(1, 6)...)
	r := Compute(b.dataset(), Options{})
	for _, c := range []struct {
		g      GroupKey
		metric string
	}{
		{GroupKey{DimRegion, "Atlantis"}, "lead"},
		{GroupKey{"county", "London"}, "lead"},
		{National(), "no-such-metric"},
	} {
		s := r.rawStats(c.g, c.metric)
		if s.N != 0 || s.Suppressed {
			t.Errorf("%v %q: %+v", c.g, c.metric, s)
		}
		for _, v := range []figure.Value{s.Mean, s.Median, s.Q1, s.Q3, s.P20, s.P80, s.Min, s.Max} {
			if v.State != figure.Missing {
				t.Errorf("%v %q: %+v, want missing", c.g, c.metric, v)
			}
		}
	}
	// A national key with a stray name still means the national group.
	if s := r.rawStats(GroupKey{DimNational, "x"}, "lead"); s.N != 6 {
		t.Errorf("national with a name: N %d", s.N)
	}
}
