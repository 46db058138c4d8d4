package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

var sectorLabels = map[string]string{"police": "Police", "fire": "Fire and rescue", "ambulance": "Ambulance", "other": "Other"}

type orgForm struct {
	store.Organisation
	SectorOptions, NationOptions []Option
	Workforce                    []store.Workforce
	CanEdit                      bool
	WorkforceInput               workforceInput
}

// workforceInput keeps what was typed into the workforce form.
type workforceInput struct{ Year, Officers, Staff, Volunteers string }

func (s *Server) listOrganisations(c *fiber.Ctx) error {
	orgs, err := s.deps.Store.ListOrganisations(c.UserContext(), scopeOf(currentUser(c)))
	if err != nil {
		return err
	}
	return s.render(c, "organisations", views.Page{Title: "Organisations", Data: orgs})
}

func orgChoices(f *orgForm) {
	f.SectorOptions = nil
	for _, sct := range store.Sectors {
		f.SectorOptions = append(f.SectorOptions, Option{Value: sct, Label: sectorLabels[sct], Selected: sct == f.Sector})
	}
	f.NationOptions = nil
	for _, n := range store.Nations {
		f.NationOptions = append(f.NationOptions, Option{Value: n, Label: n, Selected: n == f.Nation})
	}
}

func (s *Server) newOrganisation(c *fiber.Ctx) error {
	f := orgForm{CanEdit: true}
	f.Nation = "England"
	orgChoices(&f)
	return s.render(c, "organisation_new", views.Page{Title: "Add an organisation", BackLink: "/organisations", Data: f})
}

// readOrgForm reads the organisation form onto o, which keeps what was
// typed to show it again.
func readOrgForm(c *fiber.Ctx, o *store.Organisation) *input.Form {
	f := readForm(c)
	var in input.Organisation
	f.Read(&in)
	in.Apply(o)
	return f
}

// orgFieldError turns the store's refusal of an organisation (invalid or a
// taken slug) into an error on the form field its message names.
func orgFieldError(err error) (views.FieldError, bool) {
	if code := apperr.Code(err); code != apperr.EINVALID && code != apperr.ECONFLICT {
		return views.FieldError{}, false
	}
	msg := apperr.Message(err)
	lower := strings.ToLower(msg)
	for _, f := range []string{"slug", "sector", "nation", "region", "peer"} {
		if strings.Contains(lower, f) {
			if f == "peer" {
				f = "peer_group"
			}
			return views.FieldError{Field: f, Message: msg}, true
		}
	}
	return views.FieldError{Field: "name", Message: msg}, true
}

func (s *Server) createOrganisation(c *fiber.Ctx) error {
	f := orgForm{CanEdit: true}
	form := readOrgForm(c, &f.Organisation)
	if len(form.Errs) == 0 {
		o, err := s.deps.Store.CreateOrganisation(c.UserContext(), s.actor(c), f.Organisation)
		if err == nil {
			return c.Redirect(doneURL("/organisations/"+itoa(o.ID), "changes"), fiber.StatusSeeOther)
		}
		fe, ok := orgFieldError(err)
		if !ok {
			return err
		}
		form.Errs = append(form.Errs, fe)
	}
	orgChoices(&f)
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "organisation_new", views.Page{Title: "Add an organisation", BackLink: "/organisations", Errors: form.Errs, Data: f})
}

func (s *Server) organisation(c *fiber.Ctx) (store.Organisation, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return store.Organisation{}, apperr.Errorf(apperr.ENOTFOUND, "There is no such organisation.")
	}
	return s.deps.Store.Organisation(c.UserContext(), scopeOf(currentUser(c)), id)
}

func (s *Server) showOrganisation(c *fiber.Ctx) error {
	o, err := s.organisation(c)
	if err != nil {
		return err
	}
	return s.renderOrganisation(c, orgForm{Organisation: o}, nil)
}

func (s *Server) renderOrganisation(c *fiber.Ctx, f orgForm, errs []views.FieldError) error {
	wf, err := s.deps.Store.Workforce(c.UserContext(), scopeOf(currentUser(c)), f.ID)
	if err != nil {
		return err
	}
	f.Workforce = wf
	f.CanEdit = currentUser(c).Role == store.RoleNationalAdmin
	orgChoices(&f)
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "organisation", views.Page{Title: f.Name, BackLink: "/", Flash: banner(c), Errors: errs, Data: f})
}

func (s *Server) updateOrganisation(c *fiber.Ctx) error {
	o, err := s.organisation(c)
	if err != nil {
		return err
	}
	f := orgForm{Organisation: o}
	form := readOrgForm(c, &f.Organisation)
	if len(form.Errs) == 0 {
		_, err := s.deps.Store.UpdateOrganisation(c.UserContext(), s.actor(c), f.Organisation)
		if err == nil {
			return c.Redirect(doneURL("/organisations/"+itoa(o.ID), "changes"), fiber.StatusSeeOther)
		}
		fe, ok := orgFieldError(err)
		if !ok {
			return err
		}
		form.Errs = append(form.Errs, fe)
	}
	return s.renderOrganisation(c, f, form.Errs)
}

// setWorkforce records one year's workforce figures, which benchmarks use
// for rates per 1,000 people.
func (s *Server) setWorkforce(c *fiber.Ctx) error {
	o, err := s.organisation(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.Workforce
	if f.Read(&in) {
		err := s.deps.Store.SetWorkforce(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), in.Record(o.ID))
		if err == nil {
			return c.Redirect(doneURL("/organisations/"+itoa(o.ID), "changes"), fiber.StatusSeeOther)
		}
		if apperr.Code(err) != apperr.EINVALID {
			return err
		}
		f.Fail("year", apperr.Message(err))
	}
	typed := workforceInput{Year: f.Values["year"], Officers: f.Values["officers"], Staff: f.Values["staff"], Volunteers: f.Values["volunteers"]}
	return s.renderOrganisation(c, orgForm{Organisation: o, WorkforceInput: typed}, f.Errs)
}
