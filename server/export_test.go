package server

import (
	"context"

	"github.com/bluelight-wellbeing/toolkit/server/batch"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// SetBatchRender replaces each organisation's step of a batch (reporting's
// OrgBenchmarkPDF) with f, which gets the organisation's slug. Call it
// before any batch starts.
func (s *Server) SetBatchRender(f func(ctx context.Context, slug string) ([]byte, error)) {
	s.batches.Close() // nothing has started on it
	s.batches = batch.NewRunner(func(ctx context.Context, o store.Organisation, cf *reporting.CycleFigures) (string, []byte, error) {
		pdf, err := f(ctx, o.Slug)
		return reporting.FileName("benchmark", o.Slug, cf.Cycle.Name, "pdf"), pdf, err
	}, s.deps.Store.Now, s.deps.Log)
}

// TimeoutFor is the deadline a request to path gets.
var TimeoutFor = timeoutFor

// DoneURL is where a handler goes after a change.
var DoneURL = doneURL
