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
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// A batch writes every organisation's benchmark PDF for a cycle into one
// zip file, in the background: a national admin starts it, may leave the
// progress page and come back to it, and downloads the zip when it is done.
// PDFs are rendered on every core and streamed into the zip one by one, so
// memory stays flat however many organisations there are. Batches live in
// this process: a restart forgets them and they must be started again.

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

// batches keeps the recent runs; older ones are forgotten and their files
// removed.
type batches struct {
	mu   sync.Mutex
	list []*batch
}

const keepBatches = 10

func (bs *batches) add(b *batch) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	bs.list = append(bs.list, b)
	for len(bs.list) > keepBatches {
		old := bs.list[0]
		old.mu.Lock()
		running := old.finished.IsZero()
		old.mu.Unlock()
		if running {
			break
		}
		os.Remove(old.path)
		bs.list = bs.list[1:]
	}
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

// startBatch starts the batch of a cycle's benchmark PDFs.
func (s *Server) startBatch(c *fiber.Ctx) error {
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
	s.batches.add(b)
	s.deps.Log.Info("benchmark batch started", "batch", b.ID, "cycle", f.Cycle.Name, "organisations", b.Total)
	go s.runBatch(context.WithoutCancel(c.UserContext()), b, f, file)
	return c.Redirect("/national/batches/"+b.ID, fiber.StatusSeeOther)
}

// runBatch renders every organisation's report on every core and writes
// them into the zip in the order they finish.
func (s *Server) runBatch(ctx context.Context, b *batch, f *reporting.CycleFigures, file *os.File) {
	type done struct {
		name string
		pdf  []byte
		err  error
	}
	jobs := make(chan store.Organisation)
	results := make(chan done, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for org := range jobs {
				name, pdf, err := s.reports.OrgBenchmarkPDF(ctx, org, f)
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
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	b.mu.Lock()
	b.finished, b.err = s.deps.Store.Now(), err
	b.mu.Unlock()
	if err != nil {
		s.deps.Log.Error("benchmark batch failed", "batch", b.ID, "err", err)
		return
	}
	s.deps.Log.Info("benchmark batch done", "batch", b.ID, "organisations", b.Total, "duration_ms", time.Since(b.Started).Milliseconds())
}

// batchParam finds the batch in the URL; only the admin who started it may
// see it.
func (s *Server) batchParam(c *fiber.Ctx) (*batch, error) {
	b := s.batches.get(c.Params("batch"))
	if b == nil || b.StartedBy != currentUser(c).ID {
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
