package server

import (
	"context"

	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// SetBatchRender replaces each organisation's step of a batch (reporting's
// OrgBenchmarkPDF) with f, which gets the organisation's slug. Call it
// before any batch starts.
func (s *Server) SetBatchRender(f func(ctx context.Context, slug string) ([]byte, error)) {
	s.batches.render = func(ctx context.Context, o store.Organisation, f2 *reporting.CycleFigures) (string, []byte, error) {
		pdf, err := f(ctx, o.Slug)
		return reporting.FileName("benchmark", o.Slug, f2.Cycle.Name, "pdf"), pdf, err
	}
}

// TimeoutFor is the deadline a request to path gets.
var TimeoutFor = timeoutFor
