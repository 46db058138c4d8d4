package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Van is one of the NPWS's fitted wellbeing vans: a national record.
type Van struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Registration string    `json:"registration"`
	InService    bool      `json:"in_service"`
	CreatedAt    time.Time `json:"created_at"`
}

// TableName is fixed by the migrations.
func (Van) TableName() string { return "vans" }

// States of a van request.
const (
	VanRequested = "requested" // waiting for the national team
	VanScheduled = "scheduled" // a van is booked for its dates
	VanDelivered = "delivered" // the visit happened; its counts are recorded
	VanWithdrawn = "withdrawn" // the organisation no longer needs it
	VanDeclined  = "declined"  // the national team could not send a van
)

// VanRequestStates lists every state, in the order a request moves.
var VanRequestStates = []string{VanRequested, VanScheduled, VanDelivered, VanWithdrawn, VanDeclined}

// VanKind is why an organisation asks for a van.
type VanKind struct{ Key, Label string }

// VanKinds are the reasons a van goes out.
var VanKinds = []VanKind{
	{"major_event", "Major event"},
	{"critical_incident", "Critical incident"},
	{"hotspot", "Operational hotspot"},
}

// VanKindLabel is the words for a kind key.
func VanKindLabel(key string) string {
	for _, k := range VanKinds {
		if k.Key == key {
			return k.Label
		}
	}
	return key
}

