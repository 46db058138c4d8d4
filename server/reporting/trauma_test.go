package reporting

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestTraumaFiguresInReports: ten organisations make a full year of TRiM
// returns and two make none. The national median of TRiM risk assessments
// per 1,000 is the median of the ten rates worked out here from the returns;
// each of the ten has its own exact figure, banded against its comparator,
// in the benchmark report and the gap-analysis workbook; the two without a
// return have "no records", no value and no band; the national tables carry
// every TRiM indicator.
func TestTraumaFiguresInReports(t *testing.T) {
	set := loadFrameworks(t)
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		rs, cycle, before := twelveOrganisations(t, st, set, 1)
		own := map[int64]float64{}
		var rates []float64
		for i, o := range before.Orgs[:10] {
			assessments := 0
			for q := 1; q <= 4; q++ {
				n := 2*i + q
				assessments += n
				if _, err := st.SaveTraumaReturn(ctx, store.SystemActor("test"), store.AllOrganisations(), store.TraumaReturn{OrganisationID: o.ID,
					Year: before.Year, Quarter: q, Incidents: n, PlanningMeetings: n - 1, RiskAssessments: n, Reviews: n / 2}); err != nil {
					t.Fatal(err)
				}
			}
			wf := before.Provision[o.ID].Workforce
			if wf == nil || *wf == 0 {
				t.Fatalf("%s has no workforce figure for %d", o.Name, before.Year)
			}
			own[o.ID] = float64(assessments) * 1000 / float64(*wf)
			rates = append(rates, own[o.ID])
		}
		f, err := rs.Figures(ctx, cycle)
		if err != nil {
			t.Fatal(err)
		}
		nat := benchmark.National()
		got := f.Result.Stats(nat, store.IndTRiMAssessmentsPer1000)
		if want := medianOfTen(rates); got.N != 10 || !got.Median.Ok() || math.Abs(got.Median.V-want) > 0.051 {
			t.Errorf("national TRiM assessments per 1,000 = N %d median %+v, want N 10 median %.2f", got.N, got.Median, want)
		}
		label := f.metric(store.IndTRiMAssessmentsPer1000).Label
		if label != "TRiM risk assessments (calendar year 2026)" {
			t.Errorf("label = %q, want the period stated", label)
		}
		for _, o := range f.Orgs {
			r, err := rs.OrgReport(ctx, o.Organisation, f)
			if err != nil {
				t.Fatal(err)
			}
			want, has := own[o.ID]
			var row *struct {
				v    figure.Value
				band figure.Band
				note string
			}
			for _, p := range rs.BenchmarkReport(r).Provision {
				if p.Label == label {
					row = &struct {
						v    figure.Value
						band figure.Band
						note string
					}{p.Value, p.Band, p.Note}
				}
			}
			if row == nil {
				t.Fatalf("%s: no %q row in the benchmark report", o.Name, label)
			}
			var gapRow bool
			for _, p := range rs.gapWorkbook(r).Provision {
				if p.Label == label && p.Value == row.v && p.Band == row.band {
					gapRow = true
				}
			}
			if !gapRow {
				t.Errorf("%s: the gap workbook's %q differs from the report's", o.Name, label)
			}
			// The report bands against the comparator; twelve synthetic
			// organisations give no comparator big enough for quintiles,
			// so the banding itself is checked against the nation.
			if row.band != r.band(r.Peer, store.IndTRiMAssessmentsPer1000) {
				t.Errorf("%s: band %v is not the band against the comparator", o.Name, row.band)
			}
			natBand := r.band(nat, store.IndTRiMAssessmentsPer1000)
			switch {
			case has && (!row.v.Ok() || math.Abs(row.v.V-want) > 1e-9 || natBand == figure.BandNone || row.note != ""):
				t.Errorf("%s: %+v, want %v banded with no note", o.Name, row, want)
			case !has && (row.v.Ok() || natBand != figure.BandNone || row.band != figure.BandNone || !strings.HasPrefix(row.note, "no records")):
				t.Errorf("%s without a return: %+v, want no records and no band", o.Name, row)
			}
		}
		sum, err := rs.NationalSummary(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range store.TraumaIndicatorKeys {
			m := f.metric(key)
			if !slices.Contains(sum.Provision[0].Metrics, m.Label+" ("+m.Unit+")") {
				t.Errorf("national tables lack %s (%q)", key, m.Label)
			}
		}
		if !strings.Contains(sum.Method, "sum of the quarterly returns") {
			t.Error("the national method does not say how TRiM figures are made")
		}
	})
}
