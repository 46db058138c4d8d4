package server

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// apiRegister lists the current role assessments of the token owner's
// organisation (national admins name one with ?org=).
func (s *Server) apiRegister(c *fiber.Ctx) error {
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	list, err := s.deps.Store.RoleRegister(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.RoleAssessment{}
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "roles": list})
}

// apiRoleHistory returns every version of one role's assessment, newest first.
func (s *Server) apiRoleHistory(c *fiber.Ctx) error {
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	hist, err := s.deps.Store.RoleHistory(c.UserContext(), scopeOf(currentUser(c)), org.ID, c.Params("rid"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"versions": hist})
}

type apiRoleInput struct {
	Teams                string           `json:"teams"`
	Headcount            int              `json:"headcount"`
	ExposedHeadcount     int              `json:"exposed_headcount"`
	PeopleScreened       int              `json:"people_screened"`
	StructuredInterviews int              `json:"structured_interviews"`
	Referrals            int              `json:"referrals"`
	SignedOffBy          string           `json:"signed_off_by"`
	Hazards              []apiHazardInput `json:"hazards"`
}

type apiHazardInput struct {
	HazardID         string            `json:"hazard_id"`
	Likelihood       int               `json:"likelihood"`
	Severity         int               `json:"severity"`
	Rationale        string            `json:"rationale"`
	Controls         []apiControlInput `json:"controls"`
	ResidualOverride *struct {
		Likelihood int    `json:"likelihood"`
		Severity   int    `json:"severity"`
		Rationale  string `json:"rationale"`
	} `json:"residual_override"`
}

type apiControlInput struct {
	ControlID           string   `json:"control_id"`
	LocalName           string   `json:"local_name"`
	Status              string   `json:"status"`
	Owner               string   `json:"owner"`
	DueOn               *dueDate `json:"due_on"`
	LikelihoodReduction int      `json:"likelihood_reduction"` // local controls only; catalogue ones take the catalogue's
	SeverityReduction   int      `json:"severity_reduction"`
}

// apiSaveRole records a new version of a role's assessment from JSON, by the
// same rules as the form: residuals, band and dates are worked out here.
func (s *Server) apiSaveRole(c *fiber.Ctx) error {
	u := currentUser(c)
	if !actorOf(u).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "The token's owner cannot change the role risk register.")
	}
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	model, role, err := s.riskRole(c, org)
	if err != nil {
		return err
	}
	var in apiRoleInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ra, problems := roleFromAPI(model, role, org.ID, in)
	if len(problems) > 0 {
		return apperr.Errorf(apperr.EINVALID, "%s", strings.Join(problems, "; "))
	}
	finishRoleAssessment(model.RiskModel, &ra, s.deps.Store.Now())
	saved, err := s.deps.Store.SaveRoleAssessment(c.UserContext(), s.actor(c), scopeOf(u), ra)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(saved)
}

