package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// RoleAssessment is one version of a psychological risk assessment of a
// high-risk role, pinned to the risk model edition it was made under. The
// server computes residual ratings, the overall band and the dates from the
// model before saving.
type RoleAssessment struct {
	ID                   int64             `json:"id"`
	OrganisationID       int64             `json:"organisation_id"`
	RoleID               string            `json:"role_id"`
	Teams                string            `json:"teams"` // the teams or units the role covers
	Version              int               `json:"version"`
	Current              bool              `json:"current"`
	ModelKey             string            `json:"model_key"`
	ModelVersion         string            `json:"model_version"`
	ModelSHA256          string            `gorm:"column:model_sha256" json:"model_sha256"`
	Headcount            int               `json:"headcount"`
	ExposedHeadcount     int               `json:"exposed_headcount"`
	PeopleScreened       int               `json:"people_screened"` // within the screening interval; counts only
	StructuredInterviews int               `json:"structured_interviews"`
	Referrals            int               `json:"referrals"`
	OverallBand          string            `json:"overall_band"`
	ReviewedOn           time.Time         `json:"reviewed_on"`
	NextReviewOn         time.Time         `json:"next_review_on"`
	NextScreeningOn      time.Time         `json:"next_screening_on"`
	SignedOffBy          string            `json:"signed_off_by"`
	CreatedBy            string            `json:"created_by"`
	CreatedAt            time.Time         `json:"created_at"`
	Hazards              []HazardRating    `gorm:"foreignKey:RoleAssessmentID" json:"hazards"`
	Cohorts              []ScreeningCohort `gorm:"foreignKey:RoleAssessmentID" json:"cohorts"`
}

// ScreeningCohort is the screening of one cohort of a role (initial before
// deployment, periodic, referral) as counts: the people due, those
// screened and the outcomes, with when the cohort's screening falls due.
type ScreeningCohort struct {
	ID                int64      `json:"-"`
	RoleAssessmentID  int64      `json:"-"`
	Cohort            string     `json:"cohort"`
	PeopleDue         int        `json:"people_due"`
	Screened          int        `json:"screened"`
	NoFurtherAction   int        `json:"no_further_action"`
	FurtherAssessment int        `json:"further_assessment"`
	Referred          int        `json:"referred"`
	LastScreenedOn    *time.Time `json:"last_screened_on"`
	DueOn             *time.Time `json:"due_on"`
}

// TableName is fixed by the migrations.
func (ScreeningCohort) TableName() string { return "role_screening_cohorts" }

// HazardRating is one hazard of a role with its inherent and residual
// ratings and the controls against it.
type HazardRating struct {
	ID                int64         `json:"-"`
	RoleAssessmentID  int64         `json:"-"`
	HazardID          string        `json:"hazard_id"`
	InherentL         int           `gorm:"column:inherent_l" json:"inherent_likelihood"`
	InherentS         int           `gorm:"column:inherent_s" json:"inherent_severity"`
	Rationale         string        `json:"rationale"` // why the inherent rating differs from the catalogue's
	ResidualL         int           `gorm:"column:residual_l" json:"residual_likelihood"`
	ResidualS         int           `gorm:"column:residual_s" json:"residual_severity"`
	OverrideRationale string        `json:"override_rationale"` // set when the residual was set by hand
	Controls          []RoleControl `gorm:"foreignKey:HazardRatingID" json:"controls"`
}

// RoleControl is a control against a hazard: from the catalogue (ControlID)
// or local (LocalName).
type RoleControl struct {
	ID                  int64      `json:"-"`
	HazardRatingID      int64      `json:"-"`
	ControlID           string     `json:"control_id"`
	LocalName           string     `json:"local_name"`
	Status              string     `json:"status"`
	Owner               string     `json:"owner"`
	DueOn               *time.Time `json:"due_on"`
	LikelihoodReduction int        `json:"likelihood_reduction"`
	SeverityReduction   int        `json:"severity_reduction"`
}

// TableName is fixed by the migrations.
func (HazardRating) TableName() string { return "role_hazard_ratings" }

// TableName is fixed by the migrations.
func (RoleControl) TableName() string { return "role_controls" }

