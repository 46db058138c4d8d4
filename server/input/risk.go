package input

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/riskreview"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// RoleReview is a new version of a role's risk assessment: its counts, and
// the hazards rated, each with the controls against it. The hazards, the
// controls and the scales are the risk model's, so Validate takes the model
// and the role. The page's form names its hazards and controls by place
// (see RoleReviewForm); the form tags here are its other fields.
type RoleReview struct {
	Teams                string         `json:"teams" form:"teams"`
	Headcount            int            `json:"headcount" form:"headcount"`
	ExposedHeadcount     int            `json:"exposed_headcount" form:"exposed"`
	PeopleScreened       int            `json:"people_screened" form:"screened"`
	StructuredInterviews int            `json:"structured_interviews" form:"interviews"`
	Referrals            int            `json:"referrals" form:"referrals"`
	SignedOffBy          string         `json:"signed_off_by" form:"signed_off_by"`
	Hazards              []HazardReview `json:"hazards"`
	Cohorts              []CohortReview `json:"cohorts"`
	// BlankCounts names, in a draft, the counts left blank (headcount,
	// cohorts[0].people_due...), which read as 0 but show blank again when
	// the draft is offered back. Signing off ignores it.
	BlankCounts []string `json:"blank_counts,omitempty" form:"-"`
}

// CohortReview is the screening of one cohort of the role, as counts.
type CohortReview struct {
	Cohort            string  `json:"cohort"`
	PeopleDue         int     `json:"people_due"`
	Screened          int     `json:"screened"`
	NoFurtherAction   int     `json:"no_further_action"`
	FurtherAssessment int     `json:"further_assessment"`
	Referred          int     `json:"referred"`
	LastScreenedOn    *string `json:"last_screened_on"` // periodic cohort: the day of the last screening round
}

// HazardReview is one hazard of the role, rated before controls.
type HazardReview struct {
	HazardID         string            `json:"hazard_id"`
	Likelihood       int               `json:"likelihood"`
	Severity         int               `json:"severity"`
	Rationale        string            `json:"rationale"` // why the rating differs from the catalogue's
	Controls         []ControlReview   `json:"controls"`
	ResidualOverride *ResidualOverride `json:"residual_override"`
}

// ControlReview is a control against a hazard: one of the catalogue's, or
// a local one named here with the reductions it gives.
type ControlReview struct {
	ControlID           string  `json:"control_id"`
	LocalName           string  `json:"local_name"`
	Status              string  `json:"status"`
	Owner               string  `json:"owner"`
	DueOn               *string `json:"due_on"`
	LikelihoodReduction int     `json:"likelihood_reduction"` // local controls only; catalogue ones take the catalogue's
	SeverityReduction   int     `json:"severity_reduction"`
}

// ResidualOverride is a residual rating set by hand rather than worked out
// from the controls; it needs a reason.
type ResidualOverride struct {
	Likelihood int    `json:"likelihood"`
	Severity   int    `json:"severity"`
	Rationale  string `json:"rationale"`
}

const (
	maxRoleCount      = 100_000 // people in a role, or screened, interviewed, referred
	maxLocalReduction = 2       // levels a local control may claim to take off, as the page says
)

// Validate checks a review to be signed off: complete and right.
func (in RoleReview) Validate(m *frameworks.RiskModel, role frameworks.Role) Problems {
	return in.validate(m, role, false)
}

// ValidateDraft checks a review saved part way: what is missing may stay
// missing (a level of 0 is not yet rated, no one has signed it off, a
// reason is still to come), but a value that is there and wrong is refused
// as it would be at sign-off, with its field named.
func (in RoleReview) ValidateDraft(m *frameworks.RiskModel, role frameworks.Role) Problems {
	return in.validate(m, role, true)
}

