package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestBenchmarkBatchRecords(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sys := store.SystemActor("test")
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		cy, err := s.CreateCycle(ctx, sys, store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: now.Add(-time.Hour), ClosesOn: now.Add(90 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		queued := 0
		queue := func(*sql.Tx) (int64, error) { queued++; return int64(queued), nil }

		// Only the national team.
		owner := store.Actor{UserID: 1, Role: store.RoleOwner}
		if _, err := s.StartBatch(ctx, owner, store.BenchmarkBatch{ID: "x", CycleID: cy.ID, Total: 2}, queue); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("an owner started a batch: %v", err)
		}
		if _, err := s.Batch(ctx, owner, "x"); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("an owner read a batch: %v", err)
		}

		first, err := s.StartBatch(ctx, sys, store.BenchmarkBatch{ID: "first", CycleID: cy.ID, CycleName: cy.Name, Total: 2}, queue)
		if err != nil || first.ID != "first" || queued != 1 {
			t.Fatalf("start = %+v, %v; queued %d", first, err, queued)
		}
		// A second start while it runs gets it, and queues nothing.
		again, err := s.StartBatch(ctx, sys, store.BenchmarkBatch{ID: "second", CycleID: cy.ID, CycleName: cy.Name, Total: 2}, queue)
		if err != nil || again.ID != "first" || queued != 1 {
			t.Fatalf("second start = %+v, %v; queued %d", again, err, queued)
		}
		if _, err := s.Batch(ctx, sys, "second"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("the second start left a batch: %v", err)
		}

		// The first run pins the figures; a run at the same stamp keeps what
		// was written, and one at a new stamp starts again.
		pin := func(stamp int64, total int, wantRestart bool) store.BenchmarkBatch {
			t.Helper()
			restarted, err := s.PinBatchFigures(ctx, "first", stamp, total)
			b, berr := s.Batch(ctx, sys, "first")
			if err != nil || berr != nil || restarted != wantRestart || b.FiguresStamp == nil || *b.FiguresStamp != stamp || b.Total != total || b.FiguresAt == nil || !b.FiguresAt.Equal(now) {
				t.Fatalf("pin at %d: restarted %v (%v), batch %+v (%v)", stamp, restarted, err, b, berr)
			}
			return b
		}
		pin(7, 2, false)
		if err := s.AddBatchFile(ctx, "first", "old.pdf", []byte("%PDF old")); err != nil {
			t.Fatal(err)
		}
		if b := pin(7, 2, false); b.Done != 1 || b.Redrawn {
			t.Fatalf("the same figures lost the kept report: %+v", b)
		}
		if b := pin(8, 2, true); b.Done != 0 || !b.Redrawn {
			t.Fatalf("changed figures kept the old report: %+v", b)
		}
		for _, name := range []string{"b.pdf", "a.pdf", "a.pdf"} { // a job run twice writes a.pdf twice
			if err := s.AddBatchFile(ctx, "first", name, []byte("%PDF "+name)); err != nil {
				t.Fatal(err)
			}
		}
		if b, err := s.Batch(ctx, sys, "first"); err != nil || b.Done != 2 || !b.Running() || b.JobID == nil || *b.JobID != 1 {
			t.Fatalf("batch = %+v, %v", b, err)
		}
		if list, err := s.RecentBatches(ctx, sys, 10); err != nil || len(list) != 1 || list[0].Done != 2 {
			t.Fatalf("recent batches = %+v, %v", list, err)
		}
		if err := s.FinishBatch(ctx, "first", false); err != nil {
			t.Fatal(err)
		}
		// A late run of its job that fails changes nothing: the reports stay.
		if err := s.FinishBatch(ctx, "first", true); err != nil {
			t.Fatal(err)
		}
		if b, err := s.Batch(ctx, sys, "first"); err != nil || b.Failed || b.Running() || b.Done != 2 || b.Total != 2 {
			t.Fatalf("after a late failure the batch is %+v, %v", b, err)
		}
		var names []string
		if err := s.EachBatchFile(ctx, sys, "first", func(name string, pdf []byte) error {
			if string(pdf) != "%PDF "+name {
				t.Errorf("%s holds %q", name, pdf)
			}
			names = append(names, name)
			return nil
		}); err != nil || len(names) != 2 || names[0] != "a.pdf" {
			t.Errorf("files = %v, %v", names, err)
		}

		// Kept for the retention period, then removed with their files.
		if n, err := s.RemoveBatchesBefore(ctx, now.Add(-time.Hour)); err != nil || n != 0 {
			t.Errorf("removed %d batches finished after the cut-off (%v)", n, err)
		}
		if n, err := s.RemoveBatchesBefore(ctx, now.Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("removed %d batches, want 1 (%v)", n, err)
		}
		if _, err := s.Batch(ctx, sys, "first"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("the removed batch is still there: %v", err)
		}
		left := 0
		s.EachBatchFile(ctx, sys, "first", func(string, []byte) error { left++; return nil })
		if left != 0 {
			t.Errorf("%d files of the removed batch are left", left)
		}
	})
}
