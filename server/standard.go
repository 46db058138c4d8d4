package server

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type standardPage struct {
	Assessment   *loadedAssessment
	Area         frameworks.Area
	Standard     frameworks.Standard
	Response     store.Response
	Form         answerForm
	LevelOptions []Option
	TargetOpts   []Option
	StatusOpts   []string
	Actions      []store.Action
	CanEdit      bool
	Prev, Next   string
	Theirs       *store.Response // set on the conflict page
	Suggested    []string        // related records offered as evidence
	TheirLevel   string
	ActionForm   actionForm
}

type answerForm struct {
	Level, Target, Evidence, Links string
	Version                        int
}

type actionForm struct{ What, Owner, Due, Status string }

func optionalInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// standardView builds the page for one standard from what la holds; form is
// what to show in the answer fields. It reads nothing more: the standard
// page adds suggested evidence (standardPageAsShown), the conflict page has
// no use for it.
func (s *Server) standardView(c *fiber.Ctx, la *loadedAssessment, form answerForm) (standardPage, error) {
	area, st, prev, next, ok := la.Framework.Locate(c.Params("sid"))
	if !ok {
		return standardPage{}, apperr.Errorf(apperr.ENOTFOUND, "There is no standard %q in this assessment.", c.Params("sid"))
	}
	base := "/assessments/" + itoa(la.ID) + "/standards/"
	p := standardPage{Assessment: la, Area: area, Standard: st, Response: la.Responses[st.ID], Form: form,
		Actions: la.Actions[st.ID], CanEdit: la.Editable() && actorOf(currentUser(c)).CanEditArea(area.ID),
		StatusOpts: store.ActionStatuses, ActionForm: actionForm{Status: store.ActionStatuses[0]}}
	if prev != "" {
		p.Prev = base + prev
	}
	if next != "" {
		p.Next = base + next
	}
	p.TargetOpts = []Option{{Value: "", Label: "No target set", Selected: form.Target == ""}}
	for _, l := range la.Framework.Scale {
		v := strconv.Itoa(l.Level)
		p.LevelOptions = append(p.LevelOptions, Option{Value: v, Label: v + " " + l.Label, Hint: l.Descriptor, Selected: v == form.Level})
		p.TargetOpts = append(p.TargetOpts, Option{Value: v, Label: v + " " + l.Label, Selected: v == form.Target})
	}
	return p, nil
}

// standardPageAsShown loads everything the standard page shows, including
// the records offered as evidence (which reads the risk register); typed
// nil shows the answer as saved.
func (s *Server) standardPageAsShown(c *fiber.Ctx, typed *answerForm) (*loadedAssessment, standardPage, error) {
	la, err := s.loadAssessment(c)
	if err != nil {
		return nil, standardPage{}, err
	}
	form := formFromResponse(la.Responses[c.Params("sid")])
	if typed != nil {
		form = *typed
	}
	page, err := s.standardView(c, la, form)
	if err != nil {
		return nil, standardPage{}, err
	}
	page.Suggested, err = s.suggestedEvidence(c, la.OrganisationID, page.Standard.Tags)
	return la, page, err
}

// showStandardErrors shows the standard page again with what the person
// typed and what is wrong with it. Only here does a save read everything
// the page shows.
func (s *Server) showStandardErrors(c *fiber.Ctx, typed *answerForm, af actionForm, errs []views.FieldError) error {
	la, page, err := s.standardPageAsShown(c, typed)
	if err != nil {
		return err
	}
	page.ActionForm = af
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "standard", views.Page{Title: page.Standard.ID, BackLink: "/assessments/" + itoa(la.ID), Errors: errs, Data: page})
}

// standardToChange finds the standard named in the URL, and the path of the
// one after it, refusing a person who may not change it (refusal names the
// area in place of %s): the checks every change to a standard starts with.
func (s *Server) standardToChange(c *fiber.Ctx, la *loadedAssessment, refusal string) (frameworks.Standard, string, error) {
	area, st, _, next, ok := la.Framework.Locate(c.Params("sid"))
	if !ok {
		return st, "", apperr.Errorf(apperr.ENOTFOUND, "There is no standard %q in this assessment.", c.Params("sid"))
	}
	if !la.Editable() || !actorOf(currentUser(c)).CanEditArea(area.ID) {
		return st, "", apperr.Errorf(apperr.EFORBIDDEN, refusal, area.Title)
	}
	if next != "" {
		next = "/assessments/" + itoa(la.ID) + "/standards/" + next
	}
	return st, next, nil
}

func formFromResponse(r store.Response) answerForm {
	return answerForm{Level: optionalInt(r.Level), Target: optionalInt(r.Target), Evidence: r.Evidence, Links: r.Links, Version: r.Version}
}

func (s *Server) showStandard(c *fiber.Ctx) error {
	la, page, err := s.standardPageAsShown(c, nil)
	if err != nil {
		return err
	}
	return s.render(c, "standard", views.Page{Title: page.Standard.ID, BackLink: "/assessments/" + itoa(la.ID), Flash: banner(c), Data: page})
}

