package server

import "github.com/gofiber/fiber/v2"

// apiOrganisationReport gives the organisation report's summary as data,
// for forces' own board papers: the same findings the page and the PDF
// open with.
func (s *Server) apiOrganisationReport(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	rep := s.reports.BenchmarkReport(r)
	return c.JSON(fiber.Map{"organisation_id": r.Org.ID, "organisation": r.Org.Name, "cycle": r.Figures.Cycle.Name,
		"comparator": rep.PeerGroup, "summary": rep.Findings})
}
