package server

import (
	"context"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// SetBatchRender replaces each organisation's step of a batch (renderBatchPDF)
// with f, which gets the organisation's slug. Call it before any batch starts.
func (s *Server) SetBatchRender(f func(ctx context.Context, slug string) ([]byte, error)) {
	s.batches.render = func(ctx context.Context, o store.Organisation, _ *cycleFigures) ([]byte, error) {
		return f(ctx, o.Slug)
	}
}

// TimeoutFor is the deadline a request to path gets.
var TimeoutFor = timeoutFor
