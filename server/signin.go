package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Sign-in throttling, shared by every instance through the database: each
// attempt is reserved before its password is checked. An account allows 5
// failures in 15 minutes from each address it has signed in from, and 5 from
// all other addresses together, so someone elsewhere guessing at it cannot
// lock its owner out; an address allows 20 over every account. An attempt
// counts against its address once it has failed, not while its password is
// checked, so up to 100 people behind one address (an office's NAT) can
// sign in at the same moment.
const throttleWindow = 15 * time.Minute

var signInLimits = store.SignInLimits{Window: throttleWindow, PerAccount: 5, PerAddress: 20, PerAddressInFlight: 100}

// familiarAddressLifetime is how long an address stays familiar to an
// account after its last sign-in from there.
const familiarAddressLifetime = 90 * 24 * time.Hour

func (s *Server) showSignIn(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(s.safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	form := views.SignIn{Next: s.safeNext(c.Query("next"))}
	step, err := s.signInStep(c)
	if err != nil {
		return err
	}
	form.Step = step
	if c.Query("done") == "signed-out" {
		form.ProviderLogout, form.OrgName = s.providerLogout(c)
	}
	return s.render(c, "signin", views.Page{Title: "Sign in", Flash: banner(c), Data: form})
}

// signInStep is the first step of the sign-in page: the email alone when
// some organisation signs its people in through its own provider, so the
// email can say where to go; otherwise email and password together. The
// page's form may then lead to those providers (form-action).
func (s *Server) signInStep(c *fiber.Ctx) (string, error) {
	issuers, err := s.deps.Store.IdentityProviderIssuers(c.UserContext())
	if err != nil {
		return "", err
	}
	allowFormToProviders(c, issuers)
	if len(issuers) == 0 {
		return "", nil
	}
	return "email", nil
}

func (s *Server) signIn(c *fiber.Ctx) error {
	ctx := c.UserContext()
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	step := c.FormValue("step")
	next := s.safeNext(c.FormValue("next"))
	form := views.SignIn{Email: email, Next: next, Step: step, Held: c.FormValue("held")}
	if step != "email" && step != "password" {
		form.Step = ""
	}
	if form.Held != "" {
		form.HeldUser, _ = strconv.ParseInt(c.FormValue("held_user"), 10, 64)
		form.IdleMinutes = int(idleTimeout / time.Minute)
		// The held form's address, which safeNext may turn away: kept
		// through every step of the page.
		if raw := c.FormValue("next"); holdable(raw) {
			form.Next = raw
		}
	}
	held := signInHeld{Raw: form.Held, UserID: form.HeldUser, Path: form.Next}
	fail := func(status int, field, msg string) error {
		c.Status(status)
		if _, err := s.signInStep(c); err != nil {
			return err
		}
		return s.render(c, "signin", views.Page{Title: "Sign in", Errors: []views.FieldError{{Field: field, Message: msg}}, Data: form})
	}
	if email == "" {
		return fail(fiber.StatusUnprocessableEntity, "email", "Enter your email address")
	}

	provider, err := s.deps.Store.IdentityProviderForEmail(ctx, email)
	hasProvider := err == nil
	if err != nil && apperr.Code(err) != apperr.ENOTFOUND {
		return err
	}
	if password == "" && step != "password" {
		// The email step (or only an email sent): to the organisation's
		// provider if its domain has one, otherwise on to the password.
		if hasProvider {
			return s.beginProviderSignIn(c, provider, email, next, form, held)
		}
		if step == "email" {
			form.Step = "password"
			if _, err := s.signInStep(c); err != nil {
				return err
			}
			return s.render(c, "signin", views.Page{Title: "Sign in", Data: form})
		}
	}
	if password == "" {
		return fail(fiber.StatusUnprocessableEntity, "password", "Enter your password")
	}
	if hasProvider && !provider.PasswordSignIn {
		// Decided by the domain, before any account is looked at, so the
		// answer says nothing about whether the account exists.
		form.Step = "email"
		return fail(fiber.StatusForbidden, "email", "People at "+domainOf(email)+" sign in with their organisation's own account, not a password. Choose Continue to go there.")
	}

	attempt, allowed, err := s.deps.Store.ReserveSignIn(ctx, email, c.IP(), signInLimits)
	if err != nil {
		return err
	}
	if !allowed {
		_ = s.deps.Store.LogAudit(ctx, s.actor(c), nil, "signin.throttled", "user", email, nil, nil)
		return fail(fiber.StatusTooManyRequests, "email", "There have been too many failed attempts to sign in. Wait 15 minutes, then try again.")
	}

	user, err := s.deps.Store.UserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil && user.DisabledAt == nil && user.PasswordHash != "":
		if ok, err = auth.VerifyPassword(user.PasswordHash, password); err != nil {
			s.logger(c).Error("stored password hash is unreadable", "user_id", user.ID, "error", err.Error())
			auth.EqualiseTiming(password)
			ok = false
		}
	case err == nil || apperr.Code(err) == apperr.ENOTFOUND:
		auth.EqualiseTiming(password) // the same delay whether or not the account exists
	default:
		return err
	}
	if !ok { // the reserved attempt stays, as a failure, now against the address too
		if err := s.deps.Store.SignInFailed(ctx, attempt); err != nil {
			return err
		}
		_ = s.deps.Store.LogAudit(ctx, s.actor(c), user.OrganisationID, "signin.failed", "user", email, nil, nil)
		return fail(fiber.StatusUnauthorized, "email", "Enter the email address and password of an active account")
	}
	// The person's organisation may have turned passwords off though the
	// address is at a domain that does not lead to its provider; only
	// someone who knows the password learns this.
	if user.OrganisationID != nil {
		if p, err := s.deps.Store.IdentityProviderOf(ctx, *user.OrganisationID); err == nil && !p.PasswordSignIn {
			_ = s.deps.Store.LogAudit(ctx, s.actor(c), user.OrganisationID, "signin.password_off", "user", itoa(user.ID), nil, nil)
			return fail(fiber.StatusForbidden, "email", "Your organisation has turned off signing in with a password: sign in with your organisation's own account.")
		} else if err != nil && apperr.Code(err) != apperr.ENOTFOUND {
			return err
		}
	}

	if err := s.deps.Store.SignInSucceeded(ctx, attempt, email, c.IP()); err != nil {
		return err
	}
	if auth.NeedsRehash(user.PasswordHash) {
		if h, err := auth.HashPassword(password); err == nil {
			_ = s.deps.Store.SetPassword(ctx, s.actor(c), scopeOf(&user), user.ID, h)
		}
	}
	return s.completeSignIn(c, user, next, "password", held)
}

