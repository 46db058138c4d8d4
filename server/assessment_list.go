package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type cycleRow struct {
	store.Cycle
	Edition     string
	Assessment  *store.Assessment // the caller's organisation's, if any
	CanStart    bool
	CanCarry    bool
	Assessments []assessmentRow // national admins: every organisation's
}

type assessmentRow struct {
	store.Assessment
	OrgName string
}

type cyclesPage struct {
	Cycles           []cycleRow
	IsAdmin          bool
	FrameworkOptions []Option
	Form             cycleForm
}

type cycleForm struct{ Name, Framework, Opens, Closes string }

func (s *Server) listAssessments(c *fiber.Ctx) error {
	return s.renderAssessments(c, cycleForm{}, nil)
}

func (s *Server) renderAssessments(c *fiber.Ctx, form cycleForm, errs []views.FieldError) error {
	u := currentUser(c)
	ctx := c.UserContext()
	cycles, err := s.deps.Store.Cycles(ctx)
	if err != nil {
		return err
	}
	mine, err := s.deps.Store.ListAssessments(ctx, scopeOf(u))
	if err != nil {
		return err
	}
	names, err := s.orgNames(c)
	if err != nil {
		return err
	}
	page := cyclesPage{IsAdmin: u.Role == store.RoleNationalAdmin, Form: form}
	for _, cy := range cycles {
		row := cycleRow{Cycle: cy, Edition: s.deps.Frameworks.EditionTitle(cy.FrameworkKey, cy.FrameworkVersion)}
		for i := range mine {
			as := mine[i]
			if as.CycleID != cy.ID {
				continue
			}
			if page.IsAdmin {
				row.Assessments = append(row.Assessments, assessmentRow{Assessment: as, OrgName: names[as.OrganisationID]})
			} else {
				row.Assessment = &as
			}
		}
		if u.Role == store.RoleOwner && row.Assessment == nil && cy.Status == store.CycleOpen {
			row.CanStart = true
			row.CanCarry = len(mine) > 0
		}
		page.Cycles = append(page.Cycles, row)
	}
	if page.IsAdmin {
		page.FrameworkOptions = s.editionOptions(form.Framework)
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "assessments", views.Page{Title: "Self-assessments", Errors: errs, Data: page})
}

// startAssessment creates the owner's organisation's assessment for a cycle,
// blank or carried forward from its latest assessment.
func (s *Server) startAssessment(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	cycleID, _ := strconv.ParseInt(c.FormValue("cycle"), 10, 64)
	cy, err := s.deps.Store.CycleByID(ctx, cycleID)
	if err != nil {
		return err
	}
	edition := s.deps.Frameworks.Edition(cy.FrameworkKey, cy.FrameworkVersion)
	if edition == nil || edition.Framework == nil {
		return apperr.Errorf(apperr.EINVALID, "The framework edition of this cycle (%s %s) is not loaded", cy.FrameworkKey, cy.FrameworkVersion)
	}
	carried := map[string]frameworks.Carried{}
	var from *int64
	if c.FormValue("mode") == "carry" {
		prev, err := s.latestAssessment(c, *u.OrganisationID)
		if err != nil {
			return err
		}
		if prev != nil {
			if carried, err = s.reports.CarryForward(ctx, *prev, edition.Framework); err != nil {
				return err
			}
			from = &prev.ID
		}
	}
	var seed []store.Response
	for _, st := range edition.Framework.Standards() {
		r := store.Response{StandardID: st.ID}
		if cf, ok := carried[st.ID]; ok {
			r.Level, r.Target, r.Evidence, r.Links, r.CarriedForward = cf.Level, cf.Target, cf.Evidence, cf.Links, true
			r.ReviewNote = carryNote(cf)
		}
		seed = append(seed, r)
	}
	as, err := s.deps.Store.StartAssessment(ctx, s.actor(c), scopeOf(u), store.Assessment{
		OrganisationID: *u.OrganisationID, CycleID: cy.ID, FrameworkKey: edition.Key, FrameworkVersion: edition.Version,
		FrameworkSHA256: edition.SHA256, CarriedFromID: from,
	}, seed)
	if err != nil {
		return err
	}
	return c.Redirect("/assessments/"+itoa(as.ID), fiber.StatusSeeOther)
}

func carryNote(cf frameworks.Carried) string {
	from := strings.Join(cf.From, ", ")
	switch cf.Relation {
	case frameworks.RelSplit:
		return "Carried from " + from + ", which the new edition splits into several standards: check the answer fits this one."
	case frameworks.RelMerged:
		return "Carried from " + from + ", which the new edition merges: the lowest level was kept and the evidence joined."
	default:
		return "Carried forward from " + from + " in your last assessment."
	}
}

// latestAssessment is the organisation's most recent assessment, if any.
func (s *Server) latestAssessment(c *fiber.Ctx, orgID int64) (*store.Assessment, error) {
	all, err := s.deps.Store.ListAssessments(c.UserContext(), store.Scope{OrgID: orgID})
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return &all[0], nil
}
