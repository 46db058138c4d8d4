package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
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
	Suggested    []Evidence      // the organisation's records offered as evidence
	TheirLevel   string
	ActionForm   actionForm
	Was          string   // fingerprint of the saved answer (answerFingerprint)
	Blockers     []string // why this standard stops submission, if it does
	HeldBack     bool     // the form shows what was typed before the session ended
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
		StatusOpts: store.ActionStatuses, ActionForm: actionForm{Status: store.ActionStatuses[0]},
		Was: answerFingerprint(formFromResponse(la.Responses[st.ID]))}
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
	if la.Editable() {
		if b := standardBlocker(la, page.Standard.ID); b != "" && page.Response.Level != nil {
			page.Blockers = []string{b} // "choose a level" is plain from the form itself
		}
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
	return s.render(c, "standard", views.Page{Title: standardTitle(la, page.Standard), BackLink: "/assessments/" + itoa(la.ID), Errors: errs, Data: page})
}

// standardTitle names a standard's page: the standard, the cycle and the
// organisation, since a national admin may have several open.
func standardTitle(la *loadedAssessment, st frameworks.Standard) string {
	return st.ID + ": " + la.Cycle.Name + " self-assessment, " + la.OrgName
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
	return s.render(c, "standard", views.Page{Title: standardTitle(la, page.Standard), BackLink: "/assessments/" + itoa(la.ID), Flash: banner(c), Data: page})
}

// saveStandard saves the standard's one form: the answer, an action typed
// into "Add an action", and a change to an existing action's status. Every
// button sends the whole form, so whichever is pressed keeps what was typed
// elsewhere on the page. The answer is checked before anything else; only a
// wrong answer or a conflict builds a page, and then nothing is changed.
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
	then := c.FormValue("then")
	op, opID := standardOp(c)
	// An action is added by its own button, or by any save when one is typed.
	typedAction := actionForm{What: c.FormValue("what"), Owner: c.FormValue("owner"), Due: input.WithDates(formValue(c))("due"), Status: c.FormValue("status")}
	if typedAction.Status == "" {
		typedAction.Status = store.ActionStatuses[0]
	}
	if c.FormValue("_held") != "" {
		// Sent back after signing in again (showHeld): show, never save.
		la, page, err := s.standardPageAsShown(c, &form)
		if err != nil {
			return err
		}
		page.ActionForm, page.HeldBack = typedAction, true
		return s.render(c, "standard", views.Page{Title: standardTitle(la, page.Standard), BackLink: "/assessments/" + itoa(la.ID), Data: page})
	}
	if key := c.FormValue("add_evidence"); key != "" {
		return s.addEvidenceLine(c, key, form, typedAction)
	}
	adding := then == "add-action" || strings.TrimSpace(typedAction.What) != ""
	var act input.Action
	if adding {
		af := readForm(c)
		if !af.Read(&act) {
			for _, e := range af.Errs {
				if e.Field == "due_on" {
					e.Field = "due"
				}
				f.Errs = append(f.Errs, e)
			}
			valid = false
		}
	}
	// The answer is saved by Save, or by an action button when it has changed
	// since the page was read: a person who has not touched it yet (no level
	// chosen) can still add an action.
	saveAnswer := op == "" || !sameAnswer(form, c.FormValue("was"))
	if !saveAnswer {
		f.Errs = slices.DeleteFunc(f.Errs, func(e views.FieldError) bool { return isAnswerField(e.Field) })
		valid = len(f.Errs) == 0
	}
	if !valid {
		return s.showStandardErrors(c, &form, typedAction, f.Errs)
	}
	if saveAnswer {
		saved, err := s.deps.Store.SaveResponse(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, in.Response(st.ID), in.Version)
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
			page.ActionForm = typedAction
			c.Status(fiber.StatusConflict)
			return s.render(c, "standard_conflict", views.Page{Title: "Someone else changed " + st.ID, Data: page})
		}
		if err != nil {
			return err
		}
		form.Version = saved.Version
	}
	here := "/assessments/" + itoa(la.ID) + "/standards/" + st.ID
	if adding {
		a := store.Action{AssessmentID: la.ID, StandardID: st.ID}
		act.Apply(&a)
		if _, err := s.deps.Store.AddAction(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), a); err != nil {
			if apperr.Code(err) != apperr.EINVALID {
				return err
			}
			return s.showStandardErrors(c, &form, typedAction, []views.FieldError{{Field: "what", Message: apperr.Message(err)}})
		}
	}
	switch op {
	case "update":
		status := c.FormValue("status-" + itoa(opID))
		if !input.ValidActionStatus(status) {
			return apperr.Errorf(apperr.EINVALID, "Choose a status from the list")
		}
		if err := s.deps.Store.SetActionStatus(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, opID, status); err != nil {
			return err
		}
		return c.Redirect(doneURL(here, "saved")+"#actions", fiber.StatusSeeOther)
	case "remove":
		// Removing cannot be undone: ask first (the answer is saved already).
		return c.Redirect("/assessments/"+itoa(la.ID)+"/actions/"+itoa(opID)+"/remove", fiber.StatusSeeOther)
	}
	if adding && then != "next" {
		return c.Redirect(doneURL(here, "action-added")+"#actions", fiber.StatusSeeOther)
	}
	if next != "" && then == "next" {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	return c.Redirect(doneURL(here, "saved"), fiber.StatusSeeOther)
}

