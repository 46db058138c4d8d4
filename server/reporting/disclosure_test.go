package reporting

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// published is every group figure the outputs show, by group and metric,
// then by kind ("median", "q1", ...).
type published map[benchmark.GroupKey]map[string]map[string]figure.Value

func (p published) add(t *testing.T, where string, g benchmark.GroupKey, metric, kind string, v figure.Value) {
	if v.State != figure.Known {
		return
	}
	if p[g] == nil {
		p[g] = map[string]map[string]figure.Value{}
	}
	if p[g][metric] == nil {
		p[g][metric] = map[string]figure.Value{}
	}
	if old, ok := p[g][metric][kind]; ok && old.V != v.V {
		t.Errorf("%s: %s %s %s shown as %v and as %v", where, g.Label(), metric, kind, old.V, v.V)
	}
	p[g][metric][kind] = v
}

// collect gathers the group figures of every output the organisation can
// reach: the benchmark report (page and PDF), the gap analysis workbook and
// the business case inputs.
func collect(t *testing.T, rs *Service, r *OrgReport, p published) {
	t.Helper()
	f, nat := r.Figures, benchmark.National()
	where := r.Org.Name
	rep := rs.BenchmarkReport(r)
	for _, res := range append([]benchmarkpdf.Result{rep.Overall}, rep.Areas...) {
		key := MetricOverall
		if res.ID != "" {
			key = AreaMetric(res.ID)
		}
		for g, grp := range map[benchmark.GroupKey]benchmarkpdf.Group{nat: res.National, r.Peer: res.Peer} {
			p.add(t, where, g, key, "median", grp.Median)
			p.add(t, where, g, key, "q1", grp.Q1)
			p.add(t, where, g, key, "q3", grp.Q3)
		}
	}
	for _, row := range rep.Standards {
		p.add(t, where, nat, StandardMetric(row.ID), "median", row.NationalMedian)
		p.add(t, where, r.Peer, StandardMetric(row.ID), "median", row.PeerMedian)
	}
	for i, key := range provisionKeys() {
		p.add(t, where, r.Peer, key, "median", rep.Provision[i].GroupMedian)
	}

	w := rs.gapWorkbook(r)
	byLabel := map[string]string{}
	for _, m := range f.Result.Metrics() {
		byLabel[m.Label] = m.Key
	}
	groups := map[string]benchmark.GroupKey{nat.Label(): nat, r.Peer.Label(): r.Peer}
	for _, b := range w.Benchmarks {
		g, ok := groups[b.Group]
		key, okm := byLabel[b.Metric]
		if !ok || !okm {
			t.Fatalf("%s: gap analysis benchmark row of unknown group or metric: %q, %q", where, b.Group, b.Metric)
		}
		for kind, v := range map[string]figure.Value{"median": b.Median, "q1": b.Q1, "q3": b.Q3, "p20": b.P20, "p80": b.P80} {
			p.add(t, where, g, key, kind, v)
		}
	}
	for i, a := range w.Areas {
		key := AreaMetric(f.Framework.Areas[i].ID)
		p.add(t, where, nat, key, "median", a.NationalMedian)
		p.add(t, where, r.Peer, key, "median", a.PeerMedian)
	}
	for _, g := range w.Gaps {
		p.add(t, where, nat, StandardMetric(g.StandardID), "median", g.NationalMedian)
		p.add(t, where, r.Peer, StandardMetric(g.StandardID), "median", g.PeerMedian)
	}
	for i, key := range provisionKeys() {
		p.add(t, where, nat, key, "median", w.Provision[i].NationalMedian)
		p.add(t, where, r.Peer, key, "median", w.Provision[i].PeerMedian)
	}

	in, err := rs.businessCaseInputs(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	p.add(t, where, r.Peer, store.IndActiveDogsPer1000, "median", in.OK9DogsPeerMedian)
	p.add(t, where, r.Peer, store.IndPeerSupportersPer1000, "median", in.PeerSupportersPeerMedian)
}

// quantileAt is where each published quantile sits: p from 0 (lowest) to 1
// (highest).
var quantileAt = map[string]float64{"min": 0, "p20": 0.2, "q1": 0.25, "median": 0.5, "q3": 0.75, "p80": 0.8, "max": 1}

// attack tries to work out any organisation's figure from the published
// group figures, knowing every organisation's groups (they are public) and,
// generously, one member's own figure in each group. It returns what it
// worked out.
func attack(f *CycleFigures, p published) []string {
	res := f.Result
	members := map[benchmark.GroupKey][]int64{}
	for _, o := range f.Orgs {
		for _, g := range res.GroupsOf(o.ID) {
			members[g] = append(members[g], o.ID)
		}
	}
	value := func(id int64, key string) (float64, bool) {
		o, _ := res.Org(id)
		v, ok := o.Values[key]
		return v, ok
	}
	with := func(g benchmark.GroupKey, key string) (ids []int64, vs []float64) {
		for _, id := range members[g] {
			if v, ok := value(id, key); ok {
				ids, vs = append(ids, id), append(vs, v)
			}
		}
		sort.Float64s(vs)
		return ids, vs
	}
	decimals := map[string]int{}
	for _, m := range res.Metrics() {
		decimals[m.Key] = m.Decimals
	}
	var found []string
	var keys []benchmark.GroupKey
	for g := range p {
		keys = append(keys, g)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Label() < keys[j].Label() })
	for _, g := range keys {
		for key, kinds := range p[g] {
			_, vs := with(g, key)
			n := len(vs)
			step := math.Pow10(-decimals[key])
			// (d) every figure is rounded to the precision shown.
			for kind, v := range kinds {
				if r := v.V / step; math.Abs(r-math.Round(r)) > 1e-6 {
					found = append(found, fmt.Sprintf("(d) %s, %s: %s %v is not rounded to %d decimals", g.Label(), key, kind, v.V, decimals[key]))
				}
			}
			// (c) a quantile other than the median of a small group is a
			// member's own figure, or between two.
			if n < benchmark.MinQuantileGroup {
				for kind, v := range kinds {
					if kind == "median" || kind == "mean" {
						continue
					}
					for _, x := range vs {
						if math.Abs(x-v.V) <= step/2 {
							found = append(found, fmt.Sprintf("(c) %s, %s (n %d): published %s %v is a member's figure %v", g.Label(), key, n, kind, v.V, x))
							break
						}
					}
				}
			}
			// (a) the published quantiles pin the sorted figures: a quantile
			// at a whole rank gives that figure, one between two ranks links
			// them (knowing one gives the other).
			known := make([]bool, n)
			type link struct{ a, b int }
			var links []link
			for kind := range kinds {
				at, ok := quantileAt[kind]
				if !ok || n == 0 {
					continue
				}
				h := float64(n-1) * at
				lo := int(math.Floor(h + 1e-9))
				if math.Abs(h-float64(lo)) < 1e-9 {
					known[lo] = true
				} else {
					links = append(links, link{lo, lo + 1})
				}
			}
			for changed := true; changed; {
				changed = false
				for _, l := range links {
					if known[l.a] != known[l.b] {
						known[l.a], known[l.b], changed = true, true, true
					}
				}
			}
			unknown := 0
			for _, k := range known {
				if !k {
					unknown++
				}
			}
			if n > 0 && unknown <= 1 { // the attacker's own figure fills the last
				found = append(found, fmt.Sprintf("(a) %s, %s: the published %d quantiles pin all %d figures %v", g.Label(), key, len(kinds), n, vs))
			}
		}
	}
	// (b) differencing: an additive figure (a mean) of two groups that
	// differ by one organisation gives that organisation's figure.
	for i, a := range keys {
		for _, b := range keys[i+1:] {
			for key, ka := range p[a] {
				ma, okA := ka["mean"]
				mb, okB := p[b][key]["mean"]
				if !okA || !okB {
					continue
				}
				idsA, _ := with(a, key)
				idsB, _ := with(b, key)
				big, small, mBig, mSmall := idsA, idsB, ma, mb
				if len(idsB) > len(idsA) {
					big, small, mBig, mSmall = idsB, idsA, mb, ma
				}
				odd, ok := oneMore(big, small)
				if !ok {
					continue
				}
				derived := float64(len(big))*mBig.V - float64(len(small))*mSmall.V
				step := math.Pow10(-decimals[key])
				if x, _ := value(odd, key); math.Abs(derived-x) <= step/2 {
					found = append(found, fmt.Sprintf("(b) %s minus %s, %s: gives organisation %d's figure %v", a.Label(), b.Label(), key, odd, x))
				}
			}
		}
	}
	return found
}

