package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/businesscase"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/gapanalysis"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// The organisation's reports: the benchmark (HTML and PDF), the gap
// analysis workbook and the business case (HTML and PDF). Everyone in an
// organisation may read and download them; national admins open any
// organisation's with ?org=. Only the organisation itself is named in them.

type reportsPage struct {
	Org      store.Organisation
	OrgQuery string
	Cycles   []reportCycle
	// Orgs is the organisation picker, for national admins.
	Orgs []Option
}

type reportCycle struct {
	store.Cycle
	Status string
}

// listReports lists the cycles with links to each report.
func (s *Server) listReports(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	page := reportsPage{}
	if u.OrganisationID == nil && c.Query("org") == "" {
		orgs, err := s.deps.Store.ListOrganisations(ctx, scopeOf(u))
		if err != nil {
			return err
		}
		for _, o := range orgs {
			page.Orgs = append(page.Orgs, Option{Value: itoa(o.ID), Label: o.Name})
		}
		return s.render(c, "reports", views.Page{Title: "Reports", Data: page})
	}
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	page.Org, page.OrgQuery = org, orgQuery(c, org)
	cycles, err := s.deps.Store.Cycles(ctx)
	if err != nil {
		return err
	}
	all, err := s.deps.Store.ListAssessments(ctx, store.Scope{OrgID: org.ID})
	if err != nil {
		return err
	}
	status := map[int64]string{}
	for _, a := range all {
		status[a.CycleID] = a.Status
	}
	for _, cy := range cycles {
		page.Cycles = append(page.Cycles, reportCycle{Cycle: cy, Status: statusWord(status[cy.ID])})
	}
	return s.render(c, "reports", views.Page{Title: "Reports: " + org.Name, Data: page})
}

type benchmarkPage struct {
	Report   benchmarkpdf.Report
	Chart    []chartRow
	Base     string // the cycle's report path, e.g. /reports/3
	OrgQuery string
	Counted  bool
	Status   string
}

func reportBase(r *orgReport) string { return "/reports/" + itoa(r.Figures.Cycle.ID) }

// showBenchmark is the accessible HTML version of the benchmark report.
func (s *Server) showBenchmark(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	page := benchmarkPage{Report: s.benchmarkReport(r), Base: reportBase(r), OrgQuery: orgQuery(c, r.Org), Counted: r.Counted, Status: statusWord(r.Status)}
	page.Chart = chartRows(page.Report)
	return s.render(c, "report_benchmark", views.Page{Title: "Benchmark report: " + r.Org.Name + ", " + r.Figures.Cycle.Name,
		BackLink: "/reports" + page.OrgQuery, Data: page})
}

func (s *Server) downloadBenchmarkPDF(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	data, err := benchmarkpdf.Render(s.benchmarkReport(r))
	if err != nil {
		return err
	}
	return sendFile(c, "application/pdf", fileName("benchmark", r.Org.Slug, r.Figures.Cycle.Name, "pdf"), data)
}

func (s *Server) downloadGapAnalysis(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	data, err := gapanalysis.Build(s.gapWorkbook(r))
	if err != nil {
		return err
	}
	return sendFile(c, xlsxType, fileName("gap-analysis", r.Org.Slug, r.Figures.Cycle.Name, "xlsx"), data)
}

type businessCasePage struct {
	Doc         businesscase.Document
	Rule        string // the disclosure rule the peer medians follow
	Cost, Ret   float64
	ROI         string
	Base        string
	OrgQuery    string
	CanEdit     bool
	Assumptions []assumptionField
}

// assumptionField is one row of the assumptions form.
type assumptionField struct {
	businesscase.Assumption
	Default     businesscase.Assumption
	Overridden  bool
	Value       string // as typed, kept on an error
	SourceInput string
}

func (s *Server) showBusinessCase(c *fiber.Ctx) error {
	return s.renderBusinessCase(c, nil, nil)
}

