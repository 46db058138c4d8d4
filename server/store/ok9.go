package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Dog statuses.
const (
	DogTraining = "training"
	DogActive   = "active"
	DogRetired  = "retired"
)

// DogStatuses lists every dog status.
var DogStatuses = []string{DogTraining, DogActive, DogRetired}

// DeploymentKinds are the kinds of OK9 deployment, with their labels.
var DeploymentKinds = []struct{ Value, Label string }{
	{"team_visit", "Team visit"},
	{"post_incident_debrief", "Post-incident debrief"},
	{"defusing", "Defusing"},
	{"trim_support", "TRiM support"},
	{"training_support", "Support for training on distressing subjects"},
	{"major_incident", "Major incident"},
	{"event", "Event"},
	{"van_outreach", "Wellbeing van outreach"},
	{"mutual_aid", "Mutual aid"},
}

// OK9Scheme is an organisation's wellbeing dog scheme: its single point of
// contact and the dates that keep it in good standing.
type OK9Scheme struct {
	ID                       int64      `json:"-"`
	OrganisationID           int64      `json:"organisation_id"`
	SPOC                     string     `gorm:"column:spoc" json:"spoc"`
	SLASignedOn              *time.Time `gorm:"column:sla_signed_on" json:"sla_signed_on"`
	SOPReviewedOn            *time.Time `gorm:"column:sop_reviewed_on" json:"sop_reviewed_on"`
	RiskAssessmentReviewedOn *time.Time `json:"risk_assessment_reviewed_on"`
	InsuranceExpiresOn       *time.Time `json:"insurance_expires_on"`
	// SPOCEmail is the contact's work address, shown only to national
	// admins and other organisations' SPOCs on the national register.
	SPOCEmail string `gorm:"column:spoc_email" json:"spoc_email"`
	// WelfareScheme names the animal welfare scheme the dogs belong to.
	WelfareScheme          string     `json:"welfare_scheme"`
	WelfareSchemeExpiresOn *time.Time `json:"welfare_scheme_expires_on"`
	UpdatedAt              time.Time  `json:"updated_at"`
}

// OK9Dog is one wellbeing dog.
type OK9Dog struct {
	ID                 int64      `json:"id"`
	OrganisationID     int64      `json:"organisation_id"`
	CallName           string     `json:"call_name"`
	Status             string     `json:"status"`
	AssessmentPassedOn *time.Time `json:"assessment_passed_on"` // the OK9 suitability assessment
	NextWelfareCheckOn *time.Time `json:"next_welfare_check_on"`
	CreatedAt          time.Time  `json:"-"`
}

// OK9Handler is a dog's handler, known only by a display name or collar
// number, with the support training the role needs.
type OK9Handler struct {
	ID                     int64      `json:"id"`
	OrganisationID         int64      `json:"organisation_id"`
	DisplayName            string     `json:"display_name"`
	PeerSupporterTrainedOn *time.Time `json:"peer_supporter_trained_on"`
	MHFATrainedOn          *time.Time `gorm:"column:mhfa_trained_on" json:"mhfa_trained_on"` // mental health first aid
	// RefresherTrainedOn is the latest refresher of that training.
	RefresherTrainedOn *time.Time `json:"refresher_trained_on"`
	Status             string     `gorm:"default:active" json:"status"` // HandlerActive or HandlerInactive
	// The OK9 suitability assessment of the handler with their dog.
	SuitabilityAssessedOn *time.Time `json:"suitability_assessed_on"`
	SuitabilityOutcome    string     `json:"suitability_outcome"` // "", SuitabilityPassed or SuitabilityNotPassed
	// SupervisorAgreedOn is when the handler's supervisor agreed to the
	// role; ProtectedHoursMonth the time a month they are given for it.
	SupervisorAgreedOn  *time.Time `json:"supervisor_agreed_on"`
	ProtectedHoursMonth int        `json:"protected_hours_month"`
	DogIDs              []int64    `gorm:"serializer:json" json:"dog_ids"`
	CreatedAt           time.Time  `json:"-"`
}

// Handler statuses and suitability outcomes.
const (
	HandlerActive        = "active"
	HandlerInactive      = "inactive"
	SuitabilityPassed    = "passed"
	SuitabilityNotPassed = "not_passed"
)

// HandlerStatuses lists every handler status.
var HandlerStatuses = []string{HandlerActive, HandlerInactive}

// SuitabilityOutcomes lists the outcomes of a suitability assessment.
var SuitabilityOutcomes = []string{SuitabilityPassed, SuitabilityNotPassed}

// Trained reports whether the handler is a trained peer supporter or mental
// health first aider, as handlers must be.
func (h OK9Handler) Trained() bool { return h.PeerSupporterTrainedOn != nil || h.MHFATrainedOn != nil }

