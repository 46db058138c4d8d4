// Package batch writes every organisation's benchmark PDF for a cycle into
// one zip file, in the background: a national admin starts it, may leave the
// progress page and come back to it, and downloads the zip when it is done.
// PDFs are rendered on every core and streamed into the zip one by one, so
// memory stays flat however many organisations there are. Batches live in
// this process: a restart forgets them and they must be started again.
//
// The Runner owns them, not the request that started them: they run under
// the Runner's context, which Close cancels, and Close waits for them so the
// store is not closed under them. A cycle has at most one batch running; a
// second start gets the running one. A zip is removed when its batch fails,
// is forgotten, or the Runner closes.
package batch

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/requestid"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Batch is one run.
type Batch struct {
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

// State is a snapshot of a batch, for its page.
type State struct {
	ID, CycleName     string
	CycleID           int64
	Started, Finished time.Time
	Total, Done       int
	Percent           int
	Err               string
	Running           bool
}

// State is where the batch stands now.
func (b *Batch) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := State{ID: b.ID, CycleName: b.CycleName, CycleID: b.CycleID, Started: b.Started, Finished: b.finished, Total: b.Total,
		Done: int(b.done.Load()), Running: b.finished.IsZero()}
	if b.err != nil {
		st.Err = "The batch stopped with an error; start it again. Reference: " + b.ID
	}
	if st.Total > 0 {
		st.Percent = st.Done * 100 / st.Total
	}
	return st
}

// Open opens the finished zip.
func (b *Batch) Open() (*os.File, error) { return os.Open(b.path) }

func (b *Batch) running() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.finished.IsZero()
}

// Render is one organisation's step: its file name in the zip and its PDF.
type Render func(context.Context, store.Organisation, *reporting.CycleFigures) (name string, pdf []byte, err error)

// Runner keeps the recent batches; older ones are forgotten and their files
// removed.
type Runner struct {
	render Render
	now    func() time.Time
	log    *slog.Logger

	ctx    context.Context // the batches' own: cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // one per batch running
	mu     sync.Mutex
	list   []*Batch
	closed bool
}

// ErrClosed is returned by Start once the Runner is closing.
var ErrClosed = errors.New("batch: the service is shutting down")

const keep = 10

// NewRunner returns a Runner that renders each organisation with render.
func NewRunner(render Render, now func() time.Time, log *slog.Logger) *Runner {
	r := &Runner{render: render, now: now, log: log}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r
}

// Start starts the batch of the cycle's benchmark PDFs, unless one of the
// same cycle is running already: then it returns that one. The batch logs
// under the request id in ctx; it does not end with ctx.
func (r *Runner) Start(ctx context.Context, f *reporting.CycleFigures, startedBy int64) (*Batch, error) {
	id, _, err := auth.NewToken()
	if err != nil {
		return nil, err
	}
	file, err := os.CreateTemp("", "benchmark-batch-*.zip")
	if err != nil {
		return nil, err
	}
	b := &Batch{ID: id[:16], CycleID: f.Cycle.ID, CycleName: f.Cycle.Name, StartedBy: startedBy, Started: r.now(),
		Total: len(f.Orgs), path: file.Name()}
	shown := r.add(b, func(batchCtx context.Context) {
		r.run(requestid.With(batchCtx, requestid.From(ctx)), b, f, file)
	})
	if shown != b { // another start won the race, or the Runner is closing
		file.Close()
		os.Remove(file.Name())
	}
	if shown == nil {
		return nil, ErrClosed
	}
	if shown == b {
		r.log.InfoContext(ctx, "benchmark batch started", "batch", b.ID, "cycle", f.Cycle.Name, "organisations", b.Total)
	}
	return shown, nil
}

// add adds b and runs it in the background, unless a batch of the same
// cycle is running already: then it returns that one and does not start b.
// It returns nil once the Runner is closing.
func (r *Runner) add(b *Batch, run func(ctx context.Context)) *Batch {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	for _, o := range r.list {
		if o.CycleID == b.CycleID && o.running() {
			return o
		}
	}
	r.list = append(r.list, b)
	for len(r.list) > keep && !r.list[0].running() {
		os.Remove(r.list[0].path)
		r.list = r.list[1:]
	}
	r.wg.Add(1) // under mu, so Close cannot wait before this batch is counted
	go func() {
		defer r.wg.Done()
		run(r.ctx)
	}()
	return b
}

// Running returns the batch of the cycle that is running, if any.
func (r *Runner) Running(cycleID int64) *Batch {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.list {
		if b.CycleID == cycleID && b.running() {
			return b
		}
	}
	return nil
}

// Recent returns the states of the batches kept, newest first, for the
// national pages to link to.
func (r *Runner) Recent() []State {
	r.mu.Lock()
	list := slices.Clone(r.list)
	r.mu.Unlock()
	out := make([]State, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, list[i].State())
	}
	return out
}

// Get returns the batch with the id, or nil.
func (r *Runner) Get(id string) *Batch {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.list {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// Close stops every batch, waits for them to end and removes every file:
// the batches are forgotten with the process.
func (r *Runner) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.list {
		os.Remove(b.path)
	}
	r.list = nil
}

// run renders every organisation's report on every core and writes them
// into the zip in the order they finish. It stops early when ctx ends (the
// Runner is closing) or a report fails; then the zip is removed.
func (r *Runner) run(ctx context.Context, b *Batch, f *reporting.CycleFigures, file *os.File) {
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
				name, pdf, err := r.render(ctx, org, f)
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
	b.finished, b.err = r.now(), err
	b.mu.Unlock()
	switch {
	case err != nil && ctx.Err() != nil:
		r.log.InfoContext(ctx, "benchmark batch stopped: the server is closing", "batch", b.ID, "done", b.done.Load(), "organisations", b.Total)
		return
	case err != nil:
		r.log.ErrorContext(ctx, "benchmark batch failed", "batch", b.ID, "err", err)
		return
	}
	r.log.InfoContext(ctx, "benchmark batch done", "batch", b.ID, "organisations", b.Total, "duration_ms", time.Since(b.Started).Milliseconds())
}
