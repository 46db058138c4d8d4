package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Task is one thing the home page suggests doing next.
type Task struct {
	Label, Href, Hint string
}

type homePage struct {
	Tasks         []Task
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
	switch u.Role {
	case store.RoleNationalAdmin:
		orgs, err := s.deps.Store.ListOrganisations(ctx, store.AllOrganisations())
		if err != nil {
			return err
		}
		page.Organisations = len(orgs)
		if len(orgs) == 0 {
			page.Tasks = append(page.Tasks, Task{"Add the first organisation", "/organisations/new", "Organisations own their self-assessments and risk registers."})
		}
		page.Tasks = append(page.Tasks,
			Task{"Manage organisations", "/organisations", "Names, sectors, regions, peer groups and workforce figures."},
			Task{"Add people", "/people/new", "Invite each organisation's owner, or another national admin."},
		)
	case store.RoleOwner:
		o, err := s.deps.Store.Organisation(ctx, scopeOf(u), *u.OrganisationID)
		if err != nil {
			return err
		}
		page.Organisation = &o
		wf, err := s.deps.Store.Workforce(ctx, scopeOf(u), o.ID)
		if err != nil {
			return err
		}
		if len(wf) == 0 {
			page.Tasks = append(page.Tasks, Task{"Record your workforce figures", "/organisations/" + itoa(o.ID), "Benchmarks use them for rates per 1,000 people."})
		}
		if len(people) < 2 {
			page.Tasks = append(page.Tasks, Task{"Add your team", "/people/new", "Give colleagues sections of the self-assessment to complete."})
		}
		page.Tasks = append(page.Tasks, Task{"Review who has access", "/people", "Change roles and sections, or disable accounts that are no longer needed."})
	default:
		if u.OrganisationID != nil {
			if o, err := s.deps.Store.Organisation(ctx, scopeOf(u), *u.OrganisationID); err == nil {
				page.Organisation = &o
			}
		}
	}
	if u.OrganisationID != nil {
		tasks, err := s.assessmentTasks(c, u)
		if err != nil {
			return err
		}
		overdue, err := s.overdueRoleTasks(c, u)
		if err != nil {
			return err
		}
		aid, err := s.mutualAidTasks(c, u)
		if err != nil {
			return err
		}
		page.Tasks = append(append(append(aid, overdue...), tasks...), page.Tasks...)
	} else {
		aid, err := s.mutualAidTasks(c, u)
		if err != nil {
			return err
		}
		page.Tasks = append(aid, page.Tasks...)
	}
	if u.OrganisationID != nil {
		page.Tasks = append(page.Tasks, Task{"Read your benchmark report and business case", "/reports", "How you compare with every organisation and with your peers, the gaps to work on, and what to ask your chief officers to fund."})
	} else {
		page.Tasks = append(page.Tasks, Task{"See the national benchmarks", "/national", "Who has submitted, how groups compare, the national workbook and summary, and every organisation's report."})
	}
	page.Tasks = append(page.Tasks, Task{"Create an API token", "/tokens", "Connect your own systems to the toolkit."})
	return s.render(c, "home", views.Page{Title: "Home", Data: page})
}

// currentFramework is the newest edition of the Blue Light Wellbeing
// Framework loaded, used until assessment cycles pin their own edition.
func (s *Server) currentFramework() *frameworks.Framework {
	var cur *frameworks.Framework
	for _, e := range s.deps.Frameworks.Editions {
		if e.Framework != nil && e.Key == "blwf" && (cur == nil || e.Version > cur.Version) {
			cur = e.Framework
		}
	}
	return cur
}

// assessmentTasks points an organisation's people at open cycles: start the
// assessment (owners), or carry on with it.
func (s *Server) assessmentTasks(c *fiber.Ctx, u *store.User) ([]Task, error) {
	ctx := c.UserContext()
	cycles, err := s.deps.Store.Cycles(ctx)
	if err != nil {
		return nil, err
	}
	mine, err := s.deps.Store.ListAssessments(ctx, scopeOf(u))
	if err != nil {
		return nil, err
	}
	var tasks []Task
	for _, cy := range cycles {
		if cy.Status != store.CycleOpen {
			continue
		}
		var as *store.Assessment
		for i := range mine {
			if mine[i].CycleID == cy.ID {
				as = &mine[i]
			}
		}
		switch {
		case as == nil && u.Role == store.RoleOwner:
			tasks = append(tasks, Task{"Start the " + cy.Name + " self-assessment", "/assessments", "Open until " + cy.ClosesOn.Format("2 January 2006") + "."})
		case as != nil && as.Editable() && u.Role != store.RoleViewer:
			tasks = append(tasks, Task{"Continue the " + cy.Name + " self-assessment", "/assessments/" + itoa(as.ID), "Due by " + cy.ClosesOn.Format("2 January 2006") + "."})
		case as != nil:
			tasks = append(tasks, Task{"Read the " + cy.Name + " self-assessment", "/assessments/" + itoa(as.ID), "Status: " + as.Status + "."})
		}
	}
	return tasks, nil
}

// overdueRoleTasks flags roles whose risk review or screening is overdue.
func (s *Server) overdueRoleTasks(c *fiber.Ctx, u *store.User) ([]Task, error) {
	org, err := s.deps.Store.Organisation(c.UserContext(), scopeOf(u), *u.OrganisationID)
	if err != nil {
		return nil, err
	}
	rows, err := s.register(c, org)
	if err != nil {
		return nil, err
	}
	var tasks []Task
	for _, r := range rows {
		switch {
		case r.ReviewOverdue:
			tasks = append(tasks, Task{"Overdue: review the risk assessment of " + r.RoleName, "/risk/roles/" + r.RoleID, "The review was due on " + r.NextReviewOn.Format("2 January 2006") + "."})
		case r.ScreenOverdue:
			tasks = append(tasks, Task{"Overdue: screening for " + r.RoleName, "/risk/roles/" + r.RoleID, "Screening was due on " + r.NextScreeningOn.Format("2 January 2006") + "."})
		}
	}
	return tasks, nil
}

// mutualAidTasks puts OK9 mutual aid first: national admins see open
// requests to find dogs for; owners see offers waiting for their answer.
func (s *Server) mutualAidTasks(c *fiber.Ctx, u *store.User) ([]Task, error) {
	if u.Role != store.RoleNationalAdmin && u.Role != store.RoleOwner {
		return nil, nil
	}
	reqs, err := s.deps.Store.AidRequests(c.UserContext(), scopeOf(u))
	if err != nil {
		return nil, err
	}
	var tasks []Task
	for _, r := range reqs {
		href := "/mutual-aid/" + itoa(r.ID)
		if u.Role == store.RoleNationalAdmin && r.Status == store.AidOpen {
			tasks = append(tasks, Task{"Find OK9 dogs for " + r.Location, href, itoa(int64(r.DogsAccepted())) + " of " + itoa(int64(r.DogsNeeded)) + " dogs agreed, from " + r.StartsOn.Format("2 January 2006") + "."})
		}
		for _, o := range r.Offers {
			if u.Role == store.RoleOwner && o.OrganisationID == *u.OrganisationID && o.Status == store.OfferMade && r.Status != store.AidClosed {
				tasks = append(tasks, Task{"Answer a request to lend OK9 dogs to " + r.Location, href, "The national team has asked to borrow your dogs from " + r.StartsOn.Format("2 January 2006") + "."})
			}
		}
	}
	return tasks, nil
}
