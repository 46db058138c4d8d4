package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

var linkExpired = apperr.Errorf(apperr.ENOTFOUND, "This link has expired or has already been used. Ask your organisation's owner for a new one.")

func (s *Server) showSetPassword(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	_, user, err := s.deps.Store.PasswordTokenByHash(c.UserContext(), auth.HashToken(token))
	if apperr.Code(err) == apperr.ENOTFOUND {
		return linkExpired
	}
	if err != nil {
		return err
	}
	return s.render(c, "set_password", views.Page{Title: "Set your password", Data: views.SetPassword{Token: token, Email: user.Email}})
}

func (s *Server) setPassword(c *fiber.Ctx) error {
	ctx := c.UserContext()
	token := strings.Clone(c.Params("token"))
	hash := auth.HashToken(token)
	_, user, err := s.deps.Store.PasswordTokenByHash(ctx, hash)
	if apperr.Code(err) == apperr.ENOTFOUND {
		return linkExpired
	}
	if err != nil {
		return err
	}
	password, confirm := c.FormValue("password"), c.FormValue("confirm")
	var field, msg string
	switch {
	case password == "":
		field, msg = "password", "Enter a new password"
	case password != confirm:
		field, msg = "confirm", "The two passwords do not match"
	default:
		if err := auth.CheckPassword(password, personalWords(user)...); err != nil {
			field, msg = "password", apperr.Message(err)
		}
	}
	if field != "" {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "set_password", views.Page{Title: "Set your password",
			Errors: []views.FieldError{{Field: field, Message: msg}},
			Data:   views.SetPassword{Token: token, Email: user.Email}})
	}
	pwHash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := s.deps.Store.UsePasswordToken(ctx, hash, pwHash); err != nil {
		if apperr.Code(err) == apperr.EINVALID {
			return linkExpired
		}
		return err
	}
	return c.Redirect(doneURL("/sign-in", "password-set"), fiber.StatusSeeOther)
}

// personalWords are values a password must not contain.
func personalWords(u store.User) []string {
	words := []string{u.Email}
	if local, _, ok := strings.Cut(u.Email, "@"); ok {
		words = append(words, local)
	}
	return append(words, strings.Fields(u.DisplayName)...)
}