// LastTrainedOn is the handler's latest support training or refresher, or
// nil if they have none.
func (h OK9Handler) LastTrainedOn() *time.Time {
	var out *time.Time
	for _, t := range []*time.Time{h.PeerSupporterTrainedOn, h.MHFATrainedOn, h.RefresherTrainedOn} {
		if t != nil && (out == nil || t.After(*out)) {
			out = t
		}
	}
	if !h.Trained() {
		return nil // a refresher alone is not the training itself
	}
	return out
}

// OK9Deployment is one time dogs went out. It is in the log of the
// organisation whose dogs went; a mutual-aid deployment also names the
// organisation that hosted it, and shows in that log too.
type OK9Deployment struct {
	ID                 int64     `json:"id"`
	OrganisationID     int64     `json:"organisation_id"`
	HostOrganisationID *int64    `json:"host_organisation_id"`
	AidOfferID         *int64    `json:"aid_offer_id"`
	DeployedOn         time.Time `json:"deployed_on"`
	Kind               string    `json:"kind"`
	HandlerID          int64     `json:"handler_id"`
	DogIDs             []int64   `gorm:"serializer:json" json:"dog_ids"`
	PeopleEngaged      int       `json:"people_engaged"`
	Minutes            int       `json:"minutes"`
	Notes              string    `json:"notes"`
	OverrideReason     string    `json:"override_reason"` // why it went ahead beyond the welfare limits
	// GateOverrideReason is why a national admin let it go ahead though the
	// handler failed a deployment gate.
	GateOverrideReason string    `json:"gate_override_reason"`
	CreatedBy          string    `json:"created_by"`
	CreatedAt          time.Time `json:"created_at"`
}

// TableName is fixed by the migrations.
func (OK9Scheme) TableName() string { return "ok9_schemes" }

// TableName is fixed by the migrations.
func (OK9Dog) TableName() string { return "ok9_dogs" }

// TableName is fixed by the migrations.
func (OK9Handler) TableName() string { return "ok9_handlers" }

// TableName is fixed by the migrations.
func (OK9Deployment) TableName() string { return "ok9_deployments" }

// WelfareError refuses a deployment that would break the welfare limits;
// Breaches say which, dog by dog. An owner may go ahead with a reason.
type WelfareError struct{ Breaches []string }

func (e *WelfareError) Error() string {
	return "This deployment would break the OK9 welfare limits: " + strings.Join(e.Breaches, "; ")
}

// Unwrap makes the refusal an EINVALID for apperr.Code.
func (e *WelfareError) Unwrap() error { return apperr.Errorf(apperr.EINVALID, "%s", e.Error()) }

// ownOrg checks, inside tx, that the organisation is in scope.
func ownOrg(tx *gorm.DB, sc Scope, orgID int64) error {
	return notFound(sc.where(tx, "id").First(&Organisation{}, orgID).Error, "organisation")
}

// dbDay keeps a date as midnight UTC.
func dbDay(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	d := frameworks.Day(*t)
	return &d
}

// OK9Scheme returns the organisation's scheme; an organisation without one
// gets an empty record.
func (s *Store) OK9Scheme(ctx context.Context, sc Scope, orgID int64) (OK9Scheme, error) {
	var out []OK9Scheme
	if err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).Limit(1).Find(&out).Error; err != nil || len(out) == 0 {
		return OK9Scheme{OrganisationID: orgID}, err
	}
	return out[0], nil
}

// SaveOK9Scheme records the scheme's contact and dates.
func (s *Store) SaveOK9Scheme(ctx context.Context, a Actor, sc Scope, sch OK9Scheme) (OK9Scheme, error) {
	if err := refuseUnless(a.CanEditProvision(), "change provision records"); err != nil {
		return OK9Scheme{}, err
	}
	sch.SPOC = strings.TrimSpace(sch.SPOC)
	sch.SPOCEmail, sch.WelfareScheme = strings.ToLower(strings.TrimSpace(sch.SPOCEmail)), strings.TrimSpace(sch.WelfareScheme)
	switch {
	case len(sch.SPOC) > 200:
		return sch, apperr.Errorf(apperr.EINVALID, "Enter the single point of contact in 200 characters or fewer")
	case sch.SPOCEmail != "" && (len(sch.SPOCEmail) > 254 || !strings.Contains(sch.SPOCEmail, "@") || strings.ContainsAny(sch.SPOCEmail, " <>")):
		return sch, apperr.Errorf(apperr.EINVALID, "Enter the contact's work email address, like name@example.police.uk")
	case len(sch.WelfareScheme) > 200:
		return sch, apperr.Errorf(apperr.EINVALID, "Enter the animal welfare scheme in 200 characters or fewer")
	}
	sch.SLASignedOn, sch.SOPReviewedOn = dbDay(sch.SLASignedOn), dbDay(sch.SOPReviewedOn)
	sch.RiskAssessmentReviewedOn, sch.InsuranceExpiresOn = dbDay(sch.RiskAssessmentReviewedOn), dbDay(sch.InsuranceExpiresOn)
	sch.WelfareSchemeExpiresOn = dbDay(sch.WelfareSchemeExpiresOn)
	sch.UpdatedAt = s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, sch.OrganisationID); err != nil {
			return err
		}
		var before []OK9Scheme
		if err := tx.Where("organisation_id = ?", sch.OrganisationID).Find(&before).Error; err != nil {
			return err
		}
		sch.ID = 0
		if len(before) > 0 {
			sch.ID = before[0].ID
		}
		if err := tx.Save(&sch).Error; err != nil {
			return err
		}
		var old any
		if len(before) > 0 {
			old = before[0]
		}
		return s.audit(tx, a, &sch.OrganisationID, "ok9.scheme.save", "ok9_scheme", itoa(sch.OrganisationID), old, sch)
	})
	return sch, err
}

