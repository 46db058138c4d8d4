package server

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/nationalpdf"
	"github.com/bluelight-wellbeing/toolkit/server/batch"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// The national benchmarks, for national admins only: the named picture of
// every organisation, distributions per group with disclosure control, the
// national workbook, the publishable summary PDF and the batch of every
// organisation's benchmark PDF.

type nationalIndexPage struct {
	Cycles  []store.Cycle
	Batches []batch.State
}

func (s *Server) listNational(c *fiber.Ctx) error {
	cycles, err := s.deps.Store.Cycles(c.UserContext())
	if err != nil {
		return err
	}
	batches, err := s.recentBatches(c)
	if err != nil {
		return err
	}
	return s.render(c, "national_index", views.Page{Title: "National benchmarks", Data: nationalIndexPage{Cycles: cycles, Batches: batches}})
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
	Batches     []batch.State // this cycle's, newest first
	Filter      orgFilter
	Shown, All  int // organisations listed after the filter, and in all
	Standards   int // in the cycle's edition
	KeyMessages []string
	// TraumaGroups are the high-risk roles by trauma group, as published.
	TraumaGroups []nationalpdf.TraumaGroupRow
}

type nationalOrg struct {
	store.CycleOrg
	Overall  figure.Value
	Answered int // standards with a level
}

// orgFilter is the national list's search, filters and order, from the
// query string; unknown values are ignored rather than refused, as in any
// search box.
type orgFilter struct {
	Q, Sector, Status, Sort string
	Region, PeerGroup       string
	SectorOptions           []Option
	StatusOptions           []Option
	SortOptions             []Option
	// RegionOptions and PeerGroupOptions are the regions and peer groups
	// the cycle's organisations have (setChoices).
	RegionOptions    []Option
	PeerGroupOptions []Option
}

func readOrgFilter(c *fiber.Ctx) orgFilter {
	f := orgFilter{Q: strings.TrimSpace(c.Query("q")), Sector: c.Query("sector"), Status: c.Query("status"), Sort: c.Query("sort"),
		Region: c.Query("region"), PeerGroup: c.Query("peer_group")}
	opts := func(cur string, pairs ...string) []Option {
		var out []Option
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, Option{Value: pairs[i], Label: pairs[i+1], Selected: pairs[i] == cur})
		}
		return out
	}
	f.SectorOptions = opts(f.Sector, "", "Every sector", "police", "Police", "fire", "Fire and rescue", "ambulance", "Ambulance", "other", "Other")
	f.StatusOptions = opts(f.Status, "", "Any", "not-started", "Not started", store.StatusDraft, "In progress", store.StatusReturned, "Returned", store.StatusSubmitted, "Submitted", store.StatusValidated, "Validated")
	f.SortOptions = opts(f.Sort, "", "Name", "progress", "Least progress first", "overall", "Highest overall level first")
	return f
}

// setChoices offers the regions and peer groups of the organisations
// listed, in order, each once.
func (f *orgFilter) setChoices(orgs []store.CycleOrg) {
	var regions, groups []string
	for _, o := range orgs {
		regions, groups = append(regions, o.Region), append(groups, o.PeerGroup)
	}
	choices := func(all []string, cur, every string) []Option {
		slices.Sort(all)
		out := []Option{{Value: "", Label: every, Selected: cur == ""}}
		for _, v := range slices.Compact(all) {
			if v != "" {
				out = append(out, Option{Value: v, Label: v, Selected: v == cur})
			}
		}
		return out
	}
	f.RegionOptions = choices(regions, f.Region, "Every region")
	f.PeerGroupOptions = choices(groups, f.PeerGroup, "Every peer group")
}

func (f orgFilter) keep(o nationalOrg) bool {
	if f.Q != "" && !strings.Contains(strings.ToLower(o.Name), strings.ToLower(f.Q)) {
		return false
	}
	if f.Sector != "" && o.Sector != f.Sector {
		return false
	}
	if (f.Region != "" && o.Region != f.Region) || (f.PeerGroup != "" && o.PeerGroup != f.PeerGroup) {
		return false
	}
	switch {
	case f.Status == "":
	case f.Status == "not-started":
		return o.Status == ""
	default:
		return o.Status == f.Status
	}
	return true
}

func (f orgFilter) sort(orgs []nationalOrg) {
	switch f.Sort {
	case "progress":
		slices.SortStableFunc(orgs, func(a, b nationalOrg) int { return cmp.Compare(a.Answered, b.Answered) })
	case "overall":
		slices.SortStableFunc(orgs, func(a, b nationalOrg) int {
			av, bv := math.Inf(-1), math.Inf(-1)
			if a.Overall.Ok() {
				av = a.Overall.V
			}
			if b.Overall.Ok() {
				bv = b.Overall.V
			}
			return cmp.Compare(bv, av)
		})
	}
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
		Rule: f.Result.Rule(), Suppressed: sum.Suppressed, MinGroup: f.Result.MinGroup(), TraumaGroups: sum.TraumaGroups}
	answered, err := s.deps.Store.AnsweredCounts(c.UserContext(), scopeOf(currentUser(c)), f.Cycle.ID)
	if err != nil {
		return err
	}
	page.Filter = readOrgFilter(c)
	page.Filter.setChoices(f.Orgs)
	if f.Framework != nil {
		page.Standards = len(f.Framework.Standards())
	}
	for _, o := range f.Orgs {
		row := nationalOrg{CycleOrg: o, Overall: reporting.Overall(f, o.ID), Answered: answered[o.AssessmentID]}
		page.All++
		if page.Filter.keep(row) {
			page.Orgs = append(page.Orgs, row)
		}
	}
	page.Filter.sort(page.Orgs)
	page.Shown = len(page.Orgs)
	batches, err := s.recentBatches(c)
	if err != nil {
		return err
	}
	for _, b := range batches {
		if b.CycleID == f.Cycle.ID {
			page.Batches = append(page.Batches, b)
		}
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
