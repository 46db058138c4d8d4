package server

import (
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/nationalbook"
	"github.com/bluelight-wellbeing/toolkit/reports/nationalpdf"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// The national benchmarks, for national admins only: the named picture of
// every organisation, distributions per group with disclosure control, the
// national workbook, the publishable summary PDF and the batch of every
// organisation's benchmark PDF.

type nationalIndexPage struct{ Cycles []store.Cycle }

func (s *Server) listNational(c *fiber.Ctx) error {
	cycles, err := s.deps.Store.Cycles(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "national_index", views.Page{Title: "National benchmarks", Data: nationalIndexPage{Cycles: cycles}})
}

type nationalPage struct {
	Cycle      store.Cycle
	Edition    string
	Submission []nationalpdf.SubmissionRow
	Orgs       []nationalOrg
	Tables     []nationalpdf.GroupTable
	Provision  []nationalpdf.GroupTable
	Rule       string
	Suppressed []string
	MinGroup   int
}

type nationalOrg struct {
	store.CycleOrg
	Overall figure.Value
}

// showNational is the national picture of one cycle.
func (s *Server) showNational(c *fiber.Ctx) error {
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	sum := s.nationalSummary(f)
	page := nationalPage{Cycle: f.Cycle, Edition: sum.Edition, Submission: sum.Submission, Tables: sum.Groups, Provision: sum.Provision,
		Rule: f.Result.Rule(), Suppressed: sum.Suppressed, MinGroup: f.Result.MinGroup()}
	for _, o := range f.Orgs {
		page.Orgs = append(page.Orgs, nationalOrg{CycleOrg: o, Overall: valueOf(orgValues(f, o.ID), metricOverall)})
	}
	return s.render(c, "national", views.Page{Title: "National benchmarks " + f.Cycle.Name, BackLink: "/national", Data: page})
}

// orgValues are an organisation's figures as the benchmark counted them.
func orgValues(f *cycleFigures, orgID int64) map[string]float64 {
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

// nationalSummary is the publishable summary: groups only, no organisation
// named, every figure under disclosure control.
func (s *Server) nationalSummary(f *cycleFigures) nationalpdf.Summary {
	sum := nationalpdf.Summary{Cycle: f.Cycle.Name, Edition: s.editionTitle(f.Cycle.FrameworkKey, f.Cycle.FrameworkVersion),
		Produced: s.deps.Store.Now(), Submission: submissionRows(f.Orgs), SuppressionRule: f.Result.Rule(),
		Suppressed: f.Result.Suppressions()}
	maturity := []string{metricOverall}
	labels := []string{"Overall"}
	for _, a := range f.Framework.Areas {
		maturity, labels = append(maturity, areaMetric(a.ID)), append(labels, a.Title)
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
		m := metricOf(f, k)
		keys, pLabels, decimals = append(keys, k), append(pLabels, m.Label+" ("+m.Unit+")"), append(decimals, m.Decimals)
	}
	pNote := "Median per group; N is the number of organisations with a figure for the first column."
	sum.Provision = append(sum.Provision,
		table("Provision and risk, national", pNote, benchmark.DimNational, keys, pLabels, decimals, false),
		table("Provision and risk by sector", pNote, benchmark.DimSector, keys, pLabels, decimals, false))
	sum.Method = strings.Join([]string{
		"Maturity figures count only submitted or validated self-assessments of the cycle; an organisation's maturity is the mean level over the standards it answered, and each group figure is the median (with the 25th and 75th percentiles) of those means.",
		"Provision figures are for the calendar year " + itoa(int64(f.Year)) + " and count every organisation with the records, whatever the state of its self-assessment; rates per 1,000 use that year's workforce.",
	}, "\n\n")
	return sum
}

func metricOf(f *cycleFigures, key string) benchmark.Metric {
	for _, m := range f.Result.Metrics() {
		if m.Key == key {
			return m
		}
	}
	return benchmark.Metric{Key: key, Label: key}
}

func (s *Server) downloadNationalSummary(c *fiber.Ctx) error {
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	data, err := nationalpdf.Render(s.nationalSummary(f))
	if err != nil {
		return err
	}
	return sendFile(c, "application/pdf", fileName("national-summary", "npws", f.Cycle.Name, "pdf"), data)
}

// nationalWorkbook is the named national workbook.
func (s *Server) nationalWorkbook(f *cycleFigures) nationalbook.Workbook {
	sum := s.nationalSummary(f)
	w := nationalbook.Workbook{Cycle: f.Cycle.Name, Edition: sum.Edition, Produced: sum.Produced,
		Method: sum.Method, SuppressionRule: sum.SuppressionRule, Suppressed: sum.Suppressed}
	metrics := f.Result.Metrics()
	for _, m := range metrics {
		w.Metrics = append(w.Metrics, nationalbook.Metric{Key: m.Key, Label: m.Label, Unit: m.Unit, Decimals: m.Decimals})
	}
	for _, o := range f.Orgs {
		row := nationalbook.Org{Name: o.Name, Sector: o.Sector, Nation: o.Nation, Region: o.Region, PeerGroup: o.PeerGroup,
			Status: statusWord(o.Status), Workforce: figure.MissingValue("no workforce figure")}
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
	return w
}

func (s *Server) downloadNationalWorkbook(c *fiber.Ctx) error {
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	data, err := nationalbook.Build(s.nationalWorkbook(f))
	if err != nil {
		return err
	}
	return sendFile(c, xlsxType, fileName("national-benchmarks", "npws", f.Cycle.Name, "xlsx"), data)
}
