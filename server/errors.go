package server

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// statusOf maps error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	apperr.ENOTFOUND:     fiber.StatusNotFound,
	apperr.ECONFLICT:     fiber.StatusConflict,
	apperr.EINVALID:      fiber.StatusUnprocessableEntity,
	apperr.EUNAUTHORIZED: fiber.StatusUnauthorized,
	apperr.EFORBIDDEN:    fiber.StatusForbidden,
	apperr.EINTERNAL:     fiber.StatusInternalServerError,
}

// statusClientClosedRequest is logged for a request whose client went away
// before the answer was ready (nginx's 499).
const statusClientClosedRequest = 499

var errorHeadings = map[int]string{
	fiber.StatusNotFound:              "Page not found",
	fiber.StatusForbidden:             "You cannot do this",
	fiber.StatusUnauthorized:          "Sign in to continue",
	fiber.StatusConflict:              "Someone else changed this",
	fiber.StatusUnprocessableEntity:   "There is a problem",
	fiber.StatusMethodNotAllowed:      "Page not found",
	fiber.StatusRequestEntityTooLarge: "The file or form is too large",
	fiber.StatusInternalServerError:   "Sorry, there is a problem with the service",
	fiber.StatusServiceUnavailable:    "Sorry, the service is not available right now",
}

// handleError writes any error a handler returns: JSON under /api, an error
// page elsewhere. Internal errors are logged and never shown.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	if errors.Is(err, context.Canceled) && errors.Is(c.UserContext().Err(), context.Canceled) {
		// The client went away (see watchClient) and will read no answer.
		return c.SendStatus(statusClientClosedRequest)
	}
	code, message := apperr.Code(err), apperr.Message(err)
	status := statusOf[code]
	var fe *fiber.Error
	if errors.As(err, &fe) { // routing and body-size errors
		status, message = fe.Code, fe.Message
		code = apperr.EINTERNAL
		if fe.Code < 500 {
			code = apperr.EINVALID // e.g. a body over the size limit: the client's to fix
		}
		for c, st := range statusOf {
			if st == fe.Code {
				code = c
			}
		}
		if fe.Code == fiber.StatusNotFound || fe.Code == fiber.StatusMethodNotAllowed {
			message = "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address."
		}
		if unread, _ := c.Locals(localUnread).(bool); unread && fe.Code == fiber.StatusBadRequest {
			message = "The request could not be read." // fasthttp's own words quote the request back
		}
	}
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	if status == fiber.StatusInternalServerError && store.Unavailable(err) {
		status, code = fiber.StatusServiceUnavailable, "unavailable"
	}
	switch {
	case status == fiber.StatusServiceUnavailable:
		s.logger(c).Error("request failed: database unavailable", "error", err.Error())
		message = "The database is not answering. Try again in a minute; if you were saving something, check afterwards that it was saved. If it keeps happening, quote this reference to your administrator: " + RequestID(c)
	case status >= 500:
		s.logger(c).Error("request failed", "error", err.Error())
		message = "Try again later. If it keeps happening, quote this reference to your administrator: " + RequestID(c)
	}
	c.Status(status)
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.JSON(fiber.Map{"error": fiber.Map{"code": code, "message": message, "request_id": RequestID(c)}})
	}
	if status == fiber.StatusUnauthorized && c.Method() == fiber.MethodGet {
		return c.Redirect("/sign-in?next="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	heading := errorHeadings[status]
	if heading == "" {
		heading = "There is a problem"
	}
	return s.render(c, "error", views.Page{Title: heading, Data: views.ErrorPage{Status: status, Heading: heading, Message: message}})
}