// oneMore returns the one organisation in big that is not in small, when
// big is small and one more.
func oneMore(big, small []int64) (int64, bool) {
	if len(big) != len(small)+1 {
		return 0, false
	}
	in := map[int64]bool{}
	for _, id := range small {
		in[id] = true
	}
	var odd []int64
	for _, id := range big {
		if !in[id] {
			odd = append(odd, id)
		}
	}
	if len(odd) != 1 {
		return 0, false
	}
	return odd[0], true
}

// TestNoOrganisationsFigureCanBeWorkedOut builds every output each
// organisation can reach and attacks the group figures in them.
func TestNoOrganisationsFigureCanBeWorkedOut(t *testing.T) {
	set := loadFrameworks(t)
	for name, load := range map[string]func(context.Context, *store.Store) error{
		"demo": func(ctx context.Context, st *store.Store) error {
			_, err := seed.Demo(ctx, st, set, demoNow)
			return err
		},
		// 70 organisations over 4 sectors and 10 regions: regions of 7,
		// sector-size peer groups of all sizes.
		"synthetic": func(ctx context.Context, st *store.Store) error { return seed.Synthetic(ctx, st, set, 70, 2, demoNow) },
	} {
		t.Run(name, func(t *testing.T) {
			st := storetest.Open(t, "sqlite")
			ctx := context.Background()
			if err := load(ctx, st); err != nil {
				t.Fatal(err)
			}
			rs := New(st, set)
			for _, f := range cyclesWithFigures(t, rs, st) {
				p := published{}
				for _, o := range f.Orgs {
					r, err := rs.OrgReport(ctx, o.Organisation, f)
					if err != nil {
						t.Fatal(err)
					}
					collect(t, rs, r, p)
				}
				shown := map[string]int{}
				for _, s := range attack(f, p) {
					if tag := s[:3]; shown[tag] < 3 {
						t.Errorf("%s: %s", f.Cycle.Name, s)
					} else if shown[tag] == 3 {
						t.Errorf("%s: %s and more", f.Cycle.Name, tag)
					}
					shown[s[:3]]++
				}
			}
		})
	}
}
