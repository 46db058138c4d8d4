package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
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

// handleError writes any error a handler returns: JSON under /api, plain
// text elsewhere. Internal errors are logged and never shown.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	code, message := apperr.Code(err), apperr.Message(err)
	status := statusOf[code]
	var fe *fiber.Error
	if errors.As(err, &fe) { // routing errors such as 404 and 405
		status, message = fe.Code, fe.Message
		code = apperr.EINTERNAL
		for c, st := range statusOf {
			if st == fe.Code {
				code = c
			}
		}
	}
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	if status >= 500 {
		s.logger(c).Error("request failed", "error", err.Error())
	}
	c.Status(status)
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.JSON(fiber.Map{"error": fiber.Map{"code": code, "message": message, "request_id": RequestID(c)}})
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.SendString(message)
}
