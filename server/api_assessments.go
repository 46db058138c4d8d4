package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// decodeJSON reads a request body strictly (see input.DecodeJSON).
func decodeJSON(c *fiber.Ctx, v any) error { return input.DecodeJSON(c.Body(), v) }

func (s *Server) apiListAssessments(c *fiber.Ctx) error {
	list, err := s.deps.Store.ListAssessments(c.UserContext(), scopeOf(currentUser(c)))
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Assessment{}
	}
	return c.JSON(fiber.Map{"assessments": list})
}

func (s *Server) apiShowAssessment(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	responses := make([]store.Response, 0, len(la.Responses))
	actions := []store.Action{}
	for _, st := range la.Framework.Standards() {
		responses = append(responses, la.Responses[st.ID])
		actions = append(actions, la.Actions[st.ID]...)
	}
	return c.JSON(fiber.Map{"assessment": la.Assessment, "cycle": la.Cycle, "responses": responses, "actions": actions})
}

// apiSaveResponse sets one answer; version must be the one the client read.
func (s *Server) apiSaveResponse(c *fiber.Ctx) error {
	la, err := s.assessmentToChange(c)
	if err != nil {
		return err
	}
	st, _, err := s.standardToChange(c, la, "You cannot change answers in %s of this assessment.")
	if err != nil {
		return err
	}
	in := input.Answer{Scale: la.Framework.Levels()}
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	saved, err := s.deps.Store.SaveResponse(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, in.Response(st.ID), in.Version)
	var conflict *store.ConflictError
	if errors.As(err, &conflict) {
		return c.Status(fiber.StatusConflict).JSON(fiber.Map{
			"error":   fiber.Map{"code": apperr.ECONFLICT, "message": conflict.Error(), "request_id": RequestID(c)},
			"current": conflict.Current,
		})
	}
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

func (s *Server) apiSubmitAssessment(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	var in input.SignOff
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if gaps := submissionGaps(la); len(gaps) > 0 {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
			"error":   fiber.Map{"code": apperr.EINVALID, "message": "The assessment is not complete", "request_id": RequestID(c)},
			"missing": gapStrings(gaps),
		})
	}
	if err := in.Validate().Err(); err != nil {
		return err
	}
	name, role := in.SignedOff()
	as, err := s.deps.Store.SubmitAssessment(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, name, role)
	if err != nil {
		return err
	}
	return c.JSON(as)
}
