package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// loadedAssessment is an assessment with everything its pages need.
// loadedAssessment is an assessment with its cycle, organisation, edition,
// answers and actions, as the pages and reports read it.
type loadedAssessment = reporting.SelfAssessment

// loadAssessment reads the assessment named in the URL, within the caller's
// scope, with its framework edition, cycle, organisation, responses and
// actions: everything its pages show. It reads the assessment once.
func (s *Server) loadAssessment(c *fiber.Ctx) (*loadedAssessment, error) {
	id, err := assessmentID(c)
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	sc := scopeOf(currentUser(c))
	as, responses, actions, err := s.deps.Store.AssessmentWithAnswers(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	la, err := s.withFramework(as)
	if err != nil {
		return nil, err
	}
	if la.Cycle, err = s.deps.Store.CycleByID(ctx, as.CycleID); err != nil {
		return nil, err
	}
	org, err := s.deps.Store.Organisation(ctx, sc, as.OrganisationID)
	if err != nil {
		return nil, err
	}
	la.OrgName, la.OrgSlug, la.OrgSector = org.Name, org.Slug, org.Sector
	la.Responses = make(map[string]store.Response, len(responses))
	for _, r := range responses {
		la.Responses[r.StandardID] = r
	}
	la.Actions = map[string][]store.Action{}
	for _, a := range actions {
		la.Actions[a.StandardID] = append(la.Actions[a.StandardID], a)
	}
	return la, nil
}

// assessmentToChange reads the assessment named in the URL, within the
// caller's scope, with its framework edition and nothing more: enough to
// check and save a change. Pages that show more use loadAssessment.
func (s *Server) assessmentToChange(c *fiber.Ctx) (*loadedAssessment, error) {
	id, err := assessmentID(c)
	if err != nil {
		return nil, err
	}
	as, err := s.deps.Store.AssessmentByID(c.UserContext(), scopeOf(currentUser(c)), id)
	if err != nil {
		return nil, err
	}
	return s.withFramework(as)
}

func assessmentID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return 0, apperr.Errorf(apperr.ENOTFOUND, "There is no such assessment.")
	}
	return id, nil
}

// withFramework pairs an assessment with the edition it was made under.
func (s *Server) withFramework(as store.Assessment) (*loadedAssessment, error) {
	f := s.deps.Frameworks.Framework(as.FrameworkKey, as.FrameworkVersion)
	if f == nil {
		return nil, apperr.Errorf(apperr.EINTERNAL, "framework %s %s of assessment %d is not loaded", as.FrameworkKey, as.FrameworkVersion, as.ID)
	}
	return &loadedAssessment{Assessment: as, Framework: f}, nil
}

type areaRow struct {
	frameworks.Area
	Answered, Total, Percent int
	Status                   string // Not started, In progress, Completed
	CanEdit                  bool
	Standards                []standardRow
}

type standardRow struct {
	ID, Statement, Status, StatusClass string
}

type assessmentPage struct {
	*loadedAssessment
	Edition        string
	Areas          []areaRow
	Answered       int
	Total          int
	Missing        []string
	CanSubmit      bool
	IsOwner        bool
	IsAdmin        bool
	SignOff        input.SignOff
	CarriedPending int
}

// ChiefOfficer is who usually signs off in the organisation's sector, for
// the sign-off hint: a chief constable, chief fire officer or chief
// executive.
func (p assessmentPage) ChiefOfficer() string { return figure.ChiefOfficer(p.OrgSector) }

func (s *Server) showAssessment(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	return s.renderAssessment(c, la, input.SignOff{Name: currentUser(c).DisplayName}, nil)
}