// saveStandard checks the answer before anything else and saves it; only a
// wrong answer or a conflict builds a page.
func (s *Server) saveStandard(c *fiber.Ctx) error {
	la, err := s.assessmentToChange(c)
	if err != nil {
		return err
	}
	st, next, err := s.standardToChange(c, la, "You cannot change answers in %s. Ask your organisation's owner if you need to.")
	if err != nil {
		return err
	}
	f := readForm(c)
	in := input.Answer{Scale: la.Framework.Levels()}
	valid := f.Read(&in)
	form := answerForm{Level: f.Values["level"], Target: f.Values["target"], Evidence: f.Values["evidence"], Links: f.Values["links"], Version: in.Version}
	if !valid {
		return s.showStandardErrors(c, &form, actionForm{Status: store.ActionStatuses[0]}, f.Errs)
	}
	_, err = s.deps.Store.SaveResponse(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, in.Response(st.ID), in.Version)
	var conflict *store.ConflictError
	if errors.As(err, &conflict) {
		// Show both versions; the form keeps what this person typed, set to
		// save over the version now stored, so they can choose or merge.
		page, err := s.standardView(c, la, form)
		if err != nil {
			return err
		}
		page.Theirs = &conflict.Current
		page.TheirLevel = la.Framework.LevelLabel(conflict.Current.Level)
		page.Form.Version = conflict.Current.Version
		c.Status(fiber.StatusConflict)
		return s.render(c, "standard_conflict", views.Page{Title: "Someone else changed " + st.ID, Data: page})
	}
	if err != nil {
		return err
	}
	if next != "" && c.FormValue("then") == "next" {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	return c.Redirect(doneURL("/assessments/"+itoa(la.ID)+"/standards/"+st.ID, "saved"), fiber.StatusSeeOther)
}

// addAction adds an improvement action to a standard; like saveStandard it
// builds the page only to show what is wrong.
func (s *Server) addAction(c *fiber.Ctx) error {
	la, err := s.assessmentToChange(c)
	if err != nil {
		return err
	}
	st, _, err := s.standardToChange(c, la, "You cannot change actions in %s.")
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.Action
	if f.Read(&in) {
		act := store.Action{AssessmentID: la.ID, StandardID: st.ID}
		in.Apply(&act)
		_, err := s.deps.Store.AddAction(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), act)
		if err == nil {
			return c.Redirect(doneURL("/assessments/"+itoa(la.ID)+"/standards/"+st.ID+"#actions", "saved"), fiber.StatusSeeOther)
		}
		if apperr.Code(err) != apperr.EINVALID {
			return err
		}
		f.Fail("what", apperr.Message(err))
	}
	typed := actionForm{What: f.Values["what"], Owner: f.Values["owner"], Due: f.Values["due"], Status: f.Values["status"]}
	return s.showStandardErrors(c, nil, typed, f.Errs)
}

// updateAction changes an action's status, or removes it.
func (s *Server) updateAction(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	aid, _ := strconv.ParseInt(c.Params("aid"), 10, 64)
	var act *store.Action
	for _, list := range la.Actions {
		for i := range list {
			if list[i].ID == aid {
				act = &list[i]
			}
		}
	}
	if act == nil {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such action.")
	}
	area, _, _, _, _ := la.Framework.Locate(act.StandardID)
	if !la.Editable() || !actorOf(currentUser(c)).CanEditArea(area.ID) {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot change actions in %s.", area.Title)
	}
	status := c.FormValue("status")
	if c.FormValue("remove") != "" {
		status = ""
	} else if !input.ValidActionStatus(status) {
		return apperr.Errorf(apperr.EINVALID, "Choose a status from the list")
	}
	if err := s.deps.Store.SetActionStatus(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, aid, status); err != nil {
		return err
	}
	return c.Redirect(doneURL("/assessments/"+itoa(la.ID)+"/standards/"+act.StandardID+"#actions", "saved"), fiber.StatusSeeOther)
}

// suggestedEvidence offers records from the role risk register for
// standards tagged for psychological screening, trauma support or peer
// support: screening compliance by role, and support controls in place.
func (s *Server) suggestedEvidence(c *fiber.Ctx, orgID int64, tags []string) ([]string, error) {
	screening := slices.Contains(tags, "psychological-screening")
	support := slices.Contains(tags, "trauma-support") || slices.Contains(tags, "peer-support")
	if !screening && !support {
		return nil, nil
	}
	org, err := s.deps.Store.Organisation(c.UserContext(), scopeOf(currentUser(c)), orgID)
	if err != nil {
		return nil, err
	}
	rows, err := s.register(c, org)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		if screening {
			// Suggested evidence is copied into assessments that reports and
			// national admins read, so small counts are withheld here for everyone.
			screened, interviews := reporting.Show(r.PeopleScreened, false), reporting.Show(r.StructuredInterviews, false)
			compliance := " (" + r.Compliance + ")"
			if screened.Withheld {
				compliance = ""
			}
			out = append(out, r.RoleName+": "+screened.String()+" of "+strconv.Itoa(r.Headcount)+" people screened within the interval"+compliance+", "+interviews.String()+" structured interviews, next screening due "+r.NextScreeningOn.Format("2 January 2006"))
		}
		if !support {
			continue
		}
		m := s.deps.Frameworks.RiskModel(r.ModelKey, r.ModelVersion)
		seen := map[string]bool{}
		for _, h := range r.Hazards {
			for _, ct := range h.Controls {
				if m == nil || ct.ControlID == "" || ct.Status != frameworks.ControlInPlace || seen[ct.ControlID] {
					continue
				}
				if cc, ok := m.Control(ct.ControlID); ok && cc.Type == "support" {
					seen[ct.ControlID] = true
					out = append(out, r.RoleName+": "+cc.Name+" in place")
				}
			}
		}
	}
	return out, nil
}
