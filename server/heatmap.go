package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type heatmapPage struct {
	OrgName            string
	Residual, Inherent reporting.HeatGrid
	OrgQuery           string
}

// showHeatmap draws the register on the model's grid, residual beside
// inherent, with numbers in every cell so colour is never the only signal.
func (s *Server) showHeatmap(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	model := s.deps.Frameworks.CurrentRiskModel()
	if model == nil {
		return fiber.ErrNotFound
	}
	list, err := s.deps.Store.RoleRegister(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	residual, inherent, _ := reporting.RoleGrids(model.RiskModel, list)
	page := heatmapPage{OrgName: org.Name, Residual: residual, Inherent: inherent, OrgQuery: orgQuery(c, org)}
	return s.render(c, "risk_heatmap", views.Page{Title: "Risk heat map", BackLink: "/risk" + page.OrgQuery, Data: page})
}