// VanRequest is an organisation's request for a wellbeing van, and once
// delivered, what the visit gave: counts of contacts, never names of
// people. Partners are the partner organisations on board, by name.
type VanRequest struct {
	ID                 int64     `json:"id"`
	OrganisationID     int64     `json:"organisation_id"`
	Kind               string    `json:"kind"`
	StartsOn           time.Time `json:"starts_on"`
	EndsOn             time.Time `json:"ends_on"`
	Place              string    `json:"place"`
	ExpectedAttendance int       `json:"expected_attendance"`
	Contact            string    `json:"contact"`
	State              string    `json:"state"`
	VanID              *int64    `json:"van_id"`
	VanDelivery
	DeclineReason string    `json:"decline_reason"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedBy     string    `json:"updated_by"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// TableName is fixed by the migrations.
func (VanRequest) TableName() string { return "van_requests" }

// VanDelivery is what a visit delivered.
type VanDelivery struct {
	HealthChecks       int    `json:"health_checks"`
	FatigueAssessments int    `json:"fatigue_assessments"`
	TraumaSupport      int    `json:"trauma_support"` // trauma support conversations
	WellbeingAdvice    int    `json:"wellbeing_advice"`
	Referrals          int    `json:"referrals"`
	Partners           string `json:"partners"` // partner organisations on board, comma separated
}

// PartnerNames are the partner organisations on board, one each.
func (d VanDelivery) PartnerNames() []string {
	var out []string
	for p := range strings.SplitSeq(d.Partners, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Add adds another visit's counts; partners count once per visit.
func (t *VanTotals) Add(r VanRequest) {
	if r.State != VanDelivered {
		return
	}
	t.Visits++
	t.HealthChecks += r.HealthChecks
	t.FatigueAssessments += r.FatigueAssessments
	t.TraumaSupport += r.TraumaSupport
	t.WellbeingAdvice += r.WellbeingAdvice
	t.Referrals += r.Referrals
	t.PartnersOnBoard += len(r.PartnerNames())
}

// VanTotals are the delivered visits of a period added up.
type VanTotals struct {
	Visits             int `json:"visits"`
	HealthChecks       int `json:"health_checks"`
	FatigueAssessments int `json:"fatigue_assessments"`
	TraumaSupport      int `json:"trauma_support"`
	WellbeingAdvice    int `json:"wellbeing_advice"`
	Referrals          int `json:"referrals"`
	PartnersOnBoard    int `json:"partners_on_board"` // partner organisations, counted per visit
}

// TotalVans adds up the delivered visits among rs.
func TotalVans(rs []VanRequest) VanTotals {
	var t VanTotals
	for _, r := range rs {
		t.Add(r)
	}
	return t
}

// CanRequestVan says whether the actor may ask for a van, or withdraw the
// organisation's request: its provision editors.
func (a Actor) CanRequestVan() bool { return a.CanEditProvision() }

// CanRunVanFleet says whether the actor may keep the fleet, schedule vans
// and record what they delivered: the national team.
func (a Actor) CanRunVanFleet() bool { return a.system || a.Role == RoleNationalAdmin }

const vanRequestEntity = "van_request"

// SaveVan adds a van to the fleet (ID 0) or changes one.
func (s *Store) SaveVan(ctx context.Context, a Actor, v Van) (Van, error) {
	if err := refuseUnless(a.CanRunVanFleet(), "change the van fleet"); err != nil {
		return Van{}, err
	}
	v.Name, v.Registration = strings.TrimSpace(v.Name), strings.ToUpper(strings.TrimSpace(v.Registration))
	if v.Name == "" || len(v.Name) > 60 {
		return v, apperr.Errorf(apperr.EINVALID, "Enter the van's name in 60 characters or fewer")
	}
	if len(v.Registration) > 20 {
		return v, apperr.Errorf(apperr.EINVALID, "Enter the registration in 20 characters or fewer")
	}
	return v, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var same int64
		if err := tx.Model(&Van{}).Where("LOWER(name) = LOWER(?) AND id <> ?", v.Name, v.ID).Count(&same).Error; err != nil {
			return err
		}
		if same > 0 {
			return apperr.Errorf(apperr.ECONFLICT, "There is already a van called %s: give this one another name", v.Name)
		}
		var old any
		if v.ID == 0 {
			v.CreatedAt = s.now()
			if err := tx.Create(&v).Error; err != nil {
				return err
			}
		} else {
			var before Van
			if err := tx.First(&before, v.ID).Error; err != nil {
				return notFound(err, "van")
			}
			old, v.CreatedAt = before, before.CreatedAt
			if err := tx.Save(&v).Error; err != nil {
				return err
			}
		}
		return s.audit(tx, a, nil, "van.save", "van", itoa(v.ID), old, v)
	})
}

// Vans lists the fleet by name. The fleet is the NPWS's; anyone signed in
// may see which vans there are.
func (s *Store) Vans(ctx context.Context) ([]Van, error) {
	var out []Van
	return out, s.db.WithContext(ctx).Order("name, id").Find(&out).Error
}

// validVanRequest checks what the organisation asks for; the input
// package words the same rules for each field.
func validVanRequest(r *VanRequest) error {
	r.Place, r.Contact = strings.TrimSpace(r.Place), strings.TrimSpace(r.Contact)
	r.StartsOn, r.EndsOn = frameworks.Day(r.StartsOn), frameworks.Day(r.EndsOn)
	switch {
	case !slices.ContainsFunc(VanKinds, func(k VanKind) bool { return k.Key == r.Kind }):
		return apperr.Errorf(apperr.EINVALID, "Choose whether the van is for a major event, a critical incident or an operational hotspot")
	case r.StartsOn.Year() < 2000:
		return apperr.Errorf(apperr.EINVALID, "Enter the first day the van is needed")
	case r.EndsOn.Before(r.StartsOn) || r.EndsOn.After(r.StartsOn.AddDate(0, 0, 30)):
		return apperr.Errorf(apperr.EINVALID, "The last day must be on or after the first day, and within 30 days of it")
	case r.Place == "" || len(r.Place) > 200:
		return apperr.Errorf(apperr.EINVALID, "Say where the van is needed, in 200 characters or fewer")
	case r.ExpectedAttendance < 0 || r.ExpectedAttendance > maxCount:
		return apperr.Errorf(apperr.EINVALID, "Expected attendance must be a whole number from 0 to 1,000,000")
	case len(r.Contact) > 200:
		return apperr.Errorf(apperr.EINVALID, "Say who the van team should contact, in 200 characters or fewer")
	}
	return nil
}

// RequestVan records an organisation's request for a van.
func (s *Store) RequestVan(ctx context.Context, a Actor, sc Scope, r VanRequest) (VanRequest, error) {
	if err := refuseUnless(a.CanRequestVan(), "request a wellbeing van"); err != nil {
		return VanRequest{}, err
	}
	if err := validVanRequest(&r); err != nil {
		return r, err
	}
	// Visits moved from before the fleet have no contact; a new request
	// needs one.
	if r.Contact == "" {
		return r, apperr.Errorf(apperr.EINVALID, "Say who the van team should contact, in 200 characters or fewer")
	}
	r.ID, r.State, r.VanID, r.VanDelivery, r.DeclineReason = 0, VanRequested, nil, VanDelivery{}, ""
	r.CreatedBy, r.CreatedAt = a.Label, s.now()
	r.UpdatedBy, r.UpdatedAt = r.CreatedBy, r.CreatedAt
	return r, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, r.OrganisationID); err != nil {
			return err
		}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &r.OrganisationID, "van.request", vanRequestEntity, itoa(r.ID), nil, r)
	})
}