// standardOp is the action button pressed on the standard page, if any:
// "add" (Add action), "update" or "remove" with the action's id. "" is a
// save of the answer.
func standardOp(c *fiber.Ctx) (string, int64) {
	if c.FormValue("then") == "add-action" {
		return "add", 0
	}
	for _, op := range []string{"update", "remove"} {
		if v := c.FormValue(op); v != "" {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				return op, id
			}
		}
	}
	return "", 0
}

func isAnswerField(f string) bool {
	return f == "level" || f == "target" || f == "evidence" || f == "links" || f == "version"
}

// sameAnswer says whether the typed answer is the one the page was built
// with: was is the fingerprint the page carries (answerFingerprint).
func sameAnswer(f answerForm, was string) bool {
	return was != "" && was == answerFingerprint(f)
}

// answerFingerprint names an answer's contents, so that an action button
// can tell whether the answer beside it was changed. It is not a secret.
func answerFingerprint(f answerForm) string {
	norm := func(v string) string { return strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n")) }
	h := sha256.Sum256([]byte(f.Level + "\x00" + f.Target + "\x00" + norm(f.Evidence) + "\x00" + norm(f.Links)))
	return hex.EncodeToString(h[:8])
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

// actionToChange is the action in the address, if this person may change it.
func (s *Server) actionToChange(c *fiber.Ctx) (*loadedAssessment, *store.Action, error) {
	la, err := s.loadAssessment(c)
	if err != nil {
		return nil, nil, err
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
		return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such action.")
	}
	area, _, _, _, _ := la.Framework.Locate(act.StandardID)
	if !la.Editable() || !actorOf(currentUser(c)).CanEditArea(area.ID) {
		return nil, nil, apperr.Errorf(apperr.EFORBIDDEN, "You cannot change actions in %s.", area.Title)
	}
	return la, act, nil
}

// confirmRemoveAction asks before removing an improvement action: a removed
// action is gone from the assessment and its reports.
func (s *Server) confirmRemoveAction(c *fiber.Ctx) error {
	la, act, err := s.actionToChange(c)
	if err != nil {
		return err
	}
	back := "/assessments/" + itoa(la.ID) + "/standards/" + act.StandardID + "#actions"
	due := "Not set"
	if act.DueOn != nil {
		due = act.DueOn.Format("2 January 2006")
	}
	follows := []string{"it is taken off " + act.StandardID + " and out of the improvement plan and reports",
		"if " + act.StandardID + " is below its target, it may need another action before the assessment can be submitted",
		"the audit trail keeps a record that it was removed"}
	return s.renderConfirm(c, "Remove the action from "+act.StandardID+"?", back, confirmPage{
		Caption: act.StandardID,
		Details: []keyValue{{"Action", act.What}, {"Owner", orNotSet(act.Owner)}, {"Due", due}, {"Status", act.Status}},
		Lead:    "Removing an action cannot be undone. Once it is removed:",
		Follows: follows,
		Action:  "/assessments/" + itoa(la.ID) + "/actions/" + itoa(act.ID), Hidden: []keyValue{{"remove", "1"}},
		Button: "Remove the action", Cancel: back, CancelText: "Keep the action",
	})
}

func orNotSet(v string) string {
	if strings.TrimSpace(v) == "" {
		return "Not set"
	}
	return v
}

// updateAction changes an action's status, or removes it (after
// confirmRemoveAction).
func (s *Server) updateAction(c *fiber.Ctx) error {
	la, act, err := s.actionToChange(c)
	if err != nil {
		return err
	}
	aid := act.ID
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

// addEvidenceLine adds one of the records offered as evidence to the
// evidence typed so far and shows the page again with everything else as
// typed. Nothing is saved until the person saves the answer; a line
// already in the evidence is not added twice.
func (s *Server) addEvidenceLine(c *fiber.Ctx, key string, form answerForm, typedAction actionForm) error {
	la, page, err := s.standardPageAsShown(c, &form)
	if err != nil {
		return err
	}
	page.ActionForm = typedAction
	i := slices.IndexFunc(page.Suggested, func(e Evidence) bool { return e.Key() == key })
	if i < 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "standard", views.Page{Title: standardTitle(la, page.Standard), BackLink: "/assessments/" + itoa(la.ID), Data: page,
			Errors: []views.FieldError{{Field: "evidence", Message: "That record has changed since the page was shown: choose it again from the list"}}})
	}
	line := page.Suggested[i].Line()
	if !strings.Contains(page.Form.Evidence, line) {
		if ev := strings.TrimRight(page.Form.Evidence, " \r\n"); ev != "" {
			page.Form.Evidence = ev + "\n" + line
		} else {
			page.Form.Evidence = line
		}
	}
	return s.render(c, "standard", views.Page{Title: standardTitle(la, page.Standard), BackLink: "/assessments/" + itoa(la.ID), Data: page,
		Flash: "Added to the evidence below. Save the answer to keep it."})
}
