package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type tokensPage struct {
	Tokens   []store.APIToken
	Name     string
	NewToken string // shown once, straight after creation
}

func (s *Server) listTokens(c *fiber.Ctx) error {
	return s.renderTokens(c, tokensPage{}, nil)
}

func (s *Server) renderTokens(c *fiber.Ctx, page tokensPage, errs []views.FieldError) error {
	tokens, err := s.deps.Store.ListAPITokens(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	page.Tokens = tokens
	return s.render(c, "tokens", views.Page{Title: "API tokens", Errors: errs, Flash: banner(c), Data: page})
}

func (s *Server) createToken(c *fiber.Ctx) error {
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" || len(name) > 80 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderTokens(c, tokensPage{Name: name}, []views.FieldError{{Field: "name", Message: "Enter a name for the token of 80 characters or fewer, such as the system that will use it"}})
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	u := currentUser(c)
	if _, err := s.deps.Store.CreateAPIToken(c.UserContext(), s.actor(c), store.APIToken{UserID: u.ID, Name: name, Hash: hash, Prefix: token[:8]}); err != nil {
		return err
	}
	return s.renderTokens(c, tokensPage{NewToken: token}, nil)
}

func (s *Server) revokeToken(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such token.")
	}
	if err := s.deps.Store.RevokeAPIToken(c.UserContext(), s.actor(c), currentUser(c).ID, id); err != nil {
		return err
	}
	return c.Redirect(doneURL("/tokens", "revoked"), fiber.StatusSeeOther)
}

// apiMe tells an API client whose token it holds.
func (s *Server) apiMe(c *fiber.Ctx) error {
	u := currentUser(c)
	return c.JSON(fiber.Map{
		"id": u.ID, "email": u.Email, "name": u.DisplayName, "role": u.Role,
		"organisation_id": u.OrganisationID, "sections": u.Sections,
	})
}

// confirmRevokeToken asks before revoking one of the person's own tokens:
// a revoked token cannot be used again.
func (s *Server) confirmRevokeToken(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	tokens, err := s.deps.Store.ListAPITokens(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if t.ID != id {
			continue
		}
		if t.RevokedAt != nil {
			return c.Redirect("/tokens", fiber.StatusSeeOther)
		}
		used := "Never"
		if t.LastUsedAt != nil {
			used = t.LastUsedAt.Format("2 January 2006 15:04")
		}
		return s.renderConfirm(c, "Revoke the token “"+t.Name+"”?", "/tokens", confirmPage{
			Details: []keyValue{{"Name", t.Name}, {"Starts with", t.Prefix + "…"}, {"Last used", used}},
			Lead:    "Revoking a token cannot be undone. Once it is revoked:",
			Follows: []string{"any system using it is refused at once", "to give that system access again, create a new token and set it there"},
			Action:  "/tokens/" + itoa(t.ID) + "/revoke", Button: "Revoke the token",
			Cancel: "/tokens", CancelText: "Keep the token",
		})
	}
	return apperr.Errorf(apperr.ENOTFOUND, "There is no such token.")
}
