package input

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// RoleReviewForm is the page's form for a role review, as typed, so that a
// form with problems is shown again as it was. It lists every hazard of the
// role in the role's order, and against each every control the role
// recommends, and names their fields by place: h0_l is the first hazard's
// likelihood, h0_c1_status the status of the second control against it.
type RoleReviewForm struct {
	Headcount, Exposed, Screened, Interviews, Referrals, SignedOffBy, Teams string
	Hazards                                                                 []RoleHazardForm
	Cohorts                                                                 []CohortForm
	Carried                                                                 bool // ratings carried from an earlier edition
}

// CohortForm is one screening cohort of the role as typed; its fields are
// named co_<cohort>_<field>. A cohort left blank is not recorded.
type CohortForm struct {
	Cohort, Label                                    string
	Due, Screened, NoAction, Further, Referred, Last string
}

func (c CohortForm) blank() bool {
	return c.Due == "" && c.Screened == "" && c.NoAction == "" && c.Further == "" && c.Referred == "" && c.Last == ""
}

// RoleHazardForm is one hazard of the form, with a local control and a
// residual rating set by hand, both optional.
type RoleHazardForm struct {
	Index                        int
	Hazard                       frameworks.Hazard
	L, S, Rationale              string
	OverrideL, OverrideS, Reason string
	Controls                     []RoleControlForm
	LocalName, LocalL, LocalS    string
	LocalStatus                  string
}

// RoleControlForm is a recommended control against a hazard; no status is
// "not used".
type RoleControlForm struct {
	Index              int
	Control            frameworks.Control
	Status, Owner, Due string
}

// NewRoleReviewForm is the form as first shown: the current version, or
// the catalogue's usual ratings for a role not yet assessed (cur is nil).
func NewRoleReviewForm(m *frameworks.RiskModel, role frameworks.Role, cur *store.RoleAssessment) RoleReviewForm {
	var f RoleReviewForm
	byHazard := map[string]store.HazardRating{}
	if cur != nil {
		f.Headcount, f.Exposed, f.Screened = strconv.Itoa(cur.Headcount), strconv.Itoa(cur.ExposedHeadcount), strconv.Itoa(cur.PeopleScreened)
		f.Interviews, f.Referrals, f.SignedOffBy, f.Teams = strconv.Itoa(cur.StructuredInterviews), strconv.Itoa(cur.Referrals), cur.SignedOffBy, cur.Teams
		for _, h := range cur.Hazards {
			byHazard[h.HazardID] = h
		}
	}
	for i, rh := range role.Hazards {
		hz, _ := m.Hazard(rh.Hazard)
		hf := RoleHazardForm{Index: i, Hazard: hz, L: strconv.Itoa(rh.Likelihood), S: strconv.Itoa(rh.Severity), LocalStatus: frameworks.ControlPlanned}
		prev, had := byHazard[rh.Hazard]
		if had {
			hf.L, hf.S, hf.Rationale = strconv.Itoa(prev.InherentL), strconv.Itoa(prev.InherentS), prev.Rationale
			if prev.OverrideRationale != "" {
				hf.OverrideL, hf.OverrideS, hf.Reason = strconv.Itoa(prev.ResidualL), strconv.Itoa(prev.ResidualS), prev.OverrideRationale
			}
		}
		for j, ct := range m.ControlsFor(role, rh.Hazard) { // only controls that act on this hazard
			cid := ct.ID
			cf := RoleControlForm{Index: j, Control: ct}
			for _, pc := range prev.Controls {
				if pc.ControlID == cid {
					cf.Status, cf.Owner = pc.Status, pc.Owner
					if pc.DueOn != nil {
						cf.Due = pc.DueOn.Format(time.DateOnly)
					}
				}
			}
			hf.Controls = append(hf.Controls, cf)
		}
		for _, pc := range prev.Controls {
			if pc.ControlID == "" { // the hazard's local control
				hf.LocalName, hf.LocalL, hf.LocalS, hf.LocalStatus = pc.LocalName, strconv.Itoa(pc.LikelihoodReduction), strconv.Itoa(pc.SeverityReduction), pc.Status
			}
		}
		f.Hazards = append(f.Hazards, hf)
	}
	prevCohorts := map[string]store.ScreeningCohort{}
	if cur != nil {
		for _, co := range cur.Cohorts {
			prevCohorts[co.Cohort] = co
		}
	}
	for _, name := range frameworks.RoleCohorts(role) {
		cf := CohortForm{Cohort: name, Label: frameworks.CohortLabels[name]}
		if co, ok := prevCohorts[name]; ok {
			cf.Due, cf.Screened = strconv.Itoa(co.PeopleDue), strconv.Itoa(co.Screened)
			cf.NoAction, cf.Further, cf.Referred = strconv.Itoa(co.NoFurtherAction), strconv.Itoa(co.FurtherAssessment), strconv.Itoa(co.Referred)
			if co.LastScreenedOn != nil {
				cf.Last = co.LastScreenedOn.Format(time.DateOnly)
			}
		}
		f.Cohorts = append(f.Cohorts, cf)
	}
	return f
}