// VanRequests lists an organisation's requests whose first day falls in a
// calendar year, soonest first.
func (s *Store) VanRequests(ctx context.Context, sc Scope, orgID int64, year int) ([]VanRequest, error) {
	var out []VanRequest
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	err := sc.where(s.db.WithContext(ctx), "organisation_id").
		Where("organisation_id = ? AND starts_on >= ? AND starts_on < ?", orgID, from, from.AddDate(1, 0, 0)).
		Order("starts_on, id").Find(&out).Error
	return out, err
}

// FleetRequests lists every organisation's requests whose first day falls
// in a calendar year, soonest first: the national team's calendar.
func (s *Store) FleetRequests(ctx context.Context, a Actor, year int) ([]VanRequest, error) {
	if !a.CanRunVanFleet() {
		return nil, apperr.Errorf(apperr.EFORBIDDEN, "Only the national team sees the whole fleet's calendar.")
	}
	var out []VanRequest
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	err := s.db.WithContext(ctx).Where("starts_on >= ? AND starts_on < ?", from, from.AddDate(1, 0, 0)).
		Order("starts_on, id").Find(&out).Error
	return out, err
}

// VanRequestsWaiting counts the requests, of any date, waiting for the
// national team to book a van or decline.
func (s *Store) VanRequestsWaiting(ctx context.Context, a Actor) (int64, error) {
	if !a.CanRunVanFleet() {
		return 0, apperr.Errorf(apperr.EFORBIDDEN, "Only the national team sees the whole fleet's calendar.")
	}
	var n int64
	return n, s.db.WithContext(ctx).Model(&VanRequest{}).Where("state = ?", VanRequested).Count(&n).Error
}

// VanRequest returns one request the scope may see.
func (s *Store) VanRequest(ctx context.Context, sc Scope, id int64) (VanRequest, error) {
	var r VanRequest
	err := sc.where(s.db.WithContext(ctx), "organisation_id").First(&r, id).Error
	return r, notFound(err, "van request")
}

// changeVanRequest loads a request in scope inside a transaction, lets
// change alter it (or refuse), and saves it with an audit entry.
func (s *Store) changeVanRequest(ctx context.Context, a Actor, sc Scope, id int64, action string, change func(tx *gorm.DB, r *VanRequest) error) (VanRequest, error) {
	var r VanRequest
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sc.where(tx, "organisation_id").First(&r, id).Error; err != nil {
			return notFound(err, "van request")
		}
		before := r
		if err := change(tx, &r); err != nil {
			return err
		}
		r.UpdatedBy, r.UpdatedAt = a.Label, s.now()
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &r.OrganisationID, action, vanRequestEntity, itoa(r.ID), before, r)
	})
	return r, err
}

// WithdrawVanRequest withdraws a request the national team has not yet
// scheduled.
func (s *Store) WithdrawVanRequest(ctx context.Context, a Actor, sc Scope, id int64) (VanRequest, error) {
	if err := refuseUnless(a.CanRequestVan(), "withdraw a van request"); err != nil {
		return VanRequest{}, err
	}
	return s.changeVanRequest(ctx, a, sc, id, "van.withdraw", func(_ *gorm.DB, r *VanRequest) error {
		if r.State != VanRequested {
			return apperr.Errorf(apperr.ECONFLICT, "This request is %s: only a request not yet scheduled can be withdrawn. Ask the national team to change a booking.", r.State)
		}
		r.State = VanWithdrawn
		return nil
	})
}

