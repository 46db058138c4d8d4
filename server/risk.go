package server

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// riskModel is the newest psychological risk model loaded; new role
// assessments are made under it.
func (s *Server) riskModel() *frameworks.Edition { return s.deps.Frameworks.CurrentRiskModel() }

// riskOrg is the organisation whose register is shown: the person's own, or
// for a national admin the one named by ?org=.
func (s *Server) riskOrg(c *fiber.Ctx) (store.Organisation, error) {
	u := currentUser(c)
	id := int64(0)
	if u.OrganisationID != nil {
		id = *u.OrganisationID
	} else {
		id, _ = strconv.ParseInt(c.Query("org"), 10, 64)
	}
	return s.deps.Store.Organisation(c.UserContext(), scopeOf(u), id)
}

// orgQuery carries a national admin's choice of organisation from page to
// page; for everyone else the organisation is their own and it is empty.
func orgQuery(c *fiber.Ctx, org store.Organisation) string {
	if currentUser(c).OrganisationID == nil {
		return "?org=" + itoa(org.ID)
	}
	return ""
}

// roleHistory loads the organisation, the catalogue role named in the URL
// and every version of its assessment.
func (s *Server) roleHistory(c *fiber.Ctx) (store.Organisation, frameworks.Role, []store.RoleAssessment, error) {
	org, err := s.riskOrg(c)
	if err != nil {
		return org, frameworks.Role{}, nil, err
	}
	_, role, err := s.riskRole(c, org)
	if err != nil {
		return org, role, nil, err
	}
	hist, err := s.deps.Store.RoleHistory(c.UserContext(), scopeOf(currentUser(c)), org.ID, role.ID)
	return org, role, hist, err
}

type registerPage struct {
	Org                           store.Organisation
	Rows                          []reporting.RegisterRow
	CanEdit                       bool
	RoleOptions                   []Option // roles of the catalogue not yet on the register
	HazardOptions, ControlOptions []Option // for defining a local role
	Sort, Band                    string
	BandOptions                   []Option
	Summary                       riskSummary
	OrgQuery                      string
}

type riskSummary struct {
	PeopleHigh, Roles, Headcount, Screened, PlannedControls int
	Compliance                                              string
}

// register loads an organisation's current role assessments with what the
// register shows for each.
func (s *Server) register(c *fiber.Ctx, org store.Organisation) ([]reporting.RegisterRow, error) {
	return s.reports.RegisterRows(c.UserContext(), scopeOf(currentUser(c)), org)
}

func (s *Server) showRegister(c *fiber.Ctx) error {
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	return s.renderRegister(c, org, nil)
}

func (s *Server) renderRegister(c *fiber.Ctx, org store.Organisation, errs []views.FieldError) error {
	u := currentUser(c)
	rows, err := s.register(c, org)
	if err != nil {
		return err
	}
	page := registerPage{Org: org, CanEdit: actorOf(u).CanEditRiskRegister(), Sort: c.Query("sort", "band"), Band: c.Query("band"), OrgQuery: orgQuery(c, org)}
	for _, r := range rows {
		for _, h := range r.Hazards {
			for _, ct := range h.Controls {
				if ct.Status != frameworks.ControlInPlace {
					page.Summary.PlannedControls++
				}
			}
		}
		page.Summary.Roles++
		page.Summary.Headcount += r.Headcount
		page.Summary.Screened += r.PeopleScreened
		if r.Band.Rank >= 3 {
			page.Summary.PeopleHigh += r.Headcount
		}
	}
	page.Summary.Compliance = reporting.Percent(page.Summary.Screened, page.Summary.Headcount)
	if page.Band != "" {
		rows = slices.DeleteFunc(rows, func(r reporting.RegisterRow) bool { return r.OverallBand != page.Band })
	}
	sort.SliceStable(rows, func(i, j int) bool {
		switch page.Sort {
		case "review":
			return rows[i].NextReviewOn.Before(rows[j].NextReviewOn)
		case "role":
			return rows[i].RoleName < rows[j].RoleName
		default:
			return rows[i].Band.Rank > rows[j].Band.Rank
		}
	})
	page.Rows = rows
	if m := s.riskModel(); m != nil {
		page.BandOptions = []Option{{Value: "", Label: "All bands"}}
		for _, b := range m.RiskModel.Bands {
			page.BandOptions = append(page.BandOptions, Option{Value: b.Key, Label: b.Label, Selected: b.Key == page.Band})
		}
		for _, r := range m.RiskModel.Roles {
			if !slices.ContainsFunc(rows, func(x reporting.RegisterRow) bool { return x.RoleID == r.ID }) {
				page.RoleOptions = append(page.RoleOptions, Option{Value: r.ID, Label: r.Name})
			}
		}
		for _, h := range m.RiskModel.Hazards {
			page.HazardOptions = append(page.HazardOptions, Option{Value: h.ID, Label: h.Name})
		}
		for _, ct := range m.RiskModel.Controls {
			page.ControlOptions = append(page.ControlOptions, Option{Value: ct.ID, Label: ct.Name})
		}
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "risk_register", views.Page{Title: "Role risk register", Flash: flashFor(c), Errors: errs, Data: page})
}

