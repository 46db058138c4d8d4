package benchmark

import (
	"fmt"
	"math"
	"slices"
)

// Result is the benchmark for one cycle. It is read-only after Compute, so
// any number of goroutines may read it at once.
type Result struct {
	minGroup      int
	primaryReason string

	metrics   []Metric
	metricIdx map[string]int

	// groups holds every group in report order: national, then each
	// dimension in dims order, names sorted. dimStart[d] is where dimension
	// d begins (dimStart[numDims] is len(groups)).
	groups   []GroupKey
	groupIdx map[GroupKey]int
	dimStart [numDims + 1]int
	dimOf    []int // dimension index of each group

	// orgs are the organisations without their value maps; memberOf[i]
	// holds the index of organisation i's group in each dimension (-1:
	// none), kept apart so the per-metric loops read a compact array.
	orgs     []Org
	memberOf [][numDims]int32
	orgIdx   map[int64]int
	// atoms are the distinct rows of memberOf: organisations in exactly the
	// same groups, which no published figure can tell apart (see audit.go).
	atoms  [][numDims]int32
	atomOf []int32
	// values[i*len(metrics)+j] is organisation i's figure for metric j, NaN
	// when it has none.
	values []float64

	// cells[j*len(groups)+g] is group g's statistics for metric j.
	cells []cell
}

// cell is one (group, metric) statistic set, kept as plain numbers; Stats
// turns it into figure.Values on the way out.
type cell struct {
	n                                      int
	mean, median, q1, q3, p20, p80, lo, hi float64
	hidden                                 hideReason
}

type hideReason uint8

const (
	shown hideReason = iota
	hiddenSmall
	hiddenSecondary
)

// secondaryReason is the note on a figure hidden only to protect another.
const secondaryReason = "hidden so that another suppressed figure cannot be worked out"

// entry is one organisation's figure for one metric.
type entry struct {
	v   float64
	org int32
}

// Compute works out the benchmark for a dataset. It walks the organisations
// once, gathering each metric's figures; then, metric by metric, it sorts
// the figures once and deals them out to each group in order, so every
// group's figures arrive already sorted.
//
// Compute does not fail: an organisation whose ID was already seen and a
// metric whose key was already seen are ignored (Dataset.Validate reports
// them), and a figure that is NaN or infinite counts as no figure.
func Compute(ds Dataset, opt Options) *Result {
	return compute(ds, opt, fullControl)
}

// control says how much secondary suppression compute applies. Only the
// tests ask for less than full, to show what each stage protects.
type control int

const (
	primaryOnly   control = iota // no secondary suppression
	equationsOnly                // the one-equation rule without the audit
	fullControl
)

func compute(ds Dataset, opt Options, ctl control) *Result {
	minGroup := opt.MinGroup
	if minGroup <= 0 {
		minGroup = DefaultMinGroup
	}
	r := &Result{
		minGroup:      minGroup,
		primaryReason: fmt.Sprintf("fewer than %d organisations", minGroup),
		metricIdx:     make(map[string]int, len(ds.Metrics)),
		orgIdx:        make(map[int64]int, len(ds.Orgs)),
	}
	for _, m := range ds.Metrics {
		if _, dup := r.metricIdx[m.Key]; dup {
			continue
		}
		r.metricIdx[m.Key] = len(r.metrics)
		r.metrics = append(r.metrics, m)
	}
	nm := len(r.metrics)

	// The one walk over the organisations. Group indices are provisional
	// (order of first appearance) until the names are sorted below.
	perMetric := make([][]entry, nm)
	backing := make([]entry, nm*len(ds.Orgs))
	for j := range perMetric {
		perMetric[j] = backing[j*len(ds.Orgs) : j*len(ds.Orgs) : (j+1)*len(ds.Orgs)]
	}
	r.values = make([]float64, 0, nm*len(ds.Orgs))
	r.orgs = make([]Org, 0, len(ds.Orgs))
	r.memberOf = make([][numDims]int32, 0, len(ds.Orgs))
	var names [numDims][]string
	var seen [numDims]map[string]int32
	for d := 1; d < numDims; d++ {
		seen[d] = map[string]int32{}
	}
	for k := range ds.Orgs {
		o := &ds.Orgs[k]
		if _, dup := r.orgIdx[o.ID]; dup {
			continue
		}
		i := len(r.orgs)
		r.orgIdx[o.ID] = i
		rec := *o
		rec.Values = nil
		var member [numDims]int32
		for d := 1; d < numDims; d++ {
			name := o.groupName(d)
			if name == "" {
				member[d] = -1
				continue
			}
			g, ok := seen[d][name]
			if !ok {
				g = int32(len(names[d]))
				seen[d][name] = g
				names[d] = append(names[d], name)
			}
			member[d] = g
		}
		r.orgs = append(r.orgs, rec)
		r.memberOf = append(r.memberOf, member)
		for j, m := range r.metrics {
			v, ok := o.Values[m.Key]
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				r.values = append(r.values, math.NaN())
				continue
			}
			if v == 0 {
				v = 0 // not -0, so equal figures are identical whatever their order
			}
			r.values = append(r.values, v)
			perMetric[j] = append(perMetric[j], entry{v: v, org: int32(i)})
		}
	}

	r.indexGroups(names)
	r.indexAtoms()
	ng := len(r.groups)
	r.cells = make([]cell, nm*ng)

	// Scratch space reused for every metric.
	count := make([]int, ng)
	start := make([]int, ng)
	next := make([]int, ng)
	buf := make([]float64, 0, numDims*len(r.orgs))
	sc := newSuppressScratch(ng)
	for j := range r.metrics {
		es := perMetric[j]
		// Equal figures are identical (no NaN, no -0), so their order does
		// not matter and the comparison can stay this simple.
		slices.SortFunc(es, func(a, b entry) int {
			switch {
			case a.v < b.v:
				return -1
			case a.v > b.v:
				return 1
			}
			return 0
		})
		clear(count)
		for _, e := range es {
			for _, g := range r.memberOf[e.org] {
				if g >= 0 {
					count[g]++
				}
			}
		}
		total := 0
		for g := range count {
			start[g], next[g] = total, total
			total += count[g]
		}
		buf = buf[:total]
		for _, e := range es {
			for _, g := range r.memberOf[e.org] {
				if g >= 0 {
					buf[next[g]] = e.v
					next[g]++
				}
			}
		}
		cells := r.cells[j*ng : (j+1)*ng]
		for g := range cells {
			cells[g] = describe(buf[start[g] : start[g]+count[g]])
		}
		r.suppress(cells, es, sc, ctl)
	}
	return r
}

