package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type roleHistoryPage struct {
	Org      store.Organisation
	Role     frameworks.Role
	Versions []roleVersion
	CanEdit  bool
	OrgQuery string
}

type roleVersion struct {
	store.RoleAssessment
	Band    frameworks.Band
	Hazards []hazardView
	Counts  reporting.RoleCounts
}

type hazardView struct {
	store.HazardRating
	Name, InherentBand, ResidualBand string
	Controls                         []string
}

// showRole shows a role's current assessment and every earlier version.
func (s *Server) showRole(c *fiber.Ctx) error {
	org, role, hist, err := s.roleHistory(c)
	if err != nil {
		return err
	}
	exact := actorOf(currentUser(c)).SeesExactScreeningCounts()
	page := roleHistoryPage{Org: org, Role: role, CanEdit: actorOf(currentUser(c)).CanEditRiskRegister(), OrgQuery: orgQuery(c, org)}
	for _, ra := range hist {
		m := s.deps.Frameworks.RiskModel(ra.ModelKey, ra.ModelVersion)
		v := roleVersion{RoleAssessment: ra, Counts: reporting.Disclose(ra, exact)}
		for _, h := range ra.Hazards {
			hv := hazardView{HazardRating: h, Name: h.HazardID}
			if m != nil {
				if hz, ok := m.Hazard(h.HazardID); ok {
					hv.Name = hz.Name
				}
				ib, _ := m.Band(frameworks.Rating{Likelihood: h.InherentL, Severity: h.InherentS})
				rb, _ := m.Band(frameworks.Rating{Likelihood: h.ResidualL, Severity: h.ResidualS})
				hv.InherentBand, hv.ResidualBand = ib.Label, rb.Label
				if rb.Key == ra.OverallBand {
					v.Band = rb
				}
			}
			for _, ct := range h.Controls {
				name := ct.LocalName
				if m != nil && ct.ControlID != "" {
					if cc, ok := m.Control(ct.ControlID); ok {
						name = cc.Name
					}
				}
				desc := name + " (" + ct.Status
				if ct.Owner != "" {
					desc += ", " + ct.Owner
				}
				if ct.DueOn != nil && ct.Status != frameworks.ControlInPlace {
					desc += ", due " + ct.DueOn.Format("2 January 2006")
				}
				hv.Controls = append(hv.Controls, desc+")")
			}
			v.Hazards = append(v.Hazards, hv)
		}
		page.Versions = append(page.Versions, v)
	}
	return s.render(c, "risk_role", views.Page{Title: role.Name + ": " + org.Name, BackLink: "/risk" + page.OrgQuery, Flash: banner(c), Data: page})
}
