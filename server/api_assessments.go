package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// decodeJSON reads a request body strictly: unknown fields are an error, so
// a client's typo is reported rather than silently ignored, and every
// problem names the field or the place in the body.
func decodeJSON(c *fiber.Ctx, v any) error { return decodeJSONBody(c.Body(), v) }

// decodeJSONBody decodes one JSON object into v, with errors that say which
// field is wrong, or where the JSON breaks.
func decodeJSONBody(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.Errorf(apperr.EINVALID, "The request body is empty: send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, next := dec.Token(); next != io.EOF {
			return apperr.Errorf(apperr.EINVALID, "The request body must hold one JSON object and nothing after it")
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return apperr.Errorf(apperr.EINVALID, "The request body is not valid JSON: %v (at byte %d)", syntax, syntax.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return apperr.Errorf(apperr.EINVALID, "The request body must be a JSON object, not %s", typ.Value)
	case errors.As(err, &typ):
		return apperr.Errorf(apperr.EINVALID, "The request body is not valid JSON for this operation: %q must be %s, not %s", typ.Field, jsonKind(typ.Type), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Errorf(apperr.EINVALID, "The request body is not valid JSON: it ends too soon")
	case apperr.Code(err) == apperr.EINVALID: // from a field's own decoder, which names it
		return err
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return apperr.Errorf(apperr.EINVALID, "The request body is not valid JSON for this operation: unknown field %s", field)
	}
	return apperr.Errorf(apperr.EINVALID, "The request body is not valid JSON for this operation: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind says in words what JSON a Go type takes.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Pointer:
		return jsonKind(t.Elem()) + " or null"
	}
	return "an object"
}

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
	if err := decodeJSONBody(body, &in); err != nil {
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
