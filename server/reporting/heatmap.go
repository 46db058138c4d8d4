package reporting

import (
	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// HeatCell is one likelihood x severity cell: its band and the roles and
// people in it.
type HeatCell struct {
	Band          frameworks.Band
	Roles, People int
	L, S          int
}

// HeatGrid is the risk model's grid with the register placed on it.
type HeatGrid struct {
	Title    string
	Key      string       // "residual" or "inherent": names the grid in links to its cells
	Rows     [][]HeatCell // likelihood from highest to lowest
	Severity []frameworks.RiskLevel
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

func newHeatGrid(m *frameworks.RiskModel, title string) HeatGrid {
	g := HeatGrid{Title: title, Severity: m.Severity}
	for l := len(m.Likelihood); l >= 1; l-- {
		var row []HeatCell
		for s := 1; s <= len(m.Severity); s++ {
			b, _ := m.Band(frameworks.Rating{Likelihood: l, Severity: s})
			row = append(row, HeatCell{Band: b, L: l, S: s})
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

func (g *HeatGrid) add(r frameworks.Rating, people int) {
	row := len(g.Rows) - r.Likelihood
	if row < 0 || row >= len(g.Rows) || r.Severity < 1 || r.Severity > len(g.Rows[row]) {
		return
	}
	g.Rows[row][r.Severity-1].Roles++
	g.Rows[row][r.Severity-1].People += people
}

// RoleGrids places each current role assessment in the cell of its riskiest
// hazard, after and before controls; roles counts those placed.
func RoleGrids(m *frameworks.RiskModel, list []store.RoleAssessment) (residual, inherent HeatGrid, roles int) {
	residual, inherent = newHeatGrid(m, "After controls (residual)"), newHeatGrid(m, "Before controls (inherent)")
	residual.Key, inherent.Key = "residual", "inherent"
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

// RoleCell is the heat map cell of a role: the rating of its riskiest
// hazard after controls (residual) or before them; ok is false for a role
// with no hazards.
func RoleCell(m *frameworks.RiskModel, ra store.RoleAssessment, residual bool) (r frameworks.Rating, ok bool) {
	var ratings []frameworks.Rating
	for _, h := range ra.Hazards {
		if residual {
			ratings = append(ratings, frameworks.Rating{Likelihood: h.ResidualL, Severity: h.ResidualS})
		} else {
			ratings = append(ratings, frameworks.Rating{Likelihood: h.InherentL, Severity: h.InherentS})
		}
	}
	if len(ratings) == 0 {
		return r, false
	}
	return worstRating(m, ratings), true
}
