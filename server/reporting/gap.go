package reporting

import (
	"slices"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/gapanalysis"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// gapWorkbook is the organisation's gap analysis workbook.
func (s *Service) gapWorkbook(r *OrgReport) gapanalysis.Workbook {
	f, nat := r.Figures, benchmark.National()
	w := gapanalysis.Workbook{Organisation: r.Org.Name, Cycle: f.Cycle.Name, Comparator: r.ComparatorWord(),
		Edition: s.frameworks.EditionTitle(f.Cycle.FrameworkKey, f.Cycle.FrameworkVersion), Produced: r.Produced,
		Notices: s.Notices(f.Cycle), Method: r.method(), SuppressionRule: f.Result.Rule()}
	if lines := r.suppressed(); len(lines) > 0 {
		w.SuppressionRule += "\n\nSuppressed in this workbook:\n" + strings.Join(lines, "\n")
	}
	actions := map[string][]store.Action{}
	for _, a := range r.Actions {
		actions[a.StandardID] = append(actions[a.StandardID], a)
	}
	benchmarks := []string{MetricOverall}
	for _, a := range f.Framework.Areas {
		key := AreaMetric(a.ID)
		benchmarks = append(benchmarks, key)
		w.Areas = append(w.Areas, gapanalysis.Area{Title: a.Title, Value: r.own(key, r.notAnswered()),
			NationalMedian: r.stats(nat, key).Median, PeerMedian: r.stats(r.Peer, key).Median})
		for _, st := range a.Standards {
			key := StandardMetric(st.ID)
			g := gapanalysis.Gap{StandardID: st.ID, Area: a.Title, Statement: st.Statement,
				Current: r.own(key, r.notAnswered()), Target: target(r.Targets, st.ID),
				NationalMedian: r.stats(nat, key).Median, PeerMedian: r.stats(r.Peer, key).Median}
			g.Actions, g.Owner, g.Status, g.Due = actionSummary(actions[st.ID])
			w.Gaps = append(w.Gaps, g)
		}
	}
	for _, row := range r.Register {
		w.Risks = append(w.Risks, gapanalysis.Risk{Role: row.RoleName, Headcount: figure.Of(float64(row.Headcount)),
			Band: row.Band.Label, NextReview: row.NextReviewOn, NextScreening: row.NextScreeningOn,
			Overdue: row.ReviewOverdue || row.ScreenOverdue})
	}
	for _, key := range provisionKeys() {
		m := r.metric(key)
		benchmarks = append(benchmarks, key)
		w.Provision = append(w.Provision, gapanalysis.Indicator{Label: m.Label, Unit: m.Unit,
			Value: r.own(key, r.ownNote(key)), PeerMedian: r.stats(r.Peer, key).Median,
			NationalMedian: r.stats(nat, key).Median, Band: r.band(r.Peer, key), Note: r.ownNote(key), Decimals: m.Decimals})
	}
	for _, key := range benchmarks {
		m := r.metric(key)
		for _, g := range []benchmark.GroupKey{nat, r.Peer} {
			st := r.stats(g, key)
			w.Benchmarks = append(w.Benchmarks, gapanalysis.Benchmark{Metric: m.Label, Group: g.Label(), N: st.N,
				Median: st.Median, Q1: st.Q1, Q3: st.Q3, P20: st.P20, P80: st.P80, Unit: m.Unit, Decimals: m.Decimals})
		}
	}
	return w
}

// actionSummary joins a standard's actions for one row: what is to be done,
// who owns it, the least advanced status and the earliest open due date.
// A standard with no actions has none of them (the workbook says so).
func actionSummary(acts []store.Action) (what, owner, status string, due time.Time) {
	if len(acts) == 0 {
		return "", "", "", time.Time{}
	}
	// The statuses are listed in the order an action moves through them.
	rank := func(s string) int { return slices.Index(store.ActionStatuses, s) }
	status = store.ActionStatuses[len(store.ActionStatuses)-1]
	var whats, owners []string
	for _, a := range acts {
		whats = append(whats, a.What)
		if a.Owner != "" && !slices.Contains(owners, a.Owner) {
			owners = append(owners, a.Owner)
		}
		if rank(a.Status) < rank(status) {
			status = a.Status
		}
		if a.Status != "done" && a.DueOn != nil && (due.IsZero() || a.DueOn.Before(due)) {
			due = *a.DueOn
		}
	}
	return strings.Join(whats, "; "), strings.Join(owners, ", "), status, due
}