// roleFromAPI checks a role assessment sent to the API and builds it, by
// the same rules as the form; each problem names the field at fault.
func roleFromAPI(model *frameworks.Edition, role frameworks.Role, orgID int64, in apiRoleInput) (store.RoleAssessment, []string) {
	m := model.RiskModel
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	onScale := func(v, n int) bool { return v >= 1 && v <= n }
	ra := store.RoleAssessment{OrganisationID: orgID, RoleID: role.ID, Teams: strings.TrimSpace(in.Teams), ModelKey: model.Key, ModelVersion: model.Version, ModelSHA256: model.SHA256,
		Headcount: in.Headcount, ExposedHeadcount: in.ExposedHeadcount, PeopleScreened: in.PeopleScreened,
		StructuredInterviews: in.StructuredInterviews, Referrals: in.Referrals, SignedOffBy: strings.TrimSpace(in.SignedOffBy)}
	if ra.SignedOffBy == "" {
		bad("signed_off_by is required")
	}
	for _, n := range []struct {
		field string
		v     int
	}{{"headcount", in.Headcount}, {"exposed_headcount", in.ExposedHeadcount}, {"people_screened", in.PeopleScreened}, {"structured_interviews", in.StructuredInterviews}, {"referrals", in.Referrals}} {
		if n.v < 0 || n.v > 100_000 { // the form's limit
			bad("%s must be a whole number from 0 to 100,000", n.field)
		}
	}
	local := strings.HasPrefix(role.ID, localPrefix)
	rated := map[string]bool{}
	for i, h := range in.Hazards {
		idx := slices.IndexFunc(role.Hazards, func(rh frameworks.RoleHazard) bool { return rh.Hazard == h.HazardID })
		if idx < 0 {
			bad("hazards[%d]: %q is not a hazard of this role", i, h.HazardID)
			continue
		}
		if rated[h.HazardID] {
			bad("hazards[%d]: %s is rated twice", i, h.HazardID)
			continue
		}
		rated[h.HazardID] = true
		if !onScale(h.Likelihood, len(m.Likelihood)) || !onScale(h.Severity, len(m.Severity)) {
			bad("hazards[%d]: likelihood and severity must be on the scales (1 to %d)", i, len(m.Likelihood))
		}
		base := role.Hazards[idx]
		if !local && (h.Likelihood != base.Likelihood || h.Severity != base.Severity) && strings.TrimSpace(h.Rationale) == "" {
			bad("hazards[%d]: a rating that differs from the catalogue's needs a rationale", i)
		}
		rating := store.HazardRating{HazardID: h.HazardID, InherentL: h.Likelihood, InherentS: h.Severity, Rationale: strings.TrimSpace(h.Rationale)}
		for j, ct := range h.Controls {
			if !slices.Contains(frameworks.ControlStatuses, ct.Status) {
				bad("hazards[%d].controls[%d]: status must be one of %s", i, j, strings.Join(frameworks.ControlStatuses, ", "))
			}
			rc := store.RoleControl{Status: ct.Status, Owner: strings.TrimSpace(ct.Owner)}
			if ct.DueOn != nil {
				due := ct.DueOn.Time
				rc.DueOn = &due
			}
			if ct.ControlID != "" {
				cc, ok := m.Control(ct.ControlID)
				if !ok {
					bad("hazards[%d].controls[%d]: %q is not in the control catalogue", i, j, ct.ControlID)
				}
				rc.ControlID, rc.LikelihoodReduction, rc.SeverityReduction = cc.ID, cc.LikelihoodReduction, cc.SeverityReduction
			} else {
				if strings.TrimSpace(ct.LocalName) == "" || ct.LikelihoodReduction < 0 || ct.LikelihoodReduction > 2 || ct.SeverityReduction < 0 || ct.SeverityReduction > 2 {
					bad("hazards[%d].controls[%d]: a local control needs local_name and reductions from 0 to 2", i, j)
				}
				rc.LocalName, rc.LikelihoodReduction, rc.SeverityReduction = strings.TrimSpace(ct.LocalName), ct.LikelihoodReduction, ct.SeverityReduction
			}
			rating.Controls = append(rating.Controls, rc)
		}
		if o := h.ResidualOverride; o != nil {
			if !onScale(o.Likelihood, len(m.Likelihood)) || !onScale(o.Severity, len(m.Severity)) || strings.TrimSpace(o.Rationale) == "" {
				bad("hazards[%d].residual_override: needs likelihood and severity on the scales and a rationale", i)
			}
			rating.ResidualL, rating.ResidualS, rating.OverrideRationale = o.Likelihood, o.Severity, strings.TrimSpace(o.Rationale)
		}
		ra.Hazards = append(ra.Hazards, rating)
	}
	return ra, problems
}

// dueDate is a control's due_on in a request body, an RFC 3339 date and
// time, refused in words people read (the decoder adds where).
type dueDate struct{ time.Time }

func (d *dueDate) UnmarshalJSON(b []byte) error {
	if err := d.Time.UnmarshalJSON(b); err != nil {
		return apperr.Errorf(apperr.EINVALID, "must be a date and time like \"2027-03-31T00:00:00Z\"")
	}
	return nil
}
