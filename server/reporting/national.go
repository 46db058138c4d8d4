package reporting

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/nationalbook"
	"github.com/bluelight-wellbeing/toolkit/reports/nationalpdf"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// The national tables: distributions per group with disclosure control for
// the publishable summary, and the named workbook for national admins.

// Overall is an organisation's overall maturity as the benchmark counted
// it, for the national admins' named picture.
func Overall(f *CycleFigures, orgID int64) figure.Value {
	return valueOf(orgValues(f, orgID), MetricOverall)
}

// orgValues are an organisation's figures as the benchmark counted them.
func orgValues(f *CycleFigures, orgID int64) map[string]float64 {
	o, _ := f.Result.Org(orgID)
	return o.Values
}

func valueOf(values map[string]float64, key string) figure.Value {
	if v, ok := values[key]; ok {
		return figure.Of(v)
	}
	return figure.MissingValue("")
}

// submissionRows counts each sector's organisations by where their
// assessment stands.
func submissionRows(orgs []store.CycleOrg) []nationalpdf.SubmissionRow {
	bySector := map[string]*nationalpdf.SubmissionRow{}
	var sectors []string
	for _, o := range orgs {
		row := bySector[o.Sector]
		if row == nil {
			row = &nationalpdf.SubmissionRow{Sector: o.Sector}
			bySector[o.Sector] = row
			sectors = append(sectors, o.Sector)
		}
		row.Organisations++
		switch {
		case o.Counts():
			row.Submitted++
		case o.Status == "":
			row.NotStarted++
		default:
			row.InProgress++
		}
	}
	sort.Strings(sectors)
	var out []nationalpdf.SubmissionRow
	for _, sec := range sectors {
		out = append(out, *bySector[sec])
	}
	return out
}

// NationalSummary is the publishable summary: groups only, no organisation
// named, every figure under disclosure control.
func (s *Service) NationalSummary(ctx context.Context, f *CycleFigures) (nationalpdf.Summary, error) {
	messages, err := s.keyMessages(ctx, f)
	if err != nil {
		return nationalpdf.Summary{}, err
	}
	sum := nationalpdf.Summary{KeyMessages: messages, Cycle: f.Cycle.Name, Edition: s.frameworks.EditionTitle(f.Cycle.FrameworkKey, f.Cycle.FrameworkVersion),
		Produced: s.store.Now(), Submission: submissionRows(f.Orgs), SuppressionRule: f.Result.Rule(), Notices: s.Notices(f.Cycle)}
	groups, err := s.nationalGroupRows(ctx, f)
	if err != nil {
		return nationalpdf.Summary{}, err
	}
	for _, g := range groups {
		sum.TraumaGroups = append(sum.TraumaGroups, nationalpdf.TraumaGroupRow(g))
	}
	maturity := []string{MetricOverall}
	labels := []string{"Overall"}
	for _, a := range f.Framework.Areas {
		maturity, labels = append(maturity, AreaMetric(a.ID)), append(labels, a.Title)
	}
	table := func(title, note string, dim string, keys, labels []string, decimals []int, chart bool) nationalpdf.GroupTable {
		t := nationalpdf.GroupTable{Title: title, Note: note, Metrics: labels, Decimals: decimals, Chart: chart}
		groups := []benchmark.GroupKey{benchmark.National()}
		if dim != benchmark.DimNational {
			groups = f.Result.Groups(dim)
		}
		for _, g := range groups {
			row := nationalpdf.GroupRow{Group: g.Label(), N: f.Result.Stats(g, keys[0]).N}
			if g.Dim != benchmark.DimNational {
				row.Group = g.Name
			}
			for _, k := range keys {
				st := f.Result.Stats(g, k)
				row.Medians, row.Q1, row.Q3 = append(row.Medians, st.Median), append(row.Q1, st.Q1), append(row.Q3, st.Q3)
			}
			t.Rows = append(t.Rows, row)
		}
		return t
	}
	note := "Median of the organisations' mean maturity levels; N is the number of submitted or validated self-assessments."
	for _, d := range []struct{ dim, title string }{
		{benchmark.DimNational, "National"}, {benchmark.DimSector, "By sector"}, {benchmark.DimNation, "By nation"},
		{benchmark.DimRegion, "By region"}, {benchmark.DimPeer, "By peer group"},
	} {
		sum.Groups = append(sum.Groups, table(d.title, note, d.dim, maturity, labels, nil, d.dim == benchmark.DimNational || d.dim == benchmark.DimSector))
	}
	var keys, pLabels []string
	var decimals []int
	for _, k := range provisionKeys() {
		m := f.metric(k)
		keys, pLabels, decimals = append(keys, k), append(pLabels, m.Label+" ("+m.Unit+")"), append(decimals, m.Decimals)
	}
	pNote := "Median per group; N is the number of organisations with a figure for the first column."
	sum.Provision = append(sum.Provision,
		table("Provision and risk, national", pNote, benchmark.DimNational, keys, pLabels, decimals, false),
		table("Provision and risk by sector", pNote, benchmark.DimSector, keys, pLabels, decimals, false))
	// List only what this summary itself withholds: maturity for every
	// group, provision for the nation and the sectors.
	sum.Suppressed = f.Result.SuppressionsOf(func(g benchmark.GroupKey, metric string) bool {
		return slices.Contains(maturity, metric) ||
			slices.Contains(keys, metric) && (g.Dim == benchmark.DimNational || g.Dim == benchmark.DimSector)
	})
	sum.Method = strings.Join([]string{
		"Maturity figures count only submitted or validated self-assessments of the cycle; an organisation's maturity is the mean level over the standards it answered, and each group figure is the median (with the 25th and 75th percentiles) of those means.",
		"Deployments, peer support and van figures are for the " + store.CalendarYear(f.Year) + "; OK9 dogs and handlers, and the role risk register, are counted " + store.AsAt(f.AsAt) + ". TRiM and trauma support figures are the sum of the quarterly returns made for the " + store.CalendarYear(f.Year) + "; an organisation that did not return every quarter is still counted, and its own report says which quarters its figures cover. Provision figures count every organisation with records for the figure's period, whatever the state of its self-assessment; an organisation with no records is left out, not counted as 0. Rates per 1,000 use that year's workforce.",
	}, "\n\n")
	return sum, nil
}

