// Package batch writes every organisation's benchmark PDF for a cycle, for
// the national team to download as one zip. A national admin starts a
// batch; a background job (package jobs) renders the PDFs on every core and
// keeps each in the database as it is done, so that any instance shows the
// batch's progress and serves its zip, and a batch whose instance stopped
// or died is resumed by another where it left off. A cycle has at most one
// batch running; a second start gets the running one. Finished batches are
// removed after Retention.
package batch

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Retention is how long a finished batch is kept.
const Retention = 7 * 24 * time.Hour

// slice is how long one run of the job renders before it snoozes and lets
// itself be taken up again, well inside the jobs' timeout.
const slice = 40 * time.Second

// State is a batch as its page shows it.
type State struct {
	ID, CycleName     string
	CycleID           int64
	Started, Finished time.Time
	// FiguresAt is when the figures the reports are drawn from were read
	// (zero before the first report); Redrawn, that they changed mid-batch
	// and every report was drawn again.
	FiguresAt   time.Time
	Redrawn     bool
	Total, Done int
	Percent     int
	Err         string
	Running     bool
	KeptDays    int // how long a finished batch is kept
}

// StateOf is where the batch stands.
func StateOf(b store.BenchmarkBatch) State {
	st := State{ID: b.ID, CycleName: b.CycleName, CycleID: b.CycleID, Started: b.StartedAt, Total: b.Total, Done: b.Done, Running: b.Running(),
		KeptDays: int(Retention / (24 * time.Hour))}
	if b.FinishedAt != nil {
		st.Finished = *b.FinishedAt
	}
	if b.FiguresAt != nil {
		st.FiguresAt, st.Redrawn = *b.FiguresAt, b.Redrawn
	}
	if b.Failed {
		st.Err = "The batch stopped with an error; start it again. Reference: " + b.ID
	}
	if st.Total > 0 {
		st.Percent = st.Done * 100 / st.Total
	}
	return st
}

// Args is the job that runs a batch.
type Args struct {
	BatchID string `json:"batch_id"`
}

func (Args) Kind() string { return "benchmark_batch" }

// InsertOpts: a report that fails is tried again, with River's backoff,
// three times before the batch is given up.
func (Args) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// Queue is what a batch needs of the job queue: to queue a job in a
// transaction (returning its id), and to say whether a job is still
// queued or running.
type Queue interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs) (int64, error)
	Live(ctx context.Context, jobID int64) (bool, error)
}

// Running returns the cycle's running batch, if there is one. A running
// batch whose job has ended without finishing it (River gave up on it) is
// marked failed instead, so that a new one can start.
func Running(ctx context.Context, st *store.Store, a store.Actor, cycleID int64, q Queue) (*store.BenchmarkBatch, error) {
	running, err := st.RunningBatch(ctx, a, cycleID)
	if err != nil || running == nil {
		return nil, err
	}
	if live, err := jobLive(ctx, q, *running); err != nil || live {
		return running, err
	}
	return nil, st.FinishBatch(ctx, running.ID, true)
}

// Start records a batch of the cycle's reports and queues its job, unless
// one of the cycle is running: then it returns that one.
func Start(ctx context.Context, st *store.Store, a store.Actor, f *reporting.CycleFigures, q Queue) (store.BenchmarkBatch, error) {
	running, err := Running(ctx, st, a, f.Cycle.ID, q)
	switch {
	case err != nil:
		return store.BenchmarkBatch{}, err
	case running != nil:
		return *running, nil
	}
	id, _, err := auth.NewToken()
	if err != nil {
		return store.BenchmarkBatch{}, err
	}
	b := store.BenchmarkBatch{ID: id[:16], CycleID: f.Cycle.ID, CycleName: f.Cycle.Name, Total: len(f.Orgs)}
	return st.StartBatch(ctx, a, b, func(tx *sql.Tx) (int64, error) { return q.InsertTx(ctx, tx, Args{BatchID: b.ID}) })
}

func jobLive(ctx context.Context, q Queue, b store.BenchmarkBatch) (bool, error) {
	if b.JobID == nil {
		return false, nil
	}
	return q.Live(ctx, *b.JobID)
}

// Zip writes the finished batch's PDFs into a zip, one at a time.
func Zip(ctx context.Context, st *store.Store, a store.Actor, b store.BenchmarkBatch, w io.Writer) error {
	zw := zip.NewWriter(w)
	err := st.EachBatchFile(ctx, a, b.ID, func(name string, pdf []byte) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: b.StartedAt}) // PDFs are compressed already
		if err == nil {
			_, err = fw.Write(pdf)
		}
		return err
	})
	if err != nil {
		return err
	}
	return zw.Close()
}

// Render is one organisation's report.
type Render func(context.Context, store.Organisation, *reporting.CycleFigures) (pdf []byte, err error)

// Worker runs batches.
type Worker struct {
	river.WorkerDefaults[Args]
	Store   *store.Store
	Figures func(ctx context.Context, cycleID int64) (*reporting.CycleFigures, error)
	Log     *slog.Logger

	mu         sync.Mutex
	render     Render
	retryAfter time.Duration
}

// NewWorker returns a Worker that renders each report with render.
func NewWorker(st *store.Store, figures func(ctx context.Context, cycleID int64) (*reporting.CycleFigures, error), render Render, log *slog.Logger) *Worker {
	return &Worker{Store: st, Figures: figures, Log: log, render: render}
}

