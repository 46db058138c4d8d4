package store

import (
	"context"
	"math"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// AssumptionOverride is an organisation's own value for one business case
// assumption, with the source it gives for it.
type AssumptionOverride struct {
	OrganisationID int64     `gorm:"primaryKey;autoIncrement:false" json:"organisation_id"`
	Key            string    `gorm:"primaryKey" json:"key"`
	Value          float64   `json:"value"`
	Source         string    `json:"source"`
	UpdatedBy      string    `json:"updated_by"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// TableName is fixed by the migrations.
func (AssumptionOverride) TableName() string { return "business_case_assumptions" }

// AssumptionOverrides lists an organisation's own assumptions, by key.
func (s *Store) AssumptionOverrides(ctx context.Context, sc Scope, orgID int64) ([]AssumptionOverride, error) {
	var out []AssumptionOverride
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).Order("key").Find(&out).Error
	return out, err
}

// SetAssumptionOverrides replaces an organisation's own assumptions with
// the given ones, all or nothing, in the audit trail.
func (s *Store) SetAssumptionOverrides(ctx context.Context, a Actor, sc Scope, orgID int64, list []AssumptionOverride) error {
	now := s.now()
	for i := range list {
		o := &list[i]
		o.OrganisationID, o.UpdatedBy, o.UpdatedAt = orgID, a.Label, now
		o.Source = strings.TrimSpace(o.Source)
		switch {
		case math.IsNaN(o.Value) || math.IsInf(o.Value, 0) || o.Value < 0:
			return apperr.Errorf(apperr.EINVALID, "Assumption %s must be a number of zero or more", o.Key)
		case o.Source == "" || len(o.Source) > 500:
			return apperr.Errorf(apperr.EINVALID, "Say where the figure for %s comes from, in 500 characters or fewer", o.Key)
		}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, orgID); err != nil {
			return err
		}
		var before []AssumptionOverride
		if err := tx.Where("organisation_id = ?", orgID).Order("key").Find(&before).Error; err != nil {
			return err
		}
		if err := tx.Where("organisation_id = ?", orgID).Delete(&AssumptionOverride{}).Error; err != nil {
			return err
		}
		if len(list) > 0 {
			if err := tx.Create(&list).Error; err != nil {
				return err
			}
		}
		return s.audit(tx, a, &orgID, "business_case.assumptions.save", "business_case_assumptions", itoa(orgID), before, list)
	})
}
