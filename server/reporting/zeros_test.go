package reporting

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestNoRecordsAreNotZeros: on a synthetic picture whose dogs have never
// been deployed and where only some organisations recorded van visits in
// the cycle's year, deployments per dog and the van checks of the
// organisations without visits are "no records": no value, no band, and
// left out of the group quantiles, whose median is of the organisations
// with records only. The screening note ("no one in high or very high risk
// roles") never stands beside a screening figure, and every provision
// label says whether it is the calendar year's or a count as at a day.
func TestNoRecordsAreNotZeros(t *testing.T) {
	set := loadFrameworks(t)
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		rs, cycle, before := twelveOrganisations(t, st, set, 1)
		// Ten organisations record a van visit in the year; two do not.
		withVisits := map[int64]bool{}
		var rates []float64
		for i, o := range before.Orgs[:10] {
			checks := 10 * (i + 1)
			storetest.DeliveredVan(t, st, o.ID, time.Date(before.Year, 3, 1, 0, 0, 0, 0, time.UTC), "HQ", store.VanDelivery{HealthChecks: checks})
			withVisits[o.ID] = true
			wf := before.Provision[o.ID].Workforce
			if wf == nil || *wf == 0 {
				t.Fatalf("%s has no workforce figure for %d", o.Name, before.Year)
			}
			rates = append(rates, float64(checks)*1000/float64(*wf))
		}
		f, err := rs.Figures(ctx, cycle)
		if err != nil {
			t.Fatal(err)
		}
		nat := benchmark.National()

		vans := f.Result.Stats(nat, store.IndVanChecksPer1000)
		if want := medianOfTen(rates); vans.N != 10 || !vans.Median.Ok() || math.Abs(vans.Median.V-want) > 0.051 {
			t.Errorf("national van checks = N %d median %+v, want N 10 median %.2f (the organisations with records only)", vans.N, vans.Median, want)
		}
		if deps := f.Result.Stats(nat, store.IndDeploymentsPerDog); deps.N != 0 || deps.Median.Ok() {
			t.Errorf("national deployments per dog = N %d median %+v, want no organisation: no dog was deployed in %d", deps.N, deps.Median, f.Year)
		}

		screenedBeside := 0
		for _, o := range f.Orgs {
			r, err := rs.OrgReport(ctx, o.Organisation, f)
			if err != nil {
				t.Fatal(err)
			}
			keys := []string{store.IndDeploymentsPerDog}
			if !withVisits[o.ID] {
				keys = append(keys, store.IndVanChecksPer1000)
			}
			for _, key := range keys {
				if v, ok := r.Own[key]; ok {
					t.Errorf("%s %s = %v, want no records", o.Name, key, v)
				}
				if b := r.band(nat, key); b != figure.BandNone {
					t.Errorf("%s %s is banded %v without records", o.Name, key, b)
				}
				if note := r.ownNote(key); !strings.HasPrefix(note, "no records") {
					t.Errorf("%s %s note = %q, want no records", o.Name, key, note)
				}
			}
			if withVisits[o.ID] {
				if _, ok := r.Own[store.IndVanChecksPer1000]; !ok || r.band(nat, store.IndVanChecksPer1000) == figure.BandNone {
					t.Errorf("%s has van records but no banded figure", o.Name)
				}
			}
			for _, row := range rs.BenchmarkReport(r).Provision {
				// Beside a figure, the only note allowed says which
				// quarters a partly returned year covers.
				if row.Value.Ok() && row.Note != "" && !strings.HasPrefix(row.Note, "from returns for Q") {
					t.Errorf("%s: %q = %s beside the note %q", o.Name, row.Label, row.Value.Format(row.Decimals), row.Note)
				}
				if !strings.HasSuffix(row.Label, "(calendar year 2026)") && !strings.Contains(row.Label, "(as at ") {
					t.Errorf("%s: %q does not say whether it is the calendar year's or as at a day", o.Name, row.Label)
				}
				if strings.HasPrefix(row.Label, "Screening in date") && row.Value.Ok() {
					screenedBeside++
				}
			}
		}
		if screenedBeside == 0 {
			t.Error("no organisation has a screening figure: the note check proved nothing")
		}
	})
}

// twelveOrganisations seeds a synthetic picture of twelve organisations in
// the number of cycles given, and gives the reporting service, the latest
// cycle and its figures before the test records anything of its own.
func twelveOrganisations(t *testing.T, st *store.Store, set *frameworks.Set, cycles int) (*Service, store.Cycle, *CycleFigures) {
	t.Helper()
	ctx := context.Background()
	if err := seed.Synthetic(ctx, st, set, 12, cycles, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	list, err := st.Cycles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rs := New(st, set)
	f, err := rs.Figures(ctx, list[0])
	if err != nil {
		t.Fatal(err)
	}
	return rs, list[0], f
}

// medianOfTen is the median of ten figures, worked out here so that the
// engine's own is checked against it.
func medianOfTen(v []float64) float64 {
	if len(v) != 10 {
		panic("medianOfTen needs ten figures")
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return (s[4] + s[5]) / 2
}
