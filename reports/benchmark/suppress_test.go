package benchmark

import (
	"fmt"
	"maps"
	"reflect"
	"testing"
)

const (
	small     = "fewer than 5 organisations"
	protected = "hidden so that another suppressed figure cannot be worked out"
)

func TestSecondarySuppression(t *testing.T) {
	type grp struct {
		name string // region; "" for organisations in no region
		n    int
	}
	cases := []struct {
		name   string
		groups []grp
		want   map[string]string // hidden region label -> reason
	}{
		{"one small region among others: the next smallest is hidden too",
			[]grp{{"North East", 3}, {"London", 6}, {"Wales", 7}, {"South West", 8}},
			map[string]string{"Region: North East": small, "Region: London": protected}},
		{"ties for next smallest go to the first name",
			[]grp{{"North East", 3}, {"Wales", 6}, {"London", 6}, {"South West", 9}},
			map[string]string{"Region: North East": small, "Region: London": protected}},
		{"two small regions hide each other: no secondary needed",
			[]grp{{"North East", 3}, {"North West", 4}, {"London", 6}, {"Wales", 7}},
			map[string]string{"Region: North East": small, "Region: North West": small}},
		{"no small region: nothing hidden",
			[]grp{{"North East", 5}, {"London", 6}, {"Wales", 7}},
			map[string]string{}},
		{"a few organisations in no region: the smallest region hides them",
			[]grp{{"London", 6}, {"Wales", 7}, {"", 2}},
			map[string]string{"Region: London": protected}},
		{"enough organisations in no region: nothing to protect",
			[]grp{{"London", 6}, {"Wales", 7}, {"", 5}},
			map[string]string{}},
		{"organisations in no region already hide a small region",
			[]grp{{"North East", 3}, {"London", 6}, {"Wales", 7}, {"", 2}},
			map[string]string{"Region: North East": small}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b builder
			next := 1.0
			for _, g := range c.groups {
				b.add(region(g.name), seq(next, g.n)...)
				next += float64(g.n)
			}
			r := Compute(b.dataset(), Options{})
			if got := hiddenGroups(r, "lead"); !maps.Equal(got, c.want) {
				t.Errorf("hidden = %v\nwant     %v", got, c.want)
			}
			if s := r.rawStats(National(), "lead"); s.Suppressed {
				t.Errorf("national suppressed: %+v", s)
			}
			checkNothingSmallDerivable(t, b.dataset(), r)
		})
	}
}

// The case secondary suppression exists for, worked through: one small
// region among others.
func TestSecondarySuppressionStopsTheSubtraction(t *testing.T) {
	build := func(northEast, london []float64) Dataset {
		var b builder
		b.add(region("North East"), northEast...)  // 3 organisations
		b.add(region("London"), london...)         // 6
		b.add(region("Wales"), seq(10, 7)...)      // 7: 10..16, total 91
		b.add(region("South West"), seq(20, 8)...) // 8: 20..27, total 188
		return b.dataset()
	}
	northEast := []float64{1, 2, 3}       // mean 2, total 6
	london := []float64{4, 5, 6, 7, 8, 9} // mean 6.5, total 39
	ds := build(northEast, london)
	ne, lon, wal, sw := GroupKey{DimRegion, "North East"}, GroupKey{DimRegion, "London"}, GroupKey{DimRegion, "Wales"}, GroupKey{DimRegion, "South West"}
	total := func(s Stats) float64 { return s.Mean.V * float64(s.N) }

	// Without secondary suppression North East alone is hidden, and
	// subtraction gives it away: all 24 organisations total
	// 13.5 x 24 = 324; 324 - 39 - 91 - 188 = 6 over 3 organisations, a
	// mean of 2, which is exactly North East's hidden mean.
	off := compute(ds, Options{}, primaryOnly)
	if s := off.rawStats(ne, "lead"); !s.Suppressed || s.N != 3 {
		t.Fatalf("North East without secondary: %+v", s)
	}
	nat := off.rawStats(National(), "lead")
	wantKnown(t, "national mean", nat.Mean, 13.5)
	derived := (total(nat) - total(off.rawStats(lon, "lead")) - total(off.rawStats(wal, "lead")) - total(off.rawStats(sw, "lead"))) / float64(off.rawStats(ne, "lead").N)
	if !near(derived, mean(northEast)) {
		t.Fatalf("derived North East mean %v, want %v: the test no longer shows the leak", derived, mean(northEast))
	}

	// With it, London is hidden too, and the same subtraction only gives
	// North East and London together: 324 - 91 - 188 = 45 over 9.
	on := Compute(ds, Options{})
	if s := on.rawStats(lon, "lead"); !s.Suppressed || s.Reason != protected {
		t.Fatalf("London = %+v, want hidden to protect North East", s)
	}
	nat = on.rawStats(National(), "lead")
	if got := total(nat) - total(on.rawStats(wal, "lead")) - total(on.rawStats(sw, "lead")); !near(got, 45) {
		t.Errorf("North East + London = %v, want 45", got)
	}
	// 45 splits many ways. Swap North East's 3 with London's 9: North East's
	// mean becomes 4 and London's 5.5, yet every figure anyone can see is
	// the same, so no reader can tell which North East is.
	swapped := build([]float64{1, 2, 9}, []float64{4, 5, 6, 7, 8, 3})
	on2 := Compute(swapped, Options{})
	s1, l1 := visible(on, "lead")
	s2, l2 := visible(on2, "lead")
	if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(l1, l2) {
		t.Errorf("a different North East mean shows differently:\n%v\n%v", s1, s2)
	}
	// Without secondary suppression the swap shows (London's mean moves),
	// which is the leak.
	if s, _ := visible(compute(swapped, Options{}, primaryOnly), "lead"); reflect.DeepEqual(s, func() []Stats { s, _ := visible(off, "lead"); return s }()) {
		t.Error("without secondary suppression the swap should be visible")
	}
	checkNothingSmallDerivable(t, ds, on)
}

