package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// PeerSupportReturn is an organisation's annual return on its peer support
// provision. Counts are of people trained or in post at the year's end.
type PeerSupportReturn struct {
	ID                     int64 `json:"-"`
	OrganisationID         int64 `json:"organisation_id"`
	Year                   int   `json:"year"`
	CoordinatorInPost      bool  `json:"coordinator_in_post"`
	CoordinatorFullTime    bool  `json:"coordinator_full_time"`
	OHClinicianTrained     bool  `gorm:"column:oh_clinician_trained" json:"oh_clinician_trained"` // occupational health clinician trained in the model
	PeerSupporters         int   `json:"peer_supporters"`
	PeerChampions          int   `json:"peer_champions"`
	PeerCoordinators       int   `json:"peer_coordinators"`
	TrainedTrainers        int   `json:"trained_trainers"`
	DemobDefusingTrained   int   `json:"demob_defusing_trained"` // trained in demobilising and defusing
	TRiMPractitioners      int   `gorm:"column:trim_practitioners" json:"trim_practitioners"`
	ESTIPLead              bool  `gorm:"column:estip_lead" json:"estip_lead"`
	SupervisionInPlace     bool  `json:"supervision_in_place"`
	ConfidentialityInPlace bool  `json:"confidentiality_in_place"` // confidentiality and disclosure arrangements
	Contacts               int   `json:"contacts"`                 // peer support contacts in the year
	// Training and supervision, added after the first returns: nil is
	// "not recorded", never 0.
	WalkTheTalkAttended  *int      `json:"walk_the_talk_attended"` // attended the "Walk the Talk" train-the-trainer course in the year
	TrainersDelivering   *int      `json:"trainers_delivering"`    // trained trainers delivering training locally
	DemobCoursePlaces    *int      `json:"demob_course_places"`    // demobilising and defusing course places taken in the year
	SupervisionSessions  *int      `json:"supervision_sessions"`   // supervision sessions held for supporters in the year
	SupportersSupervised *int      `json:"supporters_supervised"`  // peer supporters who had supervision in the year
	UpdatedBy            string    `json:"updated_by"`
	UpdatedAt            time.Time `json:"updated_at"`
}

// TableName is fixed by the migrations.
func (PeerSupportReturn) TableName() string { return "peer_support_returns" }

const maxCount = 1_000_000 // far above any real headcount: catches typing errors

func validateReturn(r *PeerSupportReturn) error {
	if r.Year < 2000 || r.Year > 2100 {
		return apperr.Errorf(apperr.EINVALID, "Enter the year of the return, like 2026")
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"peer supporters", r.PeerSupporters}, {"peer champions", r.PeerChampions}, {"peer coordinators", r.PeerCoordinators},
		{"trained trainers", r.TrainedTrainers}, {"people trained in demobilising and defusing", r.DemobDefusingTrained},
		{"TRiM practitioners", r.TRiMPractitioners}, {"peer support contacts", r.Contacts}} {
		if f.n < 0 || f.n > maxCount {
			return apperr.Errorf(apperr.EINVALID, "The number of %s must be a whole number from 0 to 1,000,000", f.name)
		}
	}
	if r.CoordinatorFullTime && !r.CoordinatorInPost {
		return apperr.Errorf(apperr.EINVALID, "A full-time coordinator must be in post: say a coordinator is in post, or that the post is not full time")
	}
	for _, f := range PeerTrainingFields {
		if v := f.Value(r); v != nil && *v < 0 {
			return &FieldError{f.Name, f.Label + " (" + f.Name + ") must be 0 or more"}
		}
	}
	switch {
	case r.TrainersDelivering != nil && *r.TrainersDelivering > r.TrainedTrainers:
		return &FieldError{"trainers_delivering", "Trained trainers delivering locally (trainers_delivering) cannot be more than the trained trainers (trained_trainers)"}
	case r.SupportersSupervised != nil && *r.SupportersSupervised > r.PeerSupporters:
		return &FieldError{"supporters_supervised", "Peer supporters who had supervision (supporters_supervised) cannot be more than the peer supporters (peer_supporters)"}
	}
	return nil
}