func (in RoleReview) validate(m *frameworks.RiskModel, role frameworks.Role, draft bool) Problems {
	var ps Problems
	for _, n := range []struct {
		field, label string
		v            int
	}{
		{"headcount", "People in the role", in.Headcount},
		{"exposed_headcount", "People exposed", in.ExposedHeadcount},
		{"people_screened", "People screened", in.PeopleScreened},
		{"structured_interviews", "Structured interviews", in.StructuredInterviews},
		{"referrals", "Referrals", in.Referrals},
	} {
		if n.v < 0 || n.v > maxRoleCount {
			ps.add(n.field, n.label+" must be a whole number from 0 to 100,000", n.field+" must be a whole number from 0 to 100,000")
		}
	}
	if trimmed(in.SignedOffBy) == "" && !draft {
		ps.add("signed_off_by", "Enter who signed this assessment off", "signed_off_by is required")
	}
	if len(in.Hazards) == 0 && !draft {
		ps.add("hazards", "Rate at least one hazard", "hazards must rate at least one of the role's hazards")
	}
	rated := map[string]bool{}
	for i, h := range in.Hazards {
		at := "hazards[" + strconv.Itoa(i) + "]"
		j := slices.IndexFunc(role.Hazards, func(rh frameworks.RoleHazard) bool { return rh.Hazard == h.HazardID })
		switch {
		case j < 0:
			ps.add(at+".hazard_id", "Choose a hazard of this role", at+".hazard_id: "+strconv.Quote(h.HazardID)+" is not a hazard of this role")
		case rated[h.HazardID]:
			ps.add(at+".hazard_id", hazardName(m, h.HazardID)+" is rated twice", at+".hazard_id: "+h.HazardID+" is rated twice")
		default:
			rated[h.HazardID] = true
			h.validate(&ps, at, m, role.Hazards[j], riskreview.IsLocal(role.ID), draft)
			for k, ct := range h.Controls {
				if cc, ok := m.Control(ct.ControlID); ok {
					if _, _, acts := cc.Reduction(h.HazardID); !acts {
						f := at + ".controls[" + strconv.Itoa(k) + "].control_id"
						ps.add(f, cc.Name+" does not act on "+hazardName(m, h.HazardID), f+": "+cc.ID+" does not mitigate "+h.HazardID)
					}
				}
			}
		}
	}
	in.validateCohorts(&ps, role, draft)
	// Checked only when all else is right, so that a mistyped count is
	// reported once; in a draft, only once the headcount is there.
	headcountIn := !draft || in.Headcount > 0
	if len(ps) == 0 && headcountIn && in.ExposedHeadcount > in.Headcount {
		ps.add("exposed_headcount", "People exposed cannot be more than the people in the role", "exposed_headcount cannot be more than headcount")
	}
	if len(ps) == 0 && headcountIn && in.PeopleScreened > in.Headcount {
		ps.add("people_screened", "People screened cannot be more than the people in the role", "people_screened cannot be more than headcount")
	}
	return ps
}