// OK9Dogs lists an organisation's dogs by call name.
func (s *Store) OK9Dogs(ctx context.Context, sc Scope, orgID int64) ([]OK9Dog, error) {
	var out []OK9Dog
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).Order("call_name").Find(&out).Error
	return out, err
}

// SaveOK9Dog adds a dog (ID 0) or changes one of the organisation's.
func (s *Store) SaveOK9Dog(ctx context.Context, a Actor, sc Scope, d OK9Dog) (OK9Dog, error) {
	if err := refuseUnless(a.CanEditProvision(), "change provision records"); err != nil {
		return OK9Dog{}, err
	}
	d.CallName = strings.TrimSpace(d.CallName)
	switch {
	case d.CallName == "" || len(d.CallName) > 60:
		return d, apperr.Errorf(apperr.EINVALID, "Enter the dog's call name in 60 characters or fewer")
	case !slices.Contains(DogStatuses, d.Status):
		return d, apperr.Errorf(apperr.EINVALID, "Choose whether the dog is in training, active or retired")
	case d.Status == DogActive && d.AssessmentPassedOn == nil:
		return d, apperr.Errorf(apperr.EINVALID, "An active dog must have passed the OK9 suitability assessment: enter the date it passed")
	}
	d.AssessmentPassedOn, d.NextWelfareCheckOn = dbDay(d.AssessmentPassedOn), dbDay(d.NextWelfareCheckOn)
	return d, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, d.OrganisationID); err != nil {
			return err
		}
		var before any
		if d.ID == 0 {
			d.CreatedAt = s.now()
		} else {
			var old OK9Dog
			if err := tx.Where("organisation_id = ?", d.OrganisationID).First(&old, d.ID).Error; err != nil {
				return notFound(err, "dog")
			}
			before, d.CreatedAt = old, old.CreatedAt
		}
		if err := tx.Save(&d).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Errorf(apperr.ECONFLICT, "Your organisation already has a dog called %s", d.CallName)
			}
			return err
		}
		return s.audit(tx, a, &d.OrganisationID, "ok9.dog.save", "ok9_dog", itoa(d.ID), before, d)
	})
}

// OK9Handlers lists an organisation's handlers by name.
func (s *Store) OK9Handlers(ctx context.Context, sc Scope, orgID int64) ([]OK9Handler, error) {
	var out []OK9Handler
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).Order("display_name").Find(&out).Error
	return out, err
}

// ownDogs checks, inside tx, that every dog is the organisation's, and
// returns them locked against a concurrent deployment where the database
// can lock rows.
func ownDogs(tx *gorm.DB, orgID int64, ids []int64) ([]OK9Dog, error) {
	var dogs []OK9Dog
	q := tx.Where("organisation_id = ? AND id IN ?", orgID, ids)
	if tx.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Order("id").Find(&dogs).Error; err != nil {
		return nil, err
	}
	if len(dogs) != len(ids) {
		return nil, apperr.Errorf(apperr.EINVALID, "Choose dogs of your own organisation")
	}
	return dogs, nil
}

// uniqueIDs sorts ids and drops repeats; never nil, so it is stored as [].
func uniqueIDs(ids []int64) []int64 {
	out := append([]int64{}, ids...)
	slices.Sort(out)
	return slices.Compact(out)
}

