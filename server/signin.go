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
// lock its owner out; an address allows 20 over every account.
const throttleWindow = 15 * time.Minute

var signInLimits = store.SignInLimits{Window: throttleWindow, PerAccount: 5, PerAddress: 20}

// familiarAddressLifetime is how long an address stays familiar to an
// account after its last sign-in from there.
const familiarAddressLifetime = 90 * 24 * time.Hour

func (s *Server) showSignIn(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(s.safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.render(c, "signin", views.Page{Title: "Sign in", Flash: banner(c), Data: views.SignIn{Next: s.safeNext(c.Query("next"))}})
}

func (s *Server) signIn(c *fiber.Ctx) error {
	ctx := c.UserContext()
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	next := s.safeNext(c.FormValue("next"))
	form := views.SignIn{Email: email, Next: next, Held: c.FormValue("held")}
	if form.Held != "" {
		form.HeldUser, _ = strconv.ParseInt(c.FormValue("held_user"), 10, 64)
		form.IdleMinutes = int(idleTimeout / time.Minute)
	}
	fail := func(status int, field, msg string) error {
		c.Status(status)
		return s.render(c, "signin", views.Page{Title: "Sign in", Errors: []views.FieldError{{Field: field, Message: msg}}, Data: form})
	}
	if email == "" {
		return fail(fiber.StatusUnprocessableEntity, "email", "Enter your email address")
	}
	if password == "" {
		return fail(fiber.StatusUnprocessableEntity, "password", "Enter your password")
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
	if !ok { // the reserved attempt stays, as a failure
		_ = s.deps.Store.LogAudit(ctx, s.actor(c), user.OrganisationID, "signin.failed", "user", email, nil, nil)
		return fail(fiber.StatusUnauthorized, "email", "Enter the email address and password of an active account")
	}

	if err := s.deps.Store.SignInSucceeded(ctx, attempt, email, c.IP()); err != nil {
		return err
	}
	if auth.NeedsRehash(user.PasswordHash) {
		if h, err := auth.HashPassword(password); err == nil {
			_ = s.deps.Store.SetPassword(ctx, s.actor(c), scopeOf(&user), user.ID, h)
		}
	}
	if err := s.startSession(c, user); err != nil {
		return err
	}
	if err := s.deps.Store.RecordSignIn(ctx, user.ID); err != nil {
		return err
	}
	c.Locals(localUser, &user)
	_ = s.deps.Store.LogAudit(ctx, s.actor(c), user.OrganisationID, "signin", "user", itoa(user.ID), nil, nil)
	if held, ok := heldAfterSignIn(c, user); ok {
		return s.showHeld(c, held)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) signOut(c *fiber.Ctx) error {
	if u := currentUser(c); u != nil {
		_ = s.deps.Store.LogAudit(c.UserContext(), s.actor(c), u.OrganisationID, "signout", "user", itoa(u.ID), nil, nil)
	}
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.Redirect(doneURL("/sign-in", "signed-out"), fiber.StatusSeeOther)
}
