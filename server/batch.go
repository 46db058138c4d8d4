package server

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/requestid"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// A batch writes every organisation's benchmark PDF for a cycle into one
// zip file, in the background: a national admin starts it, may leave the
// progress page and come back to it, and downloads the zip when it is done.
// PDFs are rendered on every core and streamed into the zip one by one, so
// memory stays flat however many organisations there are. Batches live in
// this process: a restart forgets them and they must be started again.
//
// The server owns them, not the request that started them: they run under
// the server's context, which Close cancels, and Close waits for them so the
// store is not closed under them. A cycle has at most one batch running; a
// second start shows the running one. A zip is removed when its batch fails,
// is forgotten, or the server closes.

// batch is one run.
type batch struct {
	ID        string
	CycleID   int64
	CycleName string
	StartedBy int64
	Started   time.Time
	Total     int
	done      atomic.Int64
	mu        sync.Mutex
	finished  time.Time
	err       error
	path      string // the zip, in the system's temporary folder
}

// batchState is a snapshot for the page.
type batchState struct {
	ID, CycleName     string
	Started, Finished time.Time
	Total, Done       int
	Percent           int
	Err               string
	Running           bool
}

func (b *batch) state() batchState {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := batchState{ID: b.ID, CycleName: b.CycleName, Started: b.Started, Finished: b.finished, Total: b.Total,
		Done: int(b.done.Load()), Running: b.finished.IsZero()}
	if b.err != nil {
		st.Err = "The batch stopped with an error; start it again. Reference: " + b.ID
	}
	if st.Total > 0 {
		st.Percent = st.Done * 100 / st.Total
	}
	return st
}

func (b *batch) running() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.finished.IsZero()
}

// batches keeps the recent runs; older ones are forgotten and their files
// removed.
type batches struct {
	ctx    context.Context // the batches' own: cancelled by close
	cancel context.CancelFunc
	wg     sync.WaitGroup // one per batch running
	mu     sync.Mutex
	list   []*batch
	closed bool

	render func(context.Context, store.Organisation, *reporting.CycleFigures) (name string, pdf []byte, err error) // nil: reporting's OrgBenchmarkPDF
}

const keepBatches = 10

func newBatches() *batches {
	bs := &batches{}
	bs.ctx, bs.cancel = context.WithCancel(context.Background())
	return bs
}

// start adds b and runs it in the background, unless a batch of the same
// cycle is running already: then it returns that one and does not start b.
// It returns nil once the server is closing.
func (bs *batches) start(b *batch, run func(ctx context.Context)) *batch {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if bs.closed {
		return nil
	}
	for _, o := range bs.list {
		if o.CycleID == b.CycleID && o.running() {
			return o
		}
	}
	bs.list = append(bs.list, b)
	for len(bs.list) > keepBatches && !bs.list[0].running() {
		os.Remove(bs.list[0].path)
		bs.list = bs.list[1:]
	}
	bs.wg.Add(1) // under mu, so close cannot wait before this batch is counted
	go func() {
		defer bs.wg.Done()
		run(bs.ctx)
	}()
	return b
}

// running returns the batch of the cycle that is running, if any.
func (bs *batches) running(cycleID int64) *batch {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for _, b := range bs.list {
		if b.CycleID == cycleID && b.running() {
			return b
		}
	}
	return nil
}

// close stops every batch, waits for them to end and removes every file:
// the batches are forgotten with the process.
func (bs *batches) close() {
	bs.mu.Lock()
	bs.closed = true
	bs.mu.Unlock()
	bs.cancel()
	bs.wg.Wait()
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for _, b := range bs.list {
		os.Remove(b.path)
	}
	bs.list = nil
}