// SaveOK9Handler adds a handler (ID 0) or changes one of the organisation's.
func (s *Store) SaveOK9Handler(ctx context.Context, a Actor, sc Scope, h OK9Handler) (OK9Handler, error) {
	if err := refuseUnless(a.CanEditProvision(), "change provision records"); err != nil {
		return OK9Handler{}, err
	}
	h.DisplayName = strings.TrimSpace(h.DisplayName)
	if len(h.DisplayName) > 60 {
		return h, apperr.Errorf(apperr.EINVALID, "Keep the handler's display name or collar number to 60 characters or fewer")
	}
	if h.Status == "" {
		h.Status = HandlerActive
	}
	switch {
	case !slices.Contains(HandlerStatuses, h.Status):
		return h, apperr.Errorf(apperr.EINVALID, "Choose whether the handler is active or inactive")
	case h.SuitabilityOutcome != "" && !slices.Contains(SuitabilityOutcomes, h.SuitabilityOutcome):
		return h, apperr.Errorf(apperr.EINVALID, "Choose whether the handler passed the suitability assessment")
	case (h.SuitabilityOutcome == "") != (h.SuitabilityAssessedOn == nil):
		return h, apperr.Errorf(apperr.EINVALID, "Enter both the date of the suitability assessment and its outcome, or neither")
	case h.ProtectedHoursMonth < 0 || h.ProtectedHoursMonth > 200:
		return h, apperr.Errorf(apperr.EINVALID, "Enter the protected hours a month for the role, from 0 to 200")
	case h.RefresherTrainedOn != nil && !h.Trained():
		return h, apperr.Errorf(apperr.EINVALID, "Enter the date of the first peer support or mental health first aid training before a refresher")
	}
	h.DogIDs = uniqueIDs(h.DogIDs)
	h.PeerSupporterTrainedOn, h.MHFATrainedOn = dbDay(h.PeerSupporterTrainedOn), dbDay(h.MHFATrainedOn)
	h.RefresherTrainedOn, h.SuitabilityAssessedOn, h.SupervisorAgreedOn = dbDay(h.RefresherTrainedOn), dbDay(h.SuitabilityAssessedOn), dbDay(h.SupervisorAgreedOn)
	return h, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, h.OrganisationID); err != nil {
			return err
		}
		if len(h.DogIDs) > 0 {
			if _, err := ownDogs(tx, h.OrganisationID, h.DogIDs); err != nil {
				return err
			}
		}
		var before any
		if h.ID == 0 {
			h.CreatedAt = s.now()
		} else {
			var old OK9Handler
			if err := tx.Where("organisation_id = ?", h.OrganisationID).First(&old, h.ID).Error; err != nil {
				return notFound(err, "handler")
			}
			before, h.CreatedAt = old, old.CreatedAt
			if h.DisplayName == "" {
				h.DisplayName = old.DisplayName
			}
		}
		if h.DisplayName == "" {
			// A name is optional: the handler is then known by a number of
			// the organisation's own, so people can still pick them.
			name, err := nextHandlerLabel(tx, h.OrganisationID)
			if err != nil {
				return err
			}
			h.DisplayName = name
		}
		if err := tx.Save(&h).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Errorf(apperr.ECONFLICT, "Your organisation already has a handler called %s", h.DisplayName)
			}
			return err
		}
		return s.audit(tx, a, &h.OrganisationID, "ok9.handler.save", "ok9_handler", itoa(h.ID), before, h)
	})
}

// nextHandlerLabel is the first "Handler N" the organisation does not use.
func nextHandlerLabel(tx *gorm.DB, orgID int64) (string, error) {
	var names []string
	if err := tx.Model(&OK9Handler{}).Where("organisation_id = ?", orgID).Pluck("display_name", &names).Error; err != nil {
		return "", err
	}
	for n := len(names) + 1; ; n++ {
		if label := "Handler " + itoa(int64(n)); !slices.Contains(names, label) {
			return label, nil
		}
	}
}

// workedMinutes adds up, per dog and day, the minutes an organisation's
// dogs worked between from and to (whole days, inclusive).
func workedMinutes(tx *gorm.DB, orgIDs []int64, from, to time.Time) (map[int64]map[time.Time]int, error) {
	var deps []OK9Deployment
	err := tx.Select("dog_ids", "deployed_on", "minutes").
		Where("organisation_id IN ? AND deployed_on >= ? AND deployed_on < ?", orgIDs, frameworks.Day(from), frameworks.Day(to).AddDate(0, 0, 1)).
		Find(&deps).Error
	out := map[int64]map[time.Time]int{}
	for _, d := range deps {
		for _, dog := range d.DogIDs {
			if out[dog] == nil {
				out[dog] = map[time.Time]int{}
			}
			out[dog][frameworks.Day(d.DeployedOn)] += d.Minutes
		}
	}
	return out, err
}

func validateDeployment(d *OK9Deployment) error {
	d.Notes, d.OverrideReason = strings.TrimSpace(d.Notes), strings.TrimSpace(d.OverrideReason)
	d.GateOverrideReason = strings.TrimSpace(d.GateOverrideReason)
	d.DogIDs = uniqueIDs(d.DogIDs)
	kinds := make([]string, len(DeploymentKinds))
	for i, k := range DeploymentKinds {
		kinds[i] = k.Value
	}
	switch {
	case d.DeployedOn.IsZero():
		return apperr.Errorf(apperr.EINVALID, "Enter the date of the deployment")
	case len(d.DogIDs) == 0:
		return apperr.Errorf(apperr.EINVALID, "Choose at least one dog")
	case d.HandlerID == 0:
		return apperr.Errorf(apperr.EINVALID, "Choose the handler")
	case !slices.Contains(kinds, d.Kind):
		return apperr.Errorf(apperr.EINVALID, "Choose the type of deployment")
	case d.Minutes < 1 || d.Minutes > 24*60:
		return apperr.Errorf(apperr.EINVALID, "Enter how long the deployment lasted, in minutes, between 1 and 1440")
	case d.PeopleEngaged < 0 || d.PeopleEngaged > 100000:
		return apperr.Errorf(apperr.EINVALID, "Enter how many people the dogs engaged with, 0 or more")
	case len(d.Notes) > 2000 || len(d.OverrideReason) > 2000 || len(d.GateOverrideReason) > 2000:
		return apperr.Errorf(apperr.EINVALID, "Keep notes and reasons to 2,000 characters")
	}
	return nil
}

