package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/openapi"
)

// editionSummary is the API's view of one loaded edition.
type editionSummary struct {
	Kind    string         `json:"kind"`
	Key     string         `json:"key"`
	Version string         `json:"version"`
	Title   string         `json:"title"`
	Status  string         `json:"status"`
	SHA256  string         `json:"sha256"`
	Counts  map[string]int `json:"counts"`
}

func summarise(e *frameworks.Edition) editionSummary {
	return editionSummary{
		Kind: e.Kind, Key: e.Key, Version: e.Version, Title: e.Title,
		Status: e.Status, SHA256: e.SHA256, Counts: e.Counts(),
	}
}

func (s *Server) listFrameworks(c *fiber.Ctx) error {
	out := make([]editionSummary, 0, len(s.deps.Frameworks.Editions))
	for _, e := range s.deps.Frameworks.Editions {
		out = append(out, summarise(e))
	}
	return c.JSON(fiber.Map{"editions": out})
}

func (s *Server) showFramework(c *fiber.Ctx) error {
	e := s.deps.Frameworks.Edition(c.Params("key"), c.Params("version"))
	if e == nil {
		return apperr.Errorf(apperr.ENOTFOUND, "no framework edition %q version %q is loaded", c.Params("key"), c.Params("version"))
	}
	var content any
	switch {
	case e.Framework != nil:
		content = e.Framework
	case e.Crosswalk != nil:
		content = e.Crosswalk
	case e.RiskModel != nil:
		content = e.RiskModel
	case e.WelfarePolicy != nil:
		content = e.WelfarePolicy
	}
	return c.JSON(fiber.Map{"edition": summarise(e), "content": content})
}

// openAPI serves the API's description.
func (s *Server) openAPI(c *fiber.Ctx) error {
	return c.JSON(openapi.Document(s.deps.Version))
}
