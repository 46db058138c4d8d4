package server

import (
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// passwordLinkLifetime is how long a set-password link works.
const passwordLinkLifetime = 7 * 24 * time.Hour

// Option is one choice in a select, radios or checkboxes.
type Option struct {
	Value, Label, Hint string
	Selected           bool
}

type personRow struct {
	ID                         int64
	Name, Email, Role, OrgName string
	Disabled                   bool
	LastSignIn                 *time.Time
}

type peoplePage struct {
	People  []personRow
	ShowOrg bool
}

type personForm struct {
	ID                                      int64
	Email, Name, Role                       string
	OrgID                                   int64
	Sections                                []string
	RoleOptions, OrgOptions, SectionOptions []Option
	Disabled, Self                          bool
	OrgName                                 string
}

type linkPage struct {
	Name, Email, Link string
	Expires           time.Time
}

func (s *Server) listPeople(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	users, err := s.deps.Store.ListUsers(ctx, scopeOf(u))
	if err != nil {
		return err
	}
	names, err := s.orgNames(c)
	if err != nil {
		return err
	}
	page := peoplePage{ShowOrg: u.Role == store.RoleNationalAdmin}
	for _, p := range users {
		row := personRow{ID: p.ID, Name: p.DisplayName, Email: p.Email, Role: roleLabel(p.Role), Disabled: p.DisabledAt != nil, LastSignIn: p.LastSignInAt}
		if p.OrganisationID != nil {
			row.OrgName = names[*p.OrganisationID]
		}
		page.People = append(page.People, row)
	}
	return s.render(c, "people", views.Page{Title: "People", Data: page})
}

// orgNames maps the organisation ids the caller may see to their names.
func (s *Server) orgNames(c *fiber.Ctx) (map[int64]string, error) {
	orgs, err := s.deps.Store.ListOrganisations(c.UserContext(), scopeOf(currentUser(c)))
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	return names, nil
}

func (s *Server) newPerson(c *fiber.Ctx) error {
	form := personForm{Role: store.RoleContributor}
	if err := s.fillPersonChoices(c, &form); err != nil {
		return err
	}
	return s.render(c, "person_new", views.Page{Title: "Add a person", BackLink: "/people", Data: form})
}

// fillPersonChoices adds the roles, organisations and sections the caller
// may choose from.
func (s *Server) fillPersonChoices(c *fiber.Ctx, form *personForm) error {
	u := currentUser(c)
	roles := []string{store.RoleOwner, store.RoleContributor, store.RoleViewer}
	if u.Role == store.RoleNationalAdmin {
		roles = append([]string{store.RoleNationalAdmin}, roles...)
	}
	form.RoleOptions = nil
	for _, r := range roles {
		form.RoleOptions = append(form.RoleOptions, Option{Value: r, Label: roleLabel(r), Selected: r == form.Role})
	}
	form.SectionOptions = nil
	for _, sec := range s.sectionChoices() {
		sec.Selected = slices.Contains(form.Sections, sec.Value)
		form.SectionOptions = append(form.SectionOptions, sec)
	}
	if u.Role == store.RoleNationalAdmin {
		orgs, err := s.deps.Store.ListOrganisations(c.UserContext(), store.AllOrganisations())
		if err != nil {
			return err
		}
		form.OrgOptions = []Option{{Value: "", Label: "Choose an organisation"}}
		for _, o := range orgs {
			form.OrgOptions = append(form.OrgOptions, Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: o.ID == form.OrgID})
		}
	}
	return nil
}

// sectionChoices are the parts of the work an owner can hand to a
// contributor: each area of the newest framework edition, and the registers.
func (s *Server) sectionChoices() []Option {
	var out []Option
	if f := s.currentFramework(); f != nil {
		for _, a := range f.Areas {
			out = append(out, Option{Value: store.AreaSection(a.ID), Label: "Self-assessment: " + a.Title})
		}
	}
	return append(out,
		Option{Value: store.SectionRiskRegister, Label: "Role risk register"},
		Option{Value: store.SectionProvision, Label: "OK9, peer support and outreach provision"},
	)
}

