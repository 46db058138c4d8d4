package server

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/mail"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// passwordLinkLifetime is how long a set-password link works.
const passwordLinkLifetime = 7 * 24 * time.Hour

type personRow struct {
	ID                         int64
	Name, Email, Role, OrgName string
	Disabled                   bool
	Clash                      bool // shown to national admins only
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
	Clash                                   bool // shown to national admins only
	OrgName                                 string
}

type linkPage struct {
	Name, Email, Link string
	Expires           time.Time
	// Emailed: the link went to the person by email and is not shown.
	// EmailFailed: the relay failed, so the link is shown to hand over.
	Emailed, EmailFailed bool
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
	national := u.Role == store.RoleNationalAdmin
	page := peoplePage{ShowOrg: national}
	for _, p := range users {
		row := personRow{ID: p.ID, Name: p.DisplayName, Email: p.Email, Role: roleLabel(p.Role), Disabled: p.DisabledAt != nil,
			Clash: national && p.Clash(), LastSignIn: p.LastSignInAt}
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
	form.RoleOptions = nil
	for _, r := range grantableRoles(u) {
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

// accessChoices are the roles and sections the caller may give, and the
// organisation an owner's new accounts belong to.
func (s *Server) accessChoices(c *fiber.Ctx) input.AccessChoices {
	u := currentUser(c)
	ch := input.AccessChoices{Roles: grantableRoles(u)}
	for _, sec := range s.sectionChoices() {
		ch.Sections = append(ch.Sections, sec.Value)
	}
	if u.Role != store.RoleNationalAdmin {
		ch.OrganisationID = *u.OrganisationID
	}
	return ch
}

// grantableRoles are the roles u may give: only a national admin makes
// another.
func grantableRoles(u *store.User) []string {
	roles := []string{store.RoleOwner, store.RoleContributor, store.RoleViewer}
	if u.Role == store.RoleNationalAdmin {
		roles = append([]string{store.RoleNationalAdmin}, roles...)
	}
	return roles
}

// createPerson adds a person and shows their set-password link. An email
// address with an account in another organisation is added the same way, as
// an invitation whose link can never set a password (see store.CreateUser),
// so an owner cannot learn which addresses have accounts elsewhere.
func (s *Server) createPerson(c *fiber.Ctx) error {
	f := readForm(c)
	in := input.Person{Choices: s.accessChoices(c)}
	if f.Read(&in) {
		created, err := s.deps.Store.CreateUser(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), in.User())
		switch apperr.Code(err) {
		case "":
			return s.issuePasswordLink(c, created)
		case apperr.EINVALID, apperr.ENOTFOUND, apperr.ECONFLICT:
			f.Fail("email", apperr.Message(err))
		default:
			return err
		}
	}
	typed := in.User()
	form := personForm{Email: typed.Email, Name: typed.DisplayName, Role: typed.Role, Sections: typed.Sections}
	if typed.OrganisationID != nil {
		form.OrgID = *typed.OrganisationID
	}
	if err := s.fillPersonChoices(c, &form); err != nil {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "person_new", views.Page{Title: "Add a person", BackLink: "/people", Errors: f.Errs, Data: form})
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
	page := linkPage{Name: person.DisplayName, Email: shownEmail(person.Email), Link: strings.TrimRight(s.deps.PublicURL, "/") + "/set-password/" + token, Expires: expires}
	title := "Set-password link for " + person.DisplayName
	if s.deps.Mail != nil {
		err := s.emailPasswordLink(c, person, page)
		if err == nil {
			page.Emailed, page.Link = true, "" // the link went to the person alone
			title = "Set-password link sent to " + person.DisplayName
		} else {
			// The owner can still hand the link over; the relay's trouble is logged.
			s.deps.Log.WarnContext(c.UserContext(), "set-password email not sent; the link is shown to copy instead", "user_id", person.ID, "err", err)
			page.EmailFailed = true
		}
	}
	return s.render(c, "password_link", views.Page{Title: title, BackLink: "/people/" + itoa(person.ID), Data: page})
}

// shownEmail is the address as typed: an invitation that clashes with
// another account is stored with a suffix (see store.CreateUser).
func shownEmail(email string) string {
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		if i := strings.IndexByte(email[at:], '#'); i >= 0 {
			return email[:at+i]
		}
	}
	return email
}

// emailPasswordLink sends the set-password link to the person. An
// invitation that clashes with another account gets it at the same
// address, where it tells the account's holder so, as the copied link
// would; its settings link is the signed-in page, as it has none of its own.
func (s *Server) emailPasswordLink(c *fiber.Ctx, person store.User, page linkPage) error {
	ctx := c.UserContext()
	settings := strings.TrimRight(s.deps.PublicURL, "/") + "/email-settings"
	if !person.Clash() {
		var err error
		if settings, err = s.mail.SettingsURL(ctx, person.ID); err != nil {
			return err
		}
	}
	msg, err := mail.Render(page.Email, mail.Email{
		Subject:       "Set your password for the Blue Light Wellbeing Toolkit",
		Name:          person.DisplayName,
		Intro:         currentUser(c).DisplayName + " has given you access to the Blue Light Wellbeing Toolkit. Set your password to sign in.",
		Notices:       []mail.Notice{{Title: "Set your password", Body: "This link works once, until " + page.Expires.UTC().Format("2 January 2006 15:04") + " UTC. If you did not expect this email, ignore it.", Link: page.Link}},
		SettingsURL:   settings,
		Transactional: true,
	})
	if err != nil {
		return err
	}
	return s.deps.Mail.Send(ctx, msg)
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
		Disabled: p.DisabledAt != nil, Self: p.ID == currentUser(c).ID,
		Clash: currentUser(c).Role == store.RoleNationalAdmin && p.Clash()}
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
	return s.render(c, "person", views.Page{Title: p.DisplayName, BackLink: "/people", Flash: banner(c), Data: form})
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
	f := readForm(c)
	in := input.Access{Choices: s.accessChoices(c), InOrganisation: p.OrganisationID != nil}
	if f.Read(&in) {
		_, err := s.deps.Store.UpdateUserAccess(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), p.ID, in.Role, in.AccessSections())
		if err == nil {
			return c.Redirect(doneURL("/people/"+itoa(p.ID), "changes"), fiber.StatusSeeOther)
		}
		if apperr.Code(err) != apperr.EINVALID {
			return err
		}
		f.Fail("role", apperr.Message(err))
	}
	form.Role, form.Sections = in.Role, in.AccessSections()
	if err := s.fillPersonChoices(c, &form); err != nil {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "person", views.Page{Title: p.DisplayName, BackLink: "/people", Errors: f.Errs, Data: form})
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
		return c.Redirect(doneURL("/people/"+itoa(p.ID), "changes"), fiber.StatusSeeOther)
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

