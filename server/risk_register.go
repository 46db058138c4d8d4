package server

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/riskreview"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type registerPage struct {
	Org                           store.Organisation
	Rows                          []reporting.RegisterRow
	CanEdit                       bool
	RoleOptions                   []Option // roles of the organisation's sector not yet on the register
	OtherRoleOptions              []Option // roles of other sectors, offered behind a choice
	Groups                        []groupFigures
	HazardOptions, ControlOptions []Option // for defining a local role
	Sort, Band                    string
	Cell                          string // e.g. "residual-4-3": only the roles in that heat map cell
	Notice                        string // whose wording the risk model is
	BandOptions                   []Option
	Summary                       riskSummary
	Drafts                        []draftRow // reviews saved part way: in no figure
	OrgQuery                      string
}

// draftRow is a role whose review was saved part way and not signed off.
type draftRow struct {
	store.RoleReviewDraft
	RoleName string
}

// groupFigures are the register's figures for one of the trauma
// guidance's three groups of roles.
type groupFigures struct {
	Key, Label             string
	Roles, Headcount, High int
	Screened               reporting.ShownCount
}

type riskSummary struct {
	Roles, Headcount, PlannedControls int
	Screening                         reporting.Screening
	// ScreenedShown is Screening.Screened as this person may see it: under
	// 5 it is withheld from those who may not edit the register.
	ScreenedShown reporting.ShownCount
}

// register loads an organisation's current role assessments with what the
// register shows for each.
func (s *Server) register(c *fiber.Ctx, org store.Organisation) ([]reporting.RegisterRow, error) {
	return s.reports.RegisterRows(c.UserContext(), scopeOf(currentUser(c)), org.ID)
}