// readPersonForm parses and checks the add-person form. It returns field
// errors for the page rather than an error.
func (s *Server) readPersonForm(c *fiber.Ctx, form *personForm, withIdentity bool) []views.FieldError {
	u := currentUser(c)
	var errs []views.FieldError
	if withIdentity {
		form.Email = strings.ToLower(strings.TrimSpace(c.FormValue("email")))
		form.Name = strings.TrimSpace(c.FormValue("name"))
		// In the order of the form, so the error summary reads top to bottom.
		if form.Name == "" {
			errs = append(errs, views.FieldError{Field: "name", Message: "Enter the person's name"})
		} else if len(form.Name) > 120 {
			errs = append(errs, views.FieldError{Field: "name", Message: "Name must be 120 characters or fewer"})
		}
		if addr, err := mail.ParseAddress(form.Email); err != nil || addr.Address != form.Email {
			errs = append(errs, views.FieldError{Field: "email", Message: "Enter an email address in the correct format, like name@example.org"})
		}
	}
	form.Role = c.FormValue("role")
	allowed := []string{store.RoleOwner, store.RoleContributor, store.RoleViewer}
	if u.Role == store.RoleNationalAdmin {
		allowed = append(allowed, store.RoleNationalAdmin)
	}
	if !slices.Contains(allowed, form.Role) {
		errs = append(errs, views.FieldError{Field: "role", Message: "Choose a role"})
	}
	form.Sections = nil
	args := c.Request().PostArgs()
	valid := s.sectionChoices()
	for _, v := range args.PeekMulti("sections") {
		sec := string(v)
		if !slices.ContainsFunc(valid, func(o Option) bool { return o.Value == sec }) {
			errs = append(errs, views.FieldError{Field: "sections", Message: "Choose sections from the list"})
			break
		}
		form.Sections = append(form.Sections, sec)
	}
	if form.Role != store.RoleContributor {
		form.Sections = nil // only contributors are limited to sections
	} else if len(form.Sections) == 0 {
		errs = append(errs, views.FieldError{Field: "sections", Message: "Choose at least one section for a contributor"})
	}
	if withIdentity {
		switch {
		case u.Role != store.RoleNationalAdmin:
			form.OrgID = *u.OrganisationID
		case form.Role == store.RoleNationalAdmin:
			form.OrgID = 0
		default:
			form.OrgID, _ = strconv.ParseInt(c.FormValue("organisation"), 10, 64)
			if form.OrgID == 0 {
				errs = append(errs, views.FieldError{Field: "organisation", Message: "Choose the person's organisation"})
			}
		}
	}
	return errs
}

func (s *Server) createPerson(c *fiber.Ctx) error {
	u := currentUser(c)
	var form personForm
	errs := s.readPersonForm(c, &form, true)
	if len(errs) == 0 {
		nu := store.User{Email: form.Email, DisplayName: form.Name, Role: form.Role, Sections: form.Sections}
		if form.OrgID != 0 {
			org := form.OrgID
			nu.OrganisationID = &org
		}
		created, err := s.deps.Store.CreateUser(c.UserContext(), s.actor(c), scopeOf(u), nu)
		switch apperr.Code(err) {
		case "":
			return s.issuePasswordLink(c, created)
		case apperr.ECONFLICT:
			errs = append(errs, views.FieldError{Field: "email", Message: "Someone with this email address already has an account"})
		case apperr.EINVALID, apperr.ENOTFOUND:
			errs = append(errs, views.FieldError{Field: "email", Message: apperr.Message(err)})
		default:
			return err
		}
	}
	if err := s.fillPersonChoices(c, &form); err != nil {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "person_new", views.Page{Title: "Add a person", BackLink: "/people", Errors: errs, Data: form})
}

// issuePasswordLink makes a single-use set-password link and shows it once.
func (s *Server) issuePasswordLink(c *fiber.Ctx, person store.User) error {
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	now := s.deps.Store.Now()
	expires := now.Add(passwordLinkLifetime)
	if err := s.deps.Store.CreatePasswordToken(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), store.PasswordToken{
		Hash: hash, UserID: person.ID, CreatedBy: currentUser(c).ID, CreatedAt: now, ExpiresAt: expires,
	}); err != nil {
		return err
	}
	return s.render(c, "password_link", views.Page{Title: "Set-password link for " + person.DisplayName, BackLink: "/people/" + itoa(person.ID), Data: linkPage{
		Name: person.DisplayName, Email: person.Email, Link: s.publicURL(c) + "/set-password/" + token, Expires: expires,
	}})
}

