package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// WorkbookUpload is an uploaded workbook waiting for confirmation. Versions
// records each response's version when the preview was shown, so applying
// refuses if anyone saved since.
type WorkbookUpload struct {
	ID           int64
	AssessmentID int64
	UserID       int64
	Data         []byte
	Versions     map[string]int `gorm:"serializer:json"`
	CreatedAt    time.Time
}

// uploadLifetime is how long a preview can wait for confirmation.
const uploadLifetime = 2 * time.Hour

// SaveUpload keeps an uploaded workbook for the person who uploaded it.
func (s *Store) SaveUpload(ctx context.Context, sc Scope, u WorkbookUpload) (WorkbookUpload, error) {
	if _, err := s.AssessmentByID(ctx, sc, u.AssessmentID); err != nil {
		return WorkbookUpload{}, err
	}
	u.ID, u.CreatedAt = 0, s.now()
	db := s.db.WithContext(ctx)
	// Old previews nobody confirmed are of no use.
	if err := db.Where("created_at < ?", s.now().Add(-uploadLifetime)).Delete(&WorkbookUpload{}).Error; err != nil {
		return WorkbookUpload{}, err
	}
	return u, db.Create(&u).Error
}

// Upload returns a pending upload of this person for this assessment.
func (s *Store) Upload(ctx context.Context, sc Scope, assessmentID, userID, id int64) (WorkbookUpload, error) {
	if _, err := s.AssessmentByID(ctx, sc, assessmentID); err != nil {
		return WorkbookUpload{}, err
	}
	var u WorkbookUpload
	err := s.db.WithContext(ctx).Where("assessment_id = ? AND user_id = ? AND created_at > ?", assessmentID, userID, s.now().Add(-uploadLifetime)).First(&u, id).Error
	return u, notFound(err, "upload (it may have expired: upload the workbook again)")
}

// ApplyWorkbook saves every changed answer and adds every new action from a
// confirmed upload in one transaction: all of it, or nothing if any answer
// changed since the preview.
func (s *Store) ApplyWorkbook(ctx context.Context, a Actor, sc Scope, upload WorkbookUpload, answers []Response, actions []Action) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		as, err := editable(tx, sc, upload.AssessmentID)
		if err != nil {
			return err
		}
		for _, r := range answers {
			if err := s.mayEditStandard(a, as, r.StandardID); err != nil {
				return err
			}
		}
		for _, act := range actions {
			if err := s.mayEditStandard(a, as, act.StandardID); err != nil {
				return err
			}
		}
		now := s.now()
		for _, r := range answers {
			expected, ok := upload.Versions[r.StandardID]
			if !ok {
				return apperr.Errorf(apperr.EINVALID, "standard %s was not in the preview", r.StandardID)
			}
			res := tx.Model(&Response{}).Where("assessment_id = ? AND standard_id = ? AND version = ?", as.ID, r.StandardID, expected).Updates(map[string]any{
				"level": r.Level, "target": r.Target, "evidence": r.Evidence, "links": r.Links,
				"carried_forward": false, "version": expected + 1, "updated_by": a.Label + " (workbook)", "updated_at": now,
			})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return apperr.Errorf(apperr.ECONFLICT, "Someone changed %s since you previewed the upload, so nothing was saved. Upload the workbook again to see the changes against the latest answers.", r.StandardID)
			}
		}
		for _, act := range actions {
			act.ID, act.AssessmentID = 0, as.ID
			if err := tx.Create(&act).Error; err != nil {
				return err
			}
		}
		if err := tx.Delete(&WorkbookUpload{}, upload.ID).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &as.OrganisationID, "assessment.workbook_applied", "assessment", strconv.FormatInt(as.ID, 10), nil,
			map[string]int{"answers": len(answers), "actions": len(actions)})
	})
}
