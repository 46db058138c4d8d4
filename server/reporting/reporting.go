// Package reporting assembles the reports of a cycle from the store and the
// frameworks: the cycle's figures (cached), an organisation's benchmark
// report, gap analysis and business case, the role risk register and its
// heat map, the national tables and each organisation's step of a batch. It
// hands plain report structs to the renderers in reports/ and returns their
// bytes. It knows nothing of HTTP: the web app and the command line both
// call it. Callers check that the person may see an organisation before
// asking for its report.
package reporting

import (
	"context"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/businesscase"
	"github.com/bluelight-wellbeing/toolkit/reports/gapanalysis"
	"github.com/bluelight-wellbeing/toolkit/reports/nationalbook"
	"github.com/bluelight-wellbeing/toolkit/reports/nationalpdf"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Service assembles reports. One is shared by every request: it caches each
// cycle's figures.
type Service struct {
	store      *store.Store
	frameworks *frameworks.Set
	figures    figuresCache
}

// New returns a Service reading from st and fw.
func New(st *store.Store, fw *frameworks.Set) *Service {
	return &Service{store: st, frameworks: fw}
}

// XLSXType is the media type of an Excel workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// FileName is a download's name, e.g. benchmark-avon-somerset-2025-26.pdf.
func FileName(kind, slug, cycle, ext string) string {
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, cycle)
	return kind + "-" + slug + "-" + clean + "." + ext
}

// BenchmarkPDF renders the organisation's benchmark report.
func (s *Service) BenchmarkPDF(r *OrgReport) ([]byte, error) {
	return benchmarkpdf.Render(s.BenchmarkReport(r))
}

// OrgBenchmarkPDF is one organisation's step of a batch: its report for the
// cycle, rendered.
func (s *Service) OrgBenchmarkPDF(ctx context.Context, org store.Organisation, f *CycleFigures) ([]byte, error) {
	r, err := s.OrgReport(ctx, org, f)
	if err != nil {
		return nil, err
	}
	return s.BenchmarkPDF(r)
}

// BenchmarkFileName is the file name of the organisation's benchmark PDF
// for the cycle.
func BenchmarkFileName(org store.Organisation, cy store.Cycle) string {
	return FileName("benchmark", org.Slug, cy.Name, "pdf")
}

// GapAnalysisXLSX builds the organisation's gap analysis workbook.
func (s *Service) GapAnalysisXLSX(r *OrgReport) ([]byte, error) {
	return gapanalysis.Build(s.gapWorkbook(r))
}

// BusinessCasePDF renders the business case on the organisation's own
// assumptions.
func (s *Service) BusinessCasePDF(ctx context.Context, r *OrgReport) ([]byte, error) {
	as, _, err := s.Assumptions(ctx, r.Org)
	if err != nil {
		return nil, err
	}
	doc, err := s.BusinessCase(ctx, r, as)
	if err != nil {
		return nil, err
	}
	return businesscase.Render(doc)
}

// NationalSummaryPDF renders the publishable national summary.
func (s *Service) NationalSummaryPDF(ctx context.Context, f *CycleFigures) ([]byte, error) {
	sum, err := s.NationalSummary(ctx, f)
	if err != nil {
		return nil, err
	}
	return nationalpdf.Render(sum)
}

// NationalXLSX builds the named national workbook, for national admins.
func (s *Service) NationalXLSX(ctx context.Context, f *CycleFigures) ([]byte, error) {
	w, err := s.nationalWorkbook(ctx, f)
	if err != nil {
		return nil, err
	}
	return nationalbook.Build(w)
}

// Notices say whose wording a report of the cycle shows: the framework
// edition assessed against and the current risk model, each with its
// edition's notice when the wording is the toolkit's own. The same
// function serves every PDF and workbook, and the register page's notice
// comes from the same edition method.
func (s *Service) Notices(c store.Cycle) []string {
	kv := []string{c.FrameworkKey, c.FrameworkVersion}
	if rm := s.frameworks.CurrentRiskModel(); rm != nil {
		kv = append(kv, rm.Key, rm.Version)
	}
	return s.frameworks.ContentNotices(kv...)
}