// publicURL is where people reach the service, for links handed to them.
func (s *Server) publicURL(c *fiber.Ctx) string {
	if s.deps.PublicURL != "" {
		return strings.TrimRight(s.deps.PublicURL, "/")
	}
	return c.BaseURL()
}

// person loads the person named in the URL, within the caller's scope.
func (s *Server) person(c *fiber.Ctx) (store.User, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return store.User{}, apperr.Errorf(apperr.ENOTFOUND, "There is no such person.")
	}
	return s.deps.Store.UserByID(c.UserContext(), scopeOf(currentUser(c)), id)
}

func (s *Server) showPerson(c *fiber.Ctx) error {
	p, err := s.person(c)
	if err != nil {
		return err
	}
	form := personForm{ID: p.ID, Email: p.Email, Name: p.DisplayName, Role: p.Role, Sections: p.Sections,
		Disabled: p.DisabledAt != nil, Self: p.ID == currentUser(c).ID}
	if p.OrganisationID != nil {
		form.OrgID = *p.OrganisationID
		names, err := s.orgNames(c)
		if err != nil {
			return err
		}
		form.OrgName = names[form.OrgID]
	}
	if err := s.fillPersonChoices(c, &form); err != nil {
		return err
	}
	flash := ""
	if c.Query("saved") != "" {
		flash = "Changes saved."
	}
	return s.render(c, "person", views.Page{Title: p.DisplayName, BackLink: "/people", Flash: flash, Data: form})
}

func (s *Server) updatePersonAccess(c *fiber.Ctx) error {
	p, err := s.person(c)
	if err != nil {
		return err
	}
	if p.ID == currentUser(c).ID {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot change your own role. Ask another owner or a national admin.")
	}
	form := personForm{ID: p.ID, Email: p.Email, Name: p.DisplayName, Disabled: p.DisabledAt != nil}
	if p.OrganisationID != nil {
		form.OrgID = *p.OrganisationID
	}
	errs := s.readPersonForm(c, &form, false)
	if p.OrganisationID != nil && form.Role == store.RoleNationalAdmin {
		errs = append(errs, views.FieldError{Field: "role", Message: "A national admin cannot belong to an organisation: add a new account instead"})
	}
	if p.OrganisationID == nil && form.Role != store.RoleNationalAdmin {
		errs = append(errs, views.FieldError{Field: "role", Message: "A national admin account cannot be moved into an organisation"})
	}
	if len(errs) == 0 {
		_, err := s.deps.Store.UpdateUserAccess(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), p.ID, form.Role, form.Sections)
		if err == nil {
			return c.Redirect("/people/"+itoa(p.ID)+"?saved=1", fiber.StatusSeeOther)
		}
		if apperr.Code(err) != apperr.EINVALID {
			return err
		}
		errs = append(errs, views.FieldError{Field: "role", Message: apperr.Message(err)})
	}
	if err := s.fillPersonChoices(c, &form); err != nil {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "person", views.Page{Title: p.DisplayName, BackLink: "/people", Errors: errs, Data: form})
}

func (s *Server) setPersonDisabled(disabled bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.person(c)
		if err != nil {
			return err
		}
		if p.ID == currentUser(c).ID {
			return apperr.Errorf(apperr.EFORBIDDEN, "You cannot disable your own account.")
		}
		if err := s.deps.Store.SetUserDisabled(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), p.ID, disabled); err != nil {
			return err
		}
		return c.Redirect("/people/"+itoa(p.ID)+"?saved=1", fiber.StatusSeeOther)
	}
}

func (s *Server) createPasswordLink(c *fiber.Ctx) error {
	p, err := s.person(c)
	if err != nil {
		return err
	}
	if p.DisabledAt != nil {
		return apperr.Errorf(apperr.EINVALID, "Enable this account before issuing a set-password link.")
	}
	return s.issuePasswordLink(c, p)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