func validateRoleAssessment(ra *RoleAssessment) error {
	ra.RoleID = strings.TrimSpace(ra.RoleID)
	switch {
	case ra.RoleID == "":
		return apperr.Errorf(apperr.EINVALID, "Choose the role")
	case ra.Headcount < 0 || ra.ExposedHeadcount < 0 || ra.PeopleScreened < 0 || ra.StructuredInterviews < 0 || ra.Referrals < 0:
		return apperr.Errorf(apperr.EINVALID, "Headcounts and screening counts cannot be negative")
	case ra.ExposedHeadcount > ra.Headcount:
		return apperr.Errorf(apperr.EINVALID, "More people exposed (%d) than in the role (%d)", ra.ExposedHeadcount, ra.Headcount)
	case ra.PeopleScreened > ra.Headcount:
		return apperr.Errorf(apperr.EINVALID, "More people screened (%d) than in the role (%d)", ra.PeopleScreened, ra.Headcount)
	case len(ra.Hazards) == 0:
		return apperr.Errorf(apperr.EINVALID, "Rate at least one hazard")
	}
	seen := map[string]bool{}
	for _, co := range ra.Cohorts {
		switch {
		case co.Cohort != "initial" && co.Cohort != "periodic" && co.Cohort != "referral":
			return apperr.Errorf(apperr.EINVALID, "There is no screening cohort %q", co.Cohort)
		case seen[co.Cohort]:
			return apperr.Errorf(apperr.EINVALID, "The %s cohort is recorded twice", co.Cohort)
		case co.PeopleDue < 0 || co.Screened < 0 || co.NoFurtherAction < 0 || co.FurtherAssessment < 0 || co.Referred < 0:
			return apperr.Errorf(apperr.EINVALID, "Screening counts cannot be negative")
		case co.PeopleDue > ra.Headcount:
			return apperr.Errorf(apperr.EINVALID, "More people due %s screening (%d) than in the role (%d)", co.Cohort, co.PeopleDue, ra.Headcount)
		case co.Screened > co.PeopleDue:
			return apperr.Errorf(apperr.EINVALID, "More people screened (%d) than due (%d) in the %s cohort", co.Screened, co.PeopleDue, co.Cohort)
		case co.NoFurtherAction+co.FurtherAssessment+co.Referred > co.Screened:
			return apperr.Errorf(apperr.EINVALID, "More outcomes than people screened in the %s cohort", co.Cohort)
		}
		seen[co.Cohort] = true
	}
	return nil
}

// SaveRoleAssessment records a new version of a role's assessment; the
// previous version stays readable but is no longer current.
func (s *Store) SaveRoleAssessment(ctx context.Context, a Actor, sc Scope, ra RoleAssessment) (RoleAssessment, error) {
	if err := refuseUnless(a.CanEditRiskRegister(), "change the role risk register"); err != nil {
		return RoleAssessment{}, err
	}
	if err := validateRoleAssessment(&ra); err != nil {
		return RoleAssessment{}, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sc.where(tx, "id").First(&Organisation{}, ra.OrganisationID).Error; err != nil {
			return notFound(err, "organisation")
		}
		var last RoleAssessment
		err := tx.Where("organisation_id = ? AND role_id = ?", ra.OrganisationID, ra.RoleID).Order("version DESC").Limit(1).Find(&last).Error
		if err != nil {
			return err
		}
		if err := tx.Model(&RoleAssessment{}).Where("organisation_id = ? AND role_id = ?", ra.OrganisationID, ra.RoleID).Update("current", false).Error; err != nil {
			return err
		}
		ra.ID, ra.Version, ra.Current, ra.CreatedAt, ra.CreatedBy = 0, last.Version+1, true, s.now(), a.Label
		for i := range ra.Hazards {
			ra.Hazards[i].ID = 0
			for j := range ra.Hazards[i].Controls {
				ra.Hazards[i].Controls[j].ID = 0
			}
		}
		for i := range ra.Cohorts {
			ra.Cohorts[i].ID = 0
		}
		if err := tx.Create(&ra).Error; err != nil { // hazards and controls go with it
			return err
		}
		// Signing off completes the role's draft, if it had one.
		var draft RoleReviewDraft
		if err := tx.Where("organisation_id = ? AND role_id = ?", ra.OrganisationID, ra.RoleID).Limit(1).Find(&draft).Error; err != nil {
			return err
		}
		after := map[string]any{"version": ra.Version, "overall_band": ra.OverallBand, "headcount": ra.Headcount, "hazards": len(ra.Hazards), "signed_off_by": ra.SignedOffBy}
		if draft.ID != 0 {
			if err := tx.Delete(&draft).Error; err != nil {
				return err
			}
			after["draft_saved_by"], after["draft_saved_at"] = draft.SavedBy, draft.SavedAt
		}
		return s.audit(tx, a, &ra.OrganisationID, "role_assessment.save", "role_assessment", ra.RoleID+"/v"+strconv.Itoa(ra.Version), nil, after)
	})
	return ra, err
}