// nationalWorkbook is the named national workbook.
func (s *Service) nationalWorkbook(ctx context.Context, f *CycleFigures) (nationalbook.Workbook, error) {
	sum, err := s.NationalSummary(ctx, f)
	if err != nil {
		return nationalbook.Workbook{}, err
	}
	w := nationalbook.Workbook{Cycle: f.Cycle.Name, Edition: sum.Edition, Notices: sum.Notices, Produced: sum.Produced, TraumaGroups: groupBook(sum.TraumaGroups),
		Method: sum.Method, SuppressionRule: sum.SuppressionRule, Suppressed: f.Result.Suppressions()}
	metrics := f.Result.Metrics()
	for _, m := range metrics {
		w.Metrics = append(w.Metrics, nationalbook.Metric{Key: m.Key, Label: m.Label, Unit: m.Unit, Decimals: m.Decimals})
	}
	for _, o := range f.Orgs {
		row := nationalbook.Org{Name: o.Name, Sector: o.Sector, Nation: o.Nation, Region: o.Region, PeerGroup: o.PeerGroup,
			Status: StatusWord(o.Status), Workforce: figure.MissingValue("no workforce figure")}
		if o.SubmittedAt != nil && o.Counts() {
			row.SubmittedOn = *o.SubmittedAt
		}
		if pc := f.Provision[o.ID]; pc != nil && pc.Workforce != nil {
			row.Workforce = figure.Of(float64(*pc.Workforce))
		}
		values := orgValues(f, o.ID)
		for _, m := range metrics {
			row.Values = append(row.Values, valueOf(values, m.Key))
		}
		w.Orgs = append(w.Orgs, row)
	}
	dims := []string{benchmark.DimNational, benchmark.DimSector, benchmark.DimNation, benchmark.DimRegion, benchmark.DimPeer}
	for _, d := range dims {
		groups := []benchmark.GroupKey{benchmark.National()}
		if d != benchmark.DimNational {
			groups = f.Result.Groups(d)
		}
		for _, g := range groups {
			for _, m := range metrics {
				st := f.Result.Stats(g, m.Key)
				w.Distributions = append(w.Distributions, nationalbook.Distribution{Group: g.Label(), Metric: m.Label, N: st.N,
					Mean: st.Mean, Median: st.Median, Q1: st.Q1, Q3: st.Q3, P20: st.P20, P80: st.P80, Min: st.Min, Max: st.Max})
			}
		}
	}
	return w, nil
}

// groupBook is the summary's trauma group rows for the workbook.
func groupBook(rows []nationalpdf.TraumaGroupRow) []nationalbook.TraumaGroupRow {
	out := make([]nationalbook.TraumaGroupRow, 0, len(rows))
	for _, g := range rows {
		out = append(out, nationalbook.TraumaGroupRow(g))
	}
	return out
}
