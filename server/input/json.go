package input

import (
	"errors"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/strictjson"
)

// DecodeJSON reads a request body strictly into v: unknown fields, wrong
// types and anything after the object are refused, so a client's typo is
// reported rather than silently ignored, and each refusal names the field
// or the place in the body.
func DecodeJSON(body []byte, v any) error {
	err := strictjson.Decode(body, v)
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return err
	}
	const notFor = "The request body is not valid JSON for this operation: "
	switch {
	case se.Kind == strictjson.Empty:
		return apperr.Errorf(apperr.EINVALID, "The request body is empty: send a JSON object")
	case se.Kind == strictjson.CutShort:
		return apperr.Errorf(apperr.EINVALID, "The request body is not valid JSON: it ends too soon")
	case se.Kind == strictjson.Trailing:
		return apperr.Errorf(apperr.EINVALID, "The request body must hold one JSON object and nothing after it")
	case se.Kind == strictjson.Syntax && se.Offset > 0:
		return apperr.Errorf(apperr.EINVALID, "The request body is not valid JSON: %s (at byte %d)", se.Detail, se.Offset)
	case se.Kind == strictjson.Syntax:
		return apperr.Errorf(apperr.EINVALID, "The request body is not valid JSON: %s", se.Detail)
	case se.Path == "" && se.Got != "":
		return apperr.Errorf(apperr.EINVALID, "The request body must be a JSON object, not %s", se.Got)
	case se.Unknown:
		return apperr.Errorf(apperr.EINVALID, notFor+"unknown field %q", se.Path)
	case se.Want != "":
		return apperr.Errorf(apperr.EINVALID, notFor+"%q must be %s, not %s", se.Path, se.Want, se.Got)
	}
	return apperr.Errorf(apperr.EINVALID, notFor+"%q %s", se.Path, strings.TrimSpace(se.Problem))
}

// DecodeValid reads a request body into an input type and checks it.
func DecodeValid(body []byte, in Input) error {
	if err := DecodeJSON(body, in); err != nil {
		return err
	}
	return in.Validate().Err()
}
