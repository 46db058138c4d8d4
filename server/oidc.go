package server

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/oidcsignin"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Sign-in through an organisation's own OpenID Connect provider. The
// pending sign-in (nonce, PKCE verifier, where to go next) is kept in the
// database under the hash of its state, so any instance can finish it and
// it finishes once; the state also goes in a cookie, so only the browser
// that started a sign-in can finish it.

const (
	oidcStateCookie  = "oidc_state"
	oidcCallbackPath = "/sign-in/oidc/callback"
)

// sealContext ties a sealed client secret to its organisation.
func sealContext(orgID int64) string { return "identity_provider:" + itoa(orgID) }

func (s *Server) redirectURL() string {
	return strings.TrimRight(s.deps.PublicURL, "/") + oidcCallbackPath
}

// providerSettings opens the provider's client secret for one flow.
func (s *Server) providerSettings(p store.IdentityProvider) (oidcsignin.Settings, error) {
	secret, err := s.sealer.Open(p.ClientSecretSealed, sealContext(p.OrganisationID))
	if err != nil {
		return oidcsignin.Settings{}, err
	}
	return oidcsignin.Settings{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: secret, RedirectURL: s.redirectURL()}, nil
}

// beginProviderSignIn sends the person to their organisation's provider,
// keeping any held form with the pending sign-in. If the provider cannot
// be reached, they get a clear message and, where the organisation allows
// passwords, the password form.
func (s *Server) beginProviderSignIn(c *fiber.Ctx, p store.IdentityProvider, email, next string, form views.SignIn, held signInHeld) error {
	ctx := c.UserContext()
	settings, err := s.providerSettings(p)
	if err != nil {
		s.logger(c).Error("cannot open an organisation's sign-in client secret", "organisation_id", p.OrganisationID, "error", err.Error())
		return s.providerUnavailable(c, p, form, "Signing in with your organisation's own account is not working at the moment: its settings here cannot be read. Tell the national team.")
	}
	authURL, pending, err := s.oidc.Begin(ctx, settings, email)
	if err != nil {
		msg := "Your organisation's sign-in service could not be reached. Try again in a few minutes."
		var oe *oidcsignin.Error
		if errors.As(err, &oe) {
			msg = oe.Message
		}
		s.logger(c).Warn("organisation's sign-in service unavailable", "organisation_id", p.OrganisationID, "issuer", p.Issuer, "error", err.Error())
		_ = s.deps.Store.LogAudit(ctx, s.actor(c), &p.OrganisationID, "signin.provider_failed", "identity_provider", itoa(p.OrganisationID), nil, map[string]string{"reason": string(reasonOf(err))})
		return s.providerUnavailable(c, p, form, msg)
	}
	row := store.PendingOIDCSignIn{
		StateHash: auth.HashToken(pending.State), OrganisationID: p.OrganisationID,
		Nonce: pending.Nonce, Verifier: pending.Verifier, Next: next,
	}
	if s.keepHeld(ctx, held, email) {
		row.Held, row.HeldUser, row.HeldPath = held.Raw, held.UserID, held.Path
	}
	if err := s.deps.Store.CreateOIDCSignIn(ctx, row); err != nil {
		return err
	}
	// Lax: the browser sends it on the provider's top-level redirect back.
	s.setCookie(c, oidcStateCookie, pending.State, s.deps.Store.Now().Add(store.OIDCSignInLifetime))
	return c.Redirect(authURL, fiber.StatusSeeOther)
}

// maxHeldBytes bounds a held form kept with a pending sign-in: the longest
// form a person types (20,000 characters of evidence with its links and an
// action) fits, but no one can store much without signing in.
const maxHeldBytes = 256 << 10

// keepHeld says whether a held form is kept with a pending provider
// sign-in: only for a page that can show it back, within maxHeldBytes, and
// when it is the held person signing in (their email typed), since the row
// is written before anyone has signed in.
func (s *Server) keepHeld(ctx context.Context, held signInHeld, email string) bool {
	if held.Raw == "" || len(held.Raw)+len(held.Path) > maxHeldBytes || !holdable(held.Path) {
		return false
	}
	u, err := s.deps.Store.UserByEmail(ctx, email)
	return err == nil && u.ID == held.UserID
}

