package input

import (
	"slices"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// day is a date already checked by Validate.
func day(v *string) *time.Time {
	d, _ := Day(v)
	return d
}

// OK9Scheme is the scheme's single point of contact and dates. A date left
// out is cleared.
type OK9Scheme struct {
	SPOC                     string  `json:"spoc" form:"spoc"`
	SLASignedOn              *string `json:"sla_signed_on" form:"sla"`
	SOPReviewedOn            *string `json:"sop_reviewed_on" form:"sop"`
	RiskAssessmentReviewedOn *string `json:"risk_assessment_reviewed_on" form:"risk"`
	InsuranceExpiresOn       *string `json:"insurance_expires_on" form:"insurance"`
	SPOCEmail                string  `json:"spoc_email" form:"spoc_email"`
	WelfareScheme            string  `json:"welfare_scheme" form:"welfare_scheme"`
	WelfareSchemeExpiresOn   *string `json:"welfare_scheme_expires_on" form:"welfare_expires"`
}

func (in OK9Scheme) Validate() Problems {
	var ps Problems
	ps.text("spoc", "Enter the single point of contact in 200 characters or fewer", "spoc must be 200 characters or fewer", in.SPOC, false, MaxPlace)
	ps.date("sla_signed_on", "the date the service level agreement was signed", in.SLASignedOn, false)
	ps.date("sop_reviewed_on", "the date the standing operating procedure was reviewed", in.SOPReviewedOn, false)
	ps.date("risk_assessment_reviewed_on", "the date the risk assessment was reviewed", in.RiskAssessmentReviewedOn, false)
	ps.date("insurance_expires_on", "the insurance expiry date", in.InsuranceExpiresOn, false)
	if e := trimmed(in.SPOCEmail); e != "" && (len(e) > 254 || !strings.Contains(e, "@") || strings.ContainsAny(e, " <>")) {
		ps.add("spoc_email", "Enter the contact's work email address, like name@example.police.uk", "spoc_email must be an email address")
	}
	ps.text("welfare_scheme", "Enter the animal welfare scheme in 200 characters or fewer", "welfare_scheme must be 200 characters or fewer", in.WelfareScheme, false, MaxPlace)
	ps.date("welfare_scheme_expires_on", "the date the welfare scheme membership expires", in.WelfareSchemeExpiresOn, false)
	return ps
}

// Apply puts a valid input on the organisation's record.
func (in OK9Scheme) Apply(sch *store.OK9Scheme) {
	sch.SPOC, sch.SLASignedOn, sch.SOPReviewedOn = trimmed(in.SPOC), day(in.SLASignedOn), day(in.SOPReviewedOn)
	sch.RiskAssessmentReviewedOn, sch.InsuranceExpiresOn = day(in.RiskAssessmentReviewedOn), day(in.InsuranceExpiresOn)
	sch.SPOCEmail, sch.WelfareScheme, sch.WelfareSchemeExpiresOn = trimmed(in.SPOCEmail), trimmed(in.WelfareScheme), day(in.WelfareSchemeExpiresOn)
}

// OK9Dog is a wellbeing dog.
type OK9Dog struct {
	CallName           string  `json:"call_name" form:"call_name"`
	Status             string  `json:"status" form:"status"`
	AssessmentPassedOn *string `json:"assessment_passed_on" form:"assessed"`
	NextWelfareCheckOn *string `json:"next_welfare_check_on" form:"welfare_check"`
}

func (in OK9Dog) Validate() Problems {
	var ps Problems
	ps.text("call_name", "Enter the dog's call name in 60 characters or fewer", "call_name is required, in 60 characters or fewer", in.CallName, true, MaxName)
	if !slices.Contains(store.DogStatuses, in.Status) {
		ps.add("status", "Choose whether the dog is in training, active or retired", "status must be one of "+strings.Join(store.DogStatuses, ", "))
	}
	ps.date("assessment_passed_on", "the date the dog passed the suitability assessment", in.AssessmentPassedOn, false)
	ps.date("next_welfare_check_on", "the date of the next welfare check", in.NextWelfareCheckOn, false)
	if in.Status == store.DogActive && blank(in.AssessmentPassedOn) {
		ps.add("assessment_passed_on", "An active dog must have passed the OK9 suitability assessment: enter the date it passed",
			"assessment_passed_on is required for an active dog: the date it passed the OK9 suitability assessment")
	}
	return ps
}

func (in OK9Dog) Apply(d *store.OK9Dog) {
	d.CallName, d.Status = trimmed(in.CallName), in.Status
	d.AssessmentPassedOn, d.NextWelfareCheckOn = day(in.AssessmentPassedOn), day(in.NextWelfareCheckOn)
}

// OK9Handler is a dog handler; the name is optional, as the store numbers
// a handler without one.
type OK9Handler struct {
	DisplayName            string  `json:"display_name" form:"display_name"`
	PeerSupporterTrainedOn *string `json:"peer_supporter_trained_on" form:"peer_trained"`
	MHFATrainedOn          *string `json:"mhfa_trained_on" form:"mhfa_trained"`
	RefresherTrainedOn     *string `json:"refresher_trained_on" form:"refresher_trained"`
	Status                 string  `json:"status" form:"status"` // active (the default) or inactive
	SuitabilityAssessedOn  *string `json:"suitability_assessed_on" form:"suitability_on"`
	SuitabilityOutcome     string  `json:"suitability_outcome" form:"suitability_outcome"`
	SupervisorAgreedOn     *string `json:"supervisor_agreed_on" form:"supervisor_on"`
	ProtectedHoursMonth    int     `json:"protected_hours_month" form:"protected_hours"`
	DogIDs                 []int64 `json:"dog_ids" form:"dogs"` // the organisation's dogs the handler works with
}

func (in OK9Handler) Validate() Problems {
	var ps Problems
	ps.text("display_name", "Keep the handler's display name or collar number to 60 characters or fewer", "display_name must be 60 characters or fewer", in.DisplayName, false, MaxName)
	ps.date("peer_supporter_trained_on", "the date the handler trained as a peer supporter", in.PeerSupporterTrainedOn, false)
	ps.date("mhfa_trained_on", "the date the handler trained in mental health first aid", in.MHFATrainedOn, false)
	ps.date("refresher_trained_on", "the date of the handler's latest refresher training", in.RefresherTrainedOn, false)
	if !blank(in.RefresherTrainedOn) && blank(in.PeerSupporterTrainedOn) && blank(in.MHFATrainedOn) {
		ps.add("refresher_trained_on", "Enter the date of the first peer support or mental health first aid training before a refresher",
			"refresher_trained_on needs peer_supporter_trained_on or mhfa_trained_on")
	}
	if in.Status != "" && !slices.Contains(store.HandlerStatuses, in.Status) {
		ps.add("status", "Choose whether the handler is active or inactive", "status must be one of "+strings.Join(store.HandlerStatuses, ", "))
	}
	ps.date("suitability_assessed_on", "the date of the suitability assessment", in.SuitabilityAssessedOn, false)
	switch {
	case in.SuitabilityOutcome != "" && !slices.Contains(store.SuitabilityOutcomes, in.SuitabilityOutcome):
		ps.add("suitability_outcome", "Choose whether the handler passed the suitability assessment", "suitability_outcome must be one of "+strings.Join(store.SuitabilityOutcomes, ", "))
	case in.SuitabilityOutcome == "" && !blank(in.SuitabilityAssessedOn):
		ps.add("suitability_outcome", "Choose whether the handler passed the suitability assessment", "suitability_outcome is required with suitability_assessed_on")
	case in.SuitabilityOutcome != "" && blank(in.SuitabilityAssessedOn):
		ps.add("suitability_assessed_on", "Enter the date of the suitability assessment", "suitability_assessed_on is required with suitability_outcome")
	}
	ps.date("supervisor_agreed_on", "the date the supervisor agreed", in.SupervisorAgreedOn, false)
	if in.ProtectedHoursMonth < 0 || in.ProtectedHoursMonth > 200 {
		ps.add("protected_hours_month", "Enter the protected hours a month for the role, from 0 to 200", "protected_hours_month must be a whole number from 0 to 200")
	}
	return ps
}

func (in OK9Handler) Apply(h *store.OK9Handler) {
	h.DisplayName, h.DogIDs = trimmed(in.DisplayName), in.DogIDs
	h.PeerSupporterTrainedOn, h.MHFATrainedOn = day(in.PeerSupporterTrainedOn), day(in.MHFATrainedOn)
	h.RefresherTrainedOn, h.Status = day(in.RefresherTrainedOn), in.Status
	h.SuitabilityAssessedOn, h.SuitabilityOutcome = day(in.SuitabilityAssessedOn), in.SuitabilityOutcome
	h.SupervisorAgreedOn, h.ProtectedHoursMonth = day(in.SupervisorAgreedOn), in.ProtectedHoursMonth
}

// OK9Deployment is a deployment of the organisation's own dogs. Mutual aid
// is not one: it is logged when the lender accepts an offer.
type OK9Deployment struct {
	DeployedOn     *string `json:"deployed_on" form:"deployed_on"`
	DogIDs         []int64 `json:"dog_ids" form:"dogs"`
	HandlerID      int64   `json:"handler_id" form:"handler"`
	Kind           string  `json:"kind" form:"kind"`
	PeopleEngaged  int     `json:"people_engaged" form:"people"`
	Minutes        int     `json:"minutes" form:"minutes"`
	Notes          string  `json:"notes" form:"notes"`
	OverrideReason string  `json:"override_reason" form:"override_reason"` // owners only, to go beyond the welfare limits
	// GateOverrideReason lets a national admin deploy a handler who fails a gate.
	GateOverrideReason string `json:"gate_override_reason" form:"gate_override_reason"`
}

// loggedKinds are the kinds of deployment logged by hand.
var loggedKinds = func() []string {
	var out []string
	for _, k := range store.DeploymentKinds {
		if k.Value != "mutual_aid" {
			out = append(out, k.Value)
		}
	}
	return out
}()

func (in OK9Deployment) Validate() Problems {
	var ps Problems
	ps.date("deployed_on", "the date of the deployment", in.DeployedOn, true)
	if len(in.DogIDs) == 0 {
		ps.add("dog_ids", "Choose at least one dog", "dog_ids must name at least one of the organisation's active dogs")
	}
	if in.HandlerID == 0 {
		ps.add("handler_id", "Choose the handler", "handler_id is required")
	}
	if !slices.Contains(loggedKinds, in.Kind) {
		message := "Choose the type of deployment"
		if in.Kind == "mutual_aid" {
			message = "Mutual-aid deployments are logged when the lending organisation accepts an offer: choose another type"
		}
		ps.add("kind", message, "kind must be one of "+strings.Join(loggedKinds, ", ")+" (mutual aid is logged when a mutual-aid offer is accepted)")
	}
	if in.Minutes < 1 || in.Minutes > MaxMinutes {
		ps.add("minutes", "Enter how long the deployment lasted, in minutes, between 1 and 1440", "minutes must be the duration in minutes, from 1 to 1440")
	}
	if in.PeopleEngaged < 0 || in.PeopleEngaged > MaxEngaged {
		ps.add("people_engaged", "Enter how many people the dogs engaged with, from 0 to 100,000", "people_engaged must be a whole number from 0 to 100,000")
	}
	ps.text("notes", "Keep notes to 2,000 characters", "notes must be 2,000 characters or fewer", in.Notes, false, MaxNarrative)
	ps.text("override_reason", "Keep the reason to 2,000 characters", "override_reason must be 2,000 characters or fewer", in.OverrideReason, false, MaxNarrative)
	ps.text("gate_override_reason", "Keep the reason to 2,000 characters", "gate_override_reason must be 2,000 characters or fewer", in.GateOverrideReason, false, MaxNarrative)
	return ps
}

func (in OK9Deployment) Apply(d *store.OK9Deployment) {
	if on := day(in.DeployedOn); on != nil {
		d.DeployedOn = *on
	}
	d.DogIDs, d.HandlerID, d.Kind, d.PeopleEngaged, d.Minutes = in.DogIDs, in.HandlerID, in.Kind, in.PeopleEngaged, in.Minutes
	d.Notes, d.OverrideReason, d.GateOverrideReason = trimmed(in.Notes), trimmed(in.OverrideReason), trimmed(in.GateOverrideReason)
}

// PeerSupportReturn is an organisation's peer support return for a year.
// Every answer is required, so that nothing is presumed; the API takes the
// year from the address.
type PeerSupportReturn struct {
	Year                   int   `json:"-" form:"-"` // from the address, never the body
	CoordinatorInPost      *bool `json:"coordinator_in_post" form:"coordinator"`
	CoordinatorFullTime    *bool `json:"coordinator_full_time" form:"coordinator_full_time"`
	OHClinicianTrained     *bool `json:"oh_clinician_trained" form:"oh_clinician"`
	ESTIPLead              *bool `json:"estip_lead" form:"estip_lead"`
	SupervisionInPlace     *bool `json:"supervision_in_place" form:"supervision"`
	ConfidentialityInPlace *bool `json:"confidentiality_in_place" form:"confidentiality"`
	PeerSupporters         *int  `json:"peer_supporters" form:"supporters"`
	PeerChampions          *int  `json:"peer_champions" form:"champions"`
	PeerCoordinators       *int  `json:"peer_coordinators" form:"coordinators"`
	TrainedTrainers        *int  `json:"trained_trainers" form:"trainers"`
	DemobDefusingTrained   *int  `json:"demob_defusing_trained" form:"demob"`
	TRiMPractitioners      *int  `json:"trim_practitioners" form:"trim"`
	Contacts               *int  `json:"contacts" form:"contacts"`
	// Training and supervision: optional, left out (or blank) is "not
	// recorded". The form uses the API's names, so the store's refusals
	// name the same field in both.
	WalkTheTalkAttended  *int `json:"walk_the_talk_attended,omitempty" form:"walk_the_talk_attended,omitempty"`
	TrainersDelivering   *int `json:"trainers_delivering,omitempty" form:"trainers_delivering,omitempty"`
	DemobCoursePlaces    *int `json:"demob_course_places,omitempty" form:"demob_course_places,omitempty"`
	SupervisionSessions  *int `json:"supervision_sessions,omitempty" form:"supervision_sessions,omitempty"`
	SupportersSupervised *int `json:"supporters_supervised,omitempty" form:"supporters_supervised,omitempty"`
}

func (in PeerSupportReturn) training() []*int {
	return []*int{in.WalkTheTalkAttended, in.TrainersDelivering, in.DemobCoursePlaces, in.SupervisionSessions, in.SupportersSupervised}
}

func (in PeerSupportReturn) Validate() Problems {
	var ps Problems
	if in.Year < firstYear || in.Year > lastYear {
		ps.add("year", "Enter the year of the return, like 2026", "year must be a year like 2026")
	}
	for _, q := range []struct {
		field, question string
		v               *bool
	}{
		{"coordinator_in_post", "Is a peer support coordinator in post?", in.CoordinatorInPost},
		{"oh_clinician_trained", "Is an occupational health clinician trained in the peer support model?", in.OHClinicianTrained},
		{"estip_lead", "Is an ESTIP lead in post?", in.ESTIPLead},
		{"supervision_in_place", "Do peer supporters have supervision?", in.SupervisionInPlace},
		{"confidentiality_in_place", "Are confidentiality and disclosure arrangements in place?", in.ConfidentialityInPlace},
	} {
		ps.yesNo(q.field, q.question, q.v)
	}
	// Full time is asked only of a coordinator in post.
	if in.CoordinatorInPost != nil && *in.CoordinatorInPost {
		ps.yesNo("coordinator_full_time", "Is the coordinator full time?", in.CoordinatorFullTime)
	}
	if in.CoordinatorFullTime != nil && *in.CoordinatorFullTime && in.CoordinatorInPost != nil && !*in.CoordinatorInPost {
		ps.add("coordinator_full_time", "A full-time coordinator must be in post: say a coordinator is in post, or that the post is not full time",
			"coordinator_full_time can only be true when coordinator_in_post is true")
	}
	ps.count("peer_supporters", "Peer supporters", in.PeerSupporters)
	ps.count("peer_champions", "Peer champions", in.PeerChampions)
	ps.count("peer_coordinators", "Peer coordinators", in.PeerCoordinators)
	ps.count("trained_trainers", "Trained trainers", in.TrainedTrainers)
	ps.count("demob_defusing_trained", "People trained in demobilising and defusing", in.DemobDefusingTrained)
	ps.count("trim_practitioners", "TRiM practitioners", in.TRiMPractitioners)
	ps.count("contacts", "Peer support contacts", in.Contacts)
	for i, f := range store.PeerTrainingFields { // the same order as training()
		if v := in.training()[i]; v != nil {
			ps.count(f.Name, f.Label, v)
		}
	}
	return ps
}

func (in PeerSupportReturn) Apply(r *store.PeerSupportReturn) {
	yes := func(v *bool) bool { return v != nil && *v }
	n := func(v *int) int {
		if v == nil {
			return 0
		}
		return *v
	}
	r.Year = in.Year
	r.CoordinatorInPost, r.CoordinatorFullTime, r.OHClinicianTrained = yes(in.CoordinatorInPost), yes(in.CoordinatorFullTime), yes(in.OHClinicianTrained)
	r.ESTIPLead, r.SupervisionInPlace, r.ConfidentialityInPlace = yes(in.ESTIPLead), yes(in.SupervisionInPlace), yes(in.ConfidentialityInPlace)
	r.PeerSupporters, r.PeerChampions, r.PeerCoordinators = n(in.PeerSupporters), n(in.PeerChampions), n(in.PeerCoordinators)
	r.TrainedTrainers, r.DemobDefusingTrained, r.TRiMPractitioners, r.Contacts = n(in.TrainedTrainers), n(in.DemobDefusingTrained), n(in.TRiMPractitioners), n(in.Contacts)
	r.WalkTheTalkAttended, r.TrainersDelivering, r.DemobCoursePlaces = in.WalkTheTalkAttended, in.TrainersDelivering, in.DemobCoursePlaces
	r.SupervisionSessions, r.SupportersSupervised = in.SupervisionSessions, in.SupportersSupervised
}

// DeploymentPeriod reads the span of a deployment log, from and to
// inclusive, each a date or blank for its default: by default the last
// year and the month ahead of now.
func DeploymentPeriod(from, to string, now time.Time) (time.Time, time.Time, error) {
	var ps Problems
	ps.date("from", "the first day", &from, false)
	ps.date("to", "the last day", &to, false)
	start, end := now.AddDate(-1, 0, 0), now.AddDate(0, 1, 0)
	if d := day(&from); d != nil {
		start = *d
	}
	if d := day(&to); d != nil {
		end = *d
	}
	if end.Before(start) || end.After(start.AddDate(5, 0, 0)) {
		ps.add("to", "The last day must be on or after the first, and within five years of it", "to must be on or after from, and within five years of it")
	}
	return start, end, ps.Err()
}

// TraumaReturn is an organisation's quarterly TRiM and trauma support
// return: every count is required, so that nothing is presumed. The API
// takes the year and quarter from the address.
type TraumaReturn struct {
	Year                 int  `json:"-" form:"year"`
	Quarter              int  `json:"-" form:"quarter"`
	Incidents            *int `json:"incidents" form:"incidents"`
	PlanningMeetings     *int `json:"planning_meetings" form:"planning_meetings"`
	RiskAssessments      *int `json:"risk_assessments" form:"risk_assessments"`
	Reviews              *int `json:"reviews" form:"reviews"`
	Defusings            *int `json:"defusings" form:"defusings"`
	Demobilisations      *int `json:"demobilisations" form:"demobilisations"`
	ESTIMs               *int `json:"estims" form:"estims"`
	ReferralsOH          *int `json:"referrals_oh" form:"referrals_oh"`
	ReferralsPsych       *int `json:"referrals_psych" form:"referrals_psych"`
	PractitionersTrained *int `json:"practitioners_trained" form:"practitioners_trained"`
	TeamLeadersTrained   *int `json:"team_leaders_trained" form:"team_leaders_trained"`
	ManagersTrained      *int `json:"managers_trained" form:"managers_trained"`
}

func (in TraumaReturn) counts() []struct {
	field string
	v     *int
} {
	return []struct {
		field string
		v     *int
	}{{"incidents", in.Incidents}, {"planning_meetings", in.PlanningMeetings}, {"risk_assessments", in.RiskAssessments}, {"reviews", in.Reviews},
		{"defusings", in.Defusings}, {"demobilisations", in.Demobilisations}, {"estims", in.ESTIMs}, {"referrals_oh", in.ReferralsOH},
		{"referrals_psych", in.ReferralsPsych}, {"practitioners_trained", in.PractitionersTrained}, {"team_leaders_trained", in.TeamLeadersTrained},
		{"managers_trained", in.ManagersTrained}}
}

func (in TraumaReturn) Validate() Problems {
	var ps Problems
	if in.Year < firstYear || in.Year > lastYear {
		ps.add("year", "Enter the year of the return, like 2026", "year must be a year like 2026")
	}
	if in.Quarter < 1 || in.Quarter > 4 {
		ps.add("quarter", "Choose the quarter of the return", "quarter must be 1, 2, 3 or 4")
	}
	labels := map[string]string{}
	for _, f := range store.TraumaFields {
		labels[f.Name] = f.Label
	}
	for _, c := range in.counts() {
		ps.count(c.field, labels[c.field], c.v)
	}
	return ps
}

func (in TraumaReturn) Apply(r *store.TraumaReturn) {
	r.Year, r.Quarter = in.Year, in.Quarter
	counts := in.counts()
	for i, f := range store.TraumaFields { // the same order
		if v := counts[i].v; v != nil && counts[i].field == f.Name {
			*f.Value(r) = *v
		}
	}
}