// Posted is the form as first shown with what was posted over it. A local
// control's reductions and status are read only when it is named.
func (f RoleReviewForm) Posted(value func(name string) string) RoleReviewForm {
	value = WithDates(value) // the due and last screening dates
	raw := func(name string) string { return strings.Clone(value(name)) }
	text := func(name string) string { return strings.TrimSpace(raw(name)) }
	f.Headcount, f.Exposed, f.Screened = text("headcount"), text("exposed"), text("screened")
	f.Interviews, f.Referrals, f.SignedOffBy, f.Teams = text("interviews"), text("referrals"), text("signed_off_by"), text("teams")
	f.Hazards = slices.Clone(f.Hazards)
	for i := range f.Hazards {
		hf := &f.Hazards[i]
		p := "h" + strconv.Itoa(i) + "_"
		hf.L, hf.S, hf.Rationale = raw(p+"l"), raw(p+"s"), text(p+"rationale")
		hf.OverrideL, hf.OverrideS, hf.Reason = raw(p+"override_l"), raw(p+"override_s"), text(p+"reason")
		hf.Controls = slices.Clone(hf.Controls)
		for j := range hf.Controls {
			cf := &hf.Controls[j]
			q := p + "c" + strconv.Itoa(j) + "_"
			cf.Status, cf.Owner, cf.Due = raw(q+"status"), text(q+"owner"), text(q+"due")
		}
		if hf.LocalName = text(p + "local_name"); hf.LocalName != "" {
			hf.LocalL, hf.LocalS, hf.LocalStatus = raw(p+"local_l"), raw(p+"local_s"), raw(p+"local_status")
		}
	}
	f.Cohorts = slices.Clone(f.Cohorts)
	for i := range f.Cohorts {
		c := &f.Cohorts[i]
		p := "co_" + c.Cohort + "_"
		c.Due, c.Screened, c.NoAction = text(p+"due"), text(p+"screened"), text(p+"nfa")
		c.Further, c.Referred, c.Last = text(p+"further"), text(p+"referred"), text(p+"last")
	}
	return f
}

// Check reads the form as a review of the role to sign off and checks it;
// each problem comes back under the form's name for its field.
func (f RoleReviewForm) Check(m *frameworks.RiskModel, role frameworks.Role) (RoleReview, []views.FieldError) {
	return f.check(m, role, false)
}

// CheckDraft reads the form as a review saved part way: a count left blank
// is none yet, and only what is there and wrong is refused.
func (f RoleReviewForm) CheckDraft(m *frameworks.RiskModel, role frameworks.Role) (RoleReview, []views.FieldError) {
	return f.check(m, role, true)
}

