package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// The footer's pages: accessibility statement, privacy notice, cookies,
// and help and contact. Open to everyone, signed in or not. Their wording
// is the operator's to adapt (templates info_*.html); the facts they state
// about the service (cookies, time-outs, what is kept) come from the code.

type infoPage struct {
	IdleMinutes, AbsoluteHours, KeepIdleHours int
	FailedMinutes, FamiliarDays               int
}

func (s *Server) infoFacts() infoPage {
	return infoPage{
		IdleMinutes: int(idleTimeout.Minutes()), AbsoluteHours: int(absoluteTimeout.Hours()),
		KeepIdleHours: int(keepIdleSessionFor.Hours()), FailedMinutes: int(throttleWindow.Minutes()),
		FamiliarDays: int(familiarAddressLifetime.Hours() / 24),
	}
}

func (s *Server) showInfo(page, title string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return s.render(c, page, views.Page{Title: title, Data: s.infoFacts()})
	}
}
