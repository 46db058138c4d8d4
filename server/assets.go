package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/static"
)

// serveAsset serves the built CSS, JavaScript and images. Hashed names are
// cached for a year; plain names (used inside the stylesheet) for an hour.
func (s *Server) serveAsset(c *fiber.Ctx) error {
	data, contentType, immutable, ok := static.Lookup(c.Params("*"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, contentType)
	if immutable {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	}
	return c.Send(data)
}