// LogDeployment records a deployment of the organisation's dogs after
// checking the handler against the deployment gates and the dogs against
// the welfare limits. A failed gate is refused with a *GateError unless a
// national admin gives a reason; a deployment that would break a limit is
// refused with a *WelfareError unless it carries an override reason and
// the caller may override (owners may). National admins may log a
// deployment for an organisation, so that they can override a gate.
func (s *Store) LogDeployment(ctx context.Context, a Actor, sc Scope, d OK9Deployment, policy *frameworks.WelfarePolicy) (OK9Deployment, error) {
	if err := refuseUnless(a.CanEditProvision() || a.CanOverrideGates(), "change provision records"); err != nil {
		return OK9Deployment{}, err
	}
	if err := validateDeployment(&d); err != nil {
		return d, err
	}
	if d.Kind == "mutual_aid" {
		return d, apperr.Errorf(apperr.EINVALID, "Mutual-aid deployments are logged when the lending organisation accepts an offer: choose another type")
	}
	d.DeployedOn = frameworks.Day(d.DeployedOn)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, d.OrganisationID); err != nil {
			return err
		}
		return s.logDeployment(tx, a, &d, policy)
	})
	return d, err
}

// logDeployment checks and saves a deployment inside tx.
func (s *Store) logDeployment(tx *gorm.DB, a Actor, d *OK9Deployment, policy *frameworks.WelfarePolicy) error {
	dogs, err := ownDogs(tx, d.OrganisationID, d.DogIDs)
	if err != nil {
		return err
	}
	var handler OK9Handler
	if err := tx.Where("organisation_id = ?", d.OrganisationID).First(&handler, d.HandlerID).Error; err != nil {
		return apperr.Errorf(apperr.EINVALID, "Choose a handler of your own organisation")
	}
	var failures []GateFailure
	for _, dog := range dogs {
		if dog.Status != DogActive {
			return apperr.Errorf(apperr.EINVALID, "%s is %s: only active dogs can be deployed", dog.CallName, dog.Status)
		}
		if !slices.Contains(handler.DogIDs, dog.ID) {
			return apperr.Errorf(apperr.EINVALID, "%s does not handle %s: add the dog to the handler's record first", handler.DisplayName, dog.CallName)
		}
		for _, f := range HandlerGates(policy, d.DeployedOn, handler, dog) {
			if !slices.Contains(failures, f) {
				failures = append(failures, f)
			}
		}
	}
	overridden, err := gateOutcome(a, failures, d.GateOverrideReason)
	if err != nil {
		return err
	}
	if len(overridden) == 0 {
		d.GateOverrideReason = "" // nothing to override
	}
	worked, err := workedMinutes(tx, []int64{d.OrganisationID}, d.DeployedOn.AddDate(0, 0, -6), d.DeployedOn.AddDate(0, 0, 6))
	if err != nil {
		return err
	}
	var breaches []string
	for _, dog := range dogs {
		for _, b := range policy.Check(worked[dog.ID], d.DeployedOn, d.Minutes) {
			breaches = append(breaches, dog.CallName+": "+strings.TrimPrefix(b.Reason, "the dog "))
		}
	}
	switch {
	case len(breaches) > 0 && (!a.CanOverrideWelfare() || d.OverrideReason == ""):
		return &WelfareError{Breaches: breaches}
	case len(breaches) == 0:
		d.OverrideReason = "" // nothing to override
	}
	d.ID, d.CreatedAt, d.CreatedBy = 0, s.now(), a.Label
	if err := tx.Create(d).Error; err != nil {
		return err
	}
	after := map[string]any{"deployment": d}
	if len(breaches) > 0 {
		after["welfare_limits_overridden"] = breaches
	}
	if len(overridden) > 0 {
		after["gates_overridden"], after["gate_override_reason"] = overridden, d.GateOverrideReason
	}
	return s.audit(tx, a, &d.OrganisationID, "ok9.deployment.log", "ok9_deployment", itoa(d.ID), nil, after)
}