// PeerTrainingField is one of the training and supervision counts of a
// peer support return, which may be not recorded (nil).
type PeerTrainingField struct {
	Name, Label string
	Value       func(*PeerSupportReturn) *int
}

// PeerTrainingFields lists the training and supervision counts in the
// order forms show them.
var PeerTrainingFields = []PeerTrainingField{
	{"walk_the_talk_attended", "People who attended the Walk the Talk train-the-trainer course in the year", func(r *PeerSupportReturn) *int { return r.WalkTheTalkAttended }},
	{"trainers_delivering", "Trained trainers delivering training locally", func(r *PeerSupportReturn) *int { return r.TrainersDelivering }},
	{"demob_course_places", "Demobilising and defusing course places taken in the year", func(r *PeerSupportReturn) *int { return r.DemobCoursePlaces }},
	{"supervision_sessions", "Supervision sessions held for peer supporters in the year", func(r *PeerSupportReturn) *int { return r.SupervisionSessions }},
	{"supporters_supervised", "Peer supporters who had supervision in the year", func(r *PeerSupportReturn) *int { return r.SupportersSupervised }},
}

// checkAgainstWorkforce refuses a training or supervision count over the
// organisation's workforce, when one is recorded for the year or before:
// without one there is nothing to check against.
func checkAgainstWorkforce(tx *gorm.DB, r *PeerSupportReturn) error {
	workforce, err := workforceFor(tx, r.OrganisationID, r.Year)
	if err != nil || workforce == 0 {
		return err
	}
	for _, f := range PeerTrainingFields {
		if f.Name == "supervision_sessions" {
			continue // sessions, not people
		}
		if v := f.Value(r); v != nil && *v > workforce {
			return &FieldError{f.Name, f.Label + " (" + f.Name + ") cannot be more than the workforce of " + itoa(int64(workforce))}
		}
	}
	return nil
}

// SavePeerSupportReturn records or replaces an organisation's return for a year.
func (s *Store) SavePeerSupportReturn(ctx context.Context, a Actor, sc Scope, r PeerSupportReturn) (PeerSupportReturn, error) {
	if err := refuseUnless(a.CanEditProvision(), "change provision records"); err != nil {
		return PeerSupportReturn{}, err
	}
	if err := validateReturn(&r); err != nil {
		return r, err
	}
	r.UpdatedBy, r.UpdatedAt = a.Label, s.now()
	return r, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, r.OrganisationID); err != nil {
			return err
		}
		if err := checkAgainstWorkforce(tx, &r); err != nil {
			return err
		}
		var before []PeerSupportReturn
		if err := tx.Where("organisation_id = ? AND year = ?", r.OrganisationID, r.Year).Find(&before).Error; err != nil {
			return err
		}
		var old any
		r.ID = 0
		if len(before) > 0 {
			r.ID, old = before[0].ID, before[0]
		}
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &r.OrganisationID, "peer_support.return.save", "peer_support_return", itoa(r.OrganisationID)+"/"+itoa(int64(r.Year)), old, r)
	})
}

// PeerSupportReturns lists an organisation's returns, newest year first.
func (s *Store) PeerSupportReturns(ctx context.Context, sc Scope, orgID int64) ([]PeerSupportReturn, error) {
	var out []PeerSupportReturn
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).Order("year DESC").Find(&out).Error
	return out, err
}

// ProvisionCounts is what the provision indicators of one organisation and
// calendar year are computed from.
type ProvisionCounts struct {
	OrganisationID       int64
	ActiveDogs           int
	Handlers             int
	TrainedHandlers      int // peer supporter or mental health first aider
	PeerSupporterHandler int // handlers trained as peer supporters
	Deployments          int // of its own dogs, in the year
	Return               *PeerSupportReturn
	VanChecks            int  // physical health checks and fatigue assessments
	VanVisits            int  // van visits delivered in the year
	Scheme               bool // the organisation has an OK9 scheme record
	// Trauma is the sum of the year's quarterly TRiM and trauma support
	// returns; nil when there is none.
	Trauma    *TraumaTotals
	Workforce *int
	// AsAt is the day dogs and handlers were counted: they are counted as
	// they are now, not as they were in the year.
	AsAt time.Time
}

