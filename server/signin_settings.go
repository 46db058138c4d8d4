package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// signInSettings is the page where a national admin sets up an
// organisation's own sign-in (OpenID Connect). The client secret is never
// shown again: a blank secret keeps the stored one.
type signInSettings struct {
	Org                       store.Organisation
	Issuer, ClientID, Domains string
	PasswordSignIn            bool
	Configured, HasSecret     bool
	KeyMissing                bool // OIDC_SECRET_KEY is not set: nothing can be saved
	RedirectURI               string
}

func (s *Server) signInSettingsPage(c *fiber.Ctx, f signInSettings, errs []views.FieldError) error {
	f.KeyMissing = !s.sealer.Ready()
	f.RedirectURI = s.redirectURL()
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "organisation_signin", views.Page{Title: "Sign-in for " + f.Org.Name, BackLink: "/organisations/" + itoa(f.Org.ID), Flash: banner(c), Errors: errs, Data: f})
}

func (s *Server) showSignInSettings(c *fiber.Ctx) error {
	org, err := s.organisation(c)
	if err != nil {
		return err
	}
	f := signInSettings{Org: org, PasswordSignIn: true}
	p, err := s.deps.Store.IdentityProviderOf(c.UserContext(), org.ID)
	switch {
	case err == nil:
		f.Configured, f.HasSecret = true, p.ClientSecretSealed != ""
		f.Issuer, f.ClientID, f.Domains, f.PasswordSignIn = p.Issuer, p.ClientID, strings.Join(p.Domains, "\n"), p.PasswordSignIn
	case apperr.Code(err) != apperr.ENOTFOUND:
		return err
	}
	return s.signInSettingsPage(c, f, nil)
}

func (s *Server) saveSignInSettings(c *fiber.Ctx) error {
	ctx := c.UserContext()
	org, err := s.organisation(c)
	if err != nil {
		return err
	}
	f := signInSettings{Org: org, Issuer: strings.TrimSpace(c.FormValue("issuer")), ClientID: strings.TrimSpace(c.FormValue("client_id")),
		Domains: c.FormValue("domains"), PasswordSignIn: c.FormValue("password_sign_in") == "yes"}
	existing, err := s.deps.Store.IdentityProviderOf(ctx, org.ID)
	if err == nil {
		f.Configured, f.HasSecret = true, true
	} else if apperr.Code(err) != apperr.ENOTFOUND {
		return err
	}
	if !s.sealer.Ready() {
		return s.signInSettingsPage(c, f, []views.FieldError{{Field: "client_secret", Message: "The client secret cannot be stored: no encryption key is configured. Set OIDC_SECRET_KEY (32 random bytes in base64) and restart the service, then save again."}})
	}
	p := store.IdentityProvider{OrganisationID: org.ID, Issuer: f.Issuer, ClientID: f.ClientID, PasswordSignIn: f.PasswordSignIn, Domains: store.NormaliseDomains(f.Domains)}
	if secret := c.FormValue("client_secret"); secret != "" {
		if len(secret) > 1000 {
			return s.signInSettingsPage(c, f, []views.FieldError{{Field: "client_secret", Message: "The client secret must be 1,000 characters or fewer"}})
		}
		if p.ClientSecretSealed, err = s.sealer.Seal(secret, sealContext(org.ID)); err != nil {
			return err
		}
	} else if f.Configured {
		p.ClientSecretSealed = existing.ClientSecretSealed // blank keeps the stored secret
	}
	if _, err := s.deps.Store.SaveIdentityProvider(ctx, s.actor(c), p); err != nil {
		field := store.ProviderFieldOf(err)
		if field == "" {
			return err
		}
		return s.signInSettingsPage(c, f, []views.FieldError{{Field: field, Message: apperr.Message(err)}})
	}
	return c.Redirect(doneURL("/organisations/"+itoa(org.ID)+"/sign-in", "changes"), fiber.StatusSeeOther)
}

func (s *Server) removeSignInSettings(c *fiber.Ctx) error {
	org, err := s.organisation(c)
	if err != nil {
		return err
	}
	if err := s.deps.Store.DeleteIdentityProvider(c.UserContext(), s.actor(c), org.ID); err != nil {
		return err
	}
	return c.Redirect(doneURL("/organisations/"+itoa(org.ID)+"/sign-in", "signin-removed"), fiber.StatusSeeOther)
}
