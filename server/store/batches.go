package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// A benchmark batch: every organisation's benchmark PDF for a cycle,
// rendered by a background job (package batch) and kept here until its
// retention period ends, so that every instance can follow it and serve it.

// BenchmarkBatch is one batch.
type BenchmarkBatch struct {
	ID         string `gorm:"primaryKey"`
	CycleID    int64
	CycleName  string
	StartedBy  *int64
	StartedAt  time.Time
	Total      int
	FinishedAt *time.Time
	Failed     bool
	JobID      *int64 // River's job that runs it
	// FiguresStamp is the figures stamp its PDFs are drawn from, read at
	// FiguresAt.
	FiguresStamp *int64
	FiguresAt    *time.Time
	// Redrawn says the figures changed mid-batch, so the PDFs drawn until
	// then were removed and every report drawn again.
	Redrawn bool
	Done    int `gorm:"-"` // PDFs written so far
}

func (BenchmarkBatch) TableName() string { return "benchmark_batches" }

// Running says whether the batch has still to finish.
func (b BenchmarkBatch) Running() bool { return b.FinishedAt == nil }

type batchFile struct {
	BatchID string `gorm:"primaryKey"`
	Name    string `gorm:"primaryKey"`
	PDF     []byte `gorm:"column:pdf"`
}

func (batchFile) TableName() string { return "benchmark_batch_files" }

// CanRunBatches says whether the actor may start, follow and download the
// national batches of benchmark reports: the national team.
func (a Actor) CanRunBatches() bool { return a.system || a.Role == RoleNationalAdmin }

func batchesAllowed(a Actor) error {
	if !a.CanRunBatches() {
		return apperr.Errorf(apperr.EFORBIDDEN, "Only the national team can run batches of benchmark reports.")
	}
	return nil
}

// StartBatch records batch b and, in the same transaction, queues the job
// that runs it (queue, which returns the job's id). If a batch of the cycle
// is running already, it queues nothing and returns that one instead.
func (s *Store) StartBatch(ctx context.Context, a Actor, b BenchmarkBatch, queue func(tx *sql.Tx) (int64, error)) (BenchmarkBatch, error) {
	if err := batchesAllowed(a); err != nil {
		return BenchmarkBatch{}, err
	}
	b.StartedAt, b.FinishedAt, b.Failed = s.now(), nil, false
	if a.UserID != 0 {
		b.StartedBy = &a.UserID
	}
	err := s.InJobTx(ctx, func(db *gorm.DB, tx *sql.Tx) error {
		if err := db.Create(&b).Error; err != nil {
			return err
		}
		jobID, err := queue(tx)
		if err != nil {
			return err
		}
		b.JobID = &jobID
		return db.Model(&b).Update("job_id", jobID).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) { // the cycle's running batch won
		var running BenchmarkBatch
		if err := s.db.WithContext(ctx).Where("cycle_id = ? AND finished_at IS NULL", b.CycleID).First(&running).Error; err != nil {
			return BenchmarkBatch{}, err
		}
		return s.withDone(ctx, running)
	}
	return b, err
}

// Batch returns the batch with the id, with how many PDFs it has written.
func (s *Store) Batch(ctx context.Context, a Actor, id string) (BenchmarkBatch, error) {
	if err := batchesAllowed(a); err != nil {
		return BenchmarkBatch{}, err
	}
	var b BenchmarkBatch
	err := s.db.WithContext(ctx).Where("id = ?", id).First(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return b, apperr.Errorf(apperr.ENOTFOUND, "There is no such batch: it may have passed its retention period and been removed, so start it again.")
	}
	if err != nil {
		return b, err
	}
	return s.withDone(ctx, b)
}

// RunningBatch returns the cycle's running batch, if there is one.
func (s *Store) RunningBatch(ctx context.Context, a Actor, cycleID int64) (*BenchmarkBatch, error) {
	if err := batchesAllowed(a); err != nil {
		return nil, err
	}
	var list []BenchmarkBatch
	if err := s.db.WithContext(ctx).Where("cycle_id = ? AND finished_at IS NULL", cycleID).Limit(1).Find(&list).Error; err != nil || len(list) == 0 {
		return nil, err
	}
	b, err := s.withDone(ctx, list[0])
	return &b, err
}

// RecentBatches returns the latest batches, newest first.
func (s *Store) RecentBatches(ctx context.Context, a Actor, limit int) ([]BenchmarkBatch, error) {
	if err := batchesAllowed(a); err != nil {
		return nil, err
	}
	var list []BenchmarkBatch
	if err := s.db.WithContext(ctx).Order("started_at DESC, id").Limit(limit).Find(&list).Error; err != nil || len(list) == 0 {
		return list, err
	}
	ids := make([]string, len(list))
	for i, b := range list {
		ids[i] = b.ID
	}
	var counts []struct {
		BatchID string
		Done    int
	}
	if err := s.db.WithContext(ctx).Model(&batchFile{}).Select("batch_id, count(*) AS done").
		Where("batch_id IN ?", ids).Group("batch_id").Scan(&counts).Error; err != nil {
		return nil, err
	}
	done := make(map[string]int, len(counts))
	for _, c := range counts {
		done[c.BatchID] = c.Done
	}
	for i := range list {
		list[i].Done = done[list[i].ID]
	}
	return list, nil
}

func (s *Store) withDone(ctx context.Context, b BenchmarkBatch) (BenchmarkBatch, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&batchFile{}).Where("batch_id = ?", b.ID).Count(&n).Error
	b.Done = int(n)
	return b, err
}