// ProvisionCountsFor returns the counts of every organisation in scope for
// a year, in a fixed number of queries whatever the number of
// organisations. Dogs and handlers are counted as they are now.
func (s *Store) ProvisionCountsFor(ctx context.Context, sc Scope, year int) (map[int64]*ProvisionCounts, error) {
	db := s.db.WithContext(ctx)
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	var orgs []Organisation
	if err := sc.where(db, "id").Select("id").Find(&orgs).Error; err != nil {
		return nil, err
	}
	out := map[int64]*ProvisionCounts{}
	asAt := frameworks.Day(s.now())
	for _, o := range orgs {
		out[o.ID] = &ProvisionCounts{OrganisationID: o.ID, AsAt: asAt}
	}
	type row struct {
		OrganisationID int64
		N              int
	}
	count := func(q *gorm.DB, set func(*ProvisionCounts, int)) error {
		var rows []row
		if err := sc.where(q, "organisation_id").Group("organisation_id").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if c := out[r.OrganisationID]; c != nil {
				set(c, r.N)
			}
		}
		return nil
	}
	err := count(db.Model(&OK9Dog{}).Select("organisation_id, COUNT(*) AS n").Where("status = ?", DogActive),
		func(c *ProvisionCounts, n int) { c.ActiveDogs = n })
	if err == nil {
		err = count(db.Model(&OK9Deployment{}).Select("organisation_id, COUNT(*) AS n").Where("deployed_on >= ? AND deployed_on < ?", from, to),
			func(c *ProvisionCounts, n int) { c.Deployments = n })
	}
	if err == nil {
		err = count(db.Model(&VanRequest{}).Select("organisation_id, SUM(health_checks + fatigue_assessments) AS n").Where("state = ? AND starts_on >= ? AND starts_on < ?", VanDelivered, from, to),
			func(c *ProvisionCounts, n int) { c.VanChecks = n })
	}
	if err == nil {
		err = count(db.Model(&VanRequest{}).Select("organisation_id, COUNT(*) AS n").Where("state = ? AND starts_on >= ? AND starts_on < ?", VanDelivered, from, to),
			func(c *ProvisionCounts, n int) { c.VanVisits = n })
	}
	if err == nil {
		err = count(db.Model(&OK9Scheme{}).Select("organisation_id, COUNT(*) AS n"),
			func(c *ProvisionCounts, n int) { c.Scheme = n > 0 })
	}
	if err != nil {
		return nil, err
	}
	var handlers []OK9Handler
	if err := sc.where(db, "organisation_id").Select("organisation_id", "peer_supporter_trained_on", "mhfa_trained_on").Find(&handlers).Error; err != nil {
		return nil, err
	}
	for _, h := range handlers {
		if c := out[h.OrganisationID]; c != nil {
			c.Handlers++
			if h.Trained() {
				c.TrainedHandlers++
			}
			if h.PeerSupporterTrainedOn != nil {
				c.PeerSupporterHandler++
			}
		}
	}
	var returns []PeerSupportReturn
	if err := sc.where(db, "organisation_id").Where("year = ?", year).Find(&returns).Error; err != nil {
		return nil, err
	}
	for i := range returns {
		if c := out[returns[i].OrganisationID]; c != nil {
			c.Return = &returns[i]
		}
	}
	var trauma []TraumaReturn
	if err := sc.where(db, "organisation_id").Where("year = ?", year).Order("quarter").Find(&trauma).Error; err != nil {
		return nil, err
	}
	for i := range trauma {
		if c := out[trauma[i].OrganisationID]; c != nil {
			if c.Trauma == nil {
				c.Trauma = &TraumaTotals{}
			}
			c.Trauma.add(&trauma[i])
		}
	}
	var wf []Workforce
	if err := sc.where(db, "organisation_id").Where("year = ?", year).Find(&wf).Error; err != nil {
		return nil, err
	}
	for _, w := range wf {
		if c := out[w.OrganisationID]; c != nil {
			total := w.Officers + w.Staff
			c.Workforce = &total
		}
	}
	return out, nil
}