func reasonOf(err error) oidcsignin.Reason {
	var oe *oidcsignin.Error
	if errors.As(err, &oe) {
		return oe.Reason
	}
	return "error"
}

// providerUnavailable shows why the provider cannot be used, with the
// password form if the organisation allows passwords.
func (s *Server) providerUnavailable(c *fiber.Ctx, p store.IdentityProvider, form views.SignIn, msg string) error {
	if _, err := s.signInStep(c); err != nil {
		return err
	}
	form.Step = "email"
	if p.PasswordSignIn {
		form.Step = "password"
		msg += " You can sign in with your password instead."
	}
	c.Status(fiber.StatusBadGateway)
	return s.render(c, "signin", views.Page{Title: "Sign in", Errors: []views.FieldError{{Field: "email", Message: msg}}, Data: form})
}

// oidcCallback is where the provider sends the person back.
func (s *Server) oidcCallback(c *fiber.Ctx) error {
	ctx := c.UserContext()
	state := c.Query("state")
	cookie := c.Cookies(oidcStateCookie)
	s.clearCookie(c, oidcStateCookie)
	refuse := func(status int, orgID *int64, reason, msg string) error {
		_ = s.deps.Store.LogAudit(ctx, s.actor(c), orgID, "signin.refused", "user", "", nil, map[string]string{"method": "oidc", "reason": reason})
		s.logger(c).Info("sign-in through a provider refused", "reason", reason)
		c.Status(status)
		form := views.SignIn{Next: "/"}
		var err error
		if form.Step, err = s.signInStep(c); err != nil {
			return err
		}
		return s.render(c, "signin", views.Page{Title: "Sign in", Errors: []views.FieldError{{Field: "email", Message: msg}}, Data: form})
	}
	if state == "" {
		return refuse(fiber.StatusBadRequest, nil, "no_state", "This sign-in address is incomplete. Start again from the sign-in page.")
	}
	if cookie == "" || !auth.EqualTokens(cookie, state) {
		return refuse(fiber.StatusBadRequest, nil, "state_mismatch", "This sign-in did not start in this browser, or took longer than 10 minutes. Start again from the sign-in page.")
	}
	pending, err := s.deps.Store.TakeOIDCSignIn(ctx, auth.HashToken(state))
	if apperr.Code(err) == apperr.ENOTFOUND {
		return refuse(fiber.StatusBadRequest, nil, "state_used", "This sign-in has already been used or has expired. Start again from the sign-in page.")
	} else if err != nil {
		return err
	}
	orgID := pending.OrganisationID
	if e := c.Query("error"); e != "" {
		s.logger(c).Info("provider refused the sign-in", "organisation_id", orgID, "error", e)
		return refuse(fiber.StatusUnauthorized, &orgID, "provider_refused:"+clip(e, 60), "Your organisation's sign-in service did not sign you in. Try again; if it keeps happening, tell your IT service.")
	}
	code := c.Query("code")
	if code == "" {
		return refuse(fiber.StatusBadRequest, &orgID, "no_code", "Your organisation's sign-in service sent you back without a sign-in code. Start again from the sign-in page.")
	}
	p, err := s.deps.Store.IdentityProviderOf(ctx, orgID)
	if apperr.Code(err) == apperr.ENOTFOUND {
		return refuse(fiber.StatusConflict, &orgID, "provider_removed", "Signing in with your organisation's own account has been switched off since you started. Start again from the sign-in page.")
	} else if err != nil {
		return err
	}
	settings, err := s.providerSettings(p)
	if err != nil {
		s.logger(c).Error("cannot open an organisation's sign-in client secret", "organisation_id", orgID, "error", err.Error())
		return refuse(fiber.StatusBadGateway, &orgID, "secret_unreadable", "Signing in with your organisation's own account is not working at the moment: its settings here cannot be read. Tell the national team.")
	}
	id, err := s.oidc.Finish(ctx, settings, oidcsignin.Pending{State: state, Nonce: pending.Nonce, Verifier: pending.Verifier}, code)
	if err != nil {
		var oe *oidcsignin.Error
		if !errors.As(err, &oe) {
			return err
		}
		s.logger(c).Warn("sign-in through a provider failed", "organisation_id", orgID, "reason", string(oe.Reason), "error", err.Error())
		status := fiber.StatusUnauthorized
		if oe.Reason == oidcsignin.Unavailable {
			status = fiber.StatusBadGateway
		}
		return refuse(status, &orgID, string(oe.Reason), oe.Message)
	}

	org, err := s.deps.Store.Organisation(ctx, store.AllOrganisations(), orgID)
	if err != nil {
		return err
	}
	// The provider vouches only for its own domains: an address elsewhere
	// (say another organisation's) is not its to give.
	if !slices.Contains(p.Domains, domainOf(id.Email)) {
		return refuse(fiber.StatusForbidden, &orgID, "foreign_domain", "The sign-in service of "+org.Name+" signed you in as "+id.Email+", which is not at one of its email domains, so you have not been signed in. Tell your IT service.")
	}
	user, err := s.deps.Store.UserByEmail(ctx, id.Email)
	switch {
	case apperr.Code(err) == apperr.ENOTFOUND:
		return refuse(fiber.StatusForbidden, &orgID, "no_account", "There is no account for "+id.Email+" at "+org.Name+". Ask your organisation's owner to add you.")
	case err != nil:
		return err
	case user.OrganisationID == nil || *user.OrganisationID != orgID:
		return refuse(fiber.StatusForbidden, &orgID, "other_organisation", "The account for "+id.Email+" belongs to another organisation, not "+org.Name+", so it cannot sign in through "+org.Name+"'s sign-in service. Ask the national team to sort it out.")
	case user.DisabledAt != nil:
		return refuse(fiber.StatusForbidden, &orgID, "disabled", "Your account at "+org.Name+" has been disabled. Ask your organisation's owner if you need it again.")
	}
	return s.completeSignIn(c, user, s.safeNext(pending.Next), "oidc", signInHeld{Raw: pending.Held, UserID: pending.HeldUser, Path: pending.HeldPath})
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// providerLogout is the provider's sign-out address for the organisation
// named by ?org= on the page after signing out, and its name; "" if it
// has no provider or the provider publishes no end_session_endpoint.
func (s *Server) providerLogout(c *fiber.Ctx) (string, string) {
	id, err := strconv.ParseInt(c.Query("org"), 10, 64)
	if err != nil {
		return "", ""
	}
	p, err := s.deps.Store.IdentityProviderOf(c.UserContext(), id)
	if err != nil {
		return "", ""
	}
	org, err := s.deps.Store.Organisation(c.UserContext(), store.AllOrganisations(), id)
	if err != nil {
		return "", ""
	}
	return s.oidc.EndSessionURL(c.UserContext(), p.Issuer, p.ClientID, strings.TrimRight(s.deps.PublicURL, "/")+"/sign-in"), org.Name
}

// allowFormToProviders lets the sign-in form's navigation go on to the
// providers (CSP form-action also governs the redirects after a form is
// sent). Providers may pass the person on to other https sites (Entra ID
// to a federated service), so any https address is allowed, on this page
// only; plain http only to a configured issuer (on this machine).
func allowFormToProviders(c *fiber.Ctx, issuers []string) {
	if len(issuers) == 0 {
		return
	}
	extra := []string{"https:"}
	for _, iss := range issuers {
		if u, err := url.Parse(iss); err == nil && u.Scheme == "http" {
			extra = append(extra, "http://"+u.Host)
		}
	}
	c.Set("Content-Security-Policy", strings.Replace(contentSecurityPolicy, "form-action 'self'", "form-action 'self' "+strings.Join(extra, " "), 1))
}
