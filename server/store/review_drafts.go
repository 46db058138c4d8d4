package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// RoleReviewDraft is a role review saved part way: what was typed so far,
// as the API's JSON of the review, under the risk model edition it was
// typed against. A draft is in no figure; signing the review off records a
// new version of the role's assessment and removes the draft.
type RoleReviewDraft struct {
	ID             int64     `json:"-"`
	OrganisationID int64     `json:"organisation_id"`
	RoleID         string    `json:"role_id"`
	ModelKey       string    `json:"model_key"`
	ModelVersion   string    `json:"model_version"`
	Review         string    `json:"-"` // JSON of the review as typed
	SavedBy        string    `json:"saved_by"`
	SavedAt        time.Time `json:"saved_at"`
}

// SaveRoleReviewDraft keeps a role's review as typed so far, replacing any
// earlier draft of the role. Only the register's editors may.
func (s *Store) SaveRoleReviewDraft(ctx context.Context, a Actor, sc Scope, d RoleReviewDraft) (RoleReviewDraft, error) {
	if err := refuseUnless(a.CanEditRiskRegister(), "change the role risk register"); err != nil {
		return RoleReviewDraft{}, err
	}
	d.RoleID = strings.TrimSpace(d.RoleID)
	if d.RoleID == "" {
		return RoleReviewDraft{}, apperr.Errorf(apperr.EINVALID, "Choose the role")
	}
	if !json.Valid([]byte(d.Review)) {
		return RoleReviewDraft{}, apperr.Errorf(apperr.EINVALID, "The draft review is not JSON")
	}
	d.ID, d.SavedBy, d.SavedAt = 0, a.Label, s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sc.where(tx, "id").First(&Organisation{}, d.OrganisationID).Error; err != nil {
			return notFound(err, "organisation")
		}
		if err := tx.Where("organisation_id = ? AND role_id = ?", d.OrganisationID, d.RoleID).Delete(&RoleReviewDraft{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &d.OrganisationID, "role_review.draft", "role_review_draft", d.RoleID, nil,
			map[string]any{"role_id": d.RoleID, "model_version": d.ModelVersion})
	})
	return d, err
}

// RoleReviewDrafts lists an organisation's drafts, by role.
func (s *Store) RoleReviewDrafts(ctx context.Context, sc Scope, orgID int64) ([]RoleReviewDraft, error) {
	var out []RoleReviewDraft
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).Order("role_id").Find(&out).Error
	return out, err
}

// RoleReviewDraftOf is the draft of one role, or nil when there is none.
func (s *Store) RoleReviewDraftOf(ctx context.Context, sc Scope, orgID int64, roleID string) (*RoleReviewDraft, error) {
	var d RoleReviewDraft
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ? AND role_id = ?", orgID, roleID).First(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}
