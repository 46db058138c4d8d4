package benchmark

import "math"

// Quantile returns the p-th quantile (p from 0 to 1) of figures sorted in
// ascending order, by linear interpolation between the closest ranks: the
// method of Excel's PERCENTILE.INC and R's default (type 7). The quantile
// sits at zero-based rank h = (n-1)p, between sorted[floor(h)] and
// sorted[floor(h)+1].
//
// p below 0 or above 1 is taken as 0 or 1. An empty slice or a NaN p gives
// NaN. Quantile does not check that sorted is sorted.
func Quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 || math.IsNaN(p) {
		return math.NaN()
	}
	p = min(max(p, 0), 1)
	h := float64(n-1) * p
	lo := int(h)
	if lo >= n-1 {
		return sorted[n-1]
	}
	frac := h - float64(lo)
	if frac == 0 {
		return sorted[lo]
	}
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}
