package server_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// batchFiles lists the batch zips in dir, the temporary folder.
func batchFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "benchmark-batch-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// startBatchFixture is a benchmark fixture whose batches' zips go to a
// temporary folder of the test's own, and whose per-organisation step is
// render.
func startBatchFixture(t *testing.T, render func(ctx context.Context, slug string) ([]byte, error)) (*benchFixture, string) {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	f := newBenchFixture(t, storetest.Open(t, "sqlite"), 2, 3)
	f.srv.SetBatchRender(render)
	return f, tmp
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

func TestBatchStopsAndIsWaitedForWhenTheServerCloses(t *testing.T) {
	entered := make(chan struct{}, 10)
	var stopped atomic.Bool
	f, tmp := startBatchFixture(t, func(ctx context.Context, slug string) ([]byte, error) {
		entered <- struct{}{}
		<-ctx.Done()
		time.Sleep(100 * time.Millisecond) // Close must wait for this
		stopped.Store(true)
		return nil, ctx.Err()
	})
	admin := f.signedIn(f.people["admin"])
	f.startBatch(admin)
	<-entered
	if len(batchFiles(t, tmp)) != 1 {
		t.Fatalf("running batch has no zip: %v", batchFiles(t, tmp))
	}
	f.srv.Close()
	if !stopped.Load() {
		t.Fatal("Close returned before the batch stopped")
	}
	if files := batchFiles(t, tmp); len(files) != 0 {
		t.Errorf("zip left after Close: %v", files)
	}
	// After Close no batch starts.
	if resp, _ := admin.post("/national/"+itoa(f.cycle.ID)+"/batch", url.Values{}); resp.StatusCode != 503 {
		t.Errorf("start after Close = %d, want 503", resp.StatusCode)
	}
	if files := batchFiles(t, tmp); len(files) != 0 {
		t.Errorf("zip left by a start after Close: %v", files)
	}
}

func TestBatchFailureRemovesItsZip(t *testing.T) {
	f, tmp := startBatchFixture(t, func(ctx context.Context, slug string) ([]byte, error) {
		if slug == "alpha" {
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
	if files := batchFiles(t, tmp); len(files) != 0 {
		t.Errorf("failed batch left its zip: %v", files)
	}
	if resp, _ := admin.get(progress + "/download"); resp.StatusCode != 422 {
		t.Errorf("download of a failed batch = %d", resp.StatusCode)
	}
}

func TestSecondBatchStartShowsTheRunningOne(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int64
	f, tmp := startBatchFixture(t, func(ctx context.Context, slug string) ([]byte, error) {
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
	if files := batchFiles(t, tmp); len(files) != 1 {
		t.Errorf("zips while one batch runs: %v", files)
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
