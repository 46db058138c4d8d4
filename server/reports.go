package server

import (
	"context"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/businesscase"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
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
	// Submitted counts the assessments in the cycle's group figures; a
	// cycle with none has no figures yet.
	Submitted int
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
	org, err := s.orgInView(c)
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
	submitted, err := s.deps.Store.Submissions(ctx)
	if err != nil {
		return err
	}
	latest := -1 // the newest cycle with submitted figures goes first
	for _, cy := range cycles {
		rc := reportCycle{Cycle: cy, Status: reporting.StatusWord(status[cy.ID]), Submitted: submitted[cy.ID]}
		if latest < 0 && rc.Submitted > 0 {
			latest = len(page.Cycles)
		}
		page.Cycles = append(page.Cycles, rc)
	}
	if latest > 0 {
		first := page.Cycles[latest]
		page.Cycles = append([]reportCycle{first}, slices.Delete(page.Cycles, latest, latest+1)...)
	}
	return s.render(c, "reports", views.Page{Title: "Reports: " + org.Name, Data: page})
}

// latestBenchmark is the headline of an organisation's benchmark report in
// the newest cycle with submitted figures, as the report's summary says it,
// for the home page; nil when no cycle has figures yet.
func (s *Server) latestBenchmark(ctx context.Context, org store.Organisation) (*homeBenchmark, error) {
	cycles, err := s.deps.Store.Cycles(ctx)
	if err != nil {
		return nil, err
	}
	submitted, err := s.deps.Store.Submissions(ctx)
	if err != nil {
		return nil, err
	}
	for _, cy := range cycles { // newest first
		if submitted[cy.ID] == 0 {
			continue
		}
		f, err := s.reports.Figures(ctx, cy)
		if err != nil {
			return nil, err
		}
		r, err := s.reports.OrgReport(ctx, org, f)
		if err != nil {
			return nil, err
		}
		rep := s.reports.BenchmarkReport(r)
		if rep.Findings == nil {
			return nil, nil
		}
		return &homeBenchmark{Cycle: cy, Headline: rep.Findings.Headline}, nil
	}
	return nil, nil
}

type homeBenchmark struct {
	Cycle    store.Cycle
	Headline string
}

type benchmarkPage struct {
	Report   benchmarkpdf.Report
	Chart    []reporting.ChartRow
	Base     string // the cycle's report path, e.g. /reports/3
	OrgQuery string
	Counted  bool
	Status   string
}

func reportBase(r *reporting.OrgReport) string { return "/reports/" + itoa(r.Figures.Cycle.ID) }

// showBenchmark is the accessible HTML version of the benchmark report.
func (s *Server) showBenchmark(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	page := benchmarkPage{Report: s.reports.BenchmarkReport(r), Base: reportBase(r), OrgQuery: orgQuery(c, r.Org), Counted: r.Counted, Status: reporting.StatusWord(r.Status)}
	page.Chart = reporting.ChartRows(page.Report)
	return s.render(c, "report_benchmark", views.Page{Title: "Benchmark report: " + r.Org.Name + ", " + r.Figures.Cycle.Name,
		BackLink: "/reports" + page.OrgQuery, Data: page})
}

func (s *Server) downloadBenchmarkPDF(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	data, err := s.reports.BenchmarkPDF(r)
	if err != nil {
		return err
	}
	return sendFile(c, "application/pdf", reporting.BenchmarkFileName(r.Org, r.Figures.Cycle), data)
}

func (s *Server) downloadGapAnalysis(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	data, err := s.reports.GapAnalysisXLSX(r)
	if err != nil {
		return err
	}
	return sendFile(c, reporting.XLSXType, reporting.FileName("gap-analysis", r.Org.Slug, r.Figures.Cycle.Name, "xlsx"), data)
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
	Optional    bool // a figure only the organisation can give, with no default
	Overridden  bool
	Value       string // as typed, kept on an error
	SourceInput string
}

func (s *Server) showBusinessCase(c *fiber.Ctx) error {
	return s.renderBusinessCase(c, nil, nil)
}