// ScheduleVan books a van for a request's dates. A van already booked on
// any of those days is refused, naming the booking it clashes with.
func (s *Store) ScheduleVan(ctx context.Context, a Actor, id, vanID int64) (VanRequest, error) {
	if err := refuseUnless(a.CanRunVanFleet(), "schedule wellbeing vans"); err != nil {
		return VanRequest{}, err
	}
	return s.changeVanRequest(ctx, a, AllOrganisations(), id, "van.schedule", func(tx *gorm.DB, r *VanRequest) error {
		if r.State != VanRequested && r.State != VanScheduled {
			return apperr.Errorf(apperr.ECONFLICT, "This request is %s: only a request or a booking not yet delivered can be scheduled", r.State)
		}
		// Touching the van's row first makes two bookings of the same van
		// wait for each other on PostgreSQL, so both cannot pass the check.
		lock := tx.Model(&Van{}).Where("id = ?", vanID).Update("in_service", gorm.Expr("in_service"))
		if lock.Error != nil {
			return lock.Error
		}
		var van Van
		if err := tx.First(&van, vanID).Error; err != nil {
			return apperr.Errorf(apperr.EINVALID, "Choose a van from the fleet")
		}
		if !van.InService {
			return apperr.Errorf(apperr.EINVALID, "%s is out of service: choose another van", van.Name)
		}
		var clash []VanRequest
		if err := tx.Where("van_id = ? AND id <> ? AND state IN ? AND starts_on <= ? AND ends_on >= ?",
			vanID, r.ID, []string{VanScheduled, VanDelivered}, r.EndsOn, r.StartsOn).Order("starts_on").Limit(1).Find(&clash).Error; err != nil {
			return err
		}
		if len(clash) > 0 {
			var org Organisation
			if err := tx.First(&org, clash[0].OrganisationID).Error; err != nil {
				return err
			}
			return apperr.Errorf(apperr.ECONFLICT, "%s is already booked %s for %s's request %d (%s at %s): choose another van or other dates",
				van.Name, DayRange(clash[0].StartsOn, clash[0].EndsOn), org.Name, clash[0].ID, strings.ToLower(VanKindLabel(clash[0].Kind)), clash[0].Place)
		}
		r.VanID, r.State, r.DeclineReason = &vanID, VanScheduled, ""
		return nil
	})
}

// DeclineVanRequest records that the national team cannot send a van.
func (s *Store) DeclineVanRequest(ctx context.Context, a Actor, id int64, reason string) (VanRequest, error) {
	if err := refuseUnless(a.CanRunVanFleet(), "decline van requests"); err != nil {
		return VanRequest{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return VanRequest{}, apperr.Errorf(apperr.EINVALID, "Say why no van can go, in 1,000 characters or fewer")
	}
	return s.changeVanRequest(ctx, a, AllOrganisations(), id, "van.decline", func(_ *gorm.DB, r *VanRequest) error {
		if r.State != VanRequested && r.State != VanScheduled {
			return apperr.Errorf(apperr.ECONFLICT, "This request is %s: only a request or a booking not yet delivered can be declined", r.State)
		}
		r.State, r.VanID, r.DeclineReason = VanDeclined, nil, reason
		return nil
	})
}

// ValidVanDelivery checks a visit's counts, naming the first wrong one by
// its field.
func ValidVanDelivery(d VanDelivery) error {
	for _, f := range []struct {
		field, label string
		n            int
	}{{"health_checks", "Physical health checks", d.HealthChecks}, {"fatigue_assessments", "Fatigue assessments", d.FatigueAssessments},
		{"trauma_support", "Trauma support conversations", d.TraumaSupport}, {"wellbeing_advice", "Wellbeing advice conversations", d.WellbeingAdvice},
		{"referrals", "Referrals", d.Referrals}} {
		switch {
		case f.n < 0:
			return &FieldError{f.field, f.label + " (" + f.field + ") must be 0 or more"}
		case f.n > maxCount:
			return &FieldError{f.field, f.label + " (" + f.field + ") cannot be more than 1,000,000"}
		}
	}
	if len(d.Partners) > 500 {
		return &FieldError{"partners", "List the partners on board (partners) in 500 characters or fewer"}
	}
	return nil
}

// RecordVanDelivery records what a scheduled visit delivered (or corrects
// a delivered one).
func (s *Store) RecordVanDelivery(ctx context.Context, a Actor, id int64, d VanDelivery) (VanRequest, error) {
	if err := refuseUnless(a.CanRunVanFleet(), "record what a wellbeing van delivered"); err != nil {
		return VanRequest{}, err
	}
	d.Partners = strings.Join(d.PartnerNames(), ", ")
	if err := ValidVanDelivery(d); err != nil {
		return VanRequest{}, err
	}
	return s.changeVanRequest(ctx, a, AllOrganisations(), id, "van.deliver", func(_ *gorm.DB, r *VanRequest) error {
		if r.State != VanScheduled && r.State != VanDelivered {
			return apperr.Errorf(apperr.ECONFLICT, "This request is %s: schedule a van before recording what it delivered", r.State)
		}
		if r.StartsOn.After(s.now()) {
			return apperr.Errorf(apperr.EINVALID, "The visit starts on %s: record what it delivered once it has begun", r.StartsOn.Format(longDate))
		}
		r.State, r.VanDelivery = VanDelivered, d
		return nil
	})
}

// DayRange words a span of days: "on 3 June 2026" or "from 3 June 2026 to
// 5 June 2026".
func DayRange(from, to time.Time) string {
	if from.Equal(to) {
		return "on " + from.Format(longDate)
	}
	return fmt.Sprintf("from %s to %s", from.Format(longDate), to.Format(longDate))
}