// Regions that are the same organisations as a nation (as Scotland,
// Northern Ireland and the UK-wide bodies are in the demo data) give a
// second way to subtract.
func TestNestedGroupsAreProtected(t *testing.T) {
	var b builder
	b.add(Org{Nation: "England", Region: "North"}, seq(1, 8)...)
	b.add(Org{Nation: "England", Region: "South"}, seq(10, 9)...)
	b.add(Org{Nation: "Scotland", Region: "Scotland"}, seq(20, 6)...)
	b.add(Org{Nation: "Wales", Region: "Wales"}, seq(30, 6)...)
	b.add(Org{Nation: "Northern Ireland", Region: "Northern Ireland"}, 40, 41, 42)
	ds := b.dataset()
	r := Compute(ds, Options{})
	// Northern Ireland is small in both dimensions. Among nations the next
	// smallest is Scotland (tied with Wales, first by name). Had region
	// Scotland stayed shown, its total is nation Scotland's, and all
	// organisations minus England, Wales and region Scotland would be
	// Northern Ireland; so region Scotland is hidden as well.
	want := map[string]string{
		"Nation: Northern Ireland": small, "Region: Northern Ireland": small,
		"Nation: Scotland": protected, "Region: Scotland": protected,
	}
	if got := hiddenGroups(r, "lead"); !maps.Equal(got, want) {
		t.Errorf("hidden = %v\nwant     %v", got, want)
	}
	// The one-dimension rule alone would have left region Scotland shown.
	if got := hiddenGroups(compute(ds, Options{}, primaryOnly), "lead"); len(got) != 2 {
		t.Errorf("primary only: %v", got)
	}
	checkNothingSmallDerivable(t, ds, r)
}

// Peer groups inside sectors, as in the demo data: a small fire peer group
// is protected by the other fire peer group, which settles both fire and
// the national equation. Checking the national equation first would hide
// the smallest peer group of any sector (police very large), and then one
// more police peer group for the police equation.
func TestSmallEquationsFirst(t *testing.T) {
	var b builder
	b.add(Org{Sector: "fire", PeerGroup: "Fire: large"}, seq(1, 3)...)
	b.add(Org{Sector: "fire", PeerGroup: "Fire: medium"}, seq(10, 8)...)
	b.add(Org{Sector: "police", PeerGroup: "Police: very large"}, seq(20, 6)...)
	b.add(Org{Sector: "police", PeerGroup: "Police: large"}, seq(30, 11)...)
	b.add(Org{Sector: "police", PeerGroup: "Police: small"}, seq(50, 14)...)
	ds := b.dataset()
	r := Compute(ds, Options{})
	want := map[string]string{"Peer group: Fire: large": small, "Peer group: Fire: medium": protected}
	if got := hiddenGroups(r, "lead"); !maps.Equal(got, want) {
		t.Errorf("hidden = %v\nwant     %v", got, want)
	}
	checkNothingSmallDerivable(t, ds, r)
}