// completeSignIn starts the person's session, however they proved who they
// are, and sends them on, or offers back the held form if it is theirs.
func (s *Server) completeSignIn(c *fiber.Ctx, user store.User, next, method string, held signInHeld) error {
	ctx := c.UserContext()
	if err := s.startSession(c, user); err != nil {
		return err
	}
	if err := s.deps.Store.RecordSignIn(ctx, user.ID); err != nil {
		return err
	}
	c.Locals(localUser, &user)
	_ = s.deps.Store.LogAudit(ctx, s.actor(c), user.OrganisationID, "signin", "user", itoa(user.ID), nil, map[string]string{"method": method})
	if h, ok := held.of(user); ok {
		return s.showHeld(c, h)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func domainOf(email string) string {
	_, d, _ := strings.Cut(email, "@")
	return d
}

func (s *Server) signOut(c *fiber.Ctx) error {
	if u := currentUser(c); u != nil {
		_ = s.deps.Store.LogAudit(c.UserContext(), s.actor(c), u.OrganisationID, "signout", "user", itoa(u.ID), nil, nil)
	}
	if err := s.endSession(c); err != nil {
		return err
	}
	to := "/sign-in"
	if u := currentUser(c); u != nil && u.OrganisationID != nil {
		// Offer the provider's sign-out on the next page, where the
		// organisation has one.
		if _, err := s.deps.Store.IdentityProviderOf(c.UserContext(), *u.OrganisationID); err == nil {
			to += "?org=" + itoa(*u.OrganisationID)
		}
	}
	return c.Redirect(doneURL(to, "signed-out"), fiber.StatusSeeOther)
}
