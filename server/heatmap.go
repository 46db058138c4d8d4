package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type heatCell struct {
	Band          frameworks.Band
	Roles, People int
	L, S          int
}

type heatGrid struct {
	Title    string
	Rows     [][]heatCell // likelihood from highest to lowest
	Severity []frameworks.RiskLevel
}

type heatmapPage struct {
	OrgName            string
	Residual, Inherent heatGrid
	OrgQuery           string
}

// worstRating is the rating of a role's riskiest hazard: highest band, then
// highest likelihood x severity.
func worstRating(m *frameworks.RiskModel, ratings []frameworks.Rating) frameworks.Rating {
	var worst frameworks.Rating
	var worstBand frameworks.Band
	for i, r := range ratings {
		b, _ := m.Band(r)
		if i == 0 || b.Rank > worstBand.Rank || (b.Rank == worstBand.Rank && r.Likelihood*r.Severity > worst.Likelihood*worst.Severity) {
			worst, worstBand = r, b
		}
	}
	return worst
}

func newHeatGrid(m *frameworks.RiskModel, title string) heatGrid {
	g := heatGrid{Title: title, Severity: m.Severity}
	for l := len(m.Likelihood); l >= 1; l-- {
		var row []heatCell
		for s := 1; s <= len(m.Severity); s++ {
			b, _ := m.Band(frameworks.Rating{Likelihood: l, Severity: s})
			row = append(row, heatCell{Band: b, L: l, S: s})
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

func (g *heatGrid) add(r frameworks.Rating, people int) {
	row := len(g.Rows) - r.Likelihood
	if row < 0 || row >= len(g.Rows) || r.Severity < 1 || r.Severity > len(g.Rows[row]) {
		return
	}
	g.Rows[row][r.Severity-1].Roles++
	g.Rows[row][r.Severity-1].People += people
}

// roleGrids places each current role assessment in the cell of its riskiest
// hazard, after and before controls; roles counts those placed.
func roleGrids(m *frameworks.RiskModel, list []store.RoleAssessment) (residual, inherent heatGrid, roles int) {
	residual, inherent = newHeatGrid(m, "After controls (residual)"), newHeatGrid(m, "Before controls (inherent)")
	for _, ra := range list {
		var res, inh []frameworks.Rating
		for _, h := range ra.Hazards {
			res = append(res, frameworks.Rating{Likelihood: h.ResidualL, Severity: h.ResidualS})
			inh = append(inh, frameworks.Rating{Likelihood: h.InherentL, Severity: h.InherentS})
		}
		if len(res) == 0 {
			continue
		}
		residual.add(worstRating(m, res), ra.Headcount)
		inherent.add(worstRating(m, inh), ra.Headcount)
		roles++
	}
	return residual, inherent, roles
}

// showHeatmap draws the register on the model's grid, residual beside
// inherent, with numbers in every cell so colour is never the only signal.
func (s *Server) showHeatmap(c *fiber.Ctx) error {
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	model := s.riskModel()
	if model == nil {
		return fiber.ErrNotFound
	}
	list, err := s.deps.Store.RoleRegister(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	residual, inherent, _ := roleGrids(model.RiskModel, list)
	page := heatmapPage{OrgName: org.Name, Residual: residual, Inherent: inherent, OrgQuery: orgQuery(c, org)}
	return s.render(c, "risk_heatmap", views.Page{Title: "Risk heat map", BackLink: "/risk" + page.OrgQuery, Data: page})
}