// RoleRegister lists the current assessment of every role of an
// organisation, with their hazard ratings and controls.
func (s *Store) RoleRegister(ctx context.Context, sc Scope, orgID int64) ([]RoleAssessment, error) {
	var out []RoleAssessment
	q := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ? AND current", orgID)
	err := q.Preload("Hazards", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Hazards.Controls", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Cohorts", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Order("role_id").Find(&out).Error
	return out, err
}

// RoleHistory returns every version of a role's assessment, newest first,
// with hazards and controls.
func (s *Store) RoleHistory(ctx context.Context, sc Scope, orgID int64, roleID string) ([]RoleAssessment, error) {
	var out []RoleAssessment
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ? AND role_id = ?", orgID, roleID).
		Preload("Hazards", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Hazards.Controls", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Cohorts", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Order("version DESC").Find(&out).Error
	if err == nil && len(out) == 0 {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no assessment of role %s.", roleID)
	}
	return out, err
}

// SeesExactScreeningCounts says whether someone may see a role's screening
// and referral counts under 5 exactly: only those who may edit the
// organisation's register (its owner and the editors given it). Viewers,
// national admins and every report see "fewer than 5".
func (a Actor) SeesExactScreeningCounts() bool { return a.CanEditRiskRegister() }

// LocalRole is a high-risk role an organisation defines itself, with hazards
// and controls chosen from the risk model's catalogues.
type LocalRole struct {
	ID             int64     `json:"-"`
	OrganisationID int64     `json:"organisation_id"`
	RoleID         string    `json:"role_id"` // "LOCAL-" and a slug of the name
	Name           string    `json:"name"`
	Hazards        []string  `gorm:"serializer:json" json:"hazards"`
	Controls       []string  `gorm:"serializer:json" json:"controls"`
	CreatedAt      time.Time `json:"-"`
}

// CreateLocalRole adds a role of the organisation's own.
func (s *Store) CreateLocalRole(ctx context.Context, a Actor, sc Scope, r LocalRole) (LocalRole, error) {
	if err := refuseUnless(a.CanEditRiskRegister(), "change the role risk register"); err != nil {
		return LocalRole{}, err
	}
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" || len(r.Name) > 120 || len(r.Hazards) == 0 {
		return LocalRole{}, apperr.Errorf(apperr.EINVALID, "Name the role (120 characters or fewer) and choose at least one hazard")
	}
	r.ID, r.CreatedAt = 0, s.now()
	if r.Controls == nil {
		r.Controls = []string{}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sc.where(tx, "id").First(&Organisation{}, r.OrganisationID).Error; err != nil {
			return notFound(err, "organisation")
		}
		if err := tx.Create(&r).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Errorf(apperr.ECONFLICT, "Your organisation already has a role called %s", r.Name)
			}
			return err
		}
		return s.audit(tx, a, &r.OrganisationID, "local_role.create", "local_role", r.RoleID, nil, r)
	})
	return r, err
}

// LocalRoles lists an organisation's own roles.
func (s *Store) LocalRoles(ctx context.Context, sc Scope, orgID int64) ([]LocalRole, error) {
	var out []LocalRole
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).Order("name").Find(&out).Error
	return out, err
}