// renderBusinessCase shows the business case with the assumptions form;
// typed holds what was typed, by field, when the form is shown again with
// errors.
func (s *Server) renderBusinessCase(c *fiber.Ctx, typed map[string]string, errs []views.FieldError) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	as, own, err := s.reports.Assumptions(ctx, r.Org)
	if err != nil {
		return err
	}
	doc, err := s.reports.BusinessCase(ctx, r, as)
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
	for _, def := range assumptionsFor(r.Org) {
		f := assumptionField{Assumption: def, Default: def, Value: trimFloat(def.Value), Optional: isOwnFigure(def.Key)}
		if f.Optional {
			f.Value = ""
		}
		if o, ok := overridden[def.Key]; ok {
			f.Overridden, f.Value, f.SourceInput = true, trimFloat(o.Value), o.Source
			f.Assumption.Value, f.Assumption.Source = o.Value, o.Source
		}
		if typed != nil {
			f.Value, f.SourceInput = typed["value-"+def.Key], typed["source-"+def.Key]
		}
		page.Assumptions = append(page.Assumptions, f)
	}
	if errs != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "report_business_case", views.Page{Title: "Business case: " + r.Org.Name + ", " + r.Figures.Cycle.Name,
		BackLink: "/reports" + page.OrgQuery, Errors: errs, Flash: banner(c), Data: page})
}

// assumptionsFor are the assumptions the organisation's business case can
// use: its sector's defaults, then the figures only it can give.
func assumptionsFor(org store.Organisation) businesscase.Assumptions {
	return append(businesscase.DefaultAssumptions(org.Sector), businesscase.OwnFigures()...)
}

func isOwnFigure(key string) bool {
	_, ok := businesscase.OwnFigures().Get(key)
	return ok
}

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// saveAssumptions keeps the owner's own assumptions: a value that differs
// from the default needs a source. Any error shows the form again with
// everything as typed and changes nothing.
func (s *Server) saveAssumptions(c *fiber.Ctx) error {
	// Only the organisation and the cycle are needed to save; the figures
	// are read only to show the form again.
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	cy, err := s.cycleParam(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.Assumptions
	for _, def := range assumptionsFor(org) {
		in = append(in, input.Assumption{Key: def.Key, Name: def.Name, Default: def.Value, Min: def.Min, Max: def.Max, Unit: def.Unit,
			Optional: isOwnFigure(def.Key), Value: f.Text("value-" + def.Key), Source: f.Text("source-" + def.Key)})
	}
	for _, p := range in.Validate() { // under the form's names already
		f.Fail(p.Field, p.Message)
	}
	if len(f.Errs) > 0 {
		return s.renderBusinessCase(c, f.Values, f.Errs)
	}
	if err := s.deps.Store.SetAssumptionOverrides(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), org.ID, in.Overrides()); err != nil {
		return err
	}
	return c.Redirect(doneURL("/reports/"+itoa(cy.ID)+"/business-case", "saved"), fiber.StatusSeeOther)
}

func (s *Server) downloadBusinessCase(c *fiber.Ctx) error {
	r, err := s.loadOrgReport(c)
	if err != nil {
		return err
	}
	data, err := s.reports.BusinessCasePDF(c.UserContext(), r)
	if err != nil {
		return err
	}
	return sendFile(c, "application/pdf", reporting.FileName("business-case", r.Org.Slug, r.Figures.Cycle.Name, "pdf"), data)
}

func sendFile(c *fiber.Ctx, contentType, name string, data []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(data)
}

// loadOrgReport loads the report of the cycle named in the URL for the
// caller's organisation (a national admin names one with ?org=).
func (s *Server) loadOrgReport(c *fiber.Ctx) (*reporting.OrgReport, error) {
	org, err := s.orgInView(c)
	if err != nil {
		return nil, err
	}
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return nil, err
	}
	return s.reports.OrgReport(c.UserContext(), org, f)
}

// cycleFiguresParam loads the figures of the cycle named by :cycle.
func (s *Server) cycleFiguresParam(c *fiber.Ctx) (*reporting.CycleFigures, error) {
	cy, err := s.cycleParam(c)
	if err != nil {
		return nil, err
	}
	return s.reports.Figures(c.UserContext(), cy)
}

// cycleParam loads the cycle named by the :cycle parameter.
func (s *Server) cycleParam(c *fiber.Ctx) (store.Cycle, error) {
	id, err := c.ParamsInt("cycle")
	if err != nil || id <= 0 {
		return store.Cycle{}, fiber.ErrNotFound
	}
	return s.deps.Store.CycleByID(c.UserContext(), int64(id))
}