// renderBusinessCase shows the business case with the assumptions form;
// typed holds what was typed when the form is shown again with errors.
func (s *Server) renderBusinessCase(c *fiber.Ctx, typed map[string][2]string, errs []views.FieldError) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	as, own, err := s.assumptionsFor(ctx, r.Org.ID)
	if err != nil {
		return err
	}
	doc, err := s.businessCase(ctx, r, as)
	if err != nil {
		return err
	}
	overridden := map[string]store.AssumptionOverride{}
	for _, o := range own {
		overridden[o.Key] = o
	}
	page := businessCasePage{Doc: doc, Rule: r.Figures.Result.Rule(), Base: reportBase(r), OrgQuery: orgQuery(c, r.Org), CanEdit: currentUser(c).Role == store.RoleOwner}
	page.Cost, page.Ret = businesscase.Totals(doc.Recommendations)
	if roi, ok := businesscase.ROI(page.Cost, page.Ret); ok {
		page.ROI = strconv.FormatFloat(roi, 'f', 0, 64) + "%"
	}
	for _, def := range businesscase.DefaultAssumptions() {
		f := assumptionField{Assumption: def, Default: def, Value: trimFloat(def.Value)}
		if o, ok := overridden[def.Key]; ok {
			f.Overridden, f.Value, f.SourceInput = true, trimFloat(o.Value), o.Source
			f.Assumption.Value, f.Assumption.Source = o.Value, o.Source
		}
		if t, ok := typed[def.Key]; ok {
			f.Value, f.SourceInput = t[0], t[1]
		}
		page.Assumptions = append(page.Assumptions, f)
	}
	if errs != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "report_business_case", views.Page{Title: "Business case: " + r.Org.Name + ", " + r.Figures.Cycle.Name,
		BackLink: "/reports" + page.OrgQuery, Errors: errs, Flash: flashFor(c), Data: page})
}

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// saveAssumptions keeps the owner's own assumptions: a value that differs
// from the default needs a source. Any error shows the form again with
// everything as typed and changes nothing.
func (s *Server) saveAssumptions(c *fiber.Ctx) error {
	// Only the organisation and the cycle are needed to save; the figures
	// are read only to show the form again.
	org, err := s.riskOrg(c)
	if err != nil {
		return err
	}
	cy, err := s.cycleParam(c)
	if err != nil {
		return err
	}
	typed := map[string][2]string{}
	var errs []views.FieldError
	var list []store.AssumptionOverride
	for _, def := range businesscase.DefaultAssumptions() {
		raw := strings.TrimSpace(c.FormValue("value-" + def.Key))
		src := strings.TrimSpace(c.FormValue("source-" + def.Key))
		typed[def.Key] = [2]string{raw, src}
		v, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", ""), 64)
		switch {
		case raw == "" || err != nil || v < 0:
			errs = append(errs, views.FieldError{Field: "value-" + def.Key, Message: def.Name + ": enter a number of zero or more"})
			continue
		case v == def.Value && src == "":
			continue // the default stands
		case src == "":
			errs = append(errs, views.FieldError{Field: "source-" + def.Key, Message: def.Name + ": say where your figure comes from"})
			continue
		case len(src) > 500:
			errs = append(errs, views.FieldError{Field: "source-" + def.Key, Message: def.Name + ": the source must be 500 characters or fewer"})
			continue
		}
		list = append(list, store.AssumptionOverride{Key: def.Key, Value: v, Source: src})
	}
	if len(errs) > 0 {
		return s.renderBusinessCase(c, typed, errs)
	}
	if err := s.deps.Store.SetAssumptionOverrides(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), org.ID, list); err != nil {
		return err
	}
	return c.Redirect("/reports/"+itoa(cy.ID)+"/business-case?saved=1", fiber.StatusSeeOther)
}

func (s *Server) downloadBusinessCase(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	as, _, err := s.assumptionsFor(c.UserContext(), r.Org.ID)
	if err != nil {
		return err
	}
	doc, err := s.businessCase(c.UserContext(), r, as)
	if err != nil {
		return err
	}
	data, err := businesscase.Render(doc)
	if err != nil {
		return err
	}
	return sendFile(c, "application/pdf", fileName("business-case", r.Org.Slug, r.Figures.Cycle.Name, "pdf"), data)
}

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// fileName is a download's name, e.g. benchmark-avon-somerset-2025-26.pdf.
func fileName(kind, slug, cycle, ext string) string {
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, cycle)
	return kind + "-" + slug + "-" + clean + "." + ext
}

func sendFile(c *fiber.Ctx, contentType, name string, data []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(data)
}

// chartRow is one area of the page's chart, as percentages of the scale's
// width; a position is -1 when its figure is not shown.
type chartRow struct {
	Title, Label                        string
	Value, Q1, Q3, PeerMedian, National float64
}

// chartRows lays the overall and area figures out on the maturity scale:
// the organisation's bar, the peer group's middle half, the peer median and
// the national median. The words of each row say the same for screen
// readers, and the table above holds every number.
func chartRows(rep benchmarkpdf.Report) []chartRow {
	top := 0
	for _, l := range rep.Scale {
		top = max(top, l.Value)
	}
	if top == 0 {
		return nil
	}
	at := func(v figure.Value) float64 {
		if !v.Ok() {
			return -1
		}
		return 100 * min(max(v.V, 0), float64(top)) / float64(top)
	}
	var rows []chartRow
	for _, res := range append([]benchmarkpdf.Result{rep.Overall}, rep.Areas...) {
		label := res.Title + ": yours " + res.Value.Format(1) + ", peer median " + res.Peer.Median.Format(1)
		if res.Peer.Q1.Ok() && res.Peer.Q3.Ok() {
			label += ", middle half of peers " + res.Peer.Q1.Format(1) + " to " + res.Peer.Q3.Format(1)
		}
		label += ", national median " + res.National.Median.Format(1)
		rows = append(rows, chartRow{Title: res.Title, Label: label, Value: at(res.Value), Q1: at(res.Peer.Q1), Q3: at(res.Peer.Q3),
			PeerMedian: at(res.Peer.Median), National: at(res.National.Median)})
	}
	return rows
}
