package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/reports/actionstatus"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Cycle statuses.
const (
	CycleOpen   = "open"
	CycleClosed = "closed"
)

// Assessment statuses. Draft and returned assessments can be edited.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusReturned  = "returned"
	StatusValidated = "validated"
)

// Action statuses.
var ActionStatuses = actionstatus.Statuses

// Cycle is a national assessment round, such as 2026/27, on one framework
// edition.
type Cycle struct {
	ID               int64     `json:"id"`
	Name             string    `json:"name"`
	FrameworkKey     string    `json:"framework_key"`
	FrameworkVersion string    `json:"framework_version"`
	OpensOn          time.Time `json:"opens_on"`
	ClosesOn         time.Time `json:"closes_on"`
	Status           string    `json:"status"`
	CreatedAt        time.Time `json:"-"`
	UpdatedAt        time.Time `json:"-"`
}

// TableName is fixed by the migrations.
func (Cycle) TableName() string { return "assessment_cycles" }

// Assessment is one organisation's self-assessment in one cycle, pinned to
// the framework edition (and its content hash) it was made under.
type Assessment struct {
	ID                    int64      `json:"id"`
	OrganisationID        int64      `json:"organisation_id"`
	CycleID               int64      `json:"cycle_id"`
	FrameworkKey          string     `json:"framework_key"`
	FrameworkVersion      string     `json:"framework_version"`
	FrameworkSHA256       string     `gorm:"column:framework_sha256" json:"framework_sha256"`
	Status                string     `json:"status"`
	CarriedFromID         *int64     `json:"carried_from_id"`
	SignedOffName         string     `json:"signed_off_name"`
	SignedOffRole         string     `json:"signed_off_role"`
	SignedOffAt           *time.Time `json:"signed_off_at"`
	SubmittedAt           *time.Time `json:"submitted_at"`
	ReturnedComment       string     `json:"returned_comment"`
	ValidatedAt           *time.Time `json:"validated_at"`
	PeerReviewRequestedAt *time.Time `json:"peer_review_requested_at"`
	CreatedAt             time.Time  `json:"created_at"`
	UpdatedAt             time.Time  `json:"-"`
}

// Editable reports whether the organisation may still change answers.
func (a Assessment) Editable() bool { return a.Status == StatusDraft || a.Status == StatusReturned }

