package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/riskreview"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type comparePage struct {
	Org      store.Organisation
	Role     frameworks.Role
	From, To int
	Changes  []riskreview.Change
	OrgQuery string
}

// compareVersions shows what changed between two versions of a role's
// assessment: counts, band, and each hazard's ratings and controls.
func (s *Server) compareVersions(c *fiber.Ctx) error {
	org, role, hist, err := s.roleHistory(c)
	if err != nil {
		return err
	}
	byVersion := map[int]store.RoleAssessment{}
	for _, v := range hist {
		byVersion[v.Version] = v
	}
	a, okA := byVersion[c.QueryInt("from")]
	b, okB := byVersion[c.QueryInt("to")]
	if !okA || !okB {
		return apperr.Errorf(apperr.ENOTFOUND, "Choose two versions of this role's assessment to compare.")
	}
	m := s.deps.Frameworks.RiskModel(b.ModelKey, b.ModelVersion)
	page := comparePage{Org: org, Role: role, From: a.Version, To: b.Version, Changes: riskreview.Changes(a, b, m), OrgQuery: orgQuery(c, org)}
	return s.render(c, "risk_compare", views.Page{Title: "Compare versions: " + role.Name + ", " + org.Name, BackLink: "/risk/roles/" + role.ID + page.OrgQuery, Data: page})
}
