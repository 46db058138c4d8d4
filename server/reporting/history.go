package reporting

import (
	"context"
	"fmt"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// History sets an assessment beside the organisation's earlier ones,
// standard by standard, through the crosswalk where editions differ.
type History struct {
	Cycles []string // column headings, this cycle first
	Areas  []HistoryArea
}

// HistoryArea is one area of the framework across the cycles.
type HistoryArea struct {
	Title     string
	Means     []string // mean level per cycle over the standards answered
	Standards []HistoryRow
}

// HistoryRow is one standard across the cycles.
type HistoryRow struct {
	ID, Statement string
	Levels        []string // per cycle, "" when not answered or not comparable
	Comparability string
}

// History compares a with the organisation's assessments of earlier cycles.
func (s *Service) History(ctx context.Context, a SelfAssessment) (History, error) {
	type earlier struct {
		cycle   string
		carried map[string]frameworks.Carried
	}
	all, err := s.store.ListAssessments(ctx, store.Scope{OrgID: a.OrganisationID})
	if err != nil {
		return History{}, err
	}
	var past []earlier
	for _, prev := range all {
		if prev.ID == a.ID {
			continue
		}
		cy, err := s.store.CycleByID(ctx, prev.CycleID)
		if err != nil {
			return History{}, err
		}
		if !cy.OpensOn.Before(a.Cycle.OpensOn) {
			continue // only earlier cycles
		}
		carried, err := s.CarryForward(ctx, prev, a.Framework)
		if err != nil {
			carried = nil // no crosswalk: the cycle shows, marked not comparable
		}
		past = append(past, earlier{cycle: cy.Name, carried: carried})
	}
	h := History{Cycles: []string{a.Cycle.Name}}
	for _, p := range past {
		h.Cycles = append(h.Cycles, p.cycle)
	}
	for _, area := range a.Framework.Areas {
		ha := HistoryArea{Title: area.Title}
		sums, counts := make([]int, len(h.Cycles)), make([]int, len(h.Cycles))
		for _, st := range area.Standards {
			row := HistoryRow{ID: st.ID, Statement: st.Statement, Comparability: "Comparable"}
			add := func(i int, level *int) {
				if level == nil {
					row.Levels = append(row.Levels, "")
					return
				}
				row.Levels = append(row.Levels, a.Framework.LevelLabel(level))
				sums[i] += *level
				counts[i]++
			}
			add(0, a.Responses[st.ID].Level)
			for i, p := range past {
				cf, ok := p.carried[st.ID]
				switch {
				case p.carried == nil:
					row.Comparability = "Not comparable: no crosswalk from an earlier edition"
				case !ok:
					row.Comparability = "New in this edition"
				case cf.Relation == frameworks.RelSplit || cf.Relation == frameworks.RelMerged:
					row.Comparability = "Approximate: " + cf.Relation + " from " + strings.Join(cf.From, " and ")
				}
				add(i+1, cf.Level)
			}
			ha.Standards = append(ha.Standards, row)
		}
		for i := range h.Cycles {
			if counts[i] == 0 {
				ha.Means = append(ha.Means, "")
			} else {
				ha.Means = append(ha.Means, fmt.Sprintf("%.1f", float64(sums[i])/float64(counts[i])))
			}
		}
		h.Areas = append(h.Areas, ha)
	}
	return h, nil
}