// Indicator is one derived provision figure. Value is nil when it cannot
// be computed, and Note says why; NoRecords is true when the reason is that
// the organisation has no records behind the figure for the period, as
// distinct from a recorded zero (a scheme with no dogs has 0 dogs).
// Period says what time the figure covers: "calendar year 2025" or
// "as at 7 December 2026".
type Indicator struct {
	Key       string   `json:"key"`
	Label     string   `json:"label"`
	Unit      string   `json:"unit"`
	Period    string   `json:"period"`
	Value     *float64 `json:"value"`
	NoRecords bool     `json:"no_records,omitempty"`
	Note      string   `json:"note,omitempty"`
}

// Indicator keys, for benchmarks and reports.
const (
	IndActiveDogsPer1000      = "ok9_active_dogs_per_1000"
	IndTrainedHandlersPer1000 = "ok9_trained_handlers_per_1000"
	IndHandlersPeerTrained    = "ok9_handlers_peer_trained_share"
	IndDeploymentsPerDog      = "ok9_deployments_per_active_dog"
	IndPeerSupportersPer1000  = "peer_supporters_per_1000"
	IndDemobDefusingPer1000   = "demob_defusing_trained_per_1000"
	IndVanChecksPer1000       = "van_checks_per_1000"
	// From the training and supervision answers of the year's peer
	// support return.
	IndWalkTheTalkPer1000        = "walk_the_talk_attended_per_1000"
	IndTrainersDeliveringShare   = "trainers_delivering_share"
	IndDemobPlacesPer1000        = "demob_course_places_per_1000"
	IndSupportersSupervisedShare = "peer_supporters_supervised_share"
	// From the year's quarterly TRiM and trauma support returns.
	IndTRiMAssessmentsPer1000 = "trim_risk_assessments_per_1000"
	IndTRiMPlanningShare      = "trim_planning_within_48h_share"
	IndTRiMReviewShare        = "trim_reviews_28_day_share"
	IndDefusingsPer1000       = "trauma_defusings_per_1000"
	IndReferralsPer1000       = "trauma_referrals_per_1000"
	IndTRiMTrainedPer1000     = "trim_practitioners_trained_per_1000"
)

// TraumaIndicatorKeys are the indicators drawn from the trauma returns.
var TraumaIndicatorKeys = []string{IndTRiMAssessmentsPer1000, IndTRiMPlanningShare, IndTRiMReviewShare,
	IndDefusingsPer1000, IndReferralsPer1000, IndTRiMTrainedPer1000}

// TraumaTotals is the sum of an organisation's quarterly trauma returns
// for a year, with the quarters they cover.
type TraumaTotals struct {
	TraumaReturn
	Quarters []int // the quarters returned, in order
}

func (t *TraumaTotals) add(r *TraumaReturn) {
	t.Quarters = append(t.Quarters, r.Quarter)
	for _, f := range TraumaFields {
		*f.Value(&t.TraumaReturn) += *f.Value(r)
	}
}

// QuartersCovered says which quarters of the year the totals are from:
// "all four quarters", or "Q1 and Q3 only".
func (t *TraumaTotals) QuartersCovered() string {
	if len(t.Quarters) == 4 {
		return "all four quarters"
	}
	var qs []string
	for _, q := range t.Quarters {
		qs = append(qs, "Q"+itoa(int64(q)))
	}
	if len(qs) > 1 {
		return strings.Join(qs[:len(qs)-1], ", ") + " and " + qs[len(qs)-1] + " only"
	}
	return qs[0] + " only"
}

// TraumaPeriod is the period of the trauma indicators, in words: the
// calendar year, summed over its quarterly returns (a year not fully
// returned says which quarters in the indicator's note).
func TraumaPeriod(year int) string { return CalendarYear(year) }

// CalendarYear and AsAt are the two periods provision figures cover, in
// words.
func CalendarYear(year int) string { return "calendar year " + itoa(int64(year)) }

