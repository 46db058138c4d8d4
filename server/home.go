package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/tasks"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type homePage struct {
	Tasks         []tasks.Task
	Organisation  *store.Organisation
	Organisations int
	People        int
	Editions      []*frameworks.Edition
}

// home is the signed-in start page: what to do next, by role.
func (s *Server) home(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	page := homePage{Editions: s.deps.Frameworks.Editions}
	people, err := s.deps.Store.ListUsers(ctx, scopeOf(u))
	if err != nil {
		return err
	}
	page.People = len(people)
	switch {
	case u.Role == store.RoleNationalAdmin:
		orgs, err := s.deps.Store.ListOrganisations(ctx, store.AllOrganisations())
		if err != nil {
			return err
		}
		page.Organisations = len(orgs)
	case u.OrganisationID != nil:
		o, err := s.deps.Store.Organisation(ctx, scopeOf(u), *u.OrganisationID)
		if err != nil && u.Role == store.RoleOwner {
			return err
		}
		if err == nil {
			page.Organisation = &o
		}
	}
	if page.Tasks, err = (tasks.List{Store: s.deps.Store, Reports: s.reports}).For(ctx, u, scopeOf(u), page.People); err != nil {
		return err
	}
	return s.render(c, "home", views.Page{Title: "Home", Data: page})
}
