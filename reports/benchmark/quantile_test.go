package benchmark

import (
	"math"
	"testing"
)

func TestQuantile(t *testing.T) {
	oneToTen := seq(1, 10)
	cases := []struct {
		name   string
		sorted []float64
		p      float64
		want   float64
	}{
		// Zero-based rank h = (n-1)p = 9p, then interpolate.
		{"median of 1..10 (h 4.5)", oneToTen, 0.5, 5.5},
		{"Q1 of 1..10 (h 2.25)", oneToTen, 0.25, 3.25},
		{"Q3 of 1..10 (h 6.75)", oneToTen, 0.75, 7.75},
		{"P20 of 1..10 (h 1.8)", oneToTen, 0.2, 2.8},
		{"P80 of 1..10 (h 7.2)", oneToTen, 0.8, 8.2},
		{"P0 is the lowest", oneToTen, 0, 1},
		{"P100 is the highest", oneToTen, 1, 10},
		{"p below 0 is taken as 0", oneToTen, -0.5, 1},
		{"p above 1 is taken as 1", oneToTen, 1.5, 10},
		{"P20 of 1..11 lands on a rank (h 2)", seq(1, 11), 0.2, 3},
		{"one figure", []float64{7}, 0.8, 7},
		{"two figures", []float64{2, 4}, 0.5, 3},
		{"uneven gaps", []float64{0, 10, 100}, 0.75, 55},
		{"negative figures", []float64{-4, -2}, 0.25, -3.5},
	}
	for _, c := range cases {
		if got := Quantile(c.sorted, c.p); !near(got, c.want) {
			t.Errorf("%s: Quantile(%v, %v) = %v, want %v", c.name, c.sorted, c.p, got, c.want)
		}
	}
	if got := Quantile(nil, 0.5); !math.IsNaN(got) {
		t.Errorf("Quantile(nil) = %v, want NaN", got)
	}
	if got := Quantile(oneToTen, math.NaN()); !math.IsNaN(got) {
		t.Errorf("Quantile(p NaN) = %v, want NaN", got)
	}
}