// AsAt is a count taken on a day, in words.
func AsAt(day time.Time) string {
	if day.IsZero() {
		return "as at the day produced"
	}
	return "as at " + day.Format("2 January 2006")
}

// Indicators derives the provision indicators for the year the counts
// belong to. Rates per 1,000 use the year's workforce (officers or
// operational staff plus other staff; volunteers are left out) and say so
// when there is no figure. Each indicator says what "has records" means for
// it: without records it has no value and NoRecords is set, so it is never
// shown, banded or counted as a zero.
func (c ProvisionCounts) Indicators(year int) []Indicator {
	inYear, asAt := CalendarYear(year), AsAt(c.AsAt)
	noRecords := func(ind Indicator, what string) Indicator {
		ind.NoRecords, ind.Note = true, "no records: "+what
		return ind
	}
	perThousand := func(key, label, period string, n int, have bool, missing string) Indicator {
		ind := Indicator{Key: key, Label: label, Unit: "per 1,000 workforce", Period: period}
		switch {
		case !have:
			return noRecords(ind, missing)
		case c.Workforce == nil || *c.Workforce == 0:
			ind.Note = "No workforce figure for " + itoa(int64(year)) + ": enter it on the organisation's page"
		default:
			v := float64(n) * 1000 / float64(*c.Workforce)
			ind.Value = &v
		}
		return ind
	}
	ratio := func(key, label, unit, period string, n, of int, scale float64, none string) Indicator {
		ind := Indicator{Key: key, Label: label, Unit: unit, Period: period}
		if of == 0 {
			ind.Note = none
		} else {
			v := float64(n) * scale / float64(of)
			ind.Value = &v
		}
		return ind
	}
	noReturn := "no peer support return for " + inYear
	var supporters, demob int
	if c.Return != nil {
		supporters, demob = c.Return.PeerSupporters, c.Return.DemobDefusingTrained
	}
	// An OK9 scheme record, or any dog or handler on the books, is a scheme
	// whose counts are real, even when they are 0.
	scheme := c.Scheme || c.ActiveDogs > 0 || c.Handlers > 0
	deployments := ratio(IndDeploymentsPerDog, "OK9 deployments", "per active dog", inYear, c.Deployments, c.ActiveDogs, 1,
		"not applicable: no active OK9 dogs "+asAt)
	if c.ActiveDogs > 0 && c.Deployments == 0 {
		// Deployments are events: a year with none recorded is a year
		// with no records, not a recorded zero.
		deployments.Value = nil
		deployments = noRecords(deployments, "no OK9 deployments recorded in "+inYear)
	}
	out := []Indicator{
		// Has records: an OK9 scheme (a scheme with 0 dogs is a real 0).
		perThousand(IndActiveDogsPer1000, "Active OK9 dogs", asAt, c.ActiveDogs, scheme, "no OK9 scheme"),
		// Has records: an OK9 scheme (a scheme with 0 handlers is a real 0).
		perThousand(IndTrainedHandlersPer1000, "Trained OK9 handlers", asAt, c.TrainedHandlers, scheme, "no OK9 scheme"),
		// Not applicable without handlers.
		ratio(IndHandlersPeerTrained, "OK9 handlers trained as peer supporters", "%", asAt, c.PeerSupporterHandler, c.Handlers, 100,
			"not applicable: no OK9 handlers "+asAt),
		// Not applicable without active dogs; no records without a
		// deployment recorded in the year.
		deployments,
		// Has records: the year's peer support return.
		perThousand(IndPeerSupportersPer1000, "Peer supporters", inYear, supporters, c.Return != nil, noReturn),
		perThousand(IndDemobDefusingPer1000, "Trained in demobilising and defusing", inYear, demob, c.Return != nil, noReturn),
		// Has records: a van visit recorded in the year (a visit with no
		// checks is a real 0).
		perThousand(IndVanChecksPer1000, "Wellbeing van health checks and fatigue assessments", inYear, c.VanChecks, c.VanVisits > 0,
			"no wellbeing van visits recorded in "+inYear),
	}
	out = append(out, c.peerTrainingIndicators(year, perThousand, ratio, noRecords)...)
	return append(out, c.traumaIndicators(year, perThousand, ratio, noRecords)...)
}