// Response is an organisation's answer to one standard. Version counts
// saves, so that a save based on an old copy is refused, not lost.
type Response struct {
	ID             int64     `json:"-"`
	AssessmentID   int64     `json:"-"`
	StandardID     string    `json:"standard_id"`
	Level          *int      `json:"level"`
	Target         *int      `json:"target"`
	Evidence       string    `json:"evidence"`
	Links          string    `json:"links"`
	CarriedForward bool      `json:"carried_forward"` // carried from last cycle and not yet confirmed
	ReviewNote     string    `json:"review_note"`
	Version        int       `json:"version"`
	UpdatedBy      string    `json:"updated_by"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Action is an improvement action for a standard.
type Action struct {
	ID           int64      `json:"id"`
	AssessmentID int64      `json:"-"`
	StandardID   string     `json:"standard_id"`
	What         string     `json:"what"`
	Owner        string     `json:"owner"`
	DueOn        *time.Time `json:"due_on"`
	Status       string     `json:"status"`
	CreatedAt    time.Time  `json:"-"`
	UpdatedAt    time.Time  `json:"-"`
}

// TableName is fixed by the migrations.
func (Action) TableName() string { return "assessment_actions" }

// ConflictError is returned when a response changed since the caller read
// it; Current is what is saved now, so the caller can choose or merge.
type ConflictError struct {
	Current Response
}

const conflictMessage = "Someone else saved this standard while you were editing it"

func (e *ConflictError) Error() string { return conflictMessage }

// Unwrap makes the conflict an ECONFLICT for apperr.Code.
func (e *ConflictError) Unwrap() error { return apperr.Errorf(apperr.ECONFLICT, conflictMessage) }

// CreateCycle opens a cycle. Only national admins may; the caller checks.
func (s *Store) CreateCycle(ctx context.Context, a Actor, c Cycle) (Cycle, error) {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len(c.Name) > 40 {
		return Cycle{}, apperr.Errorf(apperr.EINVALID, "Enter a name for the cycle of 40 characters or fewer, like 2026/27")
	}
	if !c.ClosesOn.After(c.OpensOn) {
		return Cycle{}, apperr.Errorf(apperr.EINVALID, "The closing date must be after the opening date")
	}
	c.ID, c.Status = 0, CycleOpen
	c.OpensOn, c.ClosesOn = c.OpensOn.UTC(), c.ClosesOn.UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Errorf(apperr.ECONFLICT, "There is already a cycle called %s", c.Name)
			}
			return err
		}
		return s.audit(tx, a, nil, "cycle.create", "cycle", strconv.FormatInt(c.ID, 10), nil, c)
	})
	return c, err
}

// UpdateCycle extends a cycle's closing date or closes or reopens it.
func (s *Store) UpdateCycle(ctx context.Context, a Actor, id int64, closesOn time.Time, status string) (Cycle, error) {
	if status != CycleOpen && status != CycleClosed {
		return Cycle{}, apperr.Errorf(apperr.EINVALID, "A cycle is open or closed")
	}
	var c Cycle
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err, "cycle")
		}
		before := c
		if !closesOn.IsZero() {
			if !closesOn.After(c.OpensOn) {
				return apperr.Errorf(apperr.EINVALID, "The closing date must be after the opening date")
			}
			c.ClosesOn = closesOn.UTC()
		}
		c.Status = status
		if err := tx.Model(&Cycle{ID: id}).Select("closes_on", "status", "updated_at").Updates(&c).Error; err != nil {
			return err
		}
		return s.audit(tx, a, nil, "cycle.update", "cycle", strconv.FormatInt(id, 10), before, c)
	})
	return c, err
}

// Cycles lists every cycle, newest first. Cycles are national: everyone
// may see them.
func (s *Store) Cycles(ctx context.Context) ([]Cycle, error) {
	var out []Cycle
	err := s.db.WithContext(ctx).Order("opens_on DESC, id DESC").Find(&out).Error
	return out, err
}

// CycleByID returns one cycle.
func (s *Store) CycleByID(ctx context.Context, id int64) (Cycle, error) {
	var c Cycle
	err := s.db.WithContext(ctx).First(&c, id).Error
	return c, notFound(err, "cycle")
}

// StartAssessment creates an organisation's assessment for a cycle with a
// response for every standard: blank, or carried forward (seed).
func (s *Store) StartAssessment(ctx context.Context, a Actor, sc Scope, as Assessment, seed []Response) (Assessment, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sc.where(tx, "id").First(&Organisation{}, as.OrganisationID).Error; err != nil {
			return notFound(err, "organisation")
		}
		var c Cycle
		if err := tx.First(&c, as.CycleID).Error; err != nil {
			return notFound(err, "cycle")
		}
		if c.Status != CycleOpen {
			return apperr.Errorf(apperr.EINVALID, "The %s cycle is closed", c.Name)
		}
		as.ID, as.Status = 0, StatusDraft
		if err := tx.Create(&as).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Errorf(apperr.ECONFLICT, "Your organisation has already started its %s assessment", c.Name)
			}
			return err
		}
		now := s.now()
		for i := range seed {
			seed[i].ID, seed[i].AssessmentID, seed[i].Version, seed[i].UpdatedAt = 0, as.ID, 1, now
		}
		if len(seed) > 0 {
			if err := tx.CreateInBatches(seed, 200).Error; err != nil {
				return err
			}
		}
		return s.audit(tx, a, &as.OrganisationID, "assessment.start", "assessment", strconv.FormatInt(as.ID, 10), nil, as)
	})
	return as, err
}

// AssessmentByID returns one assessment within the scope.
func (s *Store) AssessmentByID(ctx context.Context, sc Scope, id int64) (Assessment, error) {
	var as Assessment
	err := sc.where(s.db.WithContext(ctx), "organisation_id").First(&as, id).Error
	return as, notFound(err, "assessment")
}

// ListAssessments lists the assessments in scope, newest cycle first (by
// when the cycle opened).
func (s *Store) ListAssessments(ctx context.Context, sc Scope) ([]Assessment, error) {
	var out []Assessment
	q := s.db.WithContext(ctx).Model(&Assessment{}).Select("assessments.*").
		Joins("JOIN assessment_cycles ON assessment_cycles.id = assessments.cycle_id")
	err := sc.where(q, "assessments.organisation_id").
		Order("assessment_cycles.opens_on DESC, assessments.organisation_id, assessments.id").Find(&out).Error
	return out, err
}

// Responses returns every response of an assessment in scope.
func (s *Store) Responses(ctx context.Context, sc Scope, assessmentID int64) ([]Response, error) {
	if _, err := s.AssessmentByID(ctx, sc, assessmentID); err != nil {
		return nil, err
	}
	var out []Response
	err := s.db.WithContext(ctx).Where("assessment_id = ?", assessmentID).Order("id").Find(&out).Error
	return out, err
}

// AssessmentWithAnswers returns one assessment within the scope with every
// response and action, reading the assessment once (Responses and Actions
// each read it again to check the scope).
func (s *Store) AssessmentWithAnswers(ctx context.Context, sc Scope, id int64) (Assessment, []Response, []Action, error) {
	as, err := s.AssessmentByID(ctx, sc, id)
	if err != nil {
		return Assessment{}, nil, nil, err
	}
	db := s.db.WithContext(ctx)
	var responses []Response
	if err := db.Where("assessment_id = ?", id).Order("id").Find(&responses).Error; err != nil {
		return Assessment{}, nil, nil, err
	}
	var actions []Action
	if err := db.Where("assessment_id = ?", id).Order("standard_id, id").Find(&actions).Error; err != nil {
		return Assessment{}, nil, nil, err
	}
	return as, responses, actions, nil
}

// editable loads an assessment in scope inside tx and refuses one that is
// submitted or validated.
func editable(tx *gorm.DB, sc Scope, id int64) (Assessment, error) {
	var as Assessment
	if err := sc.where(tx, "organisation_id").First(&as, id).Error; err != nil {
		return as, notFound(err, "assessment")
	}
	if !as.Editable() {
		return as, apperr.Errorf(apperr.EINVALID, "This assessment has been %s and can no longer be changed", as.Status)
	}
	return as, nil
}

// SaveResponse saves an answer if nobody saved it since the caller read
// version expected; otherwise it returns a *ConflictError with what is saved
// now. Saving confirms an answer carried forward from last cycle.
func (s *Store) SaveResponse(ctx context.Context, a Actor, sc Scope, assessmentID int64, r Response, expected int) (Response, error) {
	var saved Response
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		as, err := editable(tx, sc, assessmentID)
		if err != nil {
			return err
		}
		if err := s.mayEditStandard(a, as, r.StandardID); err != nil {
			return err
		}
		var before Response
		if err := tx.Where("assessment_id = ? AND standard_id = ?", assessmentID, r.StandardID).First(&before).Error; err != nil {
			return notFound(err, "standard in this assessment")
		}
		res := tx.Model(&Response{}).Where("id = ? AND version = ?", before.ID, expected).Updates(map[string]any{
			"level": r.Level, "target": r.Target, "evidence": r.Evidence, "links": r.Links,
			"carried_forward": false, "version": expected + 1, "updated_by": a.Label, "updated_at": s.now(),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{Current: before}
		}
		if err := tx.First(&saved, before.ID).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &as.OrganisationID, "response.save", "response", strconv.FormatInt(assessmentID, 10)+"/"+r.StandardID, before, saved)
	})
	return saved, err
}

// Actions lists an assessment's improvement actions.
func (s *Store) Actions(ctx context.Context, sc Scope, assessmentID int64) ([]Action, error) {
	if _, err := s.AssessmentByID(ctx, sc, assessmentID); err != nil {
		return nil, err
	}
	var out []Action
	err := s.db.WithContext(ctx).Where("assessment_id = ?", assessmentID).Order("standard_id, id").Find(&out).Error
	return out, err
}

// AddAction adds an improvement action to a standard.
func (s *Store) AddAction(ctx context.Context, a Actor, sc Scope, act Action) (Action, error) {
	act.What, act.Owner = strings.TrimSpace(act.What), strings.TrimSpace(act.Owner)
	if act.What == "" || len(act.What) > 500 {
		return Action{}, apperr.Errorf(apperr.EINVALID, "Describe the action in 500 characters or fewer")
	}
	if act.Status == "" {
		act.Status = ActionStatuses[0]
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		as, err := editable(tx, sc, act.AssessmentID)
		if err != nil {
			return err
		}
		if err := s.mayEditStandard(a, as, act.StandardID); err != nil {
			return err
		}
		if err := tx.Where("assessment_id = ? AND standard_id = ?", as.ID, act.StandardID).First(&Response{}).Error; err != nil {
			return notFound(err, "standard in this assessment")
		}
		act.ID = 0
		if err := tx.Create(&act).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &as.OrganisationID, "action.add", "action", strconv.FormatInt(act.ID, 10), nil, act)
	})
	return act, err
}

// SetActionStatus moves an action on, or removes it when status is "".
func (s *Store) SetActionStatus(ctx context.Context, a Actor, sc Scope, assessmentID, actionID int64, status string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		as, err := editable(tx, sc, assessmentID)
		if err != nil {
			return err
		}
		var act Action
		if err := tx.Where("assessment_id = ?", as.ID).First(&act, actionID).Error; err != nil {
			return notFound(err, "action")
		}
		if err := s.mayEditStandard(a, as, act.StandardID); err != nil {
			return err
		}
		before := act
		if status == "" {
			if err := tx.Delete(&act).Error; err != nil {
				return err
			}
			return s.audit(tx, a, &as.OrganisationID, "action.remove", "action", strconv.FormatInt(act.ID, 10), before, nil)
		}
		act.Status = status
		if err := tx.Model(&act).Select("status", "updated_at").Updates(&act).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &as.OrganisationID, "action.status", "action", strconv.FormatInt(act.ID, 10), before, act)
	})
}

// transition moves an assessment between statuses, recording the change.
func (s *Store) transition(ctx context.Context, a Actor, sc Scope, id int64, action string, from []string, change func(as *Assessment)) (Assessment, error) {
	var as Assessment
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sc.where(tx, "organisation_id").First(&as, id).Error; err != nil {
			return notFound(err, "assessment")
		}
		ok := false
		for _, f := range from {
			ok = ok || as.Status == f
		}
		if !ok {
			return apperr.Errorf(apperr.EINVALID, "This assessment is %s, so it cannot be %s", as.Status, strings.TrimPrefix(action, "assessment."))
		}
		before := as
		change(&as)
		if err := tx.Model(&Assessment{ID: id}).Select("*").Omit("id", "created_at").Updates(&as).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &as.OrganisationID, action, "assessment", strconv.FormatInt(id, 10), before, as)
	})
	return as, err
}

// SubmitAssessment records the owner's sign-off and makes the assessment
// read-only. The caller has checked that it is complete.
func (s *Store) SubmitAssessment(ctx context.Context, a Actor, sc Scope, id int64, name, role string) (Assessment, error) {
	now := s.now()
	return s.transition(ctx, a, sc, id, "assessment.submitted", []string{StatusDraft, StatusReturned}, func(as *Assessment) {
		as.Status, as.SignedOffName, as.SignedOffRole, as.SignedOffAt, as.SubmittedAt = StatusSubmitted, name, role, &now, &now
	})
}

// ReturnAssessment reopens a submitted assessment with the national team's
// comments.
func (s *Store) ReturnAssessment(ctx context.Context, a Actor, id int64, comment string) (Assessment, error) {
	defer s.answers.forget(id) // on this instance at once; others see a new submission time
	return s.transition(ctx, a, AllOrganisations(), id, "assessment.returned", []string{StatusSubmitted, StatusValidated}, func(as *Assessment) {
		as.Status, as.ReturnedComment, as.ValidatedAt = StatusReturned, comment, nil
	})
}

// ValidateAssessment marks a submitted assessment as checked nationally.
func (s *Store) ValidateAssessment(ctx context.Context, a Actor, id int64) (Assessment, error) {
	now := s.now()
	return s.transition(ctx, a, AllOrganisations(), id, "assessment.validated", []string{StatusSubmitted}, func(as *Assessment) {
		as.Status, as.ValidatedAt = StatusValidated, &now
	})
}

// RequestPeerReview records that the organisation asks for a peer review.
func (s *Store) RequestPeerReview(ctx context.Context, a Actor, sc Scope, id int64) (Assessment, error) {
	now := s.now()
	return s.transition(ctx, a, sc, id, "assessment.peer_review_requested", []string{StatusDraft, StatusReturned, StatusSubmitted, StatusValidated}, func(as *Assessment) {
		as.PeerReviewRequestedAt = &now
	})
}
