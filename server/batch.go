package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/batch"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// The batch of every organisation's benchmark PDF for a cycle (see package
// batch): starting it, its progress page and its zip.

// startBatch starts the batch of a cycle's benchmark PDFs, or shows the one
// running for the cycle.
func (s *Server) startBatch(c *fiber.Ctx) error {
	if id, err := c.ParamsInt("cycle"); err == nil {
		if b := s.batches.Running(int64(id)); b != nil {
			return c.Redirect("/national/batches/"+b.ID, fiber.StatusSeeOther) // before working out the figures again
		}
	}
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	b, err := s.batches.Start(c.UserContext(), f, currentUser(c).ID)
	if errors.Is(err, batch.ErrClosed) {
		return fiber.ErrServiceUnavailable
	}
	if err != nil {
		return err
	}
	return c.Redirect("/national/batches/"+b.ID, fiber.StatusSeeOther)
}

// batchParam finds the batch in the URL. The route is for national admins,
// and any of them may see any batch: a cycle has one batch running at a
// time, which a second admin starting it is shown, and every national admin
// may read every organisation's benchmark anyway.
func (s *Server) batchParam(c *fiber.Ctx) (*batch.Batch, error) {
	b := s.batches.Get(c.Params("batch"))
	if b == nil {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such batch: batches are kept while the service runs, so start it again.")
	}
	return b, nil
}

// showBatch is the progress page. It never reloads itself, which would
// disrupt screen readers: it has a Refresh link, and with JavaScript its
// progress is fetched again and announced politely (app.js).
func (s *Server) showBatch(c *fiber.Ctx) error {
	b, err := s.batchParam(c)
	if err != nil {
		return err
	}
	st := b.State()
	return s.render(c, "national_batch", views.Page{Title: "Benchmark reports for " + st.CycleName, BackLink: "/national/" + itoa(b.CycleID), Data: st})
}

func (s *Server) downloadBatch(c *fiber.Ctx) error {
	b, err := s.batchParam(c)
	if err != nil {
		return err
	}
	st := b.State()
	if st.Running || st.Err != "" {
		return apperr.Errorf(apperr.EINVALID, "The batch is not finished: wait for it on its page, or start it again if it failed.")
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+reporting.FileName("benchmark-reports", "all", b.CycleName, "zip")+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	zf, err := b.Open()
	if err != nil {
		return err
	}
	info, err := zf.Stat()
	if err != nil {
		zf.Close()
		return err
	}
	return c.SendStream(zf, int(info.Size())) // closed once sent
}