// peerTrainingIndicators are the training and supervision figures of the
// year's peer support return. Has records: the return, with the answer
// recorded (returns made before these questions have none, and say so).
func (c ProvisionCounts) peerTrainingIndicators(year int,
	perThousand func(key, label, period string, n int, have bool, missing string) Indicator,
	ratio func(key, label, unit, period string, n, of int, scale float64, none string) Indicator,
	noRecords func(Indicator, string) Indicator) []Indicator {
	inYear := CalendarYear(year)
	missing := func() string {
		if c.Return == nil {
			return "no peer support return for " + inYear
		}
		return "not recorded on the peer support return for " + inYear
	}
	value := func(get func(*PeerSupportReturn) *int) (int, bool) {
		if c.Return == nil || get(c.Return) == nil {
			return 0, false
		}
		return *get(c.Return), true
	}
	share := func(key, label string, get func(*PeerSupportReturn) *int, of func(*PeerSupportReturn) int, none string) Indicator {
		n, have := value(get)
		if !have {
			return noRecords(Indicator{Key: key, Label: label, Unit: "%", Period: inYear}, missing())
		}
		return ratio(key, label, "%", inYear, n, of(c.Return), 100, "not applicable: "+none+" on the return for "+inYear)
	}
	walk, haveWalk := value(func(r *PeerSupportReturn) *int { return r.WalkTheTalkAttended })
	places, havePlaces := value(func(r *PeerSupportReturn) *int { return r.DemobCoursePlaces })
	return []Indicator{
		perThousand(IndWalkTheTalkPer1000, "Attended the Walk the Talk train-the-trainer course", inYear, walk, haveWalk, missing()),
		share(IndTrainersDeliveringShare, "Trained trainers delivering training locally", func(r *PeerSupportReturn) *int { return r.TrainersDelivering },
			func(r *PeerSupportReturn) int { return r.TrainedTrainers }, "no trained trainers"),
		perThousand(IndDemobPlacesPer1000, "Demobilising and defusing course places taken", inYear, places, havePlaces, missing()),
		share(IndSupportersSupervisedShare, "Peer supporters who had supervision", func(r *PeerSupportReturn) *int { return r.SupportersSupervised },
			func(r *PeerSupportReturn) int { return r.PeerSupporters }, "no peer supporters"),
	}
}

// traumaIndicators are the TRiM and trauma support figures of the year's
// quarterly returns. Has records: at least one return in the year (a
// return of zeros is a real 0). A year not fully returned says which
// quarters its figures cover.
func (c ProvisionCounts) traumaIndicators(year int,
	perThousand func(key, label, period string, n int, have bool, missing string) Indicator,
	ratio func(key, label, unit, period string, n, of int, scale float64, none string) Indicator,
	noRecords func(Indicator, string) Indicator) []Indicator {
	period, missing := TraumaPeriod(year), "no TRiM and trauma support return for "+CalendarYear(year)
	t, have := c.Trauma, c.Trauma != nil
	if !have {
		t = &TraumaTotals{}
	}
	share := func(key, label string, n, of int, none string) Indicator {
		if !have {
			return noRecords(Indicator{Key: key, Label: label, Unit: "%", Period: period}, missing)
		}
		return ratio(key, label, "%", period, n, of, 100, "not applicable: "+none+" in "+CalendarYear(year))
	}
	out := []Indicator{
		perThousand(IndTRiMAssessmentsPer1000, "TRiM risk assessments", period, t.RiskAssessments, have, missing),
		share(IndTRiMPlanningShare, "Incidents with a planning meeting within 48 hours", t.PlanningMeetings, t.Incidents, "no incidents triggered the trauma process"),
		share(IndTRiMReviewShare, "TRiM risk assessments with a review at 28 days", t.Reviews, t.RiskAssessments, "no TRiM risk assessments"),
		perThousand(IndDefusingsPer1000, "Defusings held", period, t.Defusings, have, missing),
		perThousand(IndReferralsPer1000, "Onward referrals (occupational health and psychological services)", period, t.ReferralsOH+t.ReferralsPsych, have, missing),
		perThousand(IndTRiMTrainedPer1000, "TRiM practitioners trained", period, t.PractitionersTrained, have, missing),
	}
	if have && len(t.Quarters) < 4 {
		for i := range out {
			if out[i].Value != nil {
				out[i].Note = "from returns for " + t.QuartersCovered()
			}
		}
	}
	return out
}

