package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// apiRegister lists the current role assessments of the token owner's
// organisation (national admins name one with ?org=).
func (s *Server) apiRegister(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	list, err := s.deps.Store.RoleRegister(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.RoleAssessment{}
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "roles": list})
}

// apiRoleHistory returns every version of one role's assessment, newest first.
func (s *Server) apiRoleHistory(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	hist, err := s.deps.Store.RoleHistory(c.UserContext(), scopeOf(currentUser(c)), org.ID, c.Params("rid"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"versions": hist})
}

// apiSaveRole records a new version of a role's assessment from JSON, by the
// same rules as the page's form (input.RoleReview), and saved the same way.
func (s *Server) apiSaveRole(c *fiber.Ctx) error {
	if !actorOf(currentUser(c)).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "The token's owner cannot change the role risk register.")
	}
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	model, role, err := s.riskRole(c, org)
	if err != nil {
		return err
	}
	var in input.RoleReview
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := in.Validate(model.RiskModel, role).Err(); err != nil {
		return err
	}
	saved, err := s.recordReview(c, model, org, role, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(saved)
}
