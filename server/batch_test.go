package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/jobs"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// runningBatches counts the batches the database has running.
func runningBatches(t *testing.T, st *store.Store) int {
	t.Helper()
	list, err := st.RecentBatches(context.Background(), store.SystemActor("test"), 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range list {
		if b.Running() {
			n++
		}
	}
	return n
}

// startBatchFixture is a benchmark fixture whose per-organisation step of a
// batch is render.
func startBatchFixture(t *testing.T, render func(ctx context.Context, slug string) ([]byte, error)) *benchFixture {
	t.Helper()
	f := newBenchFixture(t, storetest.Open(t, "sqlite"), 2, 3)
	f.srv.SetBatchRender(render)
	return f
}

func (f *benchFixture) startBatch(cl *client) string {
	f.t.Helper()
	resp, _ := cl.post("/national/"+itoa(f.cycle.ID)+"/batch", url.Values{})
	if resp.StatusCode != 303 {
		f.t.Fatalf("start batch = %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// waitForBatch polls the progress page until the batch is not running.
func waitForBatch(t *testing.T, cl *client, progress string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, page := cl.get(progress)
		if resp.Header.Get("Refresh") != "" {
			t.Fatal("the progress page reloads itself, which disrupts screen readers")
		}
		if !strings.Contains(page, `data-running="true"`) {
			return page
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch still running after 20s:\n%s", page)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var fakePDF = []byte("%PDF-1.7 not really\n")

// A batch lives in the database, not in the instance that started it: an
// instance that stops part way leaves the reports it wrote, and the next
// instance to run the job writes only the rest.
func TestBatchResumesAfterARestart(t *testing.T) {
	entered := make(chan struct{}, 10)
	var firstCalls atomic.Int64
	f := startBatchFixture(t, func(ctx context.Context, slug string) ([]byte, error) {
		firstCalls.Add(1)
		if slug != "alpha" {
			return fakePDF, nil
		}
		entered <- struct{}{}
		<-ctx.Done() // alpha's report is still being written when the instance stops
		return nil, ctx.Err()
	})
	admin := f.signedIn(f.people["admin"])
	progress := f.startBatch(admin)
	<-entered
	f.srv.Close()
	_, page := admin.get(progress) // the stopped instance still answers from the database
	if !strings.Contains(page, `data-running="true"`) {
		t.Fatalf("the batch is not shown running after its instance stopped:\n%s", page)
	}
	before := firstCalls.Load()

	var again sync.Map
	next := f.withServer(func(d *server.Deps) { // set before its jobs start
		d.BatchRender = server.RenderBySlug(func(ctx context.Context, slug string) ([]byte, error) {
			if _, dup := again.LoadOrStore(slug, true); dup {
				t.Errorf("%s rendered twice after the restart", slug)
			}
			return fakePDF, nil
		})
	})
	total := len(f.peers) + 2
	page = waitForBatch(t, next.signedIn(f.people["admin"]), progress)
	if !strings.Contains(page, itoa(int64(total))+" reports ready") {
		t.Fatalf("batch did not finish after the restart:\n%s", page)
	}
	if !strings.Contains(page, "Every report uses the figures as they stood at") || strings.Contains(page, "drawn again") {
		t.Errorf("with the figures unchanged, the page should name their time and nothing drawn again:\n%s", page)
	}
	rendered := 0
	again.Range(func(any, any) bool { rendered++; return true })
	// Every report the first instance finished (all but alpha's) is kept.
	if _, ok := again.Load("alpha"); !ok || int64(rendered) != int64(total)-(before-1) {
		t.Errorf("after the restart %d reports were rendered; the first instance had finished %d of %d", rendered, before-1, total)
	}
	resp, data := next.signedIn(f.people["admin"]).get(progress + "/download")
	if resp.StatusCode != 200 {
		t.Fatalf("download = %d", resp.StatusCode)
	}
	if zr, err := zip.NewReader(bytes.NewReader([]byte(data)), int64(len(data))); err != nil || len(zr.File) != total {
		t.Fatalf("the zip holds %v files (err %v), want %d", len(zr.File), err, total)
	}
}

// TestBatchAfterAFigureChange: when the figures change while a batch is
// part done, the next run draws every report again, so the zip never mixes
// reports from before and after the change.
func TestBatchAfterAFigureChange(t *testing.T) {
	entered := make(chan struct{}, 10)
	f := startBatchFixture(t, func(ctx context.Context, slug string) ([]byte, error) {
		if slug != "alpha" {
			return fakePDF, nil
		}
		entered <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	})
	admin := f.signedIn(f.people["admin"])
	progress := f.startBatch(admin)
	<-entered
	f.srv.Close()
	id := strings.TrimPrefix(progress, "/national/batches/")
	if b, err := f.st.Batch(t.Context(), store.SystemActor("test"), id); err != nil || b.Done == 0 {
		t.Fatalf("the first instance kept no reports before it stopped: %+v %v", b, err)
	}
	if err := f.st.MarkFiguresChanged(t.Context()); err != nil {
		t.Fatal(err)
	}

	var again sync.Map
	next := f.withServer(func(d *server.Deps) {
		d.BatchRender = server.RenderBySlug(func(ctx context.Context, slug string) ([]byte, error) {
			again.Store(slug, true)
			return fakePDF, nil
		})
	})
	total := len(f.peers) + 2
	page := waitForBatch(t, next.signedIn(f.people["admin"]), progress)
	if !strings.Contains(page, itoa(int64(total))+" reports ready") {
		t.Fatalf("batch did not finish after the change:\n%s", page)
	}
	if !strings.Contains(page, "Every report uses the figures as they stood at") || !strings.Contains(page, "every report was drawn again from the changed figures") {
		t.Errorf("the page does not say the reports were drawn again:\n%s", page)
	}
	rendered := 0
	again.Range(func(any, any) bool { rendered++; return true })
	if rendered != total {
		t.Errorf("after the figures changed %d of %d reports were drawn again", rendered, total)
	}
	stamp, err := f.st.FiguresStamp(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if b, err := f.st.Batch(t.Context(), store.SystemActor("test"), id); err != nil || b.FiguresStamp == nil || *b.FiguresStamp != stamp || b.Done != total {
		t.Errorf("the finished batch: %+v (err %v), want %d reports at stamp %d", b, err, total, stamp)
	}
}

func TestBatchFailureRemovesItsReports(t *testing.T) {
	var alphaTries atomic.Int64
	f := startBatchFixture(t, func(ctx context.Context, slug string) ([]byte, error) {
		if slug == "alpha" {
			alphaTries.Add(1)
			return nil, errors.New("render failed")
		}
		return fakePDF, nil
	})
	admin := f.signedIn(f.people["admin"])
	progress := f.startBatch(admin)
	page := waitForBatch(t, admin, progress)
	if !strings.Contains(page, "The batch did not finish") {
		t.Fatalf("failed batch page:\n%s", page)
	}
	if n := alphaTries.Load(); n != 3 {
		t.Errorf("the failing report was tried %d times, want 3", n)
	}
	b, err := f.st.Batch(context.Background(), store.SystemActor("test"), strings.TrimPrefix(progress, "/national/batches/"))
	if err != nil || b.Done != 0 {
		t.Errorf("a failed batch keeps %d reports (err %v)", b.Done, err)
	}
	if resp, _ := admin.get(progress + "/download"); resp.StatusCode != 422 {
		t.Errorf("download of a failed batch = %d", resp.StatusCode)
	}
}

func TestSecondBatchStartShowsTheRunningOne(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int64
	f := startBatchFixture(t, func(ctx context.Context, slug string) ([]byte, error) {
		calls.Add(1)
		select {
		case <-release:
			return fakePDF, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	admin := f.signedIn(f.people["admin"])
	other, err := f.st.CreateUser(context.Background(), store.SystemActor("test"), store.AllOrganisations(), store.User{Role: store.RoleNationalAdmin, Email: "second@npws.example", DisplayName: "Second Admin"})
	if err != nil {
		t.Fatal(err)
	}
	first := f.startBatch(admin)
	if again := f.startBatch(admin); again != first {
		t.Errorf("second start went to %s, want the running batch %s", again, first)
	}
	otherAdmin := f.signedIn(other)
	if again := f.startBatch(otherAdmin); again != first {
		t.Errorf("another admin's start went to %s, want the running batch %s", again, first)
	}
	if resp, _ := otherAdmin.get(first); resp.StatusCode != 200 {
		t.Errorf("another admin cannot see the running batch: %d", resp.StatusCode)
	}
	if n := runningBatches(t, f.st); n != 1 {
		t.Errorf("%d batches running, want 1", n)
	}
	close(release)
	if page := waitForBatch(t, admin, first); !strings.Contains(page, itoa(int64(len(f.peers)+2))+" reports ready") {
		t.Fatalf("batch did not finish:\n%s", page)
	}
	if n := calls.Load(); n != int64(len(f.peers)+2) {
		t.Errorf("rendered %d reports, want %d: a second batch ran", n, len(f.peers)+2)
	}
	// Once it has finished, a start begins a new batch.
	if next := f.startBatch(admin); next == first {
		t.Errorf("a start after the batch finished showed the old one")
	}
}

// A batch whose instance died (its job still marked running, by an instance
// that no longer exists) is taken up by another instance once it has been
// running for longer than any job may (jobs.RescueAfter), so within two
// minutes of the death, and finished there.
func TestBatchOfADeadInstanceIsTakenUp(t *testing.T) {
	if jobs.RescueAfter+30*time.Second > 2*time.Minute {
		t.Fatalf("a dead instance's job waits up to %v (rescue after %v, looked for every 30 s), over two minutes", jobs.RescueAfter+30*time.Second, jobs.RescueAfter)
	}
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 3)
		f.srv.Close() // no instance works jobs while the death is staged
		admin := f.signedIn(f.people["admin"])
		progress := f.startBatch(admin)

		// The instance that took the job died 100 seconds ago.
		died, by := "datetime('now', 'subsec', '-100 seconds')", `'["dead-instance"]'`
		if st.Dialect() == store.DialectPostgres {
			died, by = "now() - interval '100 seconds'", "ARRAY['dead-instance']"
		}
		res := st.DB().Exec(`UPDATE river_job SET state = 'running', attempt = 1, attempted_at = ` + died + `, attempted_by = ` + by + ` WHERE kind = 'benchmark_batch'`)
		if res.Error != nil || res.RowsAffected != 1 {
			t.Fatalf("staging the dead instance's job: %v (%d rows)", res.Error, res.RowsAffected)
		}

		other := f.withServer(func(*server.Deps) {})
		start := time.Now()
		cl := other.signedIn(f.people["admin"])
		deadline := start.Add(time.Minute) // the rescuer looks every 30 s
		for {
			_, page := cl.get(progress)
			if strings.Contains(page, itoa(int64(len(f.peers)+2))+" reports ready") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the dead instance's batch was not taken up within a minute:\n%s", page)
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Logf("taken up and finished in %v", time.Since(start).Round(time.Millisecond))
	})
}

// A batch whose job River gave up on (an instance died during its last
// attempt) does not stay "running" for ever: starting the cycle's batch
// again marks it failed and starts a new one, which finishes.
func TestBatchWhoseJobWasGivenUpOn(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 3)
		f.srv.Close() // no instance works jobs while the job is given up on
		admin := f.signedIn(f.people["admin"])
		first := f.startBatch(admin)
		res := st.DB().Exec(`UPDATE river_job SET state = 'discarded', finalized_at = created_at WHERE kind = 'benchmark_batch'`)
		if res.Error != nil || res.RowsAffected != 1 {
			t.Fatalf("giving up on the job: %v (%d rows)", res.Error, res.RowsAffected)
		}

		other := f.withServer(func(*server.Deps) {})
		cl := other.signedIn(f.people["admin"])
		second := f.startBatch(cl)
		if second == first {
			t.Fatalf("a start went to the batch whose job was given up on")
		}
		if _, page := cl.get(first); !strings.Contains(page, "The batch did not finish") {
			t.Errorf("the given-up batch does not say it did not finish:\n%s", page)
		}
		if page := waitForBatch(t, cl, second); !strings.Contains(page, itoa(int64(len(f.peers)+2))+" reports ready") {
			t.Errorf("the new batch did not finish:\n%s", page)
		}
	})
}
