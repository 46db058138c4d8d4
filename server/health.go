package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz says the process is alive; it touches nothing else.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok", "version": s.deps.Version})
}

// readyz says whether this instance can serve: the database answers and the
// frameworks are loaded. Load balancers route traffic by it.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	ready := true
	database := "ok"
	if err := s.deps.Store.Ping(ctx); err != nil {
		ready, database = false, "unreachable"
		s.logger(c).Warn("readiness: database unreachable", "error", err.Error())
	}
	editions := 0
	if s.deps.Frameworks != nil {
		editions = len(s.deps.Frameworks.Editions)
	}
	if editions == 0 {
		ready = false
	}
	body := fiber.Map{"database": database, "framework_editions": editions}
	if !ready {
		body["status"] = "unavailable"
		return c.Status(fiber.StatusServiceUnavailable).JSON(body)
	}
	body["status"] = "ready"
	return c.JSON(body)
}
