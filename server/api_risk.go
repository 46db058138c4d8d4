package server

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// apiRole is a role assessment as the API gives it: its screening and
// referral counts, and each cohort's, come through reporting.Disclose, so a
// count under 5 is the text "fewer than 5" for anyone who may not edit the
// register (viewers' tokens, national admins).
type apiRole struct {
	store.RoleAssessment
	PeopleScreened       reporting.ShownCount `json:"people_screened"`
	StructuredInterviews reporting.ShownCount `json:"structured_interviews"`
	Referrals            reporting.ShownCount `json:"referrals"`
	Cohorts              []apiCohort          `json:"cohorts"`
	Group                string               `json:"group,omitempty"` // the trauma guidance's group, from the role's edition
}

type apiCohort struct {
	Cohort            string               `json:"cohort"`
	PeopleDue         reporting.ShownCount `json:"people_due"`
	Screened          reporting.ShownCount `json:"screened"`
	NoFurtherAction   reporting.ShownCount `json:"no_further_action"`
	FurtherAssessment reporting.ShownCount `json:"further_assessment"`
	Referred          reporting.ShownCount `json:"referred"`
	LastScreenedOn    any                  `json:"last_screened_on"`
	DueOn             any                  `json:"due_on"`
}

func (s *Server) apiRoles(c *fiber.Ctx, list []store.RoleAssessment) []apiRole {
	exact := actorOf(currentUser(c)).SeesExactScreeningCounts()
	out := make([]apiRole, 0, len(list))
	for _, ra := range list {
		rc := reporting.Disclose(ra, exact)
		r := apiRole{RoleAssessment: ra, PeopleScreened: rc.Screened, StructuredInterviews: rc.Interviews, Referrals: rc.Referrals, Cohorts: []apiCohort{}}
		if m := s.deps.Frameworks.RiskModel(ra.ModelKey, ra.ModelVersion); m != nil {
			if role, ok := m.Role(ra.RoleID); ok {
				r.Group = role.Group
			}
		}
		for i, co := range rc.Cohorts {
			r.Cohorts = append(r.Cohorts, apiCohort{Cohort: co.Cohort, PeopleDue: co.PeopleDue, Screened: co.Screened, NoFurtherAction: co.NoAction,
				FurtherAssessment: co.Further, Referred: co.Referred, LastScreenedOn: ra.Cohorts[i].LastScreenedOn, DueOn: ra.Cohorts[i].DueOn})
		}
		out = append(out, r)
	}
	return out
}

// apiRegister lists the current role assessments of the token owner's
// organisation (national admins name one with ?org=).
func (s *Server) apiRegister(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	list, err := s.deps.Store.RoleRegister(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	drafts, err := s.deps.Store.RoleReviewDrafts(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	for i := range drafts {
		drafts[i].Review = "" // the list says which roles have one; GET .../draft gives it
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "roles": s.apiRoles(c, list), "drafts": drafts})
}

// apiRoleHistory returns every version of one role's assessment, newest first.
func (s *Server) apiRoleHistory(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	hist, err := s.deps.Store.RoleHistory(c.UserContext(), scopeOf(currentUser(c)), org.ID, c.Params("rid"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"versions": s.apiRoles(c, hist)})
}

// apiRoleReview reads a role review sent to the API, for signing off or
// as a draft: the role in the organisation in view, and the body as sent.
func (s *Server) apiRoleReview(c *fiber.Ctx) (org store.Organisation, model *frameworks.Edition, role frameworks.Role, in input.RoleReview, err error) {
	if !actorOf(currentUser(c)).CanEditRiskRegister() {
		return org, nil, role, in, apperr.Errorf(apperr.EFORBIDDEN, "The token's owner cannot change the role risk register.")
	}
	if org, err = s.orgInView(c); err != nil {
		return org, nil, role, in, err
	}
	if model, role, err = s.riskRole(c, org); err != nil {
		return org, nil, role, in, err
	}
	err = decodeJSON(c, &in)
	return org, model, role, in, err
}

// apiSaveRole records a new version of a role's assessment from JSON, by the
// same rules as the page's form (input.RoleReview), and saved the same way.
func (s *Server) apiSaveRole(c *fiber.Ctx) error {
	org, model, role, in, err := s.apiRoleReview(c)
	if err != nil {
		return err
	}
	if err := in.Validate(model.RiskModel, role).Err(); err != nil {
		return err
	}
	saved, err := s.recordReview(c, model, org, role, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.apiRoles(c, []store.RoleAssessment{saved})[0])
}

// apiDraft is a role's review saved part way: who saved it and when, and
// the review as it was sent.
type apiDraft struct {
	store.RoleReviewDraft
	Status string          `json:"status"` // always "draft": not signed off, in no figure
	Review json.RawMessage `json:"review"`
}

func newAPIDraft(d store.RoleReviewDraft) apiDraft {
	return apiDraft{RoleReviewDraft: d, Status: "draft", Review: json.RawMessage(d.Review)}
}

// apiRoleDraft returns the draft of one role's review.
func (s *Server) apiRoleDraft(c *fiber.Ctx) error {
	if !actorOf(currentUser(c)).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "The token's owner cannot change the role risk register.")
	}
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	d, err := s.deps.Store.RoleReviewDraftOf(c.UserContext(), scopeOf(currentUser(c)), org.ID, c.Params("rid"))
	if err != nil {
		return err
	}
	if d == nil {
		return apperr.Errorf(apperr.ENOTFOUND, "Role %s has no draft.", c.Params("rid"))
	}
	return c.JSON(newAPIDraft(*d))
}

// apiSaveRoleDraft keeps a role's review as sent so far, by the same
// rules as the page's "Save as draft" (input.RoleReview.ValidateDraft).
// Signing off is saving the complete review (apiSaveRole).
func (s *Server) apiSaveRoleDraft(c *fiber.Ctx) error {
	org, model, role, in, err := s.apiRoleReview(c)
	if err != nil {
		return err
	}
	if err := in.ValidateDraft(model.RiskModel, role).Err(); err != nil {
		return err
	}
	d, err := s.recordDraft(c, model, org, role, in)
	if err != nil {
		return err
	}
	return c.JSON(newAPIDraft(d))
}
