package reporting

import (
	"context"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// keyMessages are the national summary's key messages for the NPWS,
// written by rules from the published group figures of the cycle and the
// one before, under the same disclosure rule as every table of the
// summary: medians only where a group may publish them, and counts of
// organisations only for sectors of at least the minimum group size.
func (s *Service) keyMessages(ctx context.Context, f *CycleFigures) ([]string, error) {
	var prev *CycleFigures
	if len(f.Earlier) > 0 {
		var err error
		if prev, err = s.Figures(ctx, f.Earlier[0]); err != nil {
			return nil, err
		}
	}
	var out []string
	out = append(out, submissionsMessage(f, prev))
	if m := overallMessage(f, prev); m != "" {
		out = append(out, m)
	}
	for _, sec := range f.Result.Groups(benchmark.DimSector) {
		out = append(out, areaMessage(f, sec))
	}
	out = append(out, coverageMessage(f), screeningMessage(f))
	return out, nil
}

// sectorWords is a sector's organisations in words, as the comparator
// names them.
func sectorWords(sector string) string {
	return comparatorName(benchmark.GroupKey{Dim: benchmark.DimSector, Name: sector})
}

func submissionsMessage(f, prev *CycleFigures) string {
	before := map[string]int{}
	if prev != nil {
		for _, row := range submissionRows(prev.Orgs) {
			before[row.Sector] = row.Submitted
		}
	}
	var parts []string
	for _, row := range submissionRows(f.Orgs) {
		part := figure.Number(float64(row.Submitted), 0) + " of " + figure.Number(float64(row.Organisations), 0) + " " + sectorWords(row.Sector)
		if prev != nil {
			part += " (" + figure.Number(float64(before[row.Sector]), 0) + " in " + prev.Cycle.Name + ")"
		}
		parts = append(parts, part)
	}
	return "Submissions for " + f.Cycle.Name + ": " + joinAnd(parts) + "."
}

func overallMessage(f, prev *CycleFigures) string {
	now := f.Result.Stats(benchmark.National(), MetricOverall).Median
	if !now.Ok() {
		return ""
	}
	text := "The national median of overall maturity is " + now.Format(1)
	if prev != nil {
		then := prev.Result.Stats(benchmark.National(), MetricOverall).Median
		text += changeWords(benchmarkpdf.ChangeRow{Previous: then, Current: now}, prev.Cycle.Name)
		if prev.Cycle.FrameworkVersion != f.Cycle.FrameworkVersion {
			text += " (measured against a different edition of the framework)"
		}
	}
	return text + "."
}

// areaMessage names a sector's strongest and weakest area by median.
func areaMessage(f *CycleFigures, sec benchmark.GroupKey) string {
	who := strings.ToUpper(sectorWords(sec.Name)[:1]) + sectorWords(sec.Name)[1:]
	var best, worst string
	var hi, lo figure.Value
	for _, a := range f.Framework.Areas {
		m := f.Result.Stats(sec, AreaMetric(a.ID)).Median
		if !m.Ok() {
			continue
		}
		if best == "" || m.V > hi.V {
			best, hi = a.Title, m
		}
		if worst == "" || m.V < lo.V {
			worst, lo = a.Title, m
		}
	}
	if best == "" {
		return who + ": too few submissions to publish area figures."
	}
	if hi.V == lo.V {
		return who + ": every area has the same median, " + hi.Format(1) + "."
	}
	return who + " are strongest in " + best + " (median " + hi.Format(1) + ") and weakest in " + worst + " (median " + lo.Format(1) + ")."
}

// coverageMessage counts, by sector, the organisations with no OK9 scheme
// and with no peer supporters recorded for the year.
func coverageMessage(f *CycleFigures) string {
	type counts struct{ orgs, noOK9, noPeers int }
	by := map[string]*counts{}
	var order []string
	for _, o := range f.Orgs {
		c := by[o.Sector]
		if c == nil {
			c = &counts{}
			by[o.Sector] = c
			order = append(order, o.Sector)
		}
		c.orgs++
		pc := f.Provision[o.ID]
		if pc == nil || !pc.Scheme {
			c.noOK9++
		}
		if pc == nil || pc.Return == nil || pc.Return.PeerSupporters == 0 {
			c.noPeers++
		}
	}
	var ok9, peers []string
	for _, sec := range order {
		c := by[sec]
		if c.orgs < f.Result.MinGroup() {
			continue
		}
		of := " of " + figure.Number(float64(c.orgs), 0) + " " + sectorWords(sec)
		ok9 = append(ok9, figure.Number(float64(c.noOK9), 0)+of)
		peers = append(peers, figure.Number(float64(c.noPeers), 0)+of)
	}
	if len(ok9) == 0 {
		return "Too few organisations in any sector to publish OK9 and peer support coverage."
	}
	return "With no OK9 scheme " + store.AsAt(f.AsAt) + ": " + joinAnd(ok9) + ". With no peer supporters recorded for the " + store.CalendarYear(f.Year) + ": " + joinAnd(peers) + "."
}

// screeningMessage gives screening compliance's national and sector
// medians.
func screeningMessage(f *CycleFigures) string {
	m := f.Result.Stats(benchmark.National(), metricScreening).Median
	if !m.Ok() {
		return "Screening in high and very high risk roles: too few organisations with figures to publish a median."
	}
	var parts []string
	for _, sec := range f.Result.Groups(benchmark.DimSector) {
		if sm := f.Result.Stats(sec, metricScreening).Median; sm.Ok() {
			parts = append(parts, sectorWords(sec.Name)+" "+sm.Format(0)+"%")
		} else {
			parts = append(parts, sectorWords(sec.Name)+" too few to publish")
		}
	}
	return "Screening in date in high and very high risk roles (" + store.AsAt(f.AsAt) + "): median " + m.Format(0) + "% nationally; " + joinAnd(parts) + "."
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return "none"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