// validateCohorts checks the screening cohorts: the role's own, each once,
// counts within the role's headcount and outcomes within those screened.
func (in RoleReview) validateCohorts(ps *Problems, role frameworks.Role, draft bool) {
	allowed := frameworks.RoleCohorts(role)
	seen := map[string]bool{}
	for i, co := range in.Cohorts {
		at := "cohorts[" + strconv.Itoa(i) + "]"
		label := frameworks.CohortLabels[co.Cohort]
		switch {
		case !slices.Contains(allowed, co.Cohort):
			ps.add(at+".cohort", "Choose a screening cohort of this role", at+".cohort must be one of "+strings.Join(allowed, ", "))
			continue
		case seen[co.Cohort]:
			ps.add(at+".cohort", label+" is recorded twice", at+".cohort: "+co.Cohort+" is recorded twice")
			continue
		}
		seen[co.Cohort] = true
		bad := false
		for _, n := range []struct {
			field, what string
			v           int
		}{{"people_due", "people due", co.PeopleDue}, {"screened", "people screened", co.Screened}, {"no_further_action", "no further action", co.NoFurtherAction},
			{"further_assessment", "further assessment", co.FurtherAssessment}, {"referred", "referrals", co.Referred}} {
			if n.v < 0 || n.v > maxRoleCount {
				ps.add(at+"."+n.field, label+": "+n.what+" must be a whole number from 0 to 100,000", at+"."+n.field+" must be a whole number from 0 to 100,000")
				bad = true
			}
		}
		last, ok := controlDue(co.LastScreenedOn)
		if !ok {
			ps.add(at+".last_screened_on", label+": "+dateWrong("the last screening", co.LastScreenedOn, "must be a real date"), at+".last_screened_on must be a date like 2026-06-30")
		} else if last != nil && co.Cohort != frameworks.CohortPeriodic {
			ps.add(at+".last_screened_on", label+": only periodic screening has a last screening date", at+".last_screened_on is for the periodic cohort only")
		}
		if bad {
			continue
		}
		switch {
		case co.PeopleDue > in.Headcount && in.Headcount >= 0 && (!draft || in.Headcount > 0):
			ps.add(at+".people_due", label+": people due cannot be more than the people in the role", at+".people_due cannot be more than headcount")
		case co.Screened > co.PeopleDue:
			ps.add(at+".screened", label+": people screened cannot be more than the people due", at+".screened cannot be more than people_due")
		case co.NoFurtherAction+co.FurtherAssessment+co.Referred > co.Screened:
			ps.add(at+".referred", label+": the outcomes add up to more than the people screened", at+": no_further_action, further_assessment and referred add up to more than screened")
		}
	}
}

// validate checks a rating against the role's usual one for the hazard;
// a local role has none, so its ratings need no reason. In a draft a level
// of 0 is one not yet chosen, and the reason may come later.
func (h HazardReview) validate(ps *Problems, at string, m *frameworks.RiskModel, usual frameworks.RoleHazard, local, draft bool) {
	name := hazardName(m, h.HazardID)
	if !draft || h.Likelihood != 0 {
		onScale(ps, at+".likelihood", name+": likelihood", h.Likelihood, len(m.Likelihood))
	}
	if !draft || h.Severity != 0 {
		onScale(ps, at+".severity", name+": severity", h.Severity, len(m.Severity))
	}
	if !local && !draft && (h.Likelihood != usual.Likelihood || h.Severity != usual.Severity) && trimmed(h.Rationale) == "" {
		ps.add(at+".rationale", name+": say why the rating differs from the usual one for this role",
			at+".rationale is required: a rating that differs from the catalogue's needs a rationale")
	}
	for j, ct := range h.Controls {
		ct.validate(ps, at+".controls["+strconv.Itoa(j)+"]", m, draft)
	}
	if o := h.ResidualOverride; o != nil {
		at := at + ".residual_override"
		if o.Likelihood != 0 {
			onScale(ps, at+".likelihood", name+": residual likelihood", o.Likelihood, len(m.Likelihood))
		}
		if o.Severity != 0 {
			onScale(ps, at+".severity", name+": residual severity", o.Severity, len(m.Severity))
		}
		if !draft && (o.Likelihood == 0 || o.Severity == 0 || trimmed(o.Rationale) == "") {
			ps.add(at, name+": to set the residual rating yourself, give both levels and the reason",
				at+": needs likelihood and severity on the scales and a rationale")
		}
	}
}

func (ct ControlReview) validate(ps *Problems, at string, m *frameworks.RiskModel, draft bool) {
	name := trimmed(ct.LocalName)
	if ct.ControlID != "" {
		cc, ok := m.Control(ct.ControlID)
		if !ok {
			ps.add(at+".control_id", "Choose a control from the catalogue", at+".control_id: "+strconv.Quote(ct.ControlID)+" is not in the control catalogue")
		}
		name = cc.Name
	} else {
		if name == "" && !draft {
			ps.add(at+".local_name", "Name the local control", at+".local_name is required for a control not in the catalogue")
		}
		for _, r := range []struct {
			field, label string
			v            int
		}{{"likelihood_reduction", "likelihood reduction", ct.LikelihoodReduction}, {"severity_reduction", "severity reduction", ct.SeverityReduction}} {
			if r.v < 0 || r.v > maxLocalReduction {
				ps.add(at+"."+r.field, name+": "+r.label+" must be from 0 to 2", at+"."+r.field+" must be from 0 to 2")
			}
		}
	}
	if draft && ct.Status == "" {
		// no status chosen yet: only a date typed is checked
	} else if !slices.Contains(frameworks.ControlStatuses, ct.Status) {
		ps.add(at+".status", "Choose a status for "+name, at+".status must be one of "+strings.Join(frameworks.ControlStatuses, ", "))
		return // a control with no status has no due date to check
	}
	if _, ok := controlDue(ct.DueOn); !ok {
		ps.add(at+".due_on", name+": "+dateWrong("the due date", ct.DueOn, "must be a real date"), at+".due_on must be a date like 2027-03-31, or a date and time like 2027-03-31T00:00:00Z")
	}
}