func (bs *batches) get(id string) *batch {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for _, b := range bs.list {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// startBatch starts the batch of a cycle's benchmark PDFs, or shows the one
// running for the cycle.
func (s *Server) startBatch(c *fiber.Ctx) error {
	if id, err := c.ParamsInt("cycle"); err == nil {
		if b := s.batches.running(int64(id)); b != nil {
			return c.Redirect("/national/batches/"+b.ID, fiber.StatusSeeOther) // before working out the figures again
		}
	}
	f, err := s.cycleFiguresParam(c)
	if err != nil {
		return err
	}
	id, _, err := auth.NewToken()
	if err != nil {
		return err
	}
	file, err := os.CreateTemp("", "benchmark-batch-*.zip")
	if err != nil {
		return err
	}
	b := &batch{ID: id[:16], CycleID: f.Cycle.ID, CycleName: f.Cycle.Name, StartedBy: currentUser(c).ID, Started: s.deps.Store.Now(),
		Total: len(f.Orgs), path: file.Name()}
	requestID := RequestID(c)
	shown := s.batches.start(b, func(ctx context.Context) {
		s.runBatch(requestid.With(ctx, requestID), b, f, file)
	})
	if shown != b { // another start won the race, or the server is closing
		file.Close()
		os.Remove(file.Name())
	}
	if shown == nil {
		return fiber.ErrServiceUnavailable
	}
	if shown == b {
		s.deps.Log.Info("benchmark batch started", "batch", b.ID, "cycle", f.Cycle.Name, "organisations", b.Total, "request_id", requestID)
	}
	return c.Redirect("/national/batches/"+shown.ID, fiber.StatusSeeOther)
}

// runBatch renders every organisation's report on every core and writes
// them into the zip in the order they finish. It stops early when ctx ends
// (the server is closing) or a report fails; then the zip is removed.
func (s *Server) runBatch(ctx context.Context, b *batch, f *reporting.CycleFigures, file *os.File) {
	type done struct {
		name string
		pdf  []byte
		err  error
	}
	render := s.reports.OrgBenchmarkPDF
	if s.batches.render != nil {
		render = s.batches.render // a test's stand-in
	}
	jobs := make(chan store.Organisation)
	results := make(chan done, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for org := range jobs {
				name, pdf, err := render(ctx, org, f)
				results <- done{name: name, pdf: pdf, err: err}
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		defer close(jobs)
		for _, o := range f.Orgs {
			select {
			case jobs <- o.Organisation:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	zw := zip.NewWriter(file)
	var err error
	stopped := false
	for res := range results {
		if err == nil {
			err = res.err
		}
		if err == nil {
			var w io.Writer
			if w, err = zw.CreateHeader(&zip.FileHeader{Name: res.name, Method: zip.Store, Modified: b.Started}); err == nil {
				_, err = w.Write(res.pdf) // PDFs are compressed already
			}
		}
		if err != nil && !stopped {
			close(stop) // let the workers drain without doing more
			stopped = true
		}
		b.done.Add(1)
	}
	if err == nil {
		err = ctx.Err() // stopped before every report was written
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(b.path) // half a zip is of no use to anyone
	}
	b.mu.Lock()
	b.finished, b.err = s.deps.Store.Now(), err
	b.mu.Unlock()
	switch {
	case err != nil && ctx.Err() != nil:
		s.deps.Log.InfoContext(ctx, "benchmark batch stopped: the server is closing", "batch", b.ID, "done", b.done.Load(), "organisations", b.Total)
		return
	case err != nil:
		s.deps.Log.ErrorContext(ctx, "benchmark batch failed", "batch", b.ID, "err", err)
		return
	}
	s.deps.Log.InfoContext(ctx, "benchmark batch done", "batch", b.ID, "organisations", b.Total, "duration_ms", time.Since(b.Started).Milliseconds())
}

// batchParam finds the batch in the URL. The route is for national admins,
// and any of them may see any batch: a cycle has one batch running at a
// time, which a second admin starting it is shown, and every national admin
// may read every organisation's benchmark anyway.
func (s *Server) batchParam(c *fiber.Ctx) (*batch, error) {
	b := s.batches.get(c.Params("batch"))
	if b == nil {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such batch: batches are kept while the service runs, so start it again.")
	}
	return b, nil
}

// showBatch is the progress page: it refreshes itself while the batch runs
// (a meta refresh, so it works without JavaScript).
func (s *Server) showBatch(c *fiber.Ctx) error {
	b, err := s.batchParam(c)
	if err != nil {
		return err
	}
	st := b.state()
	if st.Running {
		c.Set("Refresh", "2")
	}
	return s.render(c, "national_batch", views.Page{Title: "Benchmark reports for " + st.CycleName, BackLink: "/national/" + itoa(b.CycleID), Data: st})
}

func (s *Server) downloadBatch(c *fiber.Ctx) error {
	b, err := s.batchParam(c)
	if err != nil {
		return err
	}
	st := b.state()
	if st.Running || st.Err != "" {
		return apperr.Errorf(apperr.EINVALID, "The batch is not finished: wait for it on its page, or start it again if it failed.")
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+reporting.FileName("benchmark-reports", "all", b.CycleName, "zip")+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	zf, err := os.Open(b.path)
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
