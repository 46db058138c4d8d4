package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/tasks"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type homePage struct {
	Role          string
	Tasks         []tasks.Task
	Organisation  *store.Organisation
	Organisations int
	People        int
	Cycles        []cycleProgress // national admin: each open cycle's returns
	Sections      []sectionState  // contributor: what is theirs, and its state
	VansWaiting   int64           // national admin: van requests waiting for a booking
	Benchmark     *homeBenchmark  // the organisation's latest benchmark headline
}

// cycleProgress counts one cycle's assessments by where they are.
type cycleProgress struct {
	Cycle                                           store.Cycle
	Submitted, InProgress, NotStarted, Returned, Of int
}

// sectionState is one section a contributor was given.
type sectionState struct {
	Label, Href, State string
}

// home is the signed-in start page: what to do next, by role.
func (s *Server) home(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	page := homePage{Role: u.Role}
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
		if page.Cycles, err = s.cycleProgress(c, len(orgs)); err != nil {
			return err
		}
		if page.VansWaiting, err = s.deps.Store.VanRequestsWaiting(ctx, s.actor(c)); err != nil {
			return err
		}
	case u.OrganisationID != nil:
		o, err := s.deps.Store.Organisation(ctx, scopeOf(u), *u.OrganisationID)
		if err != nil && u.Role == store.RoleOwner {
			return err
		}
		if err == nil {
			page.Organisation = &o
			if page.Benchmark, err = s.latestBenchmark(ctx, o); err != nil {
				return err
			}
		}
		if u.Role == store.RoleContributor {
			if page.Sections, err = s.contributorSections(c, u); err != nil {
				return err
			}
		}
	}
	if page.Tasks, err = (tasks.List{Store: s.deps.Store, Reports: s.reports}).For(ctx, u, scopeOf(u), page.People); err != nil {
		return err
	}
	title := "Home"
	if page.Organisation != nil {
		title = "Home: " + page.Organisation.Name
	}
	return s.render(c, "home", views.Page{Title: title, Data: page})
}

// cycleProgress is, for each open cycle, how many organisations have
// submitted (or been validated), are working on it, were returned, or have
// not started.
func (s *Server) cycleProgress(c *fiber.Ctx, orgs int) ([]cycleProgress, error) {
	cycles, err := s.deps.Store.Cycles(c.UserContext())
	if err != nil {
		return nil, err
	}
	all, err := s.deps.Store.ListAssessments(c.UserContext(), store.AllOrganisations())
	if err != nil {
		return nil, err
	}
	var out []cycleProgress
	for _, cy := range cycles {
		if cy.Status != store.CycleOpen {
			continue
		}
		p := cycleProgress{Cycle: cy, Of: orgs}
		started := 0
		for _, a := range all {
			if a.CycleID != cy.ID {
				continue
			}
			started++
			switch a.Status {
			case store.StatusSubmitted, store.StatusValidated:
				p.Submitted++
			case store.StatusReturned:
				p.Returned++
			default:
				p.InProgress++
			}
		}
		p.NotStarted = max(orgs-started, 0)
		out = append(out, p)
	}
	return out, nil
}

// contributorSections tells a contributor which sections are theirs: the
// areas of the open self-assessment with how many standards have a level,
// and the risk register or provision if they were given them.
func (s *Server) contributorSections(c *fiber.Ctx, u *store.User) ([]sectionState, error) {
	ctx := c.UserContext()
	var out []sectionState
	var la *loadedAssessment
	mine, err := s.deps.Store.ListAssessments(ctx, scopeOf(u))
	if err != nil {
		return nil, err
	}
	cycles, err := s.deps.Store.Cycles(ctx)
	if err != nil {
		return nil, err
	}
	open := map[int64]bool{}
	for _, cy := range cycles {
		open[cy.ID] = cy.Status == store.CycleOpen
	}
	for _, a := range mine {
		if open[a.CycleID] && a.Editable() {
			as, responses, actions, err := s.deps.Store.AssessmentWithAnswers(ctx, scopeOf(u), a.ID)
			if err != nil {
				return nil, err
			}
			if la, err = s.withFramework(as); err != nil {
				return nil, err
			}
			la.Responses = map[string]store.Response{}
			for _, r := range responses {
				la.Responses[r.StandardID] = r
			}
			la.Actions = map[string][]store.Action{}
			for _, ac := range actions {
				la.Actions[ac.StandardID] = append(la.Actions[ac.StandardID], ac)
			}
			break
		}
	}
	for _, sec := range u.Sections {
		switch {
		case strings.HasPrefix(sec, "area:"):
			if la == nil {
				continue
			}
			area, ok := areaOf(la.Framework, strings.TrimPrefix(sec, "area:"))
			if !ok {
				continue
			}
			answered, blocked := 0, 0
			for _, st := range area.Standards {
				if la.Responses[st.ID].Level != nil {
					answered++
				}
				if standardBlocker(la, st.ID) != "" && la.Responses[st.ID].Level != nil {
					blocked++
				}
			}
			state := itoa(int64(answered)) + " of " + itoa(int64(len(area.Standards))) + " standards have a level"
			if blocked > 0 {
				state += "; " + figure.Count(float64(blocked), "needs an action", "need an action")
			}
			out = append(out, sectionState{Label: area.Title, Href: "/assessments/" + itoa(la.ID) + "#area-" + area.ID, State: state})
		case sec == store.SectionRiskRegister:
			out = append(out, sectionState{Label: "Role risk register", Href: "/risk", State: "You can assess roles and record reviews."})
		case sec == store.SectionProvision:
			out = append(out, sectionState{Label: "Provision: OK9, peer support and vans", Href: "/provision", State: "You can record provision and ask for mutual aid."})
		}
	}
	return out, nil
}

func areaOf(f *frameworks.Framework, id string) (frameworks.Area, bool) {
	for _, a := range f.Areas {
		if a.ID == id {
			return a, true
		}
	}
	return frameworks.Area{}, false
}

// showFrameworks lists the framework editions, crosswalks and risk models
// loaded: reference for the national team, not a task.
func (s *Server) showFrameworks(c *fiber.Ctx) error {
	return s.render(c, "frameworks", views.Page{Title: "Frameworks and risk models", Data: s.deps.Frameworks.Editions})
}