// OK9Deployments lists, newest first, the deployments in an organisation's
// log between from and to: its own dogs' and those it hosted through
// mutual aid.
func (s *Store) OK9Deployments(ctx context.Context, sc Scope, orgID int64, from, to time.Time) ([]OK9Deployment, error) {
	if !sc.covers(orgID) {
		return nil, nil
	}
	var out []OK9Deployment
	err := s.db.WithContext(ctx).Where("(organisation_id = ? OR host_organisation_id = ?) AND deployed_on >= ? AND deployed_on < ?",
		orgID, orgID, frameworks.Day(from), frameworks.Day(to).AddDate(0, 0, 1)).
		Order("deployed_on DESC, id DESC").Find(&out).Error
	return out, err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// DogNames maps dog ids to call names. Callers pass ids from records the
// person may already see (their own log, or a mutual-aid request they are
// party to).
func (s *Store) DogNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	var dogs []OK9Dog
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.db.WithContext(ctx).Select("id", "call_name").Where("id IN ?", uniqueIDs(ids)).Find(&dogs).Error
	for _, d := range dogs {
		out[d.ID] = d.CallName
	}
	return out, err
}

// GateFailure is one OK9 rule that stops a deployment or an offer of mutual
// aid, and what would put it right.
type GateFailure struct {
	Rule string `json:"rule"`
	Fix  string `json:"fix"`
}

func (g GateFailure) String() string { return g.Rule + ": " + g.Fix }

// GateError refuses a deployment or offer that fails OK9 gates. A national
// admin may let it go ahead with a reason.
type GateError struct{ Failures []GateFailure }

func (e *GateError) Error() string {
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = f.String()
	}
	return "This cannot go ahead under the OK9 rules. " + strings.Join(parts, ". ")
}

// Unwrap makes the refusal an EINVALID for apperr.Code.
func (e *GateError) Unwrap() error { return apperr.Errorf(apperr.EINVALID, "%s", e.Error()) }

const longDate = "2 January 2006"

// months writes a number of months, e.g. "1 month", "12 months".
func months(n int) string {
	if n == 1 {
		return "1 month"
	}
	return itoa(int64(n)) + " months"
}

// HandlerGates says which deployment rules of the policy the handler fails
// with the dog on day: active, trained in peer support or mental health
// first aid within the policy's interval, passed the suitability
// assessment within its interval, and the dog itself assessed. A policy
// without handler rules fails closed.
func HandlerGates(p *frameworks.WelfarePolicy, day time.Time, h OK9Handler, dog OK9Dog) []GateFailure {
	day = frameworks.Day(day)
	name := h.DisplayName
	var out []GateFailure
	if p == nil || p.Handlers.TrainingValidMonths < 1 || p.Handlers.SuitabilityValidMonths < 1 {
		return []GateFailure{{"The OK9 policy in use sets no handler rules", "Load an edition of the OK9 welfare policy with a handlers section"}}
	}
	if h.Status != HandlerActive {
		out = append(out, GateFailure{"The handler must be active", "Record " + name + " as active on their handler record, or choose another handler"})
	}
	rule := "The handler must be a trained peer supporter or mental health first aider, with training in date (within " + months(p.Handlers.TrainingValidMonths) + ")"
	switch last := h.LastTrainedOn(); {
	case last == nil:
		out = append(out, GateFailure{rule, "Record the date " + name + " trained as a peer supporter or mental health first aider"})
	case last.AddDate(0, p.Handlers.TrainingValidMonths, 0).Before(day):
		out = append(out, GateFailure{rule, name + " last trained on " + last.Format(longDate) + ": record their refresher training"})
	}
	rule = "The handler must have passed the OK9 suitability assessment with their dog (within " + months(p.Handlers.SuitabilityValidMonths) + ")"
	switch on := h.SuitabilityAssessedOn; {
	case on == nil || h.SuitabilityOutcome == "":
		out = append(out, GateFailure{rule, "Record the date and outcome of " + name + "'s suitability assessment with " + dog.CallName})
	case h.SuitabilityOutcome != SuitabilityPassed:
		out = append(out, GateFailure{rule, name + " did not pass the assessment on " + on.Format(longDate) + ": record a reassessment they pass"})
	case on.AddDate(0, p.Handlers.SuitabilityValidMonths, 0).Before(day):
		out = append(out, GateFailure{rule, name + " was last assessed on " + on.Format(longDate) + ": record a reassessment"})
	}
	if dog.AssessmentPassedOn == nil {
		out = append(out, GateFailure{"The dog must have passed the OK9 suitability assessment", "Record the date " + dog.CallName + " passed it"})
	}
	return out
}

// StandingItem is one record that keeps a scheme in good standing and the
// day it lapses (nil when it never lapses or is missing).
type StandingItem struct {
	Label    string     `json:"label"`
	LapsesOn *time.Time `json:"lapses_on"`
	Failure  *GateFailure
}

