package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
)

// National assessment cycles: national admins open one on a framework
// edition, then extend, close or reopen it. The cycles are listed on the
// assessments page (assessment_list.go).

// editionOptions are the framework editions loaded, which a cycle may be
// opened on.
func (s *Server) editionOptions(selected string) []Option {
	var out []Option
	for _, e := range s.deps.Frameworks.Editions {
		if e.Framework != nil {
			v := e.Key + "/" + e.Version
			out = append(out, Option{Value: v, Label: e.Title + " " + e.Version, Selected: v == selected})
		}
	}
	return out
}

// createCycle opens a national assessment cycle on a framework edition.
func (s *Server) createCycle(c *fiber.Ctx) error {
	f := readForm(c)
	var in input.Cycle
	for _, o := range s.editionOptions("") {
		in.Editions = append(in.Editions, o.Value)
	}
	if f.Read(&in) {
		_, err := s.deps.Store.CreateCycle(c.UserContext(), s.actor(c), in.Record())
		if err == nil {
			return c.Redirect("/assessments", fiber.StatusSeeOther)
		}
		field := "name"
		if strings.Contains(apperr.Message(err), "date") {
			field = "closes"
		}
		if err = f.StoreError(err, field); err != nil {
			return err
		}
	}
	typed := cycleForm{Name: f.Values["name"], Framework: f.Values["framework"], Opens: f.Values["opens"], Closes: f.Values["closes"]}
	return s.renderAssessments(c, typed, f.Errs)
}

// updateCycle extends, closes or reopens a cycle.
func (s *Server) updateCycle(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such cycle.")
	}
	closes := input.WithDates(formValue(c))("closes-" + c.Params("id")) // each cycle's row has its own
	in := input.CycleChange{ClosesOn: &closes, Status: c.FormValue("status")}
	if ps := in.Validate(); len(ps) > 0 {
		return apperr.Errorf(apperr.EINVALID, "%s", ps[0].Message)
	}
	if _, err := s.deps.Store.UpdateCycle(c.UserContext(), s.actor(c), id, in.Closes(), in.Status); err != nil {
		return err
	}
	return c.Redirect("/assessments", fiber.StatusSeeOther)
}
