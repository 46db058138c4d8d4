package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// apiRegister lists the current role assessments of the token owner's
// organisation (national admins name one with ?org=).
func (s *Server) apiRegister(c *fiber.Ctx) error {
	org, err := s.riskOrg(c)
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
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	hist, err := s.deps.Store.RoleHistory(c.UserContext(), scopeOf(currentUser(c)), org.ID, c.Params("rid"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"versions": hist})
}