// Use replaces the rendering, and how long after a failure a batch is
// tried again (zero: River's backoff, a second and then 16 seconds). Tests
// use it; it is safe while jobs run.
func (w *Worker) Use(render Render, retryAfter time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.render, w.retryAfter = render, retryAfter
}

func (w *Worker) settings() (Render, time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.render, w.retryAfter
}

// NextRetry is when a failed run is tried again.
func (w *Worker) NextRetry(*river.Job[Args]) time.Time {
	if _, after := w.settings(); after > 0 {
		return time.Now().Add(after)
	}
	return time.Time{}
}

// Work renders the reports the batch does not have yet, for at most one
// slice, keeping each as it is done.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) error {
	id := job.Args.BatchID
	b, err := w.Store.Batch(ctx, store.SystemActor("benchmark batch"), id)
	switch {
	case apperr.Code(err) == apperr.ENOTFOUND:
		return river.JobCancel(err) // removed: nothing to do
	case err != nil:
		return w.retryOrFail(ctx, job, err)
	case !b.Running():
		return nil // finished by an earlier run
	}
	err = w.renderMissing(ctx, b)
	switch {
	case err == nil:
		err = w.Store.FinishBatch(ctx, id, false)
	case errors.Is(err, errSliceOver):
		return river.JobSnooze(0)
	case errors.Is(ctx.Err(), context.Canceled): // the instance is stopping: resume at once elsewhere, or at the next start
		w.Log.InfoContext(ctx, "benchmark batch paused: the instance is stopping", "batch", id)
		return river.JobSnooze(0)
	}
	if err != nil {
		return w.retryOrFail(ctx, job, err)
	}
	w.Log.InfoContext(ctx, "benchmark batch done", "batch", id, "organisations", b.Total, "duration_ms", w.Store.Now().Sub(b.StartedAt).Milliseconds())
	return nil
}

// retryOrFail lets River try the batch again after err, unless this was
// its last attempt: then the batch is marked failed, so that it does not
// stay "running" with no job behind it.
func (w *Worker) retryOrFail(ctx context.Context, job *river.Job[Args], err error) error {
	id := job.Args.BatchID
	if job.Attempt < job.MaxAttempts {
		w.Log.WarnContext(ctx, "benchmark batch: a step failed; trying again", "batch", id, "attempt", job.Attempt, "err", err)
		return err
	}
	w.Log.ErrorContext(ctx, "benchmark batch failed", "batch", id, "err", err)
	if ferr := w.Store.FinishBatch(context.WithoutCancel(ctx), id, true); ferr != nil {
		w.Log.ErrorContext(ctx, "benchmark batch: cannot mark it failed; the clean-up job will", "batch", id, "err", ferr)
	}
	return river.JobCancel(err)
}

var errSliceOver = errors.New("batch: slice over")

// renderMissing renders, on every core, each organisation's report the
// batch does not have yet. It stops taking new ones when the slice is over
// (errSliceOver), at the first failure, or when ctx ends.
func (w *Worker) renderMissing(ctx context.Context, b store.BenchmarkBatch) error {
	f, err := w.Figures(ctx, b.CycleID)
	if err != nil {
		return err
	}
	restarted, err := w.Store.PinBatchFigures(ctx, b.ID, f.Stamp, len(f.Orgs))
	if err != nil {
		return err
	}
	if restarted {
		w.Log.InfoContext(ctx, "benchmark batch started again: the figures changed since its first reports", "batch", b.ID)
	}
	have, err := w.Store.BatchFileNames(ctx, b.ID)
	if err != nil {
		return err
	}
	var todo []store.Organisation
	for _, o := range f.Orgs {
		if !have[reporting.BenchmarkFileName(o.Organisation, f.Cycle)] {
			todo = append(todo, o.Organisation)
		}
	}
	render, _ := w.settings()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	end := time.Now().Add(slice)
	var over bool // the slice ended with reports still to do
	next := make(chan store.Organisation)
	go func() {
		defer close(next)
		for _, o := range todo {
			if time.Now().After(end) {
				over = true
				return
			}
			select {
			case next <- o:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range next {
				pdf, err := render(ctx, o, f)
				if err == nil {
					err = w.Store.AddBatchFile(ctx, b.ID, reporting.BenchmarkFileName(o, f.Cycle), pdf)
				}
				if err != nil {
					cancel(err)
				}
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if over {
		return errSliceOver
	}
	return nil
}

// CleanupArgs is the hourly job that ends batches whose job has gone and
// removes batches past their retention.
type CleanupArgs struct{}

func (CleanupArgs) Kind() string { return "benchmark_batch_cleanup" }

// Cleanup marks failed every running batch whose job River has given up on
// (an instance died during its last attempt), so that its cycle can be
// batched again and its page says so, and removes finished batches older
// than Retention.
type Cleanup struct {
	river.WorkerDefaults[CleanupArgs]
	Store *store.Store
	Queue Queue
	Log   *slog.Logger
}

func (c *Cleanup) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	running, err := c.Store.RunningBatches(ctx)
	if err != nil {
		return err
	}
	for _, b := range running {
		live, err := jobLive(ctx, c.Queue, b)
		if err != nil {
			return err
		}
		if !live {
			c.Log.WarnContext(ctx, "benchmark batch ended without finishing: marked failed", "batch", b.ID)
			if err := c.Store.FinishBatch(ctx, b.ID, true); err != nil {
				return err
			}
		}
	}
	n, err := c.Store.RemoveBatchesBefore(ctx, c.Store.Now().Add(-Retention))
	if n > 0 {
		c.Log.InfoContext(ctx, "removed benchmark batches past their retention", "batches", n)
	}
	return err
}