func (s *Server) showRegister(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
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
	exact := actorOf(u).SeesExactScreeningCounts()
	page := registerPage{Org: org, CanEdit: actorOf(u).CanEditRiskRegister(), Sort: c.Query("sort", "band"), Band: c.Query("band"), OrgQuery: orgQuery(c, org)}
	for i, r := range rows {
		rows[i].Screened = reporting.Show(r.PeopleScreened, exact)
		for _, h := range r.Hazards {
			for _, ct := range h.Controls {
				if ct.Status != frameworks.ControlInPlace {
					page.Summary.PlannedControls++
				}
			}
		}
		page.Summary.Roles++
		page.Summary.Headcount += r.Headcount
	}
	page.Summary.Screening = s.reports.ScreeningNow(rows)
	page.Summary.ScreenedShown = reporting.Show(page.Summary.Screening.Screened, exact)
	page.Groups = registerGroups(rows, exact)
	all := slices.Clone(rows) // the roles offered to assess are those on no row, filtered or not
	if page.Band != "" {
		rows = slices.DeleteFunc(rows, func(r reporting.RegisterRow) bool { return r.OverallBand != page.Band })
	}
	if m := s.riskModel(); m != nil && c.Query("cell") != "" {
		if grid, l, sv, ok := parseCell(c.Query("cell")); ok {
			page.Cell = c.Query("cell")
			rows = slices.DeleteFunc(rows, func(r reporting.RegisterRow) bool {
				rating, ok := reporting.RoleCell(m.RiskModel, r.RoleAssessment, grid == "residual")
				return !ok || rating != (frameworks.Rating{Likelihood: l, Severity: sv})
			})
		}
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
	if page.Drafts, err = s.draftRows(c, org); err != nil {
		return err
	}
	if m := s.riskModel(); m != nil {
		page.Notice = m.ContentNotice()
		page.BandOptions = []Option{{Value: "", Label: "All bands"}}
		for _, b := range m.RiskModel.Bands {
			page.BandOptions = append(page.BandOptions, Option{Value: b.Key, Label: b.Label, Selected: b.Key == page.Band})
		}
		for _, r := range m.RiskModel.Roles {
			if slices.ContainsFunc(all, func(x reporting.RegisterRow) bool { return x.RoleID == r.ID }) {
				continue
			}
			if frameworks.InSector(r.Sectors, org.Sector) {
				page.RoleOptions = append(page.RoleOptions, Option{Value: r.ID, Label: r.Name})
			} else {
				page.OtherRoleOptions = append(page.OtherRoleOptions, Option{Value: r.ID, Label: r.Name + " (" + strings.Join(r.Sectors, ", ") + ")"})
			}
		}
		for _, h := range m.RiskModel.Hazards {
			if len(h.Sectors) == 0 || frameworks.InSector(h.Sectors, org.Sector) {
				page.HazardOptions = append(page.HazardOptions, Option{Value: h.ID, Label: h.Name})
			}
		}
		for _, ct := range m.RiskModel.Controls {
			page.ControlOptions = append(page.ControlOptions, Option{Value: ct.ID, Label: ct.Name})
		}
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "risk_register", views.Page{Title: "Role risk register: " + org.Name, Flash: banner(c), Errors: errs, Data: page})
}

// parseCell reads a heat map cell as linked: grid-likelihood-severity.
func parseCell(v string) (grid string, l, sv int, ok bool) {
	parts := strings.Split(v, "-")
	if len(parts) != 3 || parts[0] != "residual" && parts[0] != "inherent" {
		return "", 0, 0, false
	}
	l, errL := strconv.Atoi(parts[1])
	sv, errS := strconv.Atoi(parts[2])
	return parts[0], l, sv, errL == nil && errS == nil
}

// registerGroups sums the register by the trauma guidance's three groups;
// roles with no group (local ones, or of an edition without groups) are
// left out. Screened counts under 5 are shown as "fewer than 5" unless the
// reader may see exact counts.
func registerGroups(rows []reporting.RegisterRow, exact bool) []groupFigures {
	var out []groupFigures
	for _, g := range frameworks.TraumaGroups {
		gf := groupFigures{Key: g, Label: frameworks.TraumaGroupLabels[g]}
		screened := 0
		for _, r := range rows {
			if r.Group != g {
				continue
			}
			gf.Roles++
			gf.Headcount += r.Headcount
			screened += r.PeopleScreened
			if r.Band.Rank >= 3 {
				gf.High += r.Headcount
			}
		}
		gf.Screened = reporting.Show(screened, exact)
		out = append(out, gf)
	}
	return out
}

// assessRole takes the register's "assess another role" choice to its form.
func (s *Server) assessRole(c *fiber.Ctx) error {
	model := s.riskModel()
	if model == nil {
		return fiber.ErrNotFound
	}
	role, ok := model.RiskModel.Role(c.Query("role", c.Query("role_other")))
	if !ok {
		return apperr.Errorf(apperr.ENOTFOUND, "Choose a role from the list.")
	}
	q := ""
	if org := c.Query("org"); org != "" {
		q = "?org=" + urlQueryEscape(org)
	}
	return c.Redirect("/risk/roles/"+role.ID+"/review"+q, fiber.StatusSeeOther)
}

// createLocalRole defines a role of the organisation's own and opens its
// assessment form.
func (s *Server) createLocalRole(c *fiber.Ctx) error {
	if err := mayEditRiskRegister(c); err != nil {
		return err
	}
	org, err := s.orgInView(c)
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
	if _, err := s.deps.Store.CreateLocalRole(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), lr); err != nil {
		if code := apperr.Code(err); code != apperr.EINVALID && code != apperr.ECONFLICT {
			return err
		}
		return s.renderRegister(c, org, []views.FieldError{{Field: "local_name", Message: apperr.Message(err)}})
	}
	return c.Redirect("/risk/roles/"+lr.RoleID+"/review"+orgQuery(c, org), fiber.StatusSeeOther)
}

// draftRows are the organisation's drafts, each named as its role.
func (s *Server) draftRows(c *fiber.Ctx, org store.Organisation) ([]draftRow, error) {
	drafts, err := s.deps.Store.RoleReviewDrafts(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return nil, err
	}
	out := make([]draftRow, 0, len(drafts))
	if len(drafts) == 0 {
		return out, nil
	}
	locals, err := s.deps.Store.LocalRoles(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range drafts {
		row := draftRow{RoleReviewDraft: d, RoleName: d.RoleID}
		for _, lr := range locals {
			if lr.RoleID == d.RoleID {
				row.RoleName = lr.Name + " (local role)"
			}
		}
		if m := s.deps.Frameworks.RiskModel(d.ModelKey, d.ModelVersion); m != nil {
			if role, ok := m.Role(d.RoleID); ok {
				row.RoleName = role.Name
			}
		}
		out = append(out, row)
	}
	return out, nil
}