// SchemeStanding checks a scheme against the policy's standing rules on
// day: agreement signed, standing operating procedure and risk assessment
// reviewed within their intervals, insurance and animal welfare scheme in
// date. Each item carries the day it lapses, for the national register.
func SchemeStanding(p *frameworks.WelfarePolicy, day time.Time, sch OK9Scheme) []StandingItem {
	day = frameworks.Day(day)
	if p == nil || p.Standing.SOPReviewMonths < 1 || p.Standing.RiskAssessmentReviewMonths < 1 {
		f := GateFailure{"The OK9 policy in use sets no standing rules", "Load an edition of the OK9 welfare policy with a standing section"}
		return []StandingItem{{Label: "Standing rules", Failure: &f}}
	}
	fail := func(rule, fix string) *GateFailure { return &GateFailure{rule, fix} }
	var out []StandingItem
	sla := StandingItem{Label: "Service level agreement"}
	if sch.SLASignedOn == nil {
		sla.Failure = fail("The national OK9 service level agreement must be signed", "Record the date your organisation signed it")
	}
	out = append(out, sla)
	review := func(label, what string, on *time.Time, n int) StandingItem {
		it := StandingItem{Label: label}
		rule := "The " + what + " must be reviewed at least every " + months(n)
		switch {
		case on == nil:
			it.Failure = fail(rule, "Record the date the "+what+" was last reviewed")
		default:
			lapses := on.AddDate(0, n, 0)
			it.LapsesOn = &lapses
			if lapses.Before(day) {
				it.Failure = fail(rule, "It was last reviewed on "+on.Format(longDate)+": review it and record the date")
			}
		}
		return it
	}
	out = append(out, review("Standing operating procedure", "standing operating procedure", sch.SOPReviewedOn, p.Standing.SOPReviewMonths),
		review("Risk assessment", "risk assessment", sch.RiskAssessmentReviewedOn, p.Standing.RiskAssessmentReviewMonths))
	expiry := func(label, rule, missing, renew string, on *time.Time) StandingItem {
		it := StandingItem{Label: label, LapsesOn: on}
		switch {
		case on == nil:
			it.Failure = fail(rule, missing)
		case on.Before(day):
			it.Failure = fail(rule, "It expired on "+on.Format(longDate)+": "+renew)
		}
		return it
	}
	out = append(out, expiry("Insurance", "The scheme's insurance must be in date", "Record the date the insurance expires",
		"renew it and record the new expiry date", sch.InsuranceExpiresOn))
	ws := expiry("Animal welfare scheme", "The dogs must belong to an animal welfare scheme that is in date", "Record the welfare scheme and the date membership expires",
		"renew the membership and record the new expiry date", sch.WelfareSchemeExpiresOn)
	if strings.TrimSpace(sch.WelfareScheme) == "" && ws.Failure == nil {
		ws.Failure = fail("The dogs must belong to an animal welfare scheme that is in date", "Record the name of the welfare scheme")
	}
	return append(out, ws)
}

// StandingFailures are the standing rules the scheme fails on day, with the
// dog's own welfare check (overdue or not booked) when dog is given.
func StandingFailures(p *frameworks.WelfarePolicy, day time.Time, sch OK9Scheme, dog *OK9Dog) []GateFailure {
	var out []GateFailure
	for _, it := range SchemeStanding(p, day, sch) {
		if it.Failure != nil {
			out = append(out, *it.Failure)
		}
	}
	if dog != nil {
		rule := "The dog's welfare check must be in date"
		switch on := dog.NextWelfareCheckOn; {
		case on == nil:
			out = append(out, GateFailure{rule, "Book " + dog.CallName + "'s next welfare check and record the date"})
		case on.Before(frameworks.Day(day)):
			out = append(out, GateFailure{rule, dog.CallName + "'s welfare check was due on " + on.Format(longDate) + ": carry it out and record the next date"})
		}
	}
	return out
}

// gateOutcome decides a gate check: nothing failed, or a national admin
// going ahead with a reason (the failures are returned for the audit), or
// a refusal.
func gateOutcome(a Actor, failures []GateFailure, reason string) ([]GateFailure, error) {
	if len(failures) == 0 {
		return nil, nil
	}
	if a.CanOverrideGates() && strings.TrimSpace(reason) != "" {
		return failures, nil
	}
	return nil, &GateError{Failures: failures}
}

// RegisterRow is one organisation on the national OK9 register.
type RegisterRow struct {
	Organisation   Organisation    `json:"organisation"`
	HasScheme      bool            `json:"has_scheme"`
	SPOC           string          `json:"spoc"`
	SPOCEmail      string          `json:"spoc_email"`
	InStanding     bool            `json:"in_standing"`
	Failures       []GateFailure   `json:"standing_failures"`
	Expiring       []StandingLapse `json:"expiring"` // standing that lapses within the policy's warning days
	ActiveDogs     int             `json:"active_dogs"`
	HandlersReady  int             `json:"handlers_ready"` // active handlers who pass every deployment gate
	Deployments    int             `json:"deployments"`    // of the organisation's own dogs in the calendar year
	MutualAidLent  int             `json:"mutual_aid_lent"`
	MutualAidAsked int             `json:"mutual_aid_asked"`
}

// StandingLapse is a standing record that lapses soon.
type StandingLapse struct {
	Label    string    `json:"label"`
	LapsesOn time.Time `json:"lapses_on"`
}

