package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type historyPage struct {
	Assessment *loadedAssessment
	reporting.History
}

// showHistory compares this assessment with the organisation's earlier
// ones, standard by standard, through the crosswalk where editions differ.
func (s *Server) showHistory(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	h, err := s.reports.History(c.UserContext(), *la)
	if err != nil {
		return err
	}
	return s.render(c, "history", views.Page{Title: "Year on year: " + la.OrgName, BackLink: "/assessments/" + itoa(la.ID), Data: historyPage{Assessment: la, History: h}})
}