func (f RoleReviewForm) check(m *frameworks.RiskModel, role frameworks.Role, draft bool) (RoleReview, []views.FieldError) {
	count := formCount
	if draft {
		count = formBlankZero
	}
	in := RoleReview{Teams: f.Teams, SignedOffBy: f.SignedOffBy,
		Headcount: count(f.Headcount), ExposedHeadcount: count(f.Exposed), PeopleScreened: count(f.Screened),
		StructuredInterviews: count(f.Interviews), Referrals: count(f.Referrals)}
	if draft {
		for name, typed := range map[string]string{"headcount": f.Headcount, "exposed_headcount": f.Exposed,
			"people_screened": f.Screened, "structured_interviews": f.Interviews, "referrals": f.Referrals} {
			if typed == "" {
				in.BlankCounts = append(in.BlankCounts, name)
			}
		}
		slices.Sort(in.BlankCounts) // the same draft stores the same way
	}
	names := map[string]string{} // the form's name of each field the API names
	for i, hf := range f.Hazards {
		at, p := "hazards["+strconv.Itoa(i)+"]", "h"+strconv.Itoa(i)+"_"
		h := HazardReview{HazardID: role.Hazards[i].Hazard, Likelihood: formLevel(hf.L), Severity: formLevel(hf.S), Rationale: hf.Rationale}
		for field, name := range map[string]string{"likelihood": "l", "severity": "s", "rationale": "rationale",
			"residual_override": "reason", "residual_override.likelihood": "override_l", "residual_override.severity": "override_s"} {
			names[at+"."+field] = p + name
		}
		for j, cf := range hf.Controls {
			if cf.Status == "" {
				continue // not used against this hazard
			}
			ct := at + ".controls[" + strconv.Itoa(len(h.Controls)) + "]"
			q := p + "c" + strconv.Itoa(j) + "_"
			names[ct+".status"], names[ct+".due_on"] = q+"status", q+"due"
			h.Controls = append(h.Controls, ControlReview{ControlID: cf.Control.ID, Status: cf.Status, Owner: cf.Owner, DueOn: &cf.Due})
		}
		if hf.LocalName != "" {
			ct := at + ".controls[" + strconv.Itoa(len(h.Controls)) + "]"
			names[ct+".likelihood_reduction"], names[ct+".severity_reduction"], names[ct+".status"] = p+"local_l", p+"local_s", p+"local_status"
			h.Controls = append(h.Controls, ControlReview{LocalName: hf.LocalName, Status: hf.LocalStatus,
				LikelihoodReduction: formReduction(hf.LocalL), SeverityReduction: formReduction(hf.LocalS)})
		}
		if hf.OverrideL != "" || hf.OverrideS != "" {
			h.ResidualOverride = &ResidualOverride{Likelihood: formLevel(hf.OverrideL), Severity: formLevel(hf.OverrideS), Rationale: hf.Reason}
		}
		in.Hazards = append(in.Hazards, h)
	}
	for _, c := range f.Cohorts {
		if c.blank() {
			continue
		}
		at, p := "cohorts["+strconv.Itoa(len(in.Cohorts))+"]", "co_"+c.Cohort+"_"
		for field, name := range map[string]string{"cohort": "due", "people_due": "due", "screened": "screened", "no_further_action": "nfa",
			"further_assessment": "further", "referred": "referred", "last_screened_on": "last"} {
			names[at+"."+field] = p + name
		}
		names[at] = p + "referred"
		last := c.Last
		if draft && c.Due == "" {
			in.BlankCounts = append(in.BlankCounts, at+".people_due")
		}
		in.Cohorts = append(in.Cohorts, CohortReview{Cohort: c.Cohort, PeopleDue: count(c.Due), Screened: formBlankZero(c.Screened),
			NoFurtherAction: formBlankZero(c.NoAction), FurtherAssessment: formBlankZero(c.Further), Referred: formBlankZero(c.Referred), LastScreenedOn: &last})
	}
	ps := in.validate(m, role, draft)
	errs := make([]views.FieldError, len(ps))
	for i, p := range ps {
		name, ok := names[p.Field]
		if !ok {
			name = formName(reflect.TypeFor[RoleReview](), p.Field)
		}
		errs[i] = views.FieldError{Field: name, Message: p.Message}
	}
	return in, errs
}

// formCount reads a count as typed; anything but a whole number is -1,
// which every count refuses.
func formCount(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// formLevel reads a level as chosen: blank is none (0); anything but a
// level from 1 up is -1, which every scale refuses.
func formLevel(v string) int {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 1 {
		return n
	}
	return -1
}

// formBlankZero reads an outcome count: blank is none.
func formBlankZero(v string) int {
	if v == "" {
		return 0
	}
	return formCount(v)
}

// formReduction reads a local control's reduction: blank is none.
func formReduction(v string) int {
	if v == "" {
		return 0
	}
	return formCount(v)
}

// DraftReviewForm is the form as a draft left it: every rating, control,
// reason and count saved so far, and levels not yet chosen left unchosen.
func DraftReviewForm(m *frameworks.RiskModel, role frameworks.Role, in RoleReview) RoleReviewForm {
	var ra store.RoleAssessment
	in.Apply(m, &ra)
	f := NewRoleReviewForm(m, role, &ra)
	for i := range f.Hazards {
		hf := &f.Hazards[i]
		j := slices.IndexFunc(in.Hazards, func(h HazardReview) bool { return h.HazardID == hf.Hazard.ID })
		if j < 0 {
			continue
		}
		h := in.Hazards[j]
		hf.L, hf.S = levelText(h.Likelihood), levelText(h.Severity)
		hf.OverrideL, hf.OverrideS, hf.Reason = "", "", ""
		if o := h.ResidualOverride; o != nil { // kept even before its reason is given
			hf.OverrideL, hf.OverrideS, hf.Reason = levelText(o.Likelihood), levelText(o.Severity), trimmed(o.Rationale)
		}
	}
	for _, name := range in.BlankCounts {
		f.clearCount(name, in.Cohorts)
	}
	return f
}

// clearCount shows a count a draft left blank as blank again, not 0.
func (f *RoleReviewForm) clearCount(name string, cohorts []CohortReview) {
	switch name {
	case "headcount":
		f.Headcount = ""
	case "exposed_headcount":
		f.Exposed = ""
	case "people_screened":
		f.Screened = ""
	case "structured_interviews":
		f.Interviews = ""
	case "referrals":
		f.Referrals = ""
	default:
		var i int
		if _, err := fmt.Sscanf(name, "cohorts[%d].people_due", &i); err != nil || i < 0 || i >= len(cohorts) {
			return
		}
		for k := range f.Cohorts {
			if f.Cohorts[k].Cohort == cohorts[i].Cohort {
				f.Cohorts[k].Due = ""
			}
		}
	}
}

// levelText is a level as the form shows it: none chosen is blank.
func levelText(v int) string {
	if v == 0 {
		return ""
	}
	return strconv.Itoa(v)
}