// BatchFileNames lists the PDFs the batch has written, for its job to skip
// when it resumes.
func (s *Store) BatchFileNames(ctx context.Context, batchID string) (map[string]bool, error) {
	var names []string
	if err := s.db.WithContext(ctx).Model(&batchFile{}).Where("batch_id = ?", batchID).Pluck("name", &names).Error; err != nil {
		return nil, err
	}
	done := make(map[string]bool, len(names))
	for _, n := range names {
		done[n] = true
	}
	return done, nil
}

// PinBatchFigures records that the batch's PDFs are drawn from the figures
// at stamp, for total organisations. If PDFs drawn from other figures are
// kept already, they are removed and restarted reports true: one zip must
// not mix figures from before and after a change.
func (s *Store) PinBatchFigures(ctx context.Context, batchID string, stamp int64, total int) (restarted bool, err error) {
	err = s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		var b BenchmarkBatch
		if err := db.Where("id = ? AND finished_at IS NULL", batchID).Take(&b).Error; err != nil {
			return err
		}
		if b.FiguresStamp != nil && *b.FiguresStamp == stamp {
			return nil
		}
		del := db.Where("batch_id = ?", batchID).Delete(&batchFile{})
		if del.Error != nil {
			return del.Error
		}
		restarted = del.RowsAffected > 0
		set := map[string]any{"figures_stamp": stamp, "figures_at": s.now(), "total": total}
		if restarted {
			set["redrawn"] = true
		}
		return db.Model(&BenchmarkBatch{}).Where("id = ?", batchID).Updates(set).Error
	})
	return restarted, err
}

// AddBatchFile keeps one PDF of the batch. Writing the same file twice (a
// job run again after its instance died) keeps the first.
func (s *Store) AddBatchFile(ctx context.Context, batchID, name string, pdf []byte) error {
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&batchFile{BatchID: batchID, Name: name, PDF: pdf}).Error
}

// FinishBatch marks a running batch finished, failed or not, once: a late
// run of its job cannot change a batch that has finished. A finished
// batch's total becomes the reports it holds; a failed batch's PDFs are
// removed, since part of a set is of no use to anyone.
func (s *Store) FinishBatch(ctx context.Context, batchID string, failed bool) error {
	return s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		var done int64
		if err := db.Model(&batchFile{}).Where("batch_id = ?", batchID).Count(&done).Error; err != nil {
			return err
		}
		set := map[string]any{"finished_at": s.now(), "failed": failed}
		if !failed {
			set["total"] = done
		}
		res := db.Model(&BenchmarkBatch{}).Where("id = ? AND finished_at IS NULL", batchID).Updates(set)
		if res.Error != nil || res.RowsAffected == 0 || !failed {
			return res.Error
		}
		return db.Where("batch_id = ?", batchID).Delete(&batchFile{}).Error
	})
}

// RunningBatches lists every batch still running, for the clean-up job to
// find those whose job has ended without finishing them.
func (s *Store) RunningBatches(ctx context.Context) ([]BenchmarkBatch, error) {
	var list []BenchmarkBatch
	err := s.db.WithContext(ctx).Where("finished_at IS NULL").Order("started_at").Find(&list).Error
	return list, err
}

// EachBatchFile calls fn with each of the batch's PDFs in name order, one
// at a time, so a zip of a thousand of them is written with one in memory.
func (s *Store) EachBatchFile(ctx context.Context, a Actor, batchID string, fn func(name string, pdf []byte) error) error {
	if err := batchesAllowed(a); err != nil {
		return err
	}
	var names []string
	if err := s.db.WithContext(ctx).Model(&batchFile{}).Where("batch_id = ?", batchID).Order("name").Pluck("name", &names).Error; err != nil {
		return err
	}
	for _, name := range names {
		var f batchFile
		if err := s.db.WithContext(ctx).Where("batch_id = ? AND name = ?", batchID, name).First(&f).Error; err != nil {
			return err
		}
		if err := fn(name, f.PDF); err != nil {
			return err
		}
	}
	return nil
}

// RemoveBatchesBefore removes the batches finished before the time, with
// their PDFs, and returns how many.
func (s *Store) RemoveBatchesBefore(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		old := db.Model(&BenchmarkBatch{}).Select("id").Where("finished_at IS NOT NULL AND finished_at < ?", dbTime(before))
		if err := db.Where("batch_id IN (?)", old).Delete(&batchFile{}).Error; err != nil {
			return err
		}
		res := db.Where("finished_at IS NOT NULL AND finished_at < ?", dbTime(before)).Delete(&BenchmarkBatch{})
		n = res.RowsAffected
		return res.Error
	})
	return int(n), err
}
