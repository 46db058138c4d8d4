package server

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type historyPage struct {
	Assessment *loadedAssessment
	Cycles     []string // column headings, this cycle first
	Areas      []historyArea
}

type historyArea struct {
	Title     string
	Means     []string // mean level per cycle over the standards answered
	Standards []historyRow
}

type historyRow struct {
	ID, Statement string
	Levels        []string // per cycle, "" when not answered or not comparable
	Comparability string
}

// earlier is one earlier assessment mapped onto this one's standards.
type earlier struct {
	cycle   string
	carried map[string]frameworks.Carried
}

// showHistory compares this assessment with the organisation's earlier
// ones, standard by standard, through the crosswalk where editions differ.
func (s *Server) showHistory(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sc := store.Scope{OrgID: la.OrganisationID}
	all, err := s.deps.Store.ListAssessments(ctx, sc)
	if err != nil {
		return err
	}
	var past []earlier
	for _, prev := range all {
		if prev.ID == la.ID {
			continue
		}
		cy, err := s.deps.Store.CycleByID(ctx, prev.CycleID)
		if err != nil {
			return err
		}
		if !cy.OpensOn.Before(la.Cycle.OpensOn) {
			continue // only earlier cycles
		}
		carried, err := s.reports.CarryForward(ctx, prev, la.Framework)
		if err != nil {
			carried = nil // no crosswalk: the cycle shows, marked not comparable
		}
		past = append(past, earlier{cycle: cy.Name, carried: carried})
	}
	page := historyPage{Assessment: la, Cycles: []string{la.Cycle.Name}}
	for _, p := range past {
		page.Cycles = append(page.Cycles, p.cycle)
	}
	for _, a := range la.Framework.Areas {
		ha := historyArea{Title: a.Title}
		sums, counts := make([]int, len(page.Cycles)), make([]int, len(page.Cycles))
		for _, st := range a.Standards {
			row := historyRow{ID: st.ID, Statement: st.Statement, Comparability: "Comparable"}
			add := func(i int, level *int) {
				if level == nil {
					row.Levels = append(row.Levels, "")
					return
				}
				row.Levels = append(row.Levels, la.Framework.LevelLabel(level))
				sums[i] += *level
				counts[i]++
			}
			add(0, la.Responses[st.ID].Level)
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
		for i := range page.Cycles {
			if counts[i] == 0 {
				ha.Means = append(ha.Means, "")
			} else {
				ha.Means = append(ha.Means, fmt.Sprintf("%.1f", float64(sums[i])/float64(counts[i])))
			}
		}
		page.Areas = append(page.Areas, ha)
	}
	return s.render(c, "history", views.Page{Title: "Year on year: " + la.OrgName, BackLink: "/assessments/" + itoa(la.ID), Data: page})
}