// TraumaReturn is an organisation's quarterly count of its TRiM and trauma
// support activity (Responding to Trauma in Policing; the NPWS trauma
// intervention programme). Counts only, never names.
type TraumaReturn struct {
	ID             int64 `json:"-"`
	OrganisationID int64 `json:"organisation_id"`
	Year           int   `json:"year"`
	Quarter        int   `json:"quarter"` // 1 to 4, calendar quarters
	// Incidents that triggered the trauma process.
	Incidents int `json:"incidents"`
	// PlanningMeetings held within 48 hours of an incident.
	PlanningMeetings int `json:"planning_meetings"`
	// RiskAssessments are TRiM risk assessment interviews, about 72 hours
	// after; Reviews the follow-ups about 28 days after.
	RiskAssessments int `json:"risk_assessments"`
	Reviews         int `json:"reviews"`
	Defusings       int `json:"defusings"`
	Demobilisations int `json:"demobilisations"`
	ESTIMs          int `gorm:"column:estims" json:"estims"` // trauma intervention meetings with clinical oversight
	// Onward referrals to occupational health and to psychological services.
	ReferralsOH    int `gorm:"column:referrals_oh" json:"referrals_oh"`
	ReferralsPsych int `json:"referrals_psych"`
	// People trained in the quarter in each TRiM role.
	PractitionersTrained int       `json:"practitioners_trained"`
	TeamLeadersTrained   int       `json:"team_leaders_trained"`
	ManagersTrained      int       `json:"managers_trained"`
	UpdatedBy            string    `json:"updated_by"`
	UpdatedAt            time.Time `json:"updated_at"`
}

// TableName is fixed by the migrations.
func (TraumaReturn) TableName() string { return "trauma_returns" }

// TraumaField is one count of a trauma return: its JSON name and label.
type TraumaField struct {
	Name, Label string
	Value       func(*TraumaReturn) *int
}

// TraumaFields lists the counts of a trauma return in the order forms show.
var TraumaFields = []TraumaField{
	{"incidents", "Incidents that triggered the trauma process", func(r *TraumaReturn) *int { return &r.Incidents }},
	{"planning_meetings", "Planning meetings held within 48 hours", func(r *TraumaReturn) *int { return &r.PlanningMeetings }},
	{"risk_assessments", "TRiM risk assessments (about 72 hours after)", func(r *TraumaReturn) *int { return &r.RiskAssessments }},
	{"reviews", "TRiM reviews (about 28 days after)", func(r *TraumaReturn) *int { return &r.Reviews }},
	{"defusings", "Defusings held", func(r *TraumaReturn) *int { return &r.Defusings }},
	{"demobilisations", "Demobilisations held", func(r *TraumaReturn) *int { return &r.Demobilisations }},
	{"estims", "Trauma intervention meetings (ESTIMs)", func(r *TraumaReturn) *int { return &r.ESTIMs }},
	{"referrals_oh", "Referrals to occupational health", func(r *TraumaReturn) *int { return &r.ReferralsOH }},
	{"referrals_psych", "Referrals to psychological services", func(r *TraumaReturn) *int { return &r.ReferralsPsych }},
	{"practitioners_trained", "TRiM practitioners trained", func(r *TraumaReturn) *int { return &r.PractitionersTrained }},
	{"team_leaders_trained", "TRiM team leaders trained", func(r *TraumaReturn) *int { return &r.TeamLeadersTrained }},
	{"managers_trained", "TRiM managers trained", func(r *TraumaReturn) *int { return &r.ManagersTrained }},
}

