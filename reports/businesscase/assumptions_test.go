package businesscase

import (
	"math"
	"testing"
)

// Every assumption has a unit and a range its default lies in, and figures
// anywhere in the ranges keep every sum finite.
func TestAssumptionRanges(t *testing.T) {
	as := append(DefaultAssumptions("police"), OwnFigures()...)
	for _, a := range as {
		if a.Unit == "" || !(a.Min < a.Max) || !a.InRange(a.Value) || a.Source == "" {
			t.Errorf("%s: unit %q, range %v to %v, default %v", a.Key, a.Unit, a.Min, a.Max, a.Value)
		}
	}
	if (Assumption{Min: 0, Max: 1}).InRange(math.NaN()) {
		t.Error("NaN is in range")
	}
	for _, edge := range []func(Assumption) float64{
		func(a Assumption) float64 { return a.Max },
		func(a Assumption) float64 { return a.Min },
	} {
		extreme := append(Assumptions(nil), as...)
		for i := range extreme {
			extreme[i].Value = edge(extreme[i])
		}
		p, err := Generate(full(), extreme)
		if err != nil {
			t.Fatal(err)
		}
		cost, ret := Totals(p.Recommendations)
		roi, _ := ROI(cost, ret)
		for _, v := range []float64{cost, ret, roi} {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				t.Errorf("a sum is %v with every assumption at an edge of its range", v)
			}
		}
	}
}
