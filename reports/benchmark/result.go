package benchmark

import (
	"fmt"
	"math"
	"slices"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Stats is one group's distribution of one metric.
type Stats struct {
	// N is how many organisations in the group have a figure for the
	// metric. It is always shown, even when the figures are suppressed.
	N int
	// The figures. All Suppressed (Note = Reason) when the group is
	// suppressed; all Missing when no organisation in the group has one.
	Mean, Median, Q1, Q3, P20, P80, Min, Max figure.Value
	Suppressed                               bool
	// Reason says why the figures are suppressed, e.g. "fewer than 5
	// organisations"; empty when they are not.
	Reason string
}

// Position is where one organisation's figure sits in a group.
type Position struct {
	// Value is the organisation's own figure (Missing if it has none). It is
	// never suppressed: an organisation always sees its own figures.
	Value figure.Value
	// Median is the group's median, which may be Suppressed.
	Median figure.Value
	// Band places Value against the group's 20th percentile, median and
	// 80th percentile (figure.BandOf); BandNone if any is not known.
	Band  figure.Band
	N     int
	Group GroupKey
}

// Notes on figures that are missing rather than suppressed.
const (
	noteNoFigures = "no organisation in the group has this figure"
	noteNoGroup   = "no such comparison group"
	noteNoMetric  = "no such metric"
	noteNoOrg     = "organisation not in the benchmark"
	noteNoOwn     = "no figure"
)

// MinGroup is the minimum group size this result was computed with.
func (r *Result) MinGroup() int { return r.minGroup }

// Metrics lists the metrics in the order of the dataset (duplicates left
// out).
func (r *Result) Metrics() []Metric { return slices.Clone(r.metrics) }

// Groups lists the groups of a dimension, sorted by name. DimNational gives
// the one national group; an unknown dimension gives nil.
func (r *Result) Groups(dim string) []GroupKey {
	d := dimIndex(dim)
	if d < 0 {
		return nil
	}
	end := r.dimStart[d+1]
	if d == 0 {
		end = 1
	}
	return slices.Clone(r.groups[r.dimStart[d]:end])
}

// GroupsOf lists the groups an organisation is in: national first, then
// sector, nation, region and peer group, leaving out dimensions where it is
// in none. An unknown organisation gives nil.
func (r *Result) GroupsOf(orgID int64) []GroupKey {
	i, ok := r.orgIdx[orgID]
	if !ok {
		return nil
	}
	var out []GroupKey
	for _, g := range r.memberOf[i] {
		if g >= 0 {
			out = append(out, r.groups[g])
		}
	}
	return out
}

// Org returns an organisation as given to Compute, with a fresh copy of its
// figures (only those for the dataset's metrics, finite ones).
func (r *Result) Org(orgID int64) (Org, bool) {
	i, ok := r.orgIdx[orgID]
	if !ok {
		return Org{}, false
	}
	o := r.orgs[i]
	o.Values = make(map[string]float64, len(r.metrics))
	for j, m := range r.metrics {
		if v := r.values[i*len(r.metrics)+j]; !math.IsNaN(v) {
			o.Values[m.Key] = v
		}
	}
	return o, true
}

// MinQuantileGroup is the fewest organisations a group's quantiles other
// than the median (quartiles, 20th and 80th percentiles, lowest and
// highest) may rest on, the GP Patient Survey threshold. In a smaller group
// they are the members' own figures.
const MinQuantileGroup = 10

// quantileReason is the note on a quantile withheld in a small group.
func (r *Result) quantileReason() string {
	return fmt.Sprintf("published only for groups of %d or more organisations", r.minQuantile())
}

func (r *Result) minQuantile() int { return max(MinQuantileGroup, r.minGroup) }

// Stats returns a group's distribution of a metric as it may be published:
// this is the only way group figures leave the package, so every output
// follows one rule.
//
//   - Fewer than MinGroup organisations: every figure Suppressed.
//   - Every figure is rounded to the metric's Decimals, the precision the
//     reports show.
//   - The median is shown from MinGroup organisations; it cannot be
//     differenced, so it is never hidden by secondary suppression.
//   - The quartiles, 20th and 80th percentiles, lowest and highest are
//     shown only from MinQuantileGroup organisations (Suppressed below).
//   - The mean, which times N is a total, is Suppressed where secondary
//     suppression hides the group.
//
// Suppressed is true when the mean is hidden (the group is too small, or
// hidden by secondary suppression), and Reason says why. An unknown group
// or metric gives N 0 and every figure Missing.
func (r *Result) Stats(g GroupKey, metric string) Stats {
	c, j, missing := r.cell(g, metric)
	if missing != nil {
		return *missing
	}
	if c.hidden == hiddenSmall {
		s := figure.SuppressedValue(r.primaryReason)
		return Stats{N: c.n, Mean: s, Median: s, Q1: s, Q3: s, P20: s, P80: s, Min: s, Max: s, Suppressed: true, Reason: r.primaryReason}
	}
	round := roundTo(r.metrics[j].Decimals)
	st := Stats{N: c.n, Mean: round(c.mean), Median: round(c.median)}
	if c.hidden == hiddenSecondary {
		st.Mean, st.Suppressed, st.Reason = figure.SuppressedValue(secondaryReason), true, secondaryReason
	}
	if c.n < r.minQuantile() {
		q := figure.SuppressedValue(r.quantileReason())
		st.Q1, st.Q3, st.P20, st.P80, st.Min, st.Max = q, q, q, q, q, q
		return st
	}
	st.Q1, st.Q3, st.P20, st.P80, st.Min, st.Max = round(c.q1), round(c.q3), round(c.p20), round(c.p80), round(c.lo), round(c.hi)
	return st
}

// roundTo rounds a figure to the given number of decimal places, exactly
// as the reports print it.
func roundTo(decimals int) func(float64) figure.Value {
	return func(x float64) figure.Value { return figure.Of(figure.Rounded(x, decimals)) }
}

// cell finds a group's cell of a metric and the metric's index, or the
// Stats to return when there is none (unknown group or metric, no figures).
func (r *Result) cell(g GroupKey, metric string) (cell, int, *Stats) {
	if g.Dim == DimNational {
		g.Name = ""
	}
	gi, ok := r.groupIdx[g]
	if !ok {
		st := missingStats(noteNoGroup)
		return cell{}, 0, &st
	}
	j, ok := r.metricIdx[metric]
	if !ok {
		st := missingStats(noteNoMetric)
		return cell{}, 0, &st
	}
	c := r.cells[j*len(r.groups)+gi]
	if c.n == 0 {
		st := missingStats(noteNoFigures)
		return cell{}, 0, &st
	}
	return c, j, nil
}

// rawStats is a group's distribution unrounded and with every quantile, as
// the engine works it out: for the package's own tests of the arithmetic
// and of suppression, never for publication.
func (r *Result) rawStats(g GroupKey, metric string) Stats {
	c, _, missing := r.cell(g, metric)
	switch {
	case missing != nil:
		return *missing
	case c.hidden != shown:
		reason := r.reason(c.hidden)
		s := figure.SuppressedValue(reason)
		return Stats{N: c.n, Mean: s, Median: s, Q1: s, Q3: s, P20: s, P80: s, Min: s, Max: s, Suppressed: true, Reason: reason}
	}
	return Stats{
		N:    c.n,
		Mean: figure.Of(c.mean), Median: figure.Of(c.median),
		Q1: figure.Of(c.q1), Q3: figure.Of(c.q3),
		P20: figure.Of(c.p20), P80: figure.Of(c.p80),
		Min: figure.Of(c.lo), Max: figure.Of(c.hi),
	}
}

func missingStats(note string) Stats {
	m := figure.MissingValue(note)
	return Stats{Mean: m, Median: m, Q1: m, Q3: m, P20: m, P80: m, Min: m, Max: m}
}

// Position places an organisation's figure for a metric in a group. The
// group need not be one of the organisation's own (a caller may compare an
// organisation with another region); the organisation's own figure is
// always Known when it has one, whatever the group's suppression.
func (r *Result) Position(orgID int64, g GroupKey, metric string) Position {
	if g.Dim == DimNational {
		g.Name = ""
	}
	st := r.Stats(g, metric)
	p := Position{Median: st.Median, N: st.N, Group: g}
	i, okOrg := r.orgIdx[orgID]
	j, okMetric := r.metricIdx[metric]
	switch {
	case !okOrg:
		p.Value = figure.MissingValue(noteNoOrg)
	case !okMetric:
		p.Value = figure.MissingValue(noteNoMetric)
	default:
		if v := r.values[i*len(r.metrics)+j]; math.IsNaN(v) {
			p.Value = figure.MissingValue(noteNoOwn)
		} else {
			p.Value = figure.Of(v)
		}
	}
	p.Band = figure.BandOf(p.Value, st.P20, st.Median, st.P80)
	return p
}
