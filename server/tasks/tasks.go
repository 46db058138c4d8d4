// Package tasks works out what a person should do next, by role, from what
// is open, due or overdue: the home page lists them.
package tasks

import (
	"context"
	"slices"
	"strconv"

	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Task is one thing to do next.
type Task struct {
	Label, Href, Hint string
}

// List works tasks out from the store, and the risk register through the
// report assembly.
type List struct {
	Store   *store.Store
	Reports *reporting.Service
}

const day = "2 January 2006"

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// For lists u's tasks, most pressing first: mutual aid, overdue risk
// reviews and screening, open self-assessments, then setting up and the
// reports. sc is u's scope; people is how many people u can see.
func (l List) For(ctx context.Context, u *store.User, sc store.Scope, people int) ([]Task, error) {
	var setup []Task
	switch u.Role {
	case store.RoleNationalAdmin:
		orgs, err := l.Store.ListOrganisations(ctx, store.AllOrganisations())
		if err != nil {
			return nil, err
		}
		if len(orgs) == 0 {
			setup = append(setup, Task{"Add the first organisation", "/organisations/new", "Organisations own their self-assessments and risk registers."})
		}
		setup = append(setup,
			Task{"Manage organisations", "/organisations", "Names, sectors, regions, peer groups and workforce figures."},
			Task{"Add people", "/people/new", "Invite each organisation's owner, or another national admin."},
		)
	case store.RoleOwner:
		wf, err := l.Store.Workforce(ctx, sc, *u.OrganisationID)
		if err != nil {
			return nil, err
		}
		if len(wf) == 0 {
			setup = append(setup, Task{"Record your workforce figures", "/organisations/" + itoa(*u.OrganisationID), "Benchmarks use them for rates per 1,000 people."})
		}
		if people < 2 {
			setup = append(setup, Task{"Add your team", "/people/new", "Give colleagues sections of the self-assessment to complete."})
		}
		setup = append(setup, Task{"Review who has access", "/people", "Change roles and sections, or disable accounts that are no longer needed."})
	}
	tasks, err := l.mutualAid(ctx, u, sc)
	if err != nil {
		return nil, err
	}
	if u.OrganisationID != nil {
		var overdue []Task
		// Only people who can change the risk register are asked to review
		// it: a viewer reads it, and is not given tasks they cannot do.
		if u.Role == store.RoleOwner || (u.Role == store.RoleContributor && slices.Contains(u.Sections, store.SectionRiskRegister)) {
			if overdue, err = l.overdueRoles(ctx, sc, *u.OrganisationID); err != nil {
				return nil, err
			}
		}
		assessments, err := l.assessments(ctx, u, sc)
		if err != nil {
			return nil, err
		}
		tasks = append(append(append(tasks, overdue...), assessments...), setup...)
		tasks = append(tasks, Task{"Read your benchmark report and business case", "/reports", "How you compare with every organisation and with your peers, the gaps to work on, and what to ask your chief officers to fund."})
	} else {
		tasks = append(tasks, setup...)
		tasks = append(tasks, Task{"See the national benchmarks", "/national", "Who has submitted, how groups compare, the national workbook and summary, and every organisation's report."})
	}
	if u.Role == store.RoleNationalAdmin || u.Role == store.RoleOwner {
		tasks = append(tasks, Task{"Create an API token", "/tokens", "Connect your own systems to the toolkit."})
	}
	return tasks, nil
}

// assessments points an organisation's people at open cycles: start the
// assessment (owners), or carry on with it.
func (l List) assessments(ctx context.Context, u *store.User, sc store.Scope) ([]Task, error) {
	cycles, err := l.Store.Cycles(ctx)
	if err != nil {
		return nil, err
	}
	mine, err := l.Store.ListAssessments(ctx, sc)
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
			tasks = append(tasks, Task{"Start the " + cy.Name + " self-assessment", "/assessments", "Open until " + cy.ClosesOn.Format(day) + "."})
		case as != nil && as.Editable() && u.Role != store.RoleViewer:
			tasks = append(tasks, Task{"Continue the " + cy.Name + " self-assessment", "/assessments/" + itoa(as.ID), "Due by " + cy.ClosesOn.Format(day) + "."})
		case as != nil:
			tasks = append(tasks, Task{"Read the " + cy.Name + " self-assessment", "/assessments/" + itoa(as.ID), "Status: " + as.Status + ". Compare it with earlier years from its page."})
		}
	}
	return tasks, nil
}

// overdueRoles flags roles whose risk review or screening is overdue.
func (l List) overdueRoles(ctx context.Context, sc store.Scope, orgID int64) ([]Task, error) {
	rows, err := l.Reports.RegisterRows(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	var tasks []Task
	now := l.Store.Now()
	for _, r := range rows {
		// The same rule as the reminder emails (DueState) and the register.
		switch {
		case DueState(now, r.NextReviewOn, SoonDays) == Overdue:
			tasks = append(tasks, Task{"Overdue: review the risk assessment of " + r.RoleName, "/risk/roles/" + r.RoleID, "The review was due on " + r.NextReviewOn.Format(day) + "."})
		case DueState(now, r.NextScreeningOn, SoonDays) == Overdue:
			tasks = append(tasks, Task{"Overdue: screening for " + r.RoleName, "/risk/roles/" + r.RoleID, "Screening was due on " + r.NextScreeningOn.Format(day) + "."})
		}
	}
	return tasks, nil
}

// mutualAid puts OK9 mutual aid first: national admins see open requests to
// find dogs for; owners see offers waiting for their answer.
func (l List) mutualAid(ctx context.Context, u *store.User, sc store.Scope) ([]Task, error) {
	if u.Role != store.RoleNationalAdmin && u.Role != store.RoleOwner {
		return nil, nil
	}
	reqs, err := l.Store.AidRequests(ctx, sc)
	if err != nil {
		return nil, err
	}
	var tasks []Task
	for _, r := range reqs {
		href := "/mutual-aid/" + itoa(r.ID)
		if u.Role == store.RoleNationalAdmin && r.Status == store.AidOpen {
			tasks = append(tasks, Task{"Find OK9 dogs for " + r.Location, href, itoa(int64(r.DogsAccepted())) + " of " + itoa(int64(r.DogsNeeded)) + " dogs agreed, from " + r.StartsOn.Format(day) + "."})
		}
		for _, o := range r.Offers {
			if u.Role == store.RoleOwner && o.OrganisationID == *u.OrganisationID && o.Status == store.OfferMade && r.Status != store.AidClosed {
				tasks = append(tasks, Task{"Answer a request to lend OK9 dogs to " + r.Location, href, "The national team has asked to borrow your dogs from " + r.StartsOn.Format(day) + "."})
			}
		}
	}
	return tasks, nil
}
