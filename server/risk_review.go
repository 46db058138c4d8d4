package server

import (
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/riskreview"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type reviewPage struct {
	Org         store.Organisation
	Role        frameworks.Role
	Model       *frameworks.Edition
	Form        input.RoleReviewForm
	StatusOpts  []string
	LevelValues []string // for the residual rating set by hand
	CarriedFrom string   // the edition the ratings were carried from, if another
	Version     int
	Draft       *store.RoleReviewDraft // the draft the form shows, if any
	OrgQuery    string
}

// reviewView is the review page of the role named in the URL, its form as
// first shown, for someone who may change the register.
func (s *Server) reviewView(c *fiber.Ctx) (reviewPage, error) {
	if err := mayEditRiskRegister(c); err != nil {
		return reviewPage{}, err
	}
	org, err := s.orgInView(c)
	if err != nil {
		return reviewPage{}, err
	}
	model, role, err := s.riskRole(c, org)
	if err != nil {
		return reviewPage{}, err
	}
	page := reviewPage{Org: org, Role: role, Model: model, StatusOpts: frameworks.ControlStatuses, OrgQuery: orgQuery(c, org)}
	for _, l := range model.RiskModel.Likelihood {
		page.LevelValues = append(page.LevelValues, strconv.Itoa(l.Level))
	}
	hist, err := s.deps.Store.RoleHistory(c.UserContext(), scopeOf(currentUser(c)), org.ID, role.ID)
	if err != nil && apperr.Code(err) != apperr.ENOTFOUND {
		return reviewPage{}, err
	}
	var cur *store.RoleAssessment
	if len(hist) > 0 {
		cur, page.Version = &hist[0], hist[0].Version
		if cur.ModelKey != model.Key || cur.ModelVersion != model.Version {
			// Made under an earlier edition: its ratings and reasons carry
			// across through the crosswalk at this, its next review.
			carried := riskreview.Carry(*cur, s.deps.Frameworks.CrosswalkBetween(cur.ModelKey, cur.ModelVersion, model.Key, model.Version))
			cur, page.CarriedFrom = &carried, cur.ModelVersion
		}
	}
	page.Form = input.NewRoleReviewForm(model.RiskModel, role, cur)
	draft, err := s.deps.Store.RoleReviewDraftOf(c.UserContext(), scopeOf(currentUser(c)), org.ID, role.ID)
	if err != nil {
		return reviewPage{}, err
	}
	// A draft typed against another edition is not offered: its hazards and
	// controls may not be this edition's.
	if draft != nil && draft.ModelKey == model.Key && draft.ModelVersion == model.Version {
		var in input.RoleReview
		if json.Unmarshal([]byte(draft.Review), &in) == nil {
			page.Form, page.Draft, page.CarriedFrom = input.DraftReviewForm(model.RiskModel, role, in), draft, ""
		}
	}
	return page, nil
}

func (s *Server) showReview(c *fiber.Ctx) error {
	page, err := s.reviewView(c)
	if err != nil {
		return err
	}
	return s.renderReview(c, page, nil)
}

func (s *Server) renderReview(c *fiber.Ctx, page reviewPage, errs []views.FieldError) error {
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "risk_review", views.Page{Title: "Assess: " + page.Role.Name + ", " + page.Org.Name, BackLink: "/risk" + page.OrgQuery, Flash: banner(c), Errors: errs, Data: page})
}

// saveReview signs a role's review off as a new version of its assessment,
// computing each hazard's residual rating and the role's band and dates
// from the model; or, with "Save as draft", keeps the form as typed so far.
func (s *Server) saveReview(c *fiber.Ctx) error {
	page, err := s.reviewView(c)
	if err != nil {
		return err
	}
	page.Form = page.Form.Posted(func(name string) string { return c.FormValue(name) })
	if heldBack(c) {
		return s.renderReview(c, page, nil)
	}
	if c.FormValue("action") == "draft" {
		in, errs := page.Form.CheckDraft(page.Model.RiskModel, page.Role)
		if len(errs) > 0 {
			return s.renderReview(c, page, errs)
		}
		if _, err := s.recordDraft(c, page.Model, page.Org, page.Role, in); err != nil {
			return err
		}
		return c.Redirect(doneURL("/risk/roles/"+page.Role.ID+"/review"+page.OrgQuery, "draft-saved"), fiber.StatusSeeOther)
	}
	in, errs := page.Form.Check(page.Model.RiskModel, page.Role)
	if len(errs) > 0 {
		return s.renderReview(c, page, errs)
	}
	if _, err := s.recordReview(c, page.Model, page.Org, page.Role, in); err != nil {
		return err
	}
	return c.Redirect(doneURL("/risk/roles/"+page.Role.ID+page.OrgQuery, "saved"), fiber.StatusSeeOther)
}

// recordReview saves a checked review as the role's new version, with
// what follows from its ratings worked out under the model: the page and
// the API both save this way.
func (s *Server) recordReview(c *fiber.Ctx, model *frameworks.Edition, org store.Organisation, role frameworks.Role, in input.RoleReview) (store.RoleAssessment, error) {
	ra := store.RoleAssessment{OrganisationID: org.ID, RoleID: role.ID, ModelKey: model.Key, ModelVersion: model.Version, ModelSHA256: model.SHA256}
	in.Apply(model.RiskModel, &ra)
	riskreview.Finish(model.RiskModel, role, &ra, s.deps.Store.Now())
	return s.deps.Store.SaveRoleAssessment(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), ra)
}

// recordDraft keeps a review saved part way, as the API's JSON of it: the
// page and the API both save drafts this way.
func (s *Server) recordDraft(c *fiber.Ctx, model *frameworks.Edition, org store.Organisation, role frameworks.Role, in input.RoleReview) (store.RoleReviewDraft, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return store.RoleReviewDraft{}, err
	}
	d := store.RoleReviewDraft{OrganisationID: org.ID, RoleID: role.ID, ModelKey: model.Key, ModelVersion: model.Version, Review: string(body)}
	return s.deps.Store.SaveRoleReviewDraft(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), d)
}