// onScale checks a level on a scale of n levels.
func onScale(ps *Problems, field, label string, v, n int) {
	if v < 1 || v > n {
		ps.add(field, label+" must be from 1 to "+strconv.Itoa(n), field+" must be on the scale, from 1 to "+strconv.Itoa(n))
	}
}

func hazardName(m *frameworks.RiskModel, id string) string {
	if h, ok := m.Hazard(id); ok {
		return h.Name
	}
	return id
}

// controlDue reads a control's due date: a day like 2027-03-31, as the page
// sends it, or a time like 2027-03-31T00:00:00Z, as the API has always
// taken it. nil and blank are no date.
func controlDue(v *string) (due *time.Time, ok bool) {
	if blank(v) {
		return nil, true
	}
	s := trimmed(*v)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339, s)
	}
	return &t, err == nil
}

// Apply puts a valid review on a new version of the role's assessment.
// Catalogue controls take the catalogue's reductions; the residuals, band
// and dates are worked out after (riskreview.Finish).
func (in RoleReview) Apply(m *frameworks.RiskModel, ra *store.RoleAssessment) {
	ra.Teams, ra.SignedOffBy = trimmed(in.Teams), trimmed(in.SignedOffBy)
	ra.Headcount, ra.ExposedHeadcount, ra.PeopleScreened = in.Headcount, in.ExposedHeadcount, in.PeopleScreened
	ra.StructuredInterviews, ra.Referrals = in.StructuredInterviews, in.Referrals
	ra.Hazards = nil
	for _, h := range in.Hazards {
		rating := store.HazardRating{HazardID: h.HazardID, InherentL: h.Likelihood, InherentS: h.Severity, Rationale: trimmed(h.Rationale)}
		for _, ct := range h.Controls {
			rc := store.RoleControl{Status: ct.Status, Owner: trimmed(ct.Owner)}
			rc.DueOn, _ = controlDue(ct.DueOn)
			if ct.ControlID != "" {
				cc, _ := m.Control(ct.ControlID)
				rc.ControlID = cc.ID
				rc.LikelihoodReduction, rc.SeverityReduction, _ = cc.Reduction(h.HazardID)
			} else {
				rc.LocalName, rc.LikelihoodReduction, rc.SeverityReduction = trimmed(ct.LocalName), ct.LikelihoodReduction, ct.SeverityReduction
			}
			rating.Controls = append(rating.Controls, rc)
		}
		if o := h.ResidualOverride; o != nil {
			rating.ResidualL, rating.ResidualS, rating.OverrideRationale = o.Likelihood, o.Severity, trimmed(o.Rationale)
		}
		ra.Hazards = append(ra.Hazards, rating)
	}
	ra.Cohorts = nil
	for _, co := range in.Cohorts {
		sc := store.ScreeningCohort{Cohort: co.Cohort, PeopleDue: co.PeopleDue, Screened: co.Screened,
			NoFurtherAction: co.NoFurtherAction, FurtherAssessment: co.FurtherAssessment, Referred: co.Referred}
		sc.LastScreenedOn, _ = controlDue(co.LastScreenedOn)
		ra.Cohorts = append(ra.Cohorts, sc)
	}
}