// currentFramework is the newest edition of the Blue Light Wellbeing
// Framework loaded, used until assessment cycles pin their own edition.
func (s *Server) currentFramework() *frameworks.Framework {
	var cur *frameworks.Framework
	for _, e := range s.deps.Frameworks.Editions {
		if e.Framework != nil && e.Key == "blwf" && (cur == nil || e.Version > cur.Version) {
			cur = e.Framework
		}
	}
	return cur
}

// confirmDisablePerson asks before disabling an account, saying what it
// ends at once: their sessions and API tokens do not come back when the
// account is enabled again.
func (s *Server) confirmDisablePerson(c *fiber.Ctx) error {
	p, err := s.person(c)
	if err != nil {
		return err
	}
	here := "/people/" + itoa(p.ID)
	if p.ID == currentUser(c).ID {
		return apperr.Errorf(apperr.EFORBIDDEN, "You cannot disable your own account.")
	}
	if p.DisabledAt != nil {
		return c.Redirect(here, fiber.StatusSeeOther)
	}
	return s.renderConfirm(c, "Disable the account of "+p.DisplayName+"?", here, confirmPage{
		Details: []keyValue{{"Name", p.DisplayName}, {"Email", p.Email}, {"Role", roleLabel(p.Role)}},
		Lead:    "Once the account is disabled:",
		Follows: []string{
			p.DisplayName + " is signed out everywhere and cannot sign in",
			"every API token they made is revoked, and stays revoked if the account is enabled again",
			"what they entered, and the audit trail of it, is kept",
		},
		Warning: "Enabling the account later lets them sign in again, but their tokens must be made anew.",
		Action:  here + "/disable", Button: "Disable the account",
		Cancel: here, CancelText: "Keep the account",
	})
}