// FieldError refuses one field of a record, naming it so a form can show
// the message beside it; it is an EINVALID for apperr.Code.
type FieldError struct{ Field, Message string }

func (e *FieldError) Error() string { return e.Message }

// Unwrap makes the refusal an EINVALID for apperr.Code.
func (e *FieldError) Unwrap() error { return apperr.Errorf(apperr.EINVALID, "%s", e.Message) }

// checkTraumaReturn checks a return against itself and the workforce: no
// count below 0 or above the workforce, planning meetings no more than the
// incidents, reviews no more than the risk assessments.
func checkTraumaReturn(r *TraumaReturn, workforce int) error {
	switch {
	case r.Year < 2000 || r.Year > 2100:
		return &FieldError{"year", "Enter the year of the return, like 2026"}
	case r.Quarter < 1 || r.Quarter > 4:
		return &FieldError{"quarter", "Choose the quarter of the return, 1 to 4"}
	}
	for _, f := range TraumaFields {
		n := *f.Value(r)
		switch {
		case n < 0:
			return &FieldError{f.Name, f.Label + " (" + f.Name + ") must be 0 or more"}
		case n > workforce:
			return &FieldError{f.Name, f.Label + " (" + f.Name + ") cannot be more than the workforce of " + itoa(int64(workforce))}
		}
	}
	switch {
	case r.PlanningMeetings > r.Incidents:
		return &FieldError{"planning_meetings", "Planning meetings (planning_meetings) cannot be more than the incidents that triggered the process (incidents)"}
	case r.Reviews > r.RiskAssessments:
		return &FieldError{"reviews", "TRiM reviews at 28 days (reviews) cannot be more than the TRiM risk assessments held (risk_assessments)"}
	}
	return nil
}

// workforceFor is the organisation's headcount (officers and staff) for the
// year, or the nearest earlier year's; 0 if none is recorded.
func workforceFor(tx *gorm.DB, orgID int64, year int) (int, error) {
	var ws []Workforce
	err := tx.Where("organisation_id = ? AND year <= ?", orgID, year).Order("year DESC").Limit(1).Find(&ws).Error
	if err != nil || len(ws) == 0 {
		return 0, err
	}
	return ws[0].Officers + ws[0].Staff, nil
}

// SaveTraumaReturn records or replaces an organisation's return for a
// quarter. A refused return changes nothing.
func (s *Store) SaveTraumaReturn(ctx context.Context, a Actor, sc Scope, r TraumaReturn) (TraumaReturn, error) {
	if err := refuseUnless(a.CanEditProvision(), "change provision records"); err != nil {
		return TraumaReturn{}, err
	}
	r.UpdatedBy, r.UpdatedAt = a.Label, s.now()
	return r, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, r.OrganisationID); err != nil {
			return err
		}
		workforce, err := workforceFor(tx, r.OrganisationID, r.Year)
		if err != nil {
			return err
		}
		if workforce == 0 {
			return &FieldError{"year", "Record the organisation's workforce for " + itoa(int64(r.Year)) + " first: the counts are checked against it"}
		}
		if err := checkTraumaReturn(&r, workforce); err != nil {
			return err
		}
		var before []TraumaReturn
		if err := tx.Where("organisation_id = ? AND year = ? AND quarter = ?", r.OrganisationID, r.Year, r.Quarter).Find(&before).Error; err != nil {
			return err
		}
		var old any
		r.ID = 0
		if len(before) > 0 {
			r.ID, old = before[0].ID, before[0]
		}
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &r.OrganisationID, "trauma.return.save", "trauma_return", itoa(r.OrganisationID)+"/"+itoa(int64(r.Year))+"/Q"+itoa(int64(r.Quarter)), old, r)
	})
}

// TraumaReturns lists an organisation's quarterly returns, newest first.
func (s *Store) TraumaReturns(ctx context.Context, sc Scope, orgID int64) ([]TraumaReturn, error) {
	var out []TraumaReturn
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).Order("year DESC, quarter DESC").Find(&out).Error
	return out, err
}