func (s *Server) renderAssessment(c *fiber.Ctx, la *loadedAssessment, form input.SignOff, errs []views.FieldError) error {
	u := currentUser(c)
	page := assessmentPage{loadedAssessment: la, Edition: s.deps.Frameworks.EditionTitle(la.FrameworkKey, la.FrameworkVersion),
		IsOwner: u.Role == store.RoleOwner, IsAdmin: u.Role == store.RoleNationalAdmin, SignOff: form}
	for _, a := range la.Framework.Areas {
		row := areaRow{Area: a, Total: len(a.Standards), CanEdit: la.Editable() && actorOf(u).CanEditArea(a.ID)}
		for _, st := range a.Standards {
			r := la.Responses[st.ID]
			sr := standardRow{ID: st.ID, Statement: st.Statement, Status: "Not started", StatusClass: "govuk-tag--blue"}
			switch {
			case r.CarriedForward:
				sr.Status, sr.StatusClass = "Carried forward: review", "govuk-tag--yellow"
				page.CarriedPending++
			case r.Level != nil:
				sr.Status, sr.StatusClass = "Completed", ""
			}
			if r.Level != nil {
				row.Answered++
			}
			row.Standards = append(row.Standards, sr)
		}
		row.Percent = row.Answered * 100 / max(row.Total, 1)
		switch {
		case row.Answered == row.Total:
			row.Status = "Completed"
		case row.Answered > 0:
			row.Status = "In progress"
		default:
			row.Status = "Not started"
		}
		page.Answered += row.Answered
		page.Total += row.Total
		page.Areas = append(page.Areas, row)
	}
	page.Missing = submissionGaps(la)
	page.CanSubmit = page.IsOwner && la.Editable() && len(page.Missing) == 0
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "assessment", views.Page{Title: la.OrgName + " " + la.Cycle.Name, BackLink: "/assessments", Errors: errs, Flash: banner(c), Data: page})
}

// submissionGaps lists what stops submission: every standard needs a level,
// and every standard below its target needs at least one action.
func submissionGaps(la *loadedAssessment) []string {
	var gaps []string
	for _, st := range la.Framework.Standards() {
		r := la.Responses[st.ID]
		switch {
		case r.Level == nil:
			gaps = append(gaps, st.ID+": choose a maturity level")
		case r.Target != nil && *r.Level < *r.Target && len(la.Actions[st.ID]) == 0:
			gaps = append(gaps, st.ID+": below its target, so add at least one improvement action")
		}
	}
	return gaps
}

func (s *Server) submitAssessment(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	if gaps := submissionGaps(la); len(gaps) > 0 {
		f.Fail("missing", strconv.Itoa(len(gaps))+" things must be done before you can submit: see the list")
	}
	var in input.SignOff
	if !f.Read(&in) {
		return s.renderAssessment(c, la, in, f.Errs)
	}
	name, role := in.SignedOff()
	if _, err := s.deps.Store.SubmitAssessment(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, name, role); err != nil {
		return err
	}
	return c.Redirect(doneURL("/assessments/"+itoa(la.ID), "submitted"), fiber.StatusSeeOther)
}

func (s *Server) returnAssessment(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	comment := strings.TrimSpace(c.FormValue("comment"))
	if comment == "" || len(comment) > 5000 {
		return s.renderAssessment(c, la, input.SignOff{}, []views.FieldError{{Field: "comment", Message: "Say what the organisation needs to change, in 5,000 characters or fewer"}})
	}
	if _, err := s.deps.Store.ReturnAssessment(c.UserContext(), s.actor(c), la.ID, comment); err != nil {
		return err
	}
	return c.Redirect(doneURL("/assessments/"+itoa(la.ID), "returned"), fiber.StatusSeeOther)
}

func (s *Server) validateAssessment(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	if _, err := s.deps.Store.ValidateAssessment(c.UserContext(), s.actor(c), la.ID); err != nil {
		return err
	}
	return c.Redirect(doneURL("/assessments/"+itoa(la.ID), "validated"), fiber.StatusSeeOther)
}

func (s *Server) requestPeerReview(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	if _, err := s.deps.Store.RequestPeerReview(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID); err != nil {
		return err
	}
	return c.Redirect(doneURL("/assessments/"+itoa(la.ID), "peer-review"), fiber.StatusSeeOther)
}
