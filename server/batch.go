package server

import (
	"bufio"
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/batch"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// The batch of every organisation's benchmark PDF for a cycle (see package
// batch): starting it, its progress page and its zip. The store decides who
// may (the national team), and any of them may see any batch: a cycle has
// one batch running at a time, which a second admin starting it is shown.

// startBatch starts the batch of a cycle's benchmark PDFs, or shows the one
// running for the cycle.
func (s *Server) startBatch(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), s.actor(c)
	if id, err := c.ParamsInt("cycle"); err == nil {
		running, err := batch.Running(ctx, s.deps.Store, a, int64(id), s.jobs)
		if err != nil {
			return err
		}
		if running != nil {
			return c.Redirect("/national/batches/"+running.ID, fiber.StatusSeeOther) // before working out the figures again
		}
	}
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	b, err := batch.Start(ctx, s.deps.Store, a, f, s.jobs)
	if err != nil {
		return err
	}
	s.logger(c).Info("benchmark batch started", "batch", b.ID, "cycle", b.CycleName, "organisations", b.Total)
	return c.Redirect("/national/batches/"+b.ID, fiber.StatusSeeOther)
}

// showBatch is the progress page. It never reloads itself, which would
// disrupt screen readers: it has a Refresh link, and with JavaScript its
// progress is fetched again and announced politely (app.js).
func (s *Server) showBatch(c *fiber.Ctx) error {
	b, err := s.deps.Store.Batch(c.UserContext(), s.actor(c), c.Params("batch"))
	if err != nil {
		return err
	}
	st := batch.StateOf(b)
	return s.render(c, "national_batch", views.Page{Title: "Benchmark reports for " + st.CycleName, BackLink: "/national/" + itoa(b.CycleID), Data: st})
}

// downloadBatch streams the finished batch's zip, written from the PDFs in
// the database as it is sent.
func (s *Server) downloadBatch(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), s.actor(c)
	b, err := s.deps.Store.Batch(ctx, a, c.Params("batch"))
	if err != nil {
		return err
	}
	if b.Running() || b.Failed {
		return apperr.Errorf(apperr.EINVALID, "The batch is not finished: wait for it on its page, or start it again if it failed.")
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+reporting.FileName("benchmark-reports", "all", b.CycleName, "zip")+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	log := s.logger(c)
	// The stream is written after the handler returns, when the request's
	// context has ended; a client that goes away ends it by failing the
	// writes. The server's write timeout (60 s) still bounds the download.
	ctx = context.WithoutCancel(ctx)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := batch.Zip(ctx, s.deps.Store, a, b, w); err != nil {
			// The headers are sent: the client sees a broken download.
			log.Error("benchmark batch download failed", "batch", b.ID, "err", err)
		}
	})
	return nil
}

// recentBatches are the latest batches' states, for the national pages.
func (s *Server) recentBatches(c *fiber.Ctx) ([]batch.State, error) {
	list, err := s.deps.Store.RecentBatches(c.UserContext(), s.actor(c), 10)
	if err != nil {
		return nil, err
	}
	out := make([]batch.State, len(list))
	for i, b := range list {
		out[i] = batch.StateOf(b)
	}
	return out, nil
}