// reviewForm is what the role assessment form holds, as typed.
type reviewForm struct {
	Headcount, Exposed, Screened, Interviews, Referrals, SignedOffBy, Teams string
	Hazards                                                                 []hazardForm
}

type hazardForm struct {
	Index                        int
	Hazard                       frameworks.Hazard
	L, S, Rationale              string
	OverrideL, OverrideS, Reason string
	Controls                     []controlForm
	LocalName, LocalL, LocalS    string
	LocalStatus                  string
}

type controlForm struct {
	Index              int
	Control            frameworks.Control
	Status, Owner, Due string
}

type reviewPage struct {
	Org        store.Organisation
	Role       frameworks.Role
	Model      *frameworks.Edition
	Form       reviewForm
	Levels     []string
	StatusOpts []string
	Version    int
	OrgQuery   string
}

// startingForm fills the form from the current version, or from the
// catalogue's baseline for a role not yet assessed.
func startingForm(m *frameworks.RiskModel, role frameworks.Role, cur *store.RoleAssessment) reviewForm {
	var f reviewForm
	byHazard := map[string]store.HazardRating{}
	if cur != nil {
		f.Headcount, f.Exposed, f.Screened = itoa(int64(cur.Headcount)), itoa(int64(cur.ExposedHeadcount)), itoa(int64(cur.PeopleScreened))
		f.Interviews, f.Referrals, f.SignedOffBy, f.Teams = itoa(int64(cur.StructuredInterviews)), itoa(int64(cur.Referrals)), cur.SignedOffBy, cur.Teams
		for _, h := range cur.Hazards {
			byHazard[h.HazardID] = h
		}
	}
	for i, rh := range role.Hazards {
		hz, _ := m.Hazard(rh.Hazard)
		hf := hazardForm{Index: i, Hazard: hz, L: strconv.Itoa(rh.Likelihood), S: strconv.Itoa(rh.Severity), LocalStatus: frameworks.ControlPlanned}
		prev, had := byHazard[rh.Hazard]
		if had {
			hf.L, hf.S, hf.Rationale = strconv.Itoa(prev.InherentL), strconv.Itoa(prev.InherentS), prev.Rationale
			if prev.OverrideRationale != "" {
				hf.OverrideL, hf.OverrideS, hf.Reason = strconv.Itoa(prev.ResidualL), strconv.Itoa(prev.ResidualS), prev.OverrideRationale
			}
		}
		for j, cid := range role.RecommendedControls {
			ct, _ := m.Control(cid)
			cf := controlForm{Index: j, Control: ct}
			for _, pc := range prev.Controls {
				if pc.ControlID == cid {
					cf.Status, cf.Owner = pc.Status, pc.Owner
					if pc.DueOn != nil {
						cf.Due = pc.DueOn.Format(dateLayout)
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
	return f
}

// localPrefix marks the ids of roles an organisation defines itself.
const localPrefix = "LOCAL-"

// localBaseline is where a local role's hazards start: the middle of the
// scales, since the catalogue has no usual rating for them.
const localBaseline = 3

// riskRole finds the role named in the URL: from the current model's
// catalogue, or one of the organisation's own.
func (s *Server) riskRole(c *fiber.Ctx, org store.Organisation) (*frameworks.Edition, frameworks.Role, error) {
	model := s.riskModel()
	if model == nil {
		return nil, frameworks.Role{}, apperr.Errorf(apperr.ENOTFOUND, "No risk model is loaded.")
	}
	rid := c.Params("rid")
	if strings.HasPrefix(rid, localPrefix) {
		locals, err := s.deps.Store.LocalRoles(c.UserContext(), scopeOf(currentUser(c)), org.ID)
		if err != nil {
			return nil, frameworks.Role{}, err
		}
		for _, lr := range locals {
			if lr.RoleID == rid {
				return model, localRole(lr), nil
			}
		}
	} else if role, ok := model.RiskModel.Role(rid); ok {
		return model, role, nil
	}
	return nil, frameworks.Role{}, apperr.Errorf(apperr.ENOTFOUND, "There is no role %q in the risk model or among your organisation's own roles.", rid)
}

// localRole presents an organisation's own role as a catalogue role.
func localRole(lr store.LocalRole) frameworks.Role {
	r := frameworks.Role{ID: lr.RoleID, Name: lr.Name, Description: "A role defined by your organisation.", RecommendedControls: lr.Controls}
	for _, h := range lr.Hazards {
		r.Hazards = append(r.Hazards, frameworks.RoleHazard{Hazard: h, Likelihood: localBaseline, Severity: localBaseline})
	}
	return r
}

// createLocalRole defines a role of the organisation's own and opens its
// assessment form.
func (s *Server) createLocalRole(c *fiber.Ctx) error {
	u := currentUser(c)
	if !actorOf(u).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot change the role risk register. Ask your organisation's owner if you need to.")
	}
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	model := s.riskModel()
	if model == nil {
		return fiber.ErrNotFound
	}
	args := c.Request().PostArgs()
	lr := store.LocalRole{OrganisationID: org.ID, Name: strings.TrimSpace(c.FormValue("local_name"))}
	for _, v := range args.PeekMulti("local_hazards") {
		if _, ok := model.RiskModel.Hazard(string(v)); ok {
			lr.Hazards = append(lr.Hazards, string(v))
		}
	}
	for _, v := range args.PeekMulti("local_controls") {
		if _, ok := model.RiskModel.Control(string(v)); ok {
			lr.Controls = append(lr.Controls, string(v))
		}
	}
	lr.RoleID = localPrefix + slugify(lr.Name)
	if lr.RoleID == localPrefix {
		lr.Name = "" // no letters or digits: refused below as unnamed
	}
	if _, err := s.deps.Store.CreateLocalRole(c.UserContext(), s.actor(c), scopeOf(u), lr); err != nil {
		if code := apperr.Code(err); code != apperr.EINVALID && code != apperr.ECONFLICT {
			return err
		}
		return s.renderRegister(c, org, []views.FieldError{{Field: "local_name", Message: apperr.Message(err)}})
	}
	return c.Redirect("/risk/roles/"+lr.RoleID+"/review"+orgQuery(c, org), fiber.StatusSeeOther)
}

// slugify keeps letters and digits of a name, joined by hyphens, upper case.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToUpper(name) {
		switch {
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func (s *Server) reviewView(c *fiber.Ctx, form *reviewForm) (reviewPage, error) {
	org, err := s.riskOrg(c)
	if err != nil {
		return reviewPage{}, err
	}
	model, role, err := s.riskRole(c, org)
	if err != nil {
		return reviewPage{}, err
	}
	page := reviewPage{Org: org, Role: role, Model: model, StatusOpts: frameworks.ControlStatuses, OrgQuery: orgQuery(c, org)}
	for _, l := range model.RiskModel.Likelihood {
		page.Levels = append(page.Levels, strconv.Itoa(l.Level))
	}
	hist, err := s.deps.Store.RoleHistory(c.UserContext(), scopeOf(currentUser(c)), org.ID, role.ID)
	if err != nil && apperr.Code(err) != apperr.ENOTFOUND {
		return reviewPage{}, err
	}
	var cur *store.RoleAssessment
	if len(hist) > 0 {
		cur, page.Version = &hist[0], hist[0].Version
	}
	if form == nil {
		f := startingForm(model.RiskModel, role, cur)
		form = &f
	}
	page.Form = *form
	return page, nil
}

func (s *Server) showReview(c *fiber.Ctx) error {
	if !actorOf(currentUser(c)).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot change the role risk register. Ask your organisation's owner if you need to.")
	}
	page, err := s.reviewView(c, nil)
	if err != nil {
		return err
	}
	return s.render(c, "risk_review", views.Page{Title: "Assess: " + page.Role.Name, BackLink: "/risk" + page.OrgQuery, Data: page})
}

// saveReview records a new version of a role's assessment, computing each
// hazard's residual rating and the role's band and dates from the model.
func (s *Server) saveReview(c *fiber.Ctx) error {
	u := currentUser(c)
	if !actorOf(u).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot change the role risk register. Ask your organisation's owner if you need to.")
	}
	page, err := s.reviewView(c, nil)
	if err != nil {
		return err
	}
	m := page.Model.RiskModel
	base := store.RoleAssessment{OrganisationID: page.Org.ID, RoleID: page.Role.ID, ModelKey: page.Model.Key, ModelVersion: page.Model.Version, ModelSHA256: page.Model.SHA256}
	form, ra, errs := readReviewForm(func(name string) string { return c.FormValue(name) }, m, page.Role, page.Form.Hazards, base)
	if len(errs) > 0 {
		page.Form = form
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "risk_review", views.Page{Title: "Assess: " + page.Role.Name, BackLink: "/risk" + page.OrgQuery, Errors: errs, Data: page})
	}
	finishRoleAssessment(m, &ra, s.deps.Store.Now())
	if _, err := s.deps.Store.SaveRoleAssessment(c.UserContext(), s.actor(c), scopeOf(u), ra); err != nil {
		return err
	}
	return c.Redirect("/risk/roles/"+page.Role.ID+page.OrgQuery+flashSep(page.OrgQuery)+"saved=1", fiber.StatusSeeOther)
}

// readReviewForm reads the role assessment form against the model and the
// role: what was typed, to show again, the assessment it makes, and a
// problem for each field that is wrong. hazards is the form as first shown.
func readReviewForm(value func(name string) string, m *frameworks.RiskModel, role frameworks.Role, hazards []hazardForm, base store.RoleAssessment) (reviewForm, store.RoleAssessment, []views.FieldError) {
	var errs []views.FieldError
	count := func(field, label string) (string, int) {
		v := strings.TrimSpace(value(field))
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100_000 {
			errs = append(errs, views.FieldError{Field: field, Message: label + " must be a whole number from 0 to 100,000"})
		}
		return v, n
	}
	level := func(field, label string, max int, optional bool) (string, int) {
		v := value(field)
		if v == "" && optional {
			return "", 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max {
			errs = append(errs, views.FieldError{Field: field, Message: label + " must be from 1 to " + strconv.Itoa(max)})
		}
		return v, n
	}
	form := reviewForm{SignedOffBy: strings.TrimSpace(value("signed_off_by")), Teams: strings.TrimSpace(value("teams"))}
	ra := base
	ra.SignedOffBy, ra.Teams = form.SignedOffBy, form.Teams
	form.Headcount, ra.Headcount = count("headcount", "People in the role")
	form.Exposed, ra.ExposedHeadcount = count("exposed", "People exposed")
	form.Screened, ra.PeopleScreened = count("screened", "People screened")
	form.Interviews, ra.StructuredInterviews = count("interviews", "Structured interviews")
	form.Referrals, ra.Referrals = count("referrals", "Referrals")
	if form.SignedOffBy == "" {
		errs = append(errs, views.FieldError{Field: "signed_off_by", Message: "Enter who signed this assessment off"})
	}
	for i, hf := range hazards {
		p := "h" + strconv.Itoa(i) + "_"
		hf.Rationale, hf.Reason, hf.LocalName = strings.TrimSpace(value(p+"rationale")), strings.TrimSpace(value(p+"reason")), strings.TrimSpace(value(p+"local_name"))
		var inherent frameworks.Rating
		hf.L, inherent.Likelihood = level(p+"l", hf.Hazard.Name+": likelihood", len(m.Likelihood), false)
		hf.S, inherent.Severity = level(p+"s", hf.Hazard.Name+": severity", len(m.Severity), false)
		rh := role.Hazards[i]
		local := strings.HasPrefix(role.ID, localPrefix)
		if !local && (inherent.Likelihood != rh.Likelihood || inherent.Severity != rh.Severity) && hf.Rationale == "" {
			errs = append(errs, views.FieldError{Field: p + "rationale", Message: hf.Hazard.Name + ": say why the rating differs from the usual one for this role"})
		}
		rating := store.HazardRating{HazardID: hf.Hazard.ID, InherentL: inherent.Likelihood, InherentS: inherent.Severity, Rationale: hf.Rationale}
		for j := range hf.Controls {
			cf := &hf.Controls[j]
			q := p + "c" + strconv.Itoa(j) + "_"
			cf.Status, cf.Owner, cf.Due = value(q+"status"), strings.TrimSpace(value(q+"owner")), strings.TrimSpace(value(q+"due"))
			if cf.Status == "" {
				continue // not used against this hazard
			}
			if !slices.Contains(frameworks.ControlStatuses, cf.Status) {
				errs = append(errs, views.FieldError{Field: q + "status", Message: "Choose a status for " + cf.Control.Name})
				continue
			}
			rc := store.RoleControl{ControlID: cf.Control.ID, Status: cf.Status, Owner: cf.Owner,
				LikelihoodReduction: cf.Control.LikelihoodReduction, SeverityReduction: cf.Control.SeverityReduction}
			if cf.Due != "" {
				due, err := time.Parse(dateLayout, cf.Due)
				if err != nil {
					errs = append(errs, views.FieldError{Field: q + "due", Message: cf.Control.Name + ": enter the due date as a date"})
				}
				rc.DueOn = &due
			}
			rating.Controls = append(rating.Controls, rc)
		}
		if hf.LocalName != "" {
			var ll, ls int
			hf.LocalL, ll = level(p+"local_l", hf.LocalName+": likelihood reduction", 2, true)
			hf.LocalS, ls = level(p+"local_s", hf.LocalName+": severity reduction", 2, true)
			hf.LocalStatus = value(p + "local_status")
			if !slices.Contains(frameworks.ControlStatuses, hf.LocalStatus) {
				errs = append(errs, views.FieldError{Field: p + "local_status", Message: "Choose a status for " + hf.LocalName})
			}
			rating.Controls = append(rating.Controls, store.RoleControl{LocalName: hf.LocalName, Status: hf.LocalStatus, LikelihoodReduction: ll, SeverityReduction: ls})
		}
		hf.OverrideL, _ = level(p+"override_l", hf.Hazard.Name+": residual likelihood", len(m.Likelihood), true)
		hf.OverrideS, _ = level(p+"override_s", hf.Hazard.Name+": residual severity", len(m.Severity), true)
		if hf.OverrideL != "" || hf.OverrideS != "" {
			if hf.OverrideL == "" || hf.OverrideS == "" || hf.Reason == "" {
				errs = append(errs, views.FieldError{Field: p + "reason", Message: hf.Hazard.Name + ": to set the residual rating yourself, give both levels and the reason"})
			} else {
				rating.ResidualL, _ = strconv.Atoi(hf.OverrideL)
				rating.ResidualS, _ = strconv.Atoi(hf.OverrideS)
				rating.OverrideRationale = hf.Reason
			}
		}
		ra.Hazards = append(ra.Hazards, rating)
		form.Hazards = append(form.Hazards, hf)
	}
	if len(errs) == 0 && ra.ExposedHeadcount > ra.Headcount {
		errs = append(errs, views.FieldError{Field: "exposed", Message: "People exposed cannot be more than the people in the role"})
	}
	if len(errs) == 0 && ra.PeopleScreened > ra.Headcount {
		errs = append(errs, views.FieldError{Field: "screened", Message: "People screened cannot be more than the people in the role"})
	}
	return form, ra, errs
}

// finishRoleAssessment works out what follows from the ratings: each
// hazard's residual rating from its controls (unless set by hand with a
// reason), the role's band (its riskiest hazard's) and the review and
// screening dates from the band's intervals.
func finishRoleAssessment(m *frameworks.RiskModel, ra *store.RoleAssessment, now time.Time) {
	var residuals []frameworks.Rating
	for i := range ra.Hazards {
		h := &ra.Hazards[i]
		if h.OverrideRationale == "" {
			var applied []frameworks.AppliedControl
			for _, ct := range h.Controls {
				applied = append(applied, frameworks.AppliedControl{LikelihoodReduction: ct.LikelihoodReduction, SeverityReduction: ct.SeverityReduction, Status: ct.Status})
			}
			r := frameworks.Residual(frameworks.Rating{Likelihood: h.InherentL, Severity: h.InherentS}, applied)
			h.ResidualL, h.ResidualS = r.Likelihood, r.Severity
		}
		residuals = append(residuals, frameworks.Rating{Likelihood: h.ResidualL, Severity: h.ResidualS})
	}
	band, _ := m.Worst(residuals)
	ra.OverallBand, ra.ReviewedOn, ra.NextReviewOn, ra.NextScreeningOn = band.Key, now, band.NextReview(now), band.NextScreening(now)
}

func flashSep(query string) string {
	if query == "" {
		return "?"
	}
	return "&"
}

type roleHistoryPage struct {
	Org      store.Organisation
	Role     frameworks.Role
	Versions []roleVersion
	CanEdit  bool
	OrgQuery string
}

type roleVersion struct {
	store.RoleAssessment
	Band    frameworks.Band
	Hazards []hazardView
}

type hazardView struct {
	store.HazardRating
	Name, InherentBand, ResidualBand string
	Controls                         []string
}

// showRole shows a role's current assessment and every earlier version.
func (s *Server) showRole(c *fiber.Ctx) error {
	org, role, hist, err := s.roleHistory(c)
	if err != nil {
		return err
	}
	page := roleHistoryPage{Org: org, Role: role, CanEdit: actorOf(currentUser(c)).CanEditRiskRegister(), OrgQuery: orgQuery(c, org)}
	for _, ra := range hist {
		m := s.deps.Frameworks.RiskModel(ra.ModelKey, ra.ModelVersion)
		v := roleVersion{RoleAssessment: ra}
		for _, h := range ra.Hazards {
			hv := hazardView{HazardRating: h, Name: h.HazardID}
			if m != nil {
				if hz, ok := m.Hazard(h.HazardID); ok {
					hv.Name = hz.Name
				}
				ib, _ := m.Band(frameworks.Rating{Likelihood: h.InherentL, Severity: h.InherentS})
				rb, _ := m.Band(frameworks.Rating{Likelihood: h.ResidualL, Severity: h.ResidualS})
				hv.InherentBand, hv.ResidualBand = ib.Label, rb.Label
				if rb.Key == ra.OverallBand {
					v.Band = rb
				}
			}
			for _, ct := range h.Controls {
				name := ct.LocalName
				if m != nil && ct.ControlID != "" {
					if cc, ok := m.Control(ct.ControlID); ok {
						name = cc.Name
					}
				}
				desc := name + " (" + ct.Status
				if ct.Owner != "" {
					desc += ", " + ct.Owner
				}
				if ct.DueOn != nil && ct.Status != frameworks.ControlInPlace {
					desc += ", due " + ct.DueOn.Format("2 January 2006")
				}
				hv.Controls = append(hv.Controls, desc+")")
			}
			v.Hazards = append(v.Hazards, hv)
		}
		page.Versions = append(page.Versions, v)
	}
	return s.render(c, "risk_role", views.Page{Title: role.Name, BackLink: "/risk" + page.OrgQuery, Flash: flashFor(c), Data: page})
}

// assessRole takes the register's "assess another role" choice to its form.
func (s *Server) assessRole(c *fiber.Ctx) error {
	model := s.riskModel()
	if model == nil {
		return fiber.ErrNotFound
	}
	role, ok := model.RiskModel.Role(c.Query("role"))
	if !ok {
		return apperr.Errorf(apperr.ENOTFOUND, "Choose a role from the list.")
	}
	q := ""
	if org := c.Query("org"); org != "" {
		q = "?org=" + urlQueryEscape(org)
	}
	return c.Redirect("/risk/roles/"+role.ID+"/review"+q, fiber.StatusSeeOther)
}

type versionChange struct{ What, From, To string }

type comparePage struct {
	Org      store.Organisation
	Role     frameworks.Role
	From, To int
	Changes  []versionChange
	OrgQuery string
}

// compareVersions shows what changed between two versions of a role's
// assessment: counts, band, and each hazard's ratings and controls.
func (s *Server) compareVersions(c *fiber.Ctx) error {
	org, role, hist, err := s.roleHistory(c)
	if err != nil {
		return err
	}
	byVersion := map[int]store.RoleAssessment{}
	for _, v := range hist {
		byVersion[v.Version] = v
	}
	a, okA := byVersion[c.QueryInt("from")]
	b, okB := byVersion[c.QueryInt("to")]
	if !okA || !okB {
		return apperr.Errorf(apperr.ENOTFOUND, "Choose two versions of this role's assessment to compare.")
	}
	page := comparePage{Org: org, Role: role, From: a.Version, To: b.Version, OrgQuery: orgQuery(c, org)}
	add := func(what, from, to string) {
		if from != to {
			page.Changes = append(page.Changes, versionChange{what, from, to})
		}
	}
	add("Band", a.OverallBand, b.OverallBand)
	add("People in the role", strconv.Itoa(a.Headcount), strconv.Itoa(b.Headcount))
	add("People exposed", strconv.Itoa(a.ExposedHeadcount), strconv.Itoa(b.ExposedHeadcount))
	add("People screened", strconv.Itoa(a.PeopleScreened), strconv.Itoa(b.PeopleScreened))
	add("Risk model", a.ModelVersion, b.ModelVersion)
	hazards := func(ra store.RoleAssessment) map[string]store.HazardRating {
		m := map[string]store.HazardRating{}
		for _, h := range ra.Hazards {
			m[h.HazardID] = h
		}
		return m
	}
	ha, hb := hazards(a), hazards(b)
	m := s.deps.Frameworks.RiskModel(b.ModelKey, b.ModelVersion)
	name := func(id string) string {
		if m != nil {
			if h, ok := m.Hazard(id); ok {
				return h.Name
			}
		}
		return id
	}
	rating := func(h store.HazardRating, ok, residual bool) string {
		switch {
		case !ok:
			return "not assessed"
		case residual:
			return "L" + strconv.Itoa(h.ResidualL) + " × S" + strconv.Itoa(h.ResidualS)
		}
		return "L" + strconv.Itoa(h.InherentL) + " × S" + strconv.Itoa(h.InherentS)
	}
	controls := func(h store.HazardRating) string {
		var out []string
		for _, ct := range h.Controls {
			n := ct.LocalName
			if ct.ControlID != "" {
				n = ct.ControlID
			}
			out = append(out, n+" "+ct.Status)
		}
		return strings.Join(out, "; ")
	}
	for _, id := range unionKeys(ha, hb) {
		x, okX := ha[id]
		y, okY := hb[id]
		add(name(id)+": before controls", rating(x, okX, false), rating(y, okY, false))
		add(name(id)+": after controls", rating(x, okX, true), rating(y, okY, true))
		add(name(id)+": controls", controls(x), controls(y))
	}
	return s.render(c, "risk_compare", views.Page{Title: "Compare versions: " + role.Name, BackLink: "/risk/roles/" + role.ID + page.OrgQuery, Data: page})
}

func unionKeys(a, b map[string]store.HazardRating) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
