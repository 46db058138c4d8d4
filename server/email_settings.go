package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// emailSettingsPage is the form where a person chooses which emails they
// receive and how often. Every email links to it with the person's token,
// so it works signed out; signed in, it is the person's own.
type emailSettingsPage struct {
	Email, Action string
	Categories    []emailCategory
}

type emailCategory struct {
	Key, Label, Hint string
	Options          []Option
}

var frequencyLabels = map[string]string{
	store.MailImmediate: "As it happens",
	store.MailWeekly:    "In a weekly summary, on Mondays",
	store.MailOff:       "Never",
}

var emailSettingsLinkGone = apperr.Errorf(apperr.ENOTFOUND, "This link to email settings no longer works. Sign in and choose Email settings instead.")

// emailSettingsPerson is whose settings the page shows: the token's holder,
// or the person signed in.
func (s *Server) emailSettingsPerson(c *fiber.Ctx) (store.User, string, store.Actor, error) {
	if token := strings.Clone(c.Params("token")); token != "" {
		u, err := s.deps.Store.UserByMailToken(c.UserContext(), token)
		if apperr.Code(err) == apperr.ENOTFOUND {
			return u, "", store.Actor{}, emailSettingsLinkGone
		}
		a := store.Actor{UserID: u.ID, Label: u.DisplayName + " (through the email settings link)", RequestID: RequestID(c), IP: c.IP()}
		return u, "/email-settings/" + token, a, err
	}
	u := currentUser(c)
	if u == nil {
		return store.User{}, "", store.Actor{}, apperr.Errorf(apperr.EUNAUTHORIZED, "Sign in to change your email settings.")
	}
	return *u, "/email-settings", s.actor(c), nil
}

func (s *Server) emailSettingsForm(u store.User, action string, chosen map[string]string) emailSettingsPage {
	page := emailSettingsPage{Email: u.Email, Action: action}
	for _, cat := range store.MailCategories {
		ec := emailCategory{Key: cat.Key, Label: cat.Label, Hint: cat.Hint}
		for _, f := range store.MailFrequencies {
			ec.Options = append(ec.Options, Option{Value: f, Label: frequencyLabels[f], Selected: chosen[cat.Key] == f})
		}
		page.Categories = append(page.Categories, ec)
	}
	return page
}

func (s *Server) showEmailSettings(c *fiber.Ctx) error {
	u, action, _, err := s.emailSettingsPerson(c)
	if err != nil {
		return err
	}
	prefs, err := s.deps.Store.MailPreferences(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return s.render(c, "email_settings", views.Page{Title: "Email settings", Flash: banner(c), Data: s.emailSettingsForm(u, action, prefs)})
}

func (s *Server) saveEmailSettings(c *fiber.Ctx) error {
	u, action, actor, err := s.emailSettingsPerson(c)
	if err != nil {
		return err
	}
	chosen := map[string]string{}
	var errs []views.FieldError
	for _, cat := range store.MailCategories {
		v := strings.Clone(c.FormValue(cat.Key))
		if _, ok := frequencyLabels[v]; !ok {
			errs = append(errs, views.FieldError{Field: cat.Key, Message: "Choose how often to receive emails about " + lowerFirst(cat.Label)})
			continue
		}
		chosen[cat.Key] = v
	}
	if len(errs) == 0 {
		if err := s.deps.Store.SaveMailPreferences(c.UserContext(), actor, u.ID, chosen); err != nil {
			return err
		}
		return c.Redirect(doneURL(action, "changes"), fiber.StatusSeeOther)
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "email_settings", views.Page{Title: "Email settings", Errors: errs, Data: s.emailSettingsForm(u, action, chosen)})
}

// lowerFirst puts a label inside a sentence: "The annual self-assessment"
// becomes "the annual ...", while "OK9 mutual aid" keeps its capitals.
func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}
