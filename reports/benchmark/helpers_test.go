package benchmark

import (
	"math"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// testMetric is the one metric most tests use.
var testMetric = Metric{Key: "lead", Label: "Leadership (mean level)", Decimals: 1}

// builder hands out organisation IDs in order.
type builder struct {
	orgs []Org
}

// add appends one organisation per value, all in the given groups, and
// returns their IDs. A NaN value means the organisation has no figure.
func (b *builder) add(g Org, values ...float64) []int64 {
	var ids []int64
	for _, v := range values {
		o := g
		o.ID = int64(len(b.orgs) + 1)
		o.Name = "Org " + string(rune('A'+len(b.orgs)%26)) + string(rune('0'+len(b.orgs)/26%10))
		o.Values = map[string]float64{}
		if !math.IsNaN(v) {
			o.Values[testMetric.Key] = v
		}
		b.orgs = append(b.orgs, o)
		ids = append(ids, o.ID)
	}
	return ids
}

func (b *builder) dataset() Dataset {
	return Dataset{Metrics: []Metric{testMetric}, Orgs: b.orgs}
}

// seq is from, from+1, ..., from+n-1.
func seq(from float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + float64(i)
	}
	return out
}

func mean(vs []float64) float64 {
	s := 0.0
	for _, v := range vs {
		s += v
	}
	return s / float64(len(vs))
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func region(name string) Org { return Org{Region: name} }

// wantKnown checks that v is Known and equal to want.
func wantKnown(t *testing.T, what string, v figure.Value, want float64) {
	t.Helper()
	if !v.Ok() || !near(v.V, want) {
		t.Errorf("%s = %+v, want known %v", what, v, want)
	}
}

// visible is everything a reader of the result can see for one metric: the
// statistics of every group, and the suppression list.
func visible(r *Result, metric string) ([]Stats, []string) {
	var out []Stats
	for _, dim := range dims {
		for _, g := range r.Groups(dim) {
			out = append(out, r.rawStats(g, metric))
		}
	}
	return out, r.Suppressions()
}

// hiddenGroups maps each suppressed group's label to its reason.
func hiddenGroups(r *Result, metric string) map[string]string {
	out := map[string]string{}
	for _, dim := range dims {
		for _, g := range r.Groups(dim) {
			if s := r.rawStats(g, metric); s.Suppressed {
				out[g.Label()] = s.Reason
			}
		}
	}
	return out
}
