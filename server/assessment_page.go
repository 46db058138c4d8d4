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
	Blocker                            string // why it stops submission, if it does
}

type assessmentPage struct {
	*loadedAssessment
	Edition        string
	Areas          []areaRow
	Answered       int
	Total          int
	Missing        []gap
	Ready          int // standards that can be submitted as they are
	CanSubmit      bool
	IsOwner        bool
	IsAdmin        bool
	SignOff        input.SignOff
	CarriedPending int
}

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
	gaps := submissionGaps(la)
	blocked := map[string]string{}
	for _, g := range gaps {
		blocked[g.StandardID] = g.Reason
	}
	for _, a := range la.Framework.Areas {
		row := areaRow{Area: a, Total: len(a.Standards), CanEdit: la.Editable() && actorOf(u).CanEditArea(a.ID)}
		ready := 0
		for _, st := range a.Standards {
			r := la.Responses[st.ID]
			sr := standardRow{ID: st.ID, Statement: st.Statement, Status: "Not started", StatusClass: "govuk-tag--blue"}
			switch {
			case r.CarriedForward:
				sr.Status, sr.StatusClass = "Carried forward: review", "govuk-tag--yellow"
				page.CarriedPending++
			case r.Level != nil && blocked[st.ID] != "":
				// Answered, but a rule stops it being submitted as it is.
				sr.Status, sr.StatusClass, sr.Blocker = "Needs an action", "govuk-tag--red", blocked[st.ID]
			case r.Level != nil:
				sr.Status, sr.StatusClass = "Completed", ""
			}
			if r.Level != nil {
				row.Answered++
			}
			if r.Level != nil && blocked[st.ID] == "" {
				ready++
			}
			row.Standards = append(row.Standards, sr)
		}
		row.Percent = row.Answered * 100 / max(row.Total, 1)
		switch {
		case ready == row.Total:
			row.Status = "Completed"
		case row.Answered == row.Total:
			row.Status = "Needs attention"
		case row.Answered > 0:
			row.Status = "In progress"
		default:
			row.Status = "Not started"
		}
		page.Answered += row.Answered
		page.Ready += ready
		page.Total += row.Total
		page.Areas = append(page.Areas, row)
	}
	page.Missing = gaps
	page.CanSubmit = page.IsOwner && la.Editable() && len(page.Missing) == 0
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "assessment", views.Page{Title: la.Cycle.Name + " self-assessment: " + la.OrgName, BackLink: "/assessments", Errors: errs, Flash: banner(c), Data: page})
}

// gap is one thing that stops an assessment being submitted: the standard
// and the reason, in words that finish "LEAD-01: ...".
type gap struct{ StandardID, Reason string }

func (g gap) String() string { return g.StandardID + ": " + g.Reason }

// gapStrings are the gaps as the API has always listed them.
func gapStrings(gaps []gap) []string {
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.String()
	}
	return out
}

// submissionGaps lists what stops submission: every standard needs a level,
// and every standard below its target needs at least one action.
func submissionGaps(la *loadedAssessment) []gap {
	var gaps []gap
	for _, st := range la.Framework.Standards() {
		if reason := standardBlocker(la, st.ID); reason != "" {
			gaps = append(gaps, gap{st.ID, reason})
		}
	}
	return gaps
}

// standardBlocker is why one standard stops submission as it is, or "".
func standardBlocker(la *loadedAssessment, sid string) string {
	r := la.Responses[sid]
	switch {
	case r.Level == nil:
		return "choose a maturity level"
	case r.Target != nil && *r.Level < *r.Target && len(la.Actions[sid]) == 0:
		return "below its target, so add at least one improvement action"
	}
	return ""
}

// signOffBy is who signs off a self-assessment in each sector.
func signOffBy(sector string) string {
	switch sector {
	case "police":
		return "the chief constable or their deputy (or the chief officer of the force)"
	case "fire":
		return "the chief fire officer or their deputy"
	case "ambulance":
		return "the chief executive or their deputy"
	default:
		return "the head of the organisation or their deputy"
	}
}

