package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// The wellbeing van fleet through the API, by the same store calls and
// input rules as the pages (vans.go).

// apiVanRequests lists the organisation's van requests starting in a
// calendar year (?year=, by default this one), with the delivered totals.
func (s *Server) apiVanRequests(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	year, err := queryYear(c, "year", s.deps.Store.Now().Year(), 2000, 2100)
	if err != nil {
		return err
	}
	list, err := s.deps.Store.VanRequests(c.UserContext(), scopeOf(currentUser(c)), org.ID, year)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.VanRequest{}
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "year": year, "requests": list, "totals": store.TotalVans(list)})
}

func (s *Server) apiRequestVan(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	var in input.VanRequest
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	r := store.VanRequest{OrganisationID: org.ID}
	in.Apply(&r)
	saved, err := s.deps.Store.RequestVan(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), r)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(saved)
}

func (s *Server) apiWithdrawVan(c *fiber.Ctx) error {
	r, err := s.deps.Store.WithdrawVanRequest(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), vanRequestParam(c))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// apiFleet lists the NPWS's vans.
func (s *Server) apiFleet(c *fiber.Ctx) error {
	fleet, err := s.deps.Store.Vans(c.UserContext())
	if err != nil {
		return err
	}
	if fleet == nil {
		fleet = []store.Van{}
	}
	return c.JSON(fiber.Map{"vans": fleet})
}

func (s *Server) apiAddVan(c *fiber.Ctx) error {
	var in input.Van
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	v, err := s.deps.Store.SaveVan(c.UserContext(), s.actor(c), in.Record())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// apiChangeVan changes a van: its name, registration or whether it is in
// service.
func (s *Server) apiChangeVan(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("van"), 10, 64)
	if err != nil || id < 1 {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such van.")
	}
	var in input.Van
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	v := in.Record()
	v.ID = id
	saved, err := s.deps.Store.SaveVan(c.UserContext(), s.actor(c), v)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

// apiFleetRequests is the national calendar: every organisation's
// requests starting in a calendar year, with the delivered totals.
func (s *Server) apiFleetRequests(c *fiber.Ctx) error {
	year, err := queryYear(c, "year", s.deps.Store.Now().Year(), 2000, 2100)
	if err != nil {
		return err
	}
	list, err := s.deps.Store.FleetRequests(c.UserContext(), s.actor(c), year)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.VanRequest{}
	}
	return c.JSON(fiber.Map{"year": year, "requests": list, "totals": store.TotalVans(list)})
}

// apiFleetStep decodes and checks a national step's input, then makes it.
func apiFleetStep[T any, P interface {
	*T
	input.Input
}](c *fiber.Ctx, change func(in T, id int64) (store.VanRequest, error)) error {
	var in T
	if err := input.DecodeValid(c.Body(), P(&in)); err != nil {
		return err
	}
	r, err := change(in, vanRequestParam(c))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiScheduleVan(c *fiber.Ctx) error {
	return apiFleetStep(c, func(in input.VanBooking, id int64) (store.VanRequest, error) {
		return s.deps.Store.ScheduleVan(c.UserContext(), s.actor(c), id, in.VanID)
	})
}

func (s *Server) apiDeclineVan(c *fiber.Ctx) error {
	return apiFleetStep(c, func(in input.VanDecline, id int64) (store.VanRequest, error) {
		return s.deps.Store.DeclineVanRequest(c.UserContext(), s.actor(c), id, in.Reason)
	})
}

func (s *Server) apiDeliverVan(c *fiber.Ctx) error {
	return apiFleetStep(c, func(in input.VanDelivery, id int64) (store.VanRequest, error) {
		return s.deps.Store.RecordVanDelivery(c.UserContext(), s.actor(c), id, in.Delivery())
	})
}
