package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/riskreview"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// riskModel is the newest psychological risk model loaded; new role
// assessments are made under it.
func (s *Server) riskModel() *frameworks.Edition { return s.deps.Frameworks.CurrentRiskModel() }

// roleHistory loads the organisation, the catalogue role named in the URL
// and every version of its assessment.
func (s *Server) roleHistory(c *fiber.Ctx) (store.Organisation, frameworks.Role, []store.RoleAssessment, error) {
	org, err := s.orgInView(c)
	if err != nil {
		return org, frameworks.Role{}, nil, err
	}
	_, role, err := s.riskRole(c, org)
	if err != nil {
		return org, role, nil, err
	}
	hist, err := s.deps.Store.RoleHistory(c.UserContext(), scopeOf(currentUser(c)), org.ID, role.ID)
	return org, role, hist, err
}

// riskRole finds the role named in the URL: from the current model's
// catalogue, or one of the organisation's own.
func (s *Server) riskRole(c *fiber.Ctx, org store.Organisation) (*frameworks.Edition, frameworks.Role, error) {
	model := s.riskModel()
	if model == nil {
		return nil, frameworks.Role{}, apperr.Errorf(apperr.ENOTFOUND, "No risk model is loaded.")
	}
	rid := c.Params("rid")
	if riskreview.IsLocal(rid) {
		locals, err := s.deps.Store.LocalRoles(c.UserContext(), scopeOf(currentUser(c)), org.ID)
		if err != nil {
			return nil, frameworks.Role{}, err
		}
		for _, lr := range locals {
			if lr.RoleID == rid {
				return model, riskreview.LocalRole(lr), nil
			}
		}
	} else if role, ok := model.RiskModel.Role(rid); ok {
		return model, role, nil
	}
	return nil, frameworks.Role{}, apperr.Errorf(apperr.ENOTFOUND, "There is no role %q in the risk model or among your organisation's own roles.", rid)
}

// mayEditRiskRegister refuses, before a form is shown or read, someone who
// may not change the register (the store refuses them too, on saving).
func mayEditRiskRegister(c *fiber.Ctx) error {
	if !actorOf(currentUser(c)).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot change the role risk register. Ask your organisation's owner if you need to.")
	}
	return nil
}