// indexGroups sorts the group names of each dimension, fixes the final
// group indices and rewrites each organisation's provisional ones.
func (r *Result) indexGroups(names [numDims][]string) {
	r.groups = []GroupKey{National()}
	var remap [numDims][]int32
	for d := 1; d < numDims; d++ {
		r.dimStart[d] = len(r.groups)
		sorted := slices.Clone(names[d])
		slices.Sort(sorted)
		final := make(map[string]int32, len(sorted))
		for _, name := range sorted {
			final[name] = int32(len(r.groups))
			r.groups = append(r.groups, GroupKey{Dim: dims[d], Name: name})
		}
		remap[d] = make([]int32, len(names[d]))
		for tmp, name := range names[d] {
			remap[d][tmp] = final[name]
		}
	}
	r.dimStart[numDims] = len(r.groups)
	r.dimOf = make([]int, len(r.groups))
	for d := 1; d < numDims; d++ {
		for g := r.dimStart[d]; g < r.dimStart[d+1]; g++ {
			r.dimOf[g] = d
		}
	}
	r.groupIdx = make(map[GroupKey]int, len(r.groups))
	for g, k := range r.groups {
		r.groupIdx[k] = g
	}
	for i := range r.memberOf {
		gs := &r.memberOf[i]
		gs[0] = 0
		for d := 1; d < numDims; d++ {
			if gs[d] >= 0 {
				gs[d] = remap[d][gs[d]]
			}
		}
	}
}

// indexAtoms numbers the distinct combinations of groups, in order of the
// (sorted) group indices, so the numbering does not depend on the order of
// the organisations.
func (r *Result) indexAtoms() {
	seen := map[[numDims]int32]bool{}
	for _, sig := range r.memberOf {
		if !seen[sig] {
			seen[sig] = true
			r.atoms = append(r.atoms, sig)
		}
	}
	slices.SortFunc(r.atoms, func(a, b [numDims]int32) int { return slices.Compare(a[:], b[:]) })
	number := make(map[[numDims]int32]int32, len(r.atoms))
	for a, sig := range r.atoms {
		number[sig] = int32(a)
	}
	r.atomOf = make([]int32, len(r.memberOf))
	for i, sig := range r.memberOf {
		r.atomOf[i] = number[sig]
	}
}

// describe works out the statistics of figures sorted in ascending order.
func describe(sorted []float64) cell {
	n := len(sorted)
	if n == 0 {
		return cell{}
	}
	sum := 0.0
	for _, v := range sorted {
		sum += v
	}
	return cell{
		n:      n,
		mean:   sum / float64(n),
		median: Quantile(sorted, 0.5),
		q1:     Quantile(sorted, 0.25),
		q3:     Quantile(sorted, 0.75),
		p20:    Quantile(sorted, 0.2),
		p80:    Quantile(sorted, 0.8),
		lo:     sorted[0],
		hi:     sorted[n-1],
	}
}
