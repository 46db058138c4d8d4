package server

import (
	"context"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/batch"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// SetBatchRender replaces each organisation's step of a batch (reporting's
// OrgBenchmarkPDF) with f, which gets the organisation's slug. Call it
// before any batch starts.
func (s *Server) SetBatchRender(f func(ctx context.Context, slug string) ([]byte, error)) {
	s.batches.Use(RenderBySlug(f), time.Millisecond)
}

// RenderBySlug is a batch step (Deps.BatchRender) that calls f with the
// organisation's slug.
func RenderBySlug(f func(ctx context.Context, slug string) ([]byte, error)) batch.Render {
	return func(ctx context.Context, o store.Organisation, _ *reporting.CycleFigures) ([]byte, error) {
		return f(ctx, o.Slug)
	}
}

// TimeoutFor is the deadline a request to path gets.
var TimeoutFor = timeoutFor

// DoneURL is where a handler goes after a change.
var DoneURL = doneURL
