package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/static"
)

// Cache lifetimes of the built assets: a hashed name's content never
// changes; a plain name (used by url()s inside the stylesheet and by
// browsers asking for the favicon) may change with the next release.
const (
	immutableCache = "public, max-age=31536000, immutable"
	plainCache     = "public, max-age=300"
)

// serveAsset serves the built CSS, JavaScript and images under /assets/*.
func (s *Server) serveAsset(c *fiber.Ctx) error {
	data, contentType, immutable, ok := static.Lookup(c.Params("*"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if immutable {
		c.Set(fiber.HeaderCacheControl, immutableCache)
	} else {
		c.Set(fiber.HeaderCacheControl, plainCache)
	}
	return c.Send(data)
}
