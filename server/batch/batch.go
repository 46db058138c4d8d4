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
	Total, Done       int
	Percent           int
	Err               string
	Running           bool
}

// StateOf is where the batch stands.
func StateOf(b store.BenchmarkBatch) State {
	st := State{ID: b.ID, CycleName: b.CycleName, CycleID: b.CycleID, Started: b.StartedAt, Total: b.Total, Done: b.Done, Running: b.Running()}
	if b.FinishedAt != nil {
		st.Finished = *b.FinishedAt
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

// Start records a batch of the cycle's reports and queues its job, unless
// one of the cycle is running: then it returns that one.
func Start(ctx context.Context, st *store.Store, a store.Actor, f *reporting.CycleFigures, queue func(ctx context.Context, tx *sql.Tx, args river.JobArgs) error) (store.BenchmarkBatch, error) {
	id, _, err := auth.NewToken()
	if err != nil {
		return store.BenchmarkBatch{}, err
	}
	b := store.BenchmarkBatch{ID: id[:16], CycleID: f.Cycle.ID, CycleName: f.Cycle.Name, Total: len(f.Orgs)}
	return st.StartBatch(ctx, a, b, func(tx *sql.Tx) error { return queue(ctx, tx, Args{BatchID: b.ID}) })
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
	Render  Render
	Log     *slog.Logger
	// RetryAfter is how long after a failure the batch is tried again;
	// zero leaves it to River's backoff (a second, then 16 seconds).
	RetryAfter time.Duration
}

// NextRetry is when a failed run is tried again.
func (w *Worker) NextRetry(*river.Job[Args]) time.Time {
	if w.RetryAfter > 0 {
		return time.Now().Add(w.RetryAfter)
	}
	return time.Time{}
}

// Work renders the reports the batch does not have yet, for at most one
// slice, keeping each as it is done.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) error {
	sys := store.SystemActor("benchmark batch")
	b, err := w.Store.Batch(ctx, sys, job.Args.BatchID)
	if err != nil || !b.Running() {
		return river.JobCancel(err) // removed, or finished by an earlier run: nothing to do
	}
	err = w.renderMissing(ctx, b)
	switch {
	case errors.Is(err, errSliceOver):
		return river.JobSnooze(0)
	case err != nil && ctx.Err() != nil: // stopping: resume at the next start, not counted as a failure
		w.Log.InfoContext(ctx, "benchmark batch paused: the instance is stopping", "batch", b.ID)
		return river.JobSnooze(0)
	case err != nil && job.Attempt < job.MaxAttempts:
		w.Log.WarnContext(ctx, "benchmark batch: a report failed; trying again", "batch", b.ID, "attempt", job.Attempt, "err", err)
		return err
	case err != nil:
		w.Log.ErrorContext(ctx, "benchmark batch failed", "batch", b.ID, "err", err)
		if ferr := w.Store.FinishBatch(context.WithoutCancel(ctx), b.ID, true); ferr != nil {
			return ferr
		}
		return river.JobCancel(err)
	}
	if err := w.Store.FinishBatch(ctx, b.ID, false); err != nil {
		return err
	}
	w.Log.InfoContext(ctx, "benchmark batch done", "batch", b.ID, "organisations", b.Total, "duration_ms", w.Store.Now().Sub(b.StartedAt).Milliseconds())
	return nil
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
				pdf, err := w.Render(ctx, o, f)
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

// CleanupArgs is the daily job that removes batches past their retention.
type CleanupArgs struct{}

func (CleanupArgs) Kind() string { return "benchmark_batch_cleanup" }

// Cleanup removes finished batches older than Retention.
type Cleanup struct {
	river.WorkerDefaults[CleanupArgs]
	Store *store.Store
	Log   *slog.Logger
}

func (c *Cleanup) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	n, err := c.Store.RemoveBatchesBefore(ctx, c.Store.Now().Add(-Retention))
	if n > 0 {
		c.Log.InfoContext(ctx, "removed benchmark batches past their retention", "batches", n)
	}
	return err
}
