package input

import (
	"slices"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// maxVanDays is the longest a van stays for one request.
const maxVanDays = 30

// VanRequest is an organisation's request for one of the NPWS's wellbeing
// vans.
type VanRequest struct {
	Kind               string  `json:"kind" form:"kind"`
	StartsOn           *string `json:"starts_on" form:"starts_on"`
	EndsOn             *string `json:"ends_on" form:"ends_on"`
	Place              string  `json:"place" form:"place"`
	ExpectedAttendance *int    `json:"expected_attendance" form:"attendance"`
	Contact            string  `json:"contact" form:"contact"`
}

func (in VanRequest) Validate() Problems {
	var ps Problems
	if !slices.ContainsFunc(store.VanKinds, func(k store.VanKind) bool { return k.Key == in.Kind }) {
		keys := make([]string, len(store.VanKinds))
		for i, k := range store.VanKinds {
			keys[i] = k.Key
		}
		ps.add("kind", "Choose whether the van is for a major event, a critical incident or an operational hotspot", "kind must be one of "+strings.Join(keys, ", "))
	}
	ps.date("starts_on", "the first day the van is needed", in.StartsOn, true)
	ps.date("ends_on", "the last day the van is needed", in.EndsOn, true)
	if from, to := day(in.StartsOn), day(in.EndsOn); from != nil && to != nil && (to.Before(*from) || to.After(from.AddDate(0, 0, maxVanDays))) {
		ps.add("ends_on", "The last day must be on or after the first day, and within 30 days of it", "ends_on must be on or after starts_on, and within 30 days of it")
	}
	ps.text("place", "Say where the van is needed, in 200 characters or fewer", "place is required: where the van is needed, in 200 characters or fewer", in.Place, true, MaxPlace)
	ps.count("expected_attendance", "Expected attendance", in.ExpectedAttendance)
	ps.text("contact", "Say who the van team should contact, in 200 characters or fewer", "contact is required: who the van team should contact, in 200 characters or fewer", in.Contact, true, MaxPlace)
	return ps
}

// Apply puts a valid request on the record.
func (in VanRequest) Apply(r *store.VanRequest) {
	r.Kind, r.Place, r.Contact, r.ExpectedAttendance = in.Kind, trimmed(in.Place), trimmed(in.Contact), *in.ExpectedAttendance
	r.StartsOn, r.EndsOn = *day(in.StartsOn), *day(in.EndsOn)
}

// VanBooking is the national team's choice of van for a request.
type VanBooking struct {
	VanID int64 `json:"van_id" form:"van"`
}

func (in VanBooking) Validate() Problems {
	var ps Problems
	if in.VanID < 1 {
		ps.add("van_id", "Choose a van", "van_id is required: the id of a van in the fleet")
	}
	return ps
}

// VanDecline is why the national team cannot send a van.
type VanDecline struct {
	Reason string `json:"reason" form:"reason"`
}

func (in VanDecline) Validate() Problems {
	var ps Problems
	ps.text("reason", "Say why no van can go, in 1,000 characters or fewer", "reason is required: why no van can go, in 1,000 characters or fewer", in.Reason, true, MaxReason)
	return ps
}

// VanDelivery is what a van visit delivered: counts of contacts, and the
// partner organisations on board by name.
type VanDelivery struct {
	HealthChecks       *int   `json:"health_checks" form:"health_checks"`
	FatigueAssessments *int   `json:"fatigue_assessments" form:"fatigue"`
	TraumaSupport      *int   `json:"trauma_support" form:"trauma"`
	WellbeingAdvice    *int   `json:"wellbeing_advice" form:"advice"`
	Referrals          *int   `json:"referrals" form:"referrals"`
	Partners           string `json:"partners" form:"partners"`
}

func (in VanDelivery) Validate() Problems {
	var ps Problems
	ps.count("health_checks", "Physical health checks", in.HealthChecks)
	ps.count("fatigue_assessments", "Fatigue assessments", in.FatigueAssessments)
	ps.count("trauma_support", "Trauma support conversations", in.TraumaSupport)
	ps.count("wellbeing_advice", "Wellbeing advice conversations", in.WellbeingAdvice)
	ps.count("referrals", "Referrals", in.Referrals)
	ps.text("partners", "List the partners on board in 500 characters or fewer", "partners must be 500 characters or fewer", in.Partners, false, 500)
	return ps
}

// Delivery is the store's form of a valid input.
func (in VanDelivery) Delivery() store.VanDelivery {
	return store.VanDelivery{HealthChecks: *in.HealthChecks, FatigueAssessments: *in.FatigueAssessments, TraumaSupport: *in.TraumaSupport,
		WellbeingAdvice: *in.WellbeingAdvice, Referrals: *in.Referrals, Partners: trimmed(in.Partners)}
}

// Van is a van of the fleet.
type Van struct {
	Name         string `json:"name" form:"name"`
	Registration string `json:"registration" form:"registration"`
	InService    *bool  `json:"in_service" form:"in_service"`
}

func (in Van) Validate() Problems {
	var ps Problems
	ps.text("name", "Enter the van's name in 60 characters or fewer", "name is required, in 60 characters or fewer", in.Name, true, MaxName)
	ps.text("registration", "Enter the registration in 20 characters or fewer", "registration must be 20 characters or fewer", in.Registration, false, 20)
	ps.yesNo("in_service", "is the van in service?", in.InService)
	return ps
}

// Record is the store's form of a valid input.
func (in Van) Record() store.Van {
	return store.Van{Name: trimmed(in.Name), Registration: trimmed(in.Registration), InService: *in.InService}
}
