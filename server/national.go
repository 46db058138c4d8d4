package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/nationalpdf"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// The national benchmarks, for national admins only: the named picture of
// every organisation, distributions per group with disclosure control, the
// national workbook, the publishable summary PDF and the batch of every
// organisation's benchmark PDF.

type nationalIndexPage struct{ Cycles []store.Cycle }

func (s *Server) listNational(c *fiber.Ctx) error {
	cycles, err := s.deps.Store.Cycles(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "national_index", views.Page{Title: "National benchmarks", Data: nationalIndexPage{Cycles: cycles}})
}

type nationalPage struct {
	Cycle       store.Cycle
	Edition     string
	Submission  []nationalpdf.SubmissionRow
	Orgs        []nationalOrg
	Tables      []nationalpdf.GroupTable
	Provision   []nationalpdf.GroupTable
	Rule        string
	Suppressed  []string
	MinGroup    int
	KeyMessages []string
}

type nationalOrg struct {
	store.CycleOrg
	Overall figure.Value
}

// showNational is the national picture of one cycle.
func (s *Server) showNational(c *fiber.Ctx) error {
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	sum, err := s.reports.NationalSummary(c.UserContext(), f)
	if err != nil {
		return err
	}
	page := nationalPage{KeyMessages: sum.KeyMessages, Cycle: f.Cycle, Edition: sum.Edition, Submission: sum.Submission, Tables: sum.Groups, Provision: sum.Provision,
		Rule: f.Result.Rule(), Suppressed: sum.Suppressed, MinGroup: f.Result.MinGroup()}
	for _, o := range f.Orgs {
		page.Orgs = append(page.Orgs, nationalOrg{CycleOrg: o, Overall: reporting.Overall(f, o.ID)})
	}
	return s.render(c, "national", views.Page{Title: "National benchmarks " + f.Cycle.Name, BackLink: "/national", Data: page})
}

func (s *Server) downloadNationalSummary(c *fiber.Ctx) error {
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	data, err := s.reports.NationalSummaryPDF(c.UserContext(), f)
	if err != nil {
		return err
	}
	return sendFile(c, "application/pdf", reporting.FileName("national-summary", "npws", f.Cycle.Name, "pdf"), data)
}

func (s *Server) downloadNationalWorkbook(c *fiber.Ctx) error {
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	data, err := s.reports.NationalXLSX(c.UserContext(), f)
	if err != nil {
		return err
	}
	return sendFile(c, reporting.XLSXType, reporting.FileName("national-benchmarks", "npws", f.Cycle.Name, "xlsx"), data)
}