// A total can also be worked out from groups of different dimensions that
// do not nest: here London minus the peer group wholly inside it leaves the
// two organisations of the "other" sector. No single equation shows it;
// the audit does.
func TestAuditCatchesCrossDimensionSubtraction(t *testing.T) {
	var b builder
	b.add(Org{Sector: "fire", Region: "London", PeerGroup: "Metropolitan fire"}, seq(1, 5)...) // 5
	b.add(Org{Sector: "other", Region: "London", PeerGroup: "Mixed"}, 50, 70)                  // 2, total 120
	b.add(Org{Sector: "police", Region: "North", PeerGroup: "Mixed"}, seq(10, 5)...)           // 5
	b.add(Org{Sector: "fire", Region: "North", PeerGroup: "County fire"}, seq(20, 6)...)       // 6
	b.add(Org{Sector: "police", Region: "South", PeerGroup: "Police forces"}, seq(30, 5)...)   // 5
	ds := b.dataset()
	other := GroupKey{DimSector, "other"}
	london, metro := GroupKey{DimRegion, "London"}, GroupKey{DimPeer, "Metropolitan fire"}

	eq := compute(ds, Options{}, equationsOnly)
	if s := eq.rawStats(other, "lead"); !s.Suppressed || s.Reason != small {
		t.Fatalf("other = %+v", s)
	}
	if s := eq.rawStats(GroupKey{DimSector, "police"}, "lead"); !s.Suppressed || s.Reason != protected {
		t.Fatalf("police = %+v, want the equation rule to hide it", s)
	}
	// London is 1..5 plus 50 and 70 (total 135 over 7), Metropolitan fire
	// is 1..5 (total 15 over 5): 135 - 15 = 120 over the 2 organisations
	// of the "other" sector, whose hidden mean is 60.
	l, m := eq.rawStats(london, "lead"), eq.rawStats(metro, "lead")
	if !l.Mean.Ok() || !m.Mean.Ok() {
		t.Fatalf("equations alone should leave London and Metropolitan fire shown: %+v %+v", l, m)
	}
	if got := (l.Mean.V*float64(l.N) - m.Mean.V*float64(m.N)) / 2; !near(got, 60) {
		t.Fatalf("derived other mean %v, want 60: the test no longer shows the leak", got)
	}

	// The independent checker sees that leak too.
	if leaks := derivableSmallSets(ds, eq); len(leaks) != 1 {
		t.Errorf("checker on equations only: %q, want the one leak", leaks)
	}

	// The audit finds no single group every subtraction needs (the
	// Metropolitan fire total is also fire minus County fire), so it hides
	// the smallest group the subtraction it found uses, Metropolitan fire,
	// and then County fire, which would give it back.
	r := Compute(ds, Options{})
	want := map[string]string{
		"Sector: Other": small, "Sector: Police": protected,
		"Peer group: Metropolitan fire": protected, "Peer group: County fire": protected,
	}
	if got := hiddenGroups(r, "lead"); !maps.Equal(got, want) {
		t.Errorf("hidden = %v\nwant     %v", got, want)
	}
	checkNothingSmallDerivable(t, ds, r)
}

func TestSuppressionIsPerMetric(t *testing.T) {
	var b builder
	b.add(region("North East"), seq(1, 5)...)
	b.add(region("London"), seq(10, 6)...)
	b.add(region("Wales"), seq(20, 7)...)
	ds := b.dataset()
	ds.Metrics = append(ds.Metrics, Metric{Key: "ok9", Label: "OK9 dogs per 1,000 staff"})
	for i := range ds.Orgs {
		ds.Orgs[i].Values["ok9"] = float64(i)
	}
	delete(ds.Orgs[0].Values, "lead") // North East: 4 for lead, 5 for ok9
	r := Compute(ds, Options{})
	if got := hiddenGroups(r, "ok9"); len(got) != 0 {
		t.Errorf("ok9 hidden %v", got)
	}
	want := map[string]string{"Region: North East": small, "Region: London": protected}
	if got := hiddenGroups(r, "lead"); !maps.Equal(got, want) {
		t.Errorf("lead hidden %v", got)
	}
}

// TestNothingSmallCanBeWorkedOut runs many random datasets through Compute
// and checks the promise with an independent, exact checker.
func TestNothingSmallCanBeWorkedOut(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		ds := randomDataset(seed)
		min := 3 + int(seed%4)
		r := Compute(ds, Options{MinGroup: min})
		checkNothingSmallDerivable(t, ds, r)
		checkStatsNaive(t, ds, r)
		if t.Failed() {
			t.Fatalf("seed %d, minimum %d", seed, min)
		}
	}
}

