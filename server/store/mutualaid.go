package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Statuses of a mutual-aid request and of an offer against it.
const (
	AidOpen      = "open"     // waiting for dogs
	AidAgreed    = "agreed"   // enough dogs accepted
	AidClosed    = "closed"   // finished or withdrawn by the requester
	OfferMade    = "offered"  // waiting for the lending organisation
	OfferAccept  = "accepted" // the lender agreed; a deployment is logged
	OfferDecline = "declined" // the lender said no
)

// AidRequest is an organisation's request for OK9 support after a serious
// incident, coordinated by the national team.
type AidRequest struct {
	ID             int64      `json:"id"`
	OrganisationID int64      `json:"organisation_id"` // who asks
	Incident       string     `json:"incident"`
	Location       string     `json:"location"`
	StartsOn       time.Time  `json:"starts_on"`
	EndsOn         time.Time  `json:"ends_on"`
	DogsNeeded     int        `json:"dogs_needed"`
	Status         string     `json:"status"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	Offers         []AidOffer `gorm:"foreignKey:RequestID" json:"offers"`
}

// AidOffer is the national team's offer of one organisation's dogs to a
// request, and that organisation's answer.
type AidOffer struct {
	ID             int64      `json:"id"`
	RequestID      int64      `json:"request_id"`
	OrganisationID int64      `json:"organisation_id"` // who lends
	DogIDs         []int64    `gorm:"serializer:json" json:"dog_ids"`
	Status         string     `json:"status"`
	OfferedBy      string     `json:"offered_by"`
	OfferedAt      time.Time  `json:"offered_at"`
	DecidedBy      string     `json:"decided_by"`
	DecidedAt      *time.Time `json:"decided_at"`
	DeclineReason  string     `json:"decline_reason"`
	// OverrideReason is why a national admin offered the dogs though the
	// lender's scheme was not in good standing.
	OverrideReason string `json:"override_reason"`
}

// TableName is fixed by the migrations.
func (AidRequest) TableName() string { return "ok9_aid_requests" }

// TableName is fixed by the migrations.
func (AidOffer) TableName() string { return "ok9_aid_offers" }

// DogsAccepted counts the dogs lenders have agreed to send.
func (r AidRequest) DogsAccepted() int {
	n := 0
	for _, o := range r.Offers {
		if o.Status == OfferAccept {
			n += len(o.DogIDs)
		}
	}
	return n
}

// seenBy is what the scope may see of the request, and whether it may see
// it at all. The requester and the national team see every offer and every
// answer. A lender sees the request's facts and only its own offers, and
// only while one of them stands: once it has declined every offer made to
// it, it is no longer party to the request.
func (r AidRequest) seenBy(sc Scope) (AidRequest, bool) {
	if sc.covers(r.OrganisationID) {
		return r, true
	}
	var own []AidOffer
	standing := false
	for _, o := range r.Offers {
		if sc.OrgID > 0 && o.OrganisationID == sc.OrgID {
			own = append(own, o)
			standing = standing || o.Status != OfferDecline
		}
	}
	if !standing {
		return AidRequest{}, false
	}
	r.Offers = own
	return r, true
}

const aidEntity = "ok9_aid_request"

// CreateAidRequest records an organisation's request for dogs.
func (s *Store) CreateAidRequest(ctx context.Context, a Actor, sc Scope, r AidRequest) (AidRequest, error) {
	if err := refuseUnless(a.CanEditProvision(), "ask for mutual aid"); err != nil {
		return AidRequest{}, err
	}
	r.Incident, r.Location = strings.TrimSpace(r.Incident), strings.TrimSpace(r.Location)
	r.StartsOn, r.EndsOn = frameworks.Day(r.StartsOn), frameworks.Day(r.EndsOn)
	switch {
	case r.Incident == "" || len(r.Incident) > 2000:
		return r, apperr.Errorf(apperr.EINVALID, "Say what happened, in 2,000 characters or fewer")
	case r.Location == "" || len(r.Location) > 200:
		return r, apperr.Errorf(apperr.EINVALID, "Say where the dogs are needed, in 200 characters or fewer")
	case r.StartsOn.Year() < 2000:
		return r, apperr.Errorf(apperr.EINVALID, "Enter the date the support is needed from")
	case r.EndsOn.Before(r.StartsOn) || r.EndsOn.After(r.StartsOn.AddDate(0, 0, 30)):
		return r, apperr.Errorf(apperr.EINVALID, "The last day must be on or after the first day, and within 30 days of it")
	case r.DogsNeeded < 1 || r.DogsNeeded > 50:
		return r, apperr.Errorf(apperr.EINVALID, "Enter how many dogs are needed, between 1 and 50")
	}
	r.ID, r.Status, r.CreatedAt, r.CreatedBy, r.Offers = 0, AidOpen, s.now(), a.Label, nil
	return r, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ownOrg(tx, sc, r.OrganisationID); err != nil {
			return err
		}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &r.OrganisationID, "ok9.aid.request", aidEntity, itoa(r.ID), nil, r)
	})
}

func preloadOffers(db *gorm.DB) *gorm.DB {
	return db.Preload("Offers", func(db *gorm.DB) *gorm.DB { return db.Order("id") })
}

// AidRequests lists the requests the scope may see, open ones first, each
// with the offers the scope may see (seenBy): every request for national
// admins; for an organisation, its own and those it has an offer on that it
// has not declined.
func (s *Store) AidRequests(ctx context.Context, sc Scope) ([]AidRequest, error) {
	q := preloadOffers(s.db.WithContext(ctx))
	switch {
	case !sc.national() && sc.OrgID < 1:
		return nil, nil
	case !sc.national():
		q = q.Where("organisation_id = ? OR id IN (?)", sc.OrgID,
			s.db.Model(&AidOffer{}).Select("request_id").Where("organisation_id = ? AND status <> ?", sc.OrgID, OfferDecline))
	}
	var found []AidRequest
	err := q.Order("CASE status WHEN 'open' THEN 0 WHEN 'agreed' THEN 1 ELSE 2 END, starts_on DESC, id DESC").Limit(500).Find(&found).Error
	var out []AidRequest
	for _, r := range found {
		if r, ok := r.seenBy(sc); ok {
			out = append(out, r)
		}
	}
	return out, err
}

// AidRequest returns one request with the offers the scope may see, if the
// scope is party to it (seenBy).
func (s *Store) AidRequest(ctx context.Context, sc Scope, id int64) (AidRequest, error) {
	return aidRequest(preloadOffers(s.db.WithContext(ctx)), sc, id)
}

func aidRequest(tx *gorm.DB, sc Scope, id int64) (AidRequest, error) {
	var r AidRequest
	if err := tx.First(&r, id).Error; err != nil {
		return r, notFound(err, "mutual-aid request")
	}
	r, ok := r.seenBy(sc)
	if !ok {
		return AidRequest{}, apperr.Errorf(apperr.ENOTFOUND, "There is no such mutual-aid request.")
	}
	return r, nil
}

// AidTimeline is the steps of a request from the audit trail that the scope
// may see, oldest first: the request's own steps (asked, closed), and the
// steps of each offer the scope sees (offered, accepted, declined). Not
// found if the scope is not party to the request.
func (s *Store) AidTimeline(ctx context.Context, sc Scope, id int64) ([]AuditEvent, error) {
	db := s.db.WithContext(ctx)
	r, err := aidRequest(preloadOffers(db), sc, id)
	if err != nil {
		return nil, err
	}
	visible := map[int64]bool{}
	for _, o := range r.Offers {
		visible[o.ID] = true
	}
	var events []AuditEvent
	if err := db.Where("entity_type = ? AND entity_id = ?", aidEntity, itoa(id)).Order("id").Find(&events).Error; err != nil {
		return nil, err
	}
	var out []AuditEvent
	for _, e := range events {
		var step struct {
			OfferID *int64 `json:"offer_id"`
		}
		if e.After != "" {
			if err := json.Unmarshal([]byte(e.After), &step); err != nil {
				return nil, err
			}
		}
		if step.OfferID == nil || visible[*step.OfferID] {
			out = append(out, e)
		}
	}
	return out, nil
}

// AidCandidate is a dog that could go to a request, with why not if it can't.
type AidCandidate struct {
	Dog          OK9Dog
	Organisation Organisation
	Handlers     int    // handlers of the dog who pass the deployment gates
	Proximity    string // "same region", "same nation" or "elsewhere"
	Blocked      string // why it cannot go; empty when it can
	// Standing is what the lender's scheme or the dog fails of the standing
	// rules: the national team may still offer the dog, with a reason.
	Standing []GateFailure
}

// AidCandidates lists, for national admins, the other organisations' active
// dogs that passed the suitability assessment, nearest first, each checked
// against the standing rules of its scheme, the deployment gates of its
// handlers and the welfare limits for a session a day through the request
// (up to seven days). Dogs already offered to the request are left out.
func (s *Store) AidCandidates(ctx context.Context, requestID int64, policy *frameworks.WelfarePolicy) ([]AidCandidate, error) {
	db := s.db.WithContext(ctx)
	r, err := aidRequest(preloadOffers(db), AllOrganisations(), requestID)
	if err != nil {
		return nil, err
	}
	offered := map[int64]bool{}
	for _, o := range r.Offers {
		if o.Status != OfferDecline {
			for _, id := range o.DogIDs {
				offered[id] = true
			}
		}
	}
	var orgs []Organisation
	if err := db.Find(&orgs).Error; err != nil {
		return nil, err
	}
	byID := map[int64]Organisation{}
	for _, o := range orgs {
		byID[o.ID] = o
	}
	var dogs []OK9Dog
	if err := db.Where("organisation_id <> ? AND status = ? AND assessment_passed_on IS NOT NULL", r.OrganisationID, DogActive).Find(&dogs).Error; err != nil {
		return nil, err
	}
	var handlers []OK9Handler
	if err := db.Where("organisation_id <> ?", r.OrganisationID).Find(&handlers).Error; err != nil {
		return nil, err
	}
	var schemes []OK9Scheme
	if err := db.Find(&schemes).Error; err != nil {
		return nil, err
	}
	schemeOf := map[int64]OK9Scheme{}
	for _, sc := range schemes {
		schemeOf[sc.OrganisationID] = sc
	}
	dogByID := map[int64]OK9Dog{}
	for _, d := range dogs {
		dogByID[d.ID] = d
	}
	trained := map[int64]int{}
	for _, h := range handlers {
		for _, d := range h.DogIDs {
			if dog, ok := dogByID[d]; ok && len(HandlerGates(policy, r.StartsOn, h, dog)) == 0 {
				trained[d]++
			}
		}
	}
	last := r.EndsOn
	if last.After(r.StartsOn.AddDate(0, 0, 6)) {
		last = r.StartsOn.AddDate(0, 0, 6)
	}
	var lenders []int64
	for _, d := range dogs {
		lenders = append(lenders, d.OrganisationID)
	}
	worked, err := workedMinutes(db, uniqueIDs(lenders), r.StartsOn.AddDate(0, 0, -6), last.AddDate(0, 0, 6))
	if err != nil {
		return nil, err
	}
	home := byID[r.OrganisationID]
	var out []AidCandidate
	for _, d := range dogs {
		if offered[d.ID] {
			continue
		}
		c := AidCandidate{Dog: d, Organisation: byID[d.OrganisationID], Handlers: trained[d.ID], Proximity: "elsewhere"}
		switch {
		case c.Organisation.Region != "" && c.Organisation.Region == home.Region:
			c.Proximity = "same region"
		case c.Organisation.Nation == home.Nation:
			c.Proximity = "same nation"
		}
		dog := d
		c.Standing = StandingFailures(policy, r.StartsOn, schemeOf[d.OrganisationID], &dog)
		if c.Handlers == 0 {
			c.Blocked = "no handler who passes the deployment gates (active, training in date, suitability assessment passed with the dog)"
		}
		days := map[time.Time]int{}
		for k, v := range worked[d.ID] {
			days[k] = v
		}
		for day := r.StartsOn; !day.After(last) && c.Blocked == ""; day = day.AddDate(0, 0, 1) {
			if b := policy.Check(days, day, policy.MutualAidSessionMinutes); len(b) > 0 {
				c.Blocked = "welfare limits: " + strings.TrimPrefix(b[0].Reason, "the dog ")
			}
			days[day] += policy.MutualAidSessionMinutes
		}
		out = append(out, c)
	}
	rank := map[string]int{"same region": 0, "same nation": 1, "elsewhere": 2}
	slices.SortStableFunc(out, func(a, b AidCandidate) int {
		if d := rank[a.Proximity] - rank[b.Proximity]; d != 0 {
			return d
		}
		if a.Organisation.Name != b.Organisation.Name {
			return strings.Compare(a.Organisation.Name, b.Organisation.Name)
		}
		return strings.Compare(a.Dog.CallName, b.Dog.CallName)
	})
	return out, nil
}

// OfferAid offers one organisation's dogs to an open request. National
// admins only. The lender's scheme must be in good standing and each dog's
// welfare check in date (policy's standing rules) unless overrideReason
// says why the dogs go all the same; the reason and the rules it overrode
// go in the audit trail.
func (s *Store) OfferAid(ctx context.Context, a Actor, requestID, lenderID int64, dogIDs []int64, overrideReason string, policy *frameworks.WelfarePolicy) (AidOffer, error) {
	if err := refuseUnless(a.CanOfferAid(), "offer mutual aid"); err != nil {
		return AidOffer{}, err
	}
	overrideReason = strings.TrimSpace(overrideReason)
	if len(overrideReason) > 2000 {
		return AidOffer{}, apperr.Errorf(apperr.EINVALID, "Keep the reason to 2,000 characters")
	}
	o := AidOffer{RequestID: requestID, OrganisationID: lenderID, DogIDs: uniqueIDs(dogIDs), Status: OfferMade, OfferedBy: a.Label, OfferedAt: s.now()}
	if len(o.DogIDs) == 0 {
		return o, apperr.Errorf(apperr.EINVALID, "Choose at least one dog to offer")
	}
	return o, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := aidRequest(preloadOffers(tx), AllOrganisations(), requestID)
		if err != nil {
			return err
		}
		if r.Status != AidOpen {
			return apperr.Errorf(apperr.ECONFLICT, "This request is %s: dogs can only be offered to an open request", r.Status)
		}
		if lenderID == r.OrganisationID {
			return apperr.Errorf(apperr.EINVALID, "The requesting organisation cannot lend to itself")
		}
		dogs, err := ownDogs(tx, lenderID, o.DogIDs)
		if err != nil {
			return apperr.Errorf(apperr.EINVALID, "Offer dogs of one organisation at a time")
		}
		var sch []OK9Scheme
		if err := tx.Where("organisation_id = ?", lenderID).Limit(1).Find(&sch).Error; err != nil {
			return err
		}
		if len(sch) == 0 {
			sch = append(sch, OK9Scheme{OrganisationID: lenderID})
		}
		var failures []GateFailure
		for i, d := range dogs {
			if d.Status != DogActive {
				return apperr.Errorf(apperr.EINVALID, "%s is %s: only active dogs can be offered", d.CallName, d.Status)
			}
			for _, f := range StandingFailures(policy, r.StartsOn, sch[0], &dogs[i]) {
				if !slices.Contains(failures, f) {
					failures = append(failures, f)
				}
			}
		}
		overridden, err := gateOutcome(a, failures, overrideReason)
		if err != nil {
			return err
		}
		after := map[string]any{"offer_id": o.ID, "lending_organisation_id": lenderID, "dog_ids": o.DogIDs}
		if len(overridden) > 0 {
			o.OverrideReason = overrideReason
		}
		if err := tx.Create(&o).Error; err != nil {
			return err
		}
		after["offer_id"] = o.ID
		if len(overridden) > 0 {
			after["gates_overridden"], after["gate_override_reason"] = overridden, overrideReason
		}
		return s.audit(tx, a, &r.OrganisationID, "ok9.aid.offer", aidEntity, itoa(r.ID), nil, after)
	})
}

// AidOffer returns one offer made to an organisation in the scope: what
// its owner answers.
func (s *Store) AidOffer(ctx context.Context, sc Scope, id int64) (AidOffer, error) {
	var o AidOffer
	err := sc.where(s.db.WithContext(ctx), "organisation_id").First(&o, id).Error
	return o, notFound(err, "offer")
}

// AidDecision is the lending organisation's answer to an offer. Accepting
// logs a deployment for each day of the request in the lender's log,
// hosted by the requester, each checked against the welfare limits.
type AidDecision struct {
	Accept         bool
	DeclineReason  string
	HandlerID      int64
	Minutes        int    // planned working time on each day
	OverrideReason string // to go beyond the welfare limits (owners)
}

// DecideAidOffer records the lending organisation's answer.
func (s *Store) DecideAidOffer(ctx context.Context, a Actor, sc Scope, offerID int64, dec AidDecision, policy *frameworks.WelfarePolicy) (AidOffer, error) {
	if err := refuseUnless(a.CanDecideAidOffer(), "accept or decline offers of mutual aid"); err != nil {
		return AidOffer{}, err
	}
	var o AidOffer
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sc.where(tx, "organisation_id").First(&o, offerID).Error; err != nil {
			return notFound(err, "offer")
		}
		if o.Status != OfferMade {
			return apperr.Errorf(apperr.ECONFLICT, "This offer was already %s", o.Status)
		}
		r, err := aidRequest(preloadOffers(tx), AllOrganisations(), o.RequestID)
		if err != nil {
			return err
		}
		if r.Status == AidClosed {
			return apperr.Errorf(apperr.ECONFLICT, "The requesting organisation has closed this request")
		}
		now := s.now()
		o.DecidedBy, o.DecidedAt = a.Label, &now
		after := map[string]any{"offer_id": o.ID, "lending_organisation_id": o.OrganisationID}
		if dec.Accept {
			// One deployment a day, so that every day counts against the
			// welfare limits, the later days with the earlier ones.
			var ids []int64
			var welfare []string
			for day := r.StartsOn; !day.After(r.EndsOn); day = day.AddDate(0, 0, 1) {
				d := OK9Deployment{OrganisationID: o.OrganisationID, HostOrganisationID: &r.OrganisationID, AidOfferID: &o.ID,
					DeployedOn: day, Kind: "mutual_aid", HandlerID: dec.HandlerID, DogIDs: o.DogIDs, Minutes: dec.Minutes,
					Notes: "Mutual aid: " + r.Location, OverrideReason: dec.OverrideReason}
				if err := validateDeployment(&d); err != nil {
					return err
				}
				err := s.logDeployment(tx, a, &d, policy)
				var we *WelfareError
				if errors.As(err, &we) {
					welfare = append(welfare, we.Breaches...)
					continue // every day's breaches are reported together
				}
				if err != nil {
					return err
				}
				ids = append(ids, d.ID)
			}
			if len(welfare) > 0 {
				return &WelfareError{Breaches: welfare}
			}
			o.Status, after["deployment_ids"] = OfferAccept, ids
			if r.DogsAccepted()+len(o.DogIDs) >= r.DogsNeeded {
				if err := tx.Model(&AidRequest{}).Where("id = ?", r.ID).Update("status", AidAgreed).Error; err != nil {
					return err
				}
			}
		} else {
			o.DeclineReason = strings.TrimSpace(dec.DeclineReason)
			if o.DeclineReason == "" || len(o.DeclineReason) > 1000 {
				return apperr.Errorf(apperr.EINVALID, "Say why you cannot lend the dogs, in 1,000 characters or fewer")
			}
			o.Status, after["reason"] = OfferDecline, o.DeclineReason
		}
		if err := tx.Save(&o).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &o.OrganisationID, "ok9.aid."+o.Status, aidEntity, itoa(r.ID), nil, after)
	})
	return o, err
}

// CloseAidRequest closes a request: the requester when support is over or
// no longer needed, or a national admin.
func (s *Store) CloseAidRequest(ctx context.Context, a Actor, sc Scope, id int64) error {
	if err := refuseUnless(a.CanCloseAidRequest(), "close this request"); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r AidRequest
		if err := sc.where(tx, "organisation_id").First(&r, id).Error; err != nil {
			return notFound(err, "mutual-aid request")
		}
		if r.Status == AidClosed {
			return apperr.Errorf(apperr.ECONFLICT, "This request is already closed")
		}
		if err := tx.Model(&r).Update("status", AidClosed).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &r.OrganisationID, "ok9.aid.close", aidEntity, itoa(r.ID), map[string]any{"status": r.Status}, map[string]any{"status": AidClosed})
	})
}
