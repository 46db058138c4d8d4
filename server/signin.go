package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Sign-in throttling: failures counted over a window, per account and per
// address, shared by every instance through the database.
const (
	throttleWindow     = 15 * time.Minute
	maxFailsPerAccount = 5
	maxFailsPerAddress = 20
)

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
	form := views.SignIn{Email: email, Next: next}
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

	byAccount, byAddress, err := s.deps.Store.FailedSignIns(ctx, email, c.IP(), s.deps.Store.Now().Add(-throttleWindow))
	if err != nil {
		return err
	}
	if byAccount >= maxFailsPerAccount || byAddress >= maxFailsPerAddress {
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
	if !ok {
		if err := s.deps.Store.RecordFailedSignIn(ctx, email, c.IP()); err != nil {
			return err
		}
		_ = s.deps.Store.LogAudit(ctx, s.actor(c), user.OrganisationID, "signin.failed", "user", email, nil, nil)
		return fail(fiber.StatusUnauthorized, "email", "Enter the email address and password of an active account")
	}

	if err := s.deps.Store.ClearFailedSignIns(ctx, email); err != nil {
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
