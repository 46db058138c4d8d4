// Package jobs runs the app's background work (the batches of benchmark
// reports, the reminder scan and its emails, clearing old batches) as jobs
// kept in the app's own database by River. Any instance may run any job, a
// restart resumes what was queued, failures are retried with backoff, and
// a job runs once however many instances there are.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Timing. River gives a job's context a deadline of Timeout; a job whose
// instance died (its row still says running) is taken up again by another
// once it has run for RescueAfter, and River looks for such jobs every 30
// seconds, so it is picked up again within two minutes (75 + 30 seconds,
// and the time to fetch it). Jobs that can take
// longer than Timeout (a batch of a thousand reports) work in slices and
// snooze between them.
const (
	Timeout     = time.Minute
	RescueAfter = 75 * time.Second
)

// Queue is the app's River client.
type Queue struct {
	client *river.Client[*sql.Tx]
	log    *slog.Logger
}

// New makes the queue over the store's database, with the workers and the
// periodic jobs the app has. Nothing runs until Start.
func New(st *store.Store, workers *river.Workers, periodic []*river.PeriodicJob, log *slog.Logger) (*Queue, error) {
	client, err := river.NewClient(st.JobDriver(), &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers:              workers,
		PeriodicJobs:         periodic,
		JobTimeout:           Timeout,
		RescueStuckJobsAfter: RescueAfter,
		// Both drivers work through database/sql, which cannot listen for
		// PostgreSQL's notifications: instances look for work every second.
		PollOnly:          true,
		FetchPollInterval: time.Second,
		Logger:            log.With("component", "jobs"),
		// A job's args may name a batch, never a person's details; finished
		// jobs are kept a day to see what ran.
		CompletedJobRetentionPeriod: 24 * time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{client: client, log: log}, nil
}

// Start starts working jobs in the background.
func (q *Queue) Start() error {
	return q.client.Start(context.Background())
}

// Stop lets the jobs running finish, for at most grace, then cancels them;
// River takes them up again at the next start (a cancelled batch snoozes,
// so it resumes where it stopped).
func (q *Queue) Stop(grace time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := q.client.Stop(ctx); err != nil {
		if err := q.client.StopAndCancel(context.Background()); err != nil {
			q.log.Warn("job queue did not stop cleanly", "err", err)
		}
	}
}

// Insert queues a job.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs) error {
	_, err := q.client.Insert(ctx, args, nil)
	return err
}

// InsertTx queues a job in the caller's transaction and returns its id.
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs) (int64, error) {
	res, err := q.client.InsertTx(ctx, tx, args, nil)
	if err != nil {
		return 0, err
	}
	return res.Job.ID, nil
}

// Live says whether the job is still to run or running: not finished,
// cancelled, given up on, or removed.
func (q *Queue) Live(ctx context.Context, jobID int64) (bool, error) {
	job, err := q.client.JobGet(ctx, jobID)
	if errors.Is(err, river.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	switch job.State {
	case rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
		return false, nil
	}
	return true, nil
}