type checkPage struct {
	*loadedAssessment
	Areas   []checkArea
	Missing []gap
	SignOff input.SignOff
	SignsBy string
	// ChiefOfficer is who usually signs off in the organisation's sector,
	// for the sign-off hint: a chief constable, chief fire officer or chief
	// executive.
	ChiefOfficer string
}

type checkArea struct {
	frameworks.Area
	Rows []checkRow
}

type checkRow struct {
	ID, Statement, Level, Target string
	Evidence                     bool
	Actions                      int
}

// showCheck is the check-your-answers page before submitting: every
// standard's level, target, whether it has evidence and its actions, then
// the declaration.
func (s *Server) showCheck(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	return s.renderCheck(c, la, input.SignOff{Name: currentUser(c).DisplayName}, nil)
}

func (s *Server) renderCheck(c *fiber.Ctx, la *loadedAssessment, form input.SignOff, errs []views.FieldError) error {
	if !la.Editable() {
		return c.Redirect("/assessments/"+itoa(la.ID), fiber.StatusSeeOther)
	}
	org, err := s.deps.Store.Organisation(c.UserContext(), scopeOf(currentUser(c)), la.OrganisationID)
	if err != nil {
		return err
	}
	page := checkPage{loadedAssessment: la, Missing: submissionGaps(la), SignOff: form, SignsBy: signOffBy(org.Sector), ChiefOfficer: figure.ChiefOfficer(org.Sector)}
	for _, a := range la.Framework.Areas {
		ca := checkArea{Area: a}
		for _, st := range a.Standards {
			r := la.Responses[st.ID]
			row := checkRow{ID: st.ID, Statement: st.Statement, Level: "Not set", Target: "No target set",
				Evidence: strings.TrimSpace(r.Evidence) != "" || strings.TrimSpace(r.Links) != "", Actions: len(la.Actions[st.ID])}
			if r.Level != nil {
				row.Level = la.Framework.LevelLabel(r.Level)
			}
			if r.Target != nil {
				row.Target = la.Framework.LevelLabel(r.Target)
			}
			ca.Rows = append(ca.Rows, row)
		}
		page.Areas = append(page.Areas, ca)
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "assessment_check", views.Page{Title: "Check your answers: " + la.Cycle.Name + " self-assessment, " + la.OrgName,
		BackLink: "/assessments/" + itoa(la.ID), Errors: errs, Data: page})
}

func (s *Server) submitAssessment(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	if gaps := submissionGaps(la); len(gaps) > 0 {
		f.Fail("missing", figure.Count(float64(len(gaps)), "thing", "things")+" must be done before you can submit: see the list")
	}
	var in input.SignOff
	if !f.Read(&in) {
		return s.renderCheck(c, la, in, f.Errs)
	}
	name, role := in.SignedOff()
	if _, err := s.deps.Store.SubmitAssessment(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, name, role); err != nil {
		return err
	}
	return c.Redirect("/assessments/"+itoa(la.ID)+"/submitted", fiber.StatusSeeOther)
}

// showSubmitted is the confirmation page after submitting: what happens next.
func (s *Server) showSubmitted(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	if la.SubmittedAt == nil {
		return c.Redirect("/assessments/"+itoa(la.ID), fiber.StatusSeeOther)
	}
	return s.render(c, "assessment_submitted", views.Page{Title: "Assessment submitted: " + la.Cycle.Name + ", " + la.OrgName, Data: la})
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

// showPeerReview says what asking for a peer review means before it is
// asked for, and shows that it has been once it is.
func (s *Server) showPeerReview(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	return s.render(c, "peer_review", views.Page{Title: "Ask for a peer review: " + la.Cycle.Name + ", " + la.OrgName,
		BackLink: "/assessments/" + itoa(la.ID), Data: la})
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
