package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
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

type apiAnswer struct {
	Level    *int   `json:"level"`
	Target   *int   `json:"target"`
	Evidence string `json:"evidence"`
	Links    string `json:"links"`
	Version  int    `json:"version"`
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
	in, err := answerFromAPI(la.Framework, c.Body())
	if err != nil {
		return err
	}
	saved, err := s.deps.Store.SaveResponse(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID,
		store.Response{StandardID: st.ID, Level: in.Level, Target: in.Target, Evidence: in.Evidence, Links: in.Links}, in.Version)
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

// answerFromAPI decodes and checks an answer sent to the API, by the rules
// the form and the workbook follow.
func answerFromAPI(f *frameworks.Framework, body []byte) (apiAnswer, error) {
	var in apiAnswer
	if err := input.DecodeJSON(body, &in); err != nil {
		return in, err
	}
	in.Evidence, in.Links = strings.TrimSpace(in.Evidence), strings.TrimSpace(in.Links)
	errs := checkAnswer(in.Level != nil && onScale(f, *in.Level), in.Target == nil || onScale(f, *in.Target), in.Evidence, in.Links)
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Field + ": " + e.Message
		}
		return in, apperr.Errorf(apperr.EINVALID, "%s", strings.Join(msgs, "; "))
	}
	return in, nil
}

type apiSignOff struct {
	Name string `json:"signed_off_name"`
	Role string `json:"signed_off_role"`
}

func (s *Server) apiSubmitAssessment(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	var in apiSignOff
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if gaps := submissionGaps(la); len(gaps) > 0 {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
			"error":   fiber.Map{"code": apperr.EINVALID, "message": "The assessment is not complete", "request_id": RequestID(c)},
			"missing": gaps,
		})
	}
	if strings.TrimSpace(in.Name) == "" || strings.TrimSpace(in.Role) == "" {
		return apperr.Errorf(apperr.EINVALID, "signed_off_name and signed_off_role are both required")
	}
	as, err := s.deps.Store.SubmitAssessment(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), la.ID, strings.TrimSpace(in.Name), strings.TrimSpace(in.Role))
	if err != nil {
		return err
	}
	return c.JSON(as)
}