func TestRandomDatasetsExerciseSuppression(t *testing.T) {
	// Guard against the random test passing because nothing is hidden.
	var primary, secondary, audited int
	for seed := uint64(1); seed <= 300; seed++ {
		ds := randomDataset(seed)
		opt := Options{MinGroup: 3 + int(seed%4)}
		r := Compute(ds, opt)
		eq := compute(ds, opt, equationsOnly)
		for _, m := range ds.Metrics {
			for _, reason := range hiddenGroups(r, m.Key) {
				if reason == protected {
					secondary++
				} else {
					primary++
				}
			}
			if len(hiddenGroups(r, m.Key)) != len(hiddenGroups(eq, m.Key)) {
				audited++
			}
		}
	}
	t.Logf("hidden: %d small, %d protecting; the audit added to %d metric results", primary, secondary, audited)
	if primary == 0 || secondary == 0 || audited == 0 {
		t.Errorf("random datasets do not exercise every stage: %d %d %d", primary, secondary, audited)
	}
}

// checkStatsNaive recomputes every shown figure the slow way.
func checkStatsNaive(t *testing.T, ds Dataset, r *Result) {
	t.Helper()
	for _, m := range ds.Metrics {
		for _, dim := range dims {
			for _, g := range r.Groups(dim) {
				var vs []float64
				for _, o := range ds.Orgs {
					if v, ok := o.Values[m.Key]; ok && inGroup(o, g) {
						vs = append(vs, v)
					}
				}
				s := r.rawStats(g, m.Key)
				if s.N != len(vs) {
					t.Errorf("%s %s: N %d, want %d", g.Label(), m.Key, s.N, len(vs))
					continue
				}
				if len(vs) > 0 && len(vs) < r.MinGroup() && (!s.Suppressed || s.Reason != "fewer than "+itoa(r.MinGroup())+" organisations") {
					t.Errorf("%s %s: N %d not suppressed as small: %+v", g.Label(), m.Key, len(vs), s)
				}
				if s.Suppressed || len(vs) == 0 {
					continue
				}
				sortFloats(vs)
				if !near(s.Mean.V, mean(vs)) || !near(s.Median.V, Quantile(vs, 0.5)) || s.Min.V != vs[0] || s.Max.V != vs[len(vs)-1] ||
					!near(s.Q1.V, Quantile(vs, 0.25)) || !near(s.Q3.V, Quantile(vs, 0.75)) || !near(s.P20.V, Quantile(vs, 0.2)) || !near(s.P80.V, Quantile(vs, 0.8)) {
					t.Errorf("%s %s: %+v from %v", g.Label(), m.Key, s, vs)
				}
			}
		}
	}
}

func inGroup(o Org, g GroupKey) bool {
	switch g.Dim {
	case DimNational:
		return true
	case DimSector:
		return o.Sector == g.Name
	case DimNation:
		return o.Nation == g.Name
	case DimRegion:
		return o.Region == g.Name
	case DimPeer:
		return o.PeerGroup == g.Name
	}
	return false
}

// checkNothingSmallDerivable is the independent check: over the
// organisations with each metric, no group hidden for being small, and no
// small set of organisations in no group of some dimension, has an
// indicator vector in the span of the shown groups' vectors. It works per
// organisation (not per atom) in exact rational arithmetic.
func checkNothingSmallDerivable(t *testing.T, ds Dataset, r *Result) {
	t.Helper()
	for _, leak := range derivableSmallSets(ds, r) {
		t.Error(leak)
	}
}

func derivableSmallSets(ds Dataset, r *Result) []string {
	var leaks []string
	for _, m := range ds.Metrics {
		var orgs []Org
		for _, o := range ds.Orgs {
			if _, ok := o.Values[m.Key]; ok {
				orgs = append(orgs, o)
			}
		}
		vec := func(in func(Org) bool) []int {
			v := make([]int, len(orgs))
			for i, o := range orgs {
				if in(o) {
					v[i] = 1
				}
			}
			return v
		}
		var shownVecs [][]int
		type target struct {
			what string
			v    []int
		}
		var targets []target
		for _, dim := range dims {
			for _, g := range r.Groups(dim) {
				s := r.rawStats(g, m.Key)
				v := vec(func(o Org) bool { return inGroup(o, g) })
				switch {
				case s.N == 0:
				case !s.Suppressed:
					shownVecs = append(shownVecs, v)
				case s.N < r.MinGroup():
					targets = append(targets, target{g.Label(), v})
				}
			}
			if dim == DimNational {
				continue
			}
			none := vec(func(o Org) bool { return inGroup(o, GroupKey{dim, ""}) })
			if n := count(none); n > 0 && n < r.MinGroup() {
				targets = append(targets, target{"organisations in no " + dim, none})
			}
		}
		for _, tg := range targets {
			if inRationalSpan(shownVecs, tg.v) {
				leaks = append(leaks, fmt.Sprintf("%s: the total of %s (%d organisations) can be worked out from the shown figures", m.Key, tg.what, count(tg.v)))
			}
		}
	}
	return leaks
}

func count(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func sortFloats(vs []float64) {
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && vs[j] < vs[j-1]; j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}
