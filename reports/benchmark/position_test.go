package benchmark

import (
	"math"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

func TestPositionBands(t *testing.T) {
	// 1..11: zero-based ranks (n-1)p = 10p land exactly on figures, so the
	// 20th percentile is 3, the median 6 and the 80th percentile 9.
	var b builder
	ids := b.add(region("London"), seq(1, 11)...)
	none := b.add(region("London"), math.NaN())[0]
	r := Compute(b.dataset(), Options{})
	s := r.rawStats(National(), "lead")
	wantKnown(t, "P20", s.P20, 3)
	wantKnown(t, "median", s.Median, 6)
	wantKnown(t, "P80", s.P80, 9)

	cases := []struct {
		value float64
		want  figure.Band
	}{
		{1, figure.BandBelow20},
		{2, figure.BandBelow20},
		{3, figure.Band20To50}, // on the 20th percentile: upper band
		{5, figure.Band20To50},
		{6, figure.Band50To80}, // on the median
		{8, figure.Band50To80},
		{9, figure.BandAbove80}, // on the 80th percentile
		{11, figure.BandAbove80},
	}
	for _, c := range cases {
		id := ids[int(c.value)-1]
		p := r.Position(id, National(), "lead")
		if p.Band != c.want || !p.Value.Ok() || p.Value.V != c.value {
			t.Errorf("value %v: %+v, want band %v", c.value, p, c.want)
		}
		if p.N != 11 || p.Group != National() || !p.Median.Ok() || p.Median.V != 6 {
			t.Errorf("value %v: N %d group %v median %+v", c.value, p.N, p.Group, p.Median)
		}
	}

	// An organisation with no figure: Missing, no band, the group still
	// described.
	p := r.Position(none, GroupKey{DimRegion, "London"}, "lead")
	if p.Value.State != figure.Missing || p.Band != figure.BandNone || p.N != 11 || !p.Median.Ok() {
		t.Errorf("no figure: %+v", p)
	}
	// An organisation that is not in the benchmark.
	if p := r.Position(999, National(), "lead"); p.Value.State != figure.Missing || p.Band != figure.BandNone {
		t.Errorf("unknown organisation: %+v", p)
	}
	// An unknown metric.
	if p := r.Position(ids[0], National(), "nope"); p.Value.State != figure.Missing || p.Band != figure.BandNone || p.N != 0 {
		t.Errorf("unknown metric: %+v", p)
	}
}

func TestPositionInSuppressedGroup(t *testing.T) {
	var b builder
	ids := b.add(region("North East"), 1, 2, 3)
	b.add(region("London"), seq(10, 6)...)
	b.add(region("Wales"), seq(20, 7)...)
	r := Compute(b.dataset(), Options{})
	p := r.Position(ids[2], GroupKey{DimRegion, "North East"}, "lead")
	// Its own figure is shown; the group's median and the band are not.
	if !p.Value.Ok() || p.Value.V != 3 || p.Median.State != figure.Suppressed || p.Band != figure.BandNone || p.N != 3 {
		t.Errorf("%+v", p)
	}
	// Against all organisations it is banded as usual.
	if p := r.Position(ids[2], National(), "lead"); p.Band != figure.BandBelow20 {
		t.Errorf("national: %+v", p)
	}
}
