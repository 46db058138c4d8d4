package server

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/riskreview"
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

type reviewPage struct {
	Org        store.Organisation
	Role       frameworks.Role
	Model      *frameworks.Edition
	Form       input.RoleReviewForm
	Levels     []string
	StatusOpts []string
	Version    int
	OrgQuery   string
}

// riskRole finds the role named in the URL: from the current model's
// catalogue, or one of the organisation's own.
func (s *Server) riskRole(c *fiber.Ctx, org store.Organisation) (*frameworks.Edition, frameworks.Role, error) {
	model := s.riskModel()
	if model == nil {
		return nil, frameworks.Role{}, apperr.Errorf(apperr.ENOTFOUND, "No risk model is loaded.")
	}
	rid := c.Params("rid")
	if riskreview.IsLocal(rid) {
		locals, err := s.deps.Store.LocalRoles(c.UserContext(), scopeOf(currentUser(c)), org.ID)
		if err != nil {
			return nil, frameworks.Role{}, err
		}
		for _, lr := range locals {
			if lr.RoleID == rid {
				return model, riskreview.LocalRole(lr), nil
			}
		}
	} else if role, ok := model.RiskModel.Role(rid); ok {
		return model, role, nil
	}
	return nil, frameworks.Role{}, apperr.Errorf(apperr.ENOTFOUND, "There is no role %q in the risk model or among your organisation's own roles.", rid)
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
	var named bool
	if lr.RoleID, named = riskreview.LocalRoleID(lr.Name); !named {
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

// reviewView is the review page of the role named in the URL, its form as
// first shown.
func (s *Server) reviewView(c *fiber.Ctx) (reviewPage, error) {
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
	page.Form = input.NewRoleReviewForm(model.RiskModel, role, cur)
	return page, nil
}

func (s *Server) showReview(c *fiber.Ctx) error {
	if !actorOf(currentUser(c)).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot change the role risk register. Ask your organisation's owner if you need to.")
	}
	page, err := s.reviewView(c)
	if err != nil {
		return err
	}
	return s.render(c, "risk_review", views.Page{Title: "Assess: " + page.Role.Name, BackLink: "/risk" + page.OrgQuery, Data: page})
}

// saveReview records a new version of a role's assessment, computing each
// hazard's residual rating and the role's band and dates from the model.
func (s *Server) saveReview(c *fiber.Ctx) error {
	if !actorOf(currentUser(c)).CanEditRiskRegister() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot change the role risk register. Ask your organisation's owner if you need to.")
	}
	page, err := s.reviewView(c)
	if err != nil {
		return err
	}
	page.Form = page.Form.Posted(func(name string) string { return c.FormValue(name) })
	in, errs := page.Form.Check(page.Model.RiskModel, page.Role)
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "risk_review", views.Page{Title: "Assess: " + page.Role.Name, BackLink: "/risk" + page.OrgQuery, Errors: errs, Data: page})
	}
	if _, err := s.recordReview(c, page.Model, page.Org, page.Role, in); err != nil {
		return err
	}
	return c.Redirect("/risk/roles/"+page.Role.ID+page.OrgQuery+flashSep(page.OrgQuery)+"saved=1", fiber.StatusSeeOther)
}

// recordReview saves a checked review as the role's new version, with
// what follows from its ratings worked out under the model: the page and
// the API both save this way.
func (s *Server) recordReview(c *fiber.Ctx, model *frameworks.Edition, org store.Organisation, role frameworks.Role, in input.RoleReview) (store.RoleAssessment, error) {
	ra := store.RoleAssessment{OrganisationID: org.ID, RoleID: role.ID, ModelKey: model.Key, ModelVersion: model.Version, ModelSHA256: model.SHA256}
	in.Apply(model.RiskModel, &ra)
	riskreview.Finish(model.RiskModel, &ra, s.deps.Store.Now())
	return s.deps.Store.SaveRoleAssessment(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), ra)
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

type comparePage struct {
	Org      store.Organisation
	Role     frameworks.Role
	From, To int
	Changes  []riskreview.Change
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
	m := s.deps.Frameworks.RiskModel(b.ModelKey, b.ModelVersion)
	page := comparePage{Org: org, Role: role, From: a.Version, To: b.Version, Changes: riskreview.Changes(a, b, m), OrgQuery: orgQuery(c, org)}
	return s.render(c, "risk_compare", views.Page{Title: "Compare versions: " + role.Name, BackLink: "/risk/roles/" + role.ID + page.OrgQuery, Data: page})
}