// IsOK9SPOC says whether the actor is the person their own organisation's
// OK9 scheme names as its single point of contact: an active account in
// that organisation whose email is the scheme's contact work email.
func (s *Store) IsOK9SPOC(ctx context.Context, a Actor) (bool, error) {
	if a.UserID == 0 || a.OrgID == 0 {
		return false, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&OK9Scheme{}).
		Joins("JOIN users ON users.organisation_id = ok9_schemes.organisation_id AND users.email = ok9_schemes.spoc_email").
		Where("ok9_schemes.organisation_id = ? AND users.id = ? AND users.disabled_at IS NULL AND ok9_schemes.spoc_email <> ''", a.OrgID, a.UserID).
		Count(&n).Error
	return n > 0, err
}

// OK9Register is the national OK9 register, for national admins and
// organisations' OK9 single points of contact (CanReadOK9Register): every
// organisation with its scheme's contact, standing (what fails, what lapses
// within the policy's warning days), active dogs and handlers who can be
// deployed, and the year's deployments and mutual aid.
func (s *Store) OK9Register(ctx context.Context, a Actor, p *frameworks.WelfarePolicy, now time.Time) ([]RegisterRow, error) {
	spoc, err := s.IsOK9SPOC(ctx, a)
	if err != nil {
		return nil, err
	}
	if err := refuseUnless(a.CanReadOK9Register(spoc), "see the national OK9 register"); err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	today := frameworks.Day(now)
	var orgs []Organisation
	if err := db.Order("name").Find(&orgs).Error; err != nil {
		return nil, err
	}
	var schemes []OK9Scheme
	var dogs []OK9Dog
	var handlers []OK9Handler
	if err := db.Find(&schemes).Error; err != nil {
		return nil, err
	}
	if err := db.Find(&dogs).Error; err != nil {
		return nil, err
	}
	if err := db.Find(&handlers).Error; err != nil {
		return nil, err
	}
	yearStart := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	var deps []OK9Deployment
	if err := db.Select("organisation_id", "host_organisation_id", "aid_offer_id", "deployed_on").
		Where("deployed_on >= ? AND deployed_on < ?", yearStart, yearStart.AddDate(1, 0, 0)).Find(&deps).Error; err != nil {
		return nil, err
	}
	var asks []AidRequest
	if err := db.Where("starts_on >= ? AND starts_on < ?", yearStart, yearStart.AddDate(1, 0, 0)).Find(&asks).Error; err != nil {
		return nil, err
	}
	rows := map[int64]*RegisterRow{}
	var out []RegisterRow
	for _, o := range orgs {
		out = append(out, RegisterRow{Organisation: o})
	}
	for i := range out {
		rows[out[i].Organisation.ID] = &out[i]
	}
	dogByID := map[int64]OK9Dog{}
	for _, d := range dogs {
		dogByID[d.ID] = d
		if r := rows[d.OrganisationID]; r != nil && d.Status == DogActive {
			r.ActiveDogs++
		}
	}
	for _, h := range handlers {
		r := rows[h.OrganisationID]
		if r == nil || h.Status != HandlerActive || len(h.DogIDs) == 0 {
			continue
		}
		if dog, ok := dogByID[h.DogIDs[0]]; ok && len(HandlerGates(p, today, h, dog)) == 0 {
			r.HandlersReady++
		}
	}
	warn := 60
	if p != nil && p.Standing.ExpiryWarningDays > 0 {
		warn = p.Standing.ExpiryWarningDays
	}
	for _, sch := range schemes {
		r := rows[sch.OrganisationID]
		if r == nil {
			continue
		}
		r.HasScheme, r.SPOC, r.SPOCEmail = true, sch.SPOC, sch.SPOCEmail
		for _, it := range SchemeStanding(p, today, sch) {
			switch {
			case it.Failure != nil:
				r.Failures = append(r.Failures, *it.Failure)
			case it.LapsesOn != nil && !it.LapsesOn.After(today.AddDate(0, 0, warn)):
				r.Expiring = append(r.Expiring, StandingLapse{it.Label, *it.LapsesOn})
			}
		}
		r.InStanding = len(r.Failures) == 0
	}
	lentOffers := map[int64]map[int64]bool{} // organisation -> offers it lent on
	for _, d := range deps {
		r := rows[d.OrganisationID]
		if r == nil {
			continue
		}
		if d.AidOfferID == nil {
			r.Deployments++
			continue
		}
		if lentOffers[d.OrganisationID] == nil {
			lentOffers[d.OrganisationID] = map[int64]bool{}
		}
		lentOffers[d.OrganisationID][*d.AidOfferID] = true // one episode, however many days
	}
	for id, offers := range lentOffers {
		rows[id].MutualAidLent = len(offers)
	}
	for _, a := range asks {
		if r := rows[a.OrganisationID]; r != nil {
			r.MutualAidAsked++
		}
	}
	return out, nil
}
