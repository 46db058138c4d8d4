package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// The provision API: the OK9 scheme, dogs, handlers and deployments, peer
// support returns and van visits, through the same store calls and by the
// same rules as the pages. Everyone in an organisation reads its records
// (national admins name the organisation with ?org=); the routes that
// change them are behind requireProvisionEditor, as the forms are.

// apiFields collects the problems of a JSON body, each naming its field,
// so that one reply lists them all.
type apiFields struct{ problems []string }

func (p *apiFields) bad(format string, args ...any) {
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
}

// date reads a date sent as YYYY-MM-DD (a full RFC 3339 time is taken as
// the day it names); nil, "" and a missing field mean no date.
func (p *apiFields) date(field string, v *string, required bool) *time.Time {
	if v == nil || strings.TrimSpace(*v) == "" {
		if required {
			p.bad("%s is required: a date like 2026-03-01", field)
		}
		return nil
	}
	s := strings.TrimSpace(*v)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339, s)
	}
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		p.bad("%s must be a date like 2026-03-01, not %q", field, s)
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

// count reads a required whole number from 0 to 1,000,000.
func (p *apiFields) count(field string, v *int) int {
	switch {
	case v == nil:
		p.bad("%s is required: a whole number from 0 to 1,000,000", field)
		return 0
	case *v < 0 || *v > 1_000_000:
		p.bad("%s must be a whole number from 0 to 1,000,000", field)
	}
	return *v
}

// yes reads a required true or false.
func (p *apiFields) yes(field string, v *bool) bool {
	if v == nil {
		p.bad("%s is required: true or false", field)
		return false
	}
	return *v
}

func (p *apiFields) err() error {
	if len(p.problems) == 0 {
		return nil
	}
	return apperr.Errorf(apperr.EINVALID, "%s", strings.Join(p.problems, "; "))
}

// queryYear reads ?name= as a year from lo to hi, or def when it is absent.
func queryYear(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	q := strings.TrimSpace(c.Query(name))
	if q == "" {
		return def, nil
	}
	y, err := strconv.Atoi(q)
	if err != nil || y < lo || y > hi {
		return 0, apperr.Errorf(apperr.EINVALID, "%s must be a year from %d to %d, not %q", name, lo, hi, q)
	}
	return y, nil
}

// apiProvision is the provision summary: the year's indicators (each says
// why when it cannot be worked out, for example a missing workforce
// figure), the peer support return and the OK9 readiness checks.
func (s *Server) apiProvision(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	ctx, sc := c.UserContext(), scopeOf(currentUser(c))
	this := s.deps.Store.Now().Year()
	year, err := queryYear(c, "year", this, this-10, this)
	if err != nil {
		return err
	}
	counts, err := s.deps.Store.ProvisionCountsFor(ctx, store.Scope{OrgID: org.ID}, year)
	if err != nil {
		return err
	}
	cnt := counts[org.ID]
	if cnt == nil {
		cnt = &store.ProvisionCounts{OrganisationID: org.ID}
	}
	readiness, err := s.apiReadiness(c, sc, org.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "organisation": org.Name, "year": year,
		"workforce": cnt.Workforce, "indicators": cnt.Indicators(year), "peer_support_return": cnt.Return, "ok9_readiness": readiness})
}

func (s *Server) apiReadiness(c *fiber.Ctx, sc store.Scope, orgID int64) ([]ReadinessCheck, error) {
	ctx := c.UserContext()
	sch, err := s.deps.Store.OK9Scheme(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	dogs, err := s.deps.Store.OK9Dogs(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	handlers, err := s.deps.Store.OK9Handlers(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	return ok9Readiness(s.deps.Store.Now(), sch, dogs, handlers), nil
}

func (s *Server) apiOK9Scheme(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	sch, err := s.deps.Store.OK9Scheme(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	return c.JSON(sch)
}

type apiSchemeInput struct {
	SPOC                     string  `json:"spoc"`
	SLASignedOn              *string `json:"sla_signed_on"`
	SOPReviewedOn            *string `json:"sop_reviewed_on"`
	RiskAssessmentReviewedOn *string `json:"risk_assessment_reviewed_on"`
	InsuranceExpiresOn       *string `json:"insurance_expires_on"`
}

// apiSaveOK9Scheme replaces the scheme record: a date left out is cleared.
func (s *Server) apiSaveOK9Scheme(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	var in apiSchemeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var p apiFields
	sch := store.OK9Scheme{OrganisationID: org.ID, SPOC: in.SPOC,
		SLASignedOn: p.date("sla_signed_on", in.SLASignedOn, false), SOPReviewedOn: p.date("sop_reviewed_on", in.SOPReviewedOn, false),
		RiskAssessmentReviewedOn: p.date("risk_assessment_reviewed_on", in.RiskAssessmentReviewedOn, false),
		InsuranceExpiresOn:       p.date("insurance_expires_on", in.InsuranceExpiresOn, false)}
	if err := p.err(); err != nil {
		return err
	}
	saved, err := s.deps.Store.SaveOK9Scheme(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), sch)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

// orgRecords answers the records of the organisation in view (the caller's
// own, or ?org= for a national admin) as a list under key, never null.
func orgRecords[T any](s *Server, c *fiber.Ctx, key string, load func(context.Context, store.Scope, int64) ([]T, error)) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	items, err := load(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	if items == nil {
		items = []T{}
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, key: items})
}

// savedRecord answers a saved record, with 201 when it is new.
func savedRecord(c *fiber.Ctx, created bool, v any) error {
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(v)
}

func (s *Server) apiListDogs(c *fiber.Ctx) error {
	return orgRecords(s, c, "dogs", s.deps.Store.OK9Dogs)
}

func (s *Server) apiShowDog(c *fiber.Ctx) error {
	_, dog, err := s.dogForm(c)
	if err != nil {
		return err
	}
	return c.JSON(dog)
}

type apiDogInput struct {
	CallName           string  `json:"call_name"`
	Status             string  `json:"status"`
	AssessmentPassedOn *string `json:"assessment_passed_on"`
	NextWelfareCheckOn *string `json:"next_welfare_check_on"`
}

// apiSaveDog adds a dog (POST) or replaces one of the organisation's (PUT).
func (s *Server) apiSaveDog(c *fiber.Ctx) error {
	_, dog, err := s.dogForm(c) // another organisation's dog is not found, whatever the body
	if err != nil {
		return err
	}
	var in apiDogInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var p apiFields
	dog.CallName, dog.Status = strings.TrimSpace(in.CallName), in.Status
	if dog.CallName == "" {
		p.bad("call_name is required")
	}
	if !slices.Contains(store.DogStatuses, dog.Status) {
		p.bad("status must be one of %s", strings.Join(store.DogStatuses, ", "))
	}
	dog.AssessmentPassedOn = p.date("assessment_passed_on", in.AssessmentPassedOn, false)
	dog.NextWelfareCheckOn = p.date("next_welfare_check_on", in.NextWelfareCheckOn, false)
	if dog.Status == store.DogActive && (in.AssessmentPassedOn == nil || strings.TrimSpace(*in.AssessmentPassedOn) == "") {
		p.bad("assessment_passed_on is required for an active dog: the date it passed the OK9 suitability assessment")
	}
	if err := p.err(); err != nil {
		return err
	}
	saved, err := s.deps.Store.SaveOK9Dog(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), dog)
	if err != nil {
		return err
	}
	return savedRecord(c, dog.ID == 0, saved)
}

func (s *Server) apiListHandlers(c *fiber.Ctx) error {
	return orgRecords(s, c, "handlers", s.deps.Store.OK9Handlers)
}

func (s *Server) apiShowHandler(c *fiber.Ctx) error {
	_, h, _, err := s.handlerForm(c)
	if err != nil {
		return err
	}
	return c.JSON(h)
}

type apiHandlerInput struct {
	DisplayName            string  `json:"display_name"`
	PeerSupporterTrainedOn *string `json:"peer_supporter_trained_on"`
	MHFATrainedOn          *string `json:"mhfa_trained_on"`
	DogIDs                 []int64 `json:"dog_ids"`
}

// apiSaveHandler adds a handler (POST) or replaces one (PUT); dog_ids are
// the organisation's dogs the handler works with.
func (s *Server) apiSaveHandler(c *fiber.Ctx) error {
	_, h, _, err := s.handlerForm(c)
	if err != nil {
		return err
	}
	var in apiHandlerInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var p apiFields
	h.DisplayName = in.DisplayName // optional: the store numbers a handler without one
	h.PeerSupporterTrainedOn = p.date("peer_supporter_trained_on", in.PeerSupporterTrainedOn, false)
	h.MHFATrainedOn = p.date("mhfa_trained_on", in.MHFATrainedOn, false)
	h.DogIDs = in.DogIDs
	if err := p.err(); err != nil {
		return err
	}
	saved, err := s.deps.Store.SaveOK9Handler(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), h)
	if err != nil {
		return err
	}
	return savedRecord(c, h.ID == 0, saved)
}

// apiDeployment is a line of an organisation's deployment log.
type apiDeployment struct {
	store.OK9Deployment
	KindLabel string   `json:"kind_label"`
	DogNames  []string `json:"dog_names"`
}

// apiDeployments lists the organisation's log from ?from= to ?to=
// (inclusive; by default the last year and the month ahead): its own
// dogs' deployments and those it hosted through mutual aid.
func (s *Server) apiDeployments(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	now := s.deps.Store.Now()
	var p apiFields
	from, to := now.AddDate(-1, 0, 0), now.AddDate(0, 1, 0)
	if q := c.Query("from"); q != "" {
		if d := p.date("from", &q, false); d != nil {
			from = *d
		}
	}
	if q := c.Query("to"); q != "" {
		if d := p.date("to", &q, false); d != nil {
			to = *d
		}
	}
	if to.Before(from) || to.After(from.AddDate(5, 0, 0)) {
		p.bad("to must be on or after from, and within five years of it")
	}
	if err := p.err(); err != nil {
		return err
	}
	ctx := c.UserContext()
	deps, err := s.deps.Store.OK9Deployments(ctx, scopeOf(currentUser(c)), org.ID, from, to)
	if err != nil {
		return err
	}
	var dogIDs []int64
	for _, d := range deps {
		dogIDs = append(dogIDs, d.DogIDs...)
	}
	names, err := s.deps.Store.DogNames(ctx, dogIDs) // the ids come from this organisation's own log
	if err != nil {
		return err
	}
	out := []apiDeployment{}
	for _, d := range deps {
		row := apiDeployment{OK9Deployment: d, KindLabel: kindLabel(d.Kind), DogNames: []string{}}
		for _, id := range d.DogIDs {
			row.DogNames = append(row.DogNames, names[id])
		}
		out = append(out, row)
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "from": dateValue(&from), "to": dateValue(&to), "deployments": out})
}

type apiDeploymentInput struct {
	DeployedOn     *string `json:"deployed_on"`
	DogIDs         []int64 `json:"dog_ids"`
	HandlerID      int64   `json:"handler_id"`
	Kind           string  `json:"kind"`
	PeopleEngaged  int     `json:"people_engaged"`
	Minutes        int     `json:"minutes"`
	Notes          string  `json:"notes"`
	OverrideReason string  `json:"override_reason"`
}

// apiLogDeployment logs a deployment of the organisation's own dogs. One
// that would break the welfare limits is refused with each breach, unless
// an owner sends override_reason.
func (s *Server) apiLogDeployment(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	var in apiDeploymentInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var p apiFields
	d := store.OK9Deployment{OrganisationID: org.ID, DogIDs: in.DogIDs, HandlerID: in.HandlerID, Kind: in.Kind,
		PeopleEngaged: in.PeopleEngaged, Minutes: in.Minutes, Notes: in.Notes, OverrideReason: strings.TrimSpace(in.OverrideReason)}
	if on := p.date("deployed_on", in.DeployedOn, true); on != nil {
		d.DeployedOn = *on
	}
	if len(d.DogIDs) == 0 {
		p.bad("dog_ids must name at least one of the organisation's active dogs")
	}
	if d.HandlerID == 0 {
		p.bad("handler_id is required")
	}
	var kinds []string
	for _, k := range store.DeploymentKinds {
		if k.Value != "mutual_aid" { // logged when the lender accepts a mutual-aid offer
			kinds = append(kinds, k.Value)
		}
	}
	if !slices.Contains(kinds, d.Kind) {
		p.bad("kind must be one of %s (mutual aid is logged when a mutual-aid offer is accepted)", strings.Join(kinds, ", "))
	}
	if d.Minutes < 1 || d.Minutes > 24*60 {
		p.bad("minutes must be the duration in minutes, from 1 to 1440")
	}
	if d.PeopleEngaged < 0 || d.PeopleEngaged > 100_000 {
		p.bad("people_engaged must be a whole number from 0 to 100,000")
	}
	if err := p.err(); err != nil {
		return err
	}
	u := currentUser(c)
	saved, err := s.deps.Store.LogDeployment(c.UserContext(), s.actor(c), scopeOf(u), d, s.welfarePolicy())
	if err != nil {
		return welfareRefusal(c, err, actorOf(u).CanOverrideWelfare())
	}
	return c.Status(fiber.StatusCreated).JSON(saved)
}

// welfareRefusal answers a deployment the welfare limits refused with 422,
// every breach, and whether the caller could go ahead with a reason. Other
// errors pass through.
func welfareRefusal(c *fiber.Ctx, err error, mayOverride bool) error {
	var we *store.WelfareError
	if !errors.As(err, &we) {
		return err
	}
	msg := "This deployment would break the OK9 welfare limits (" + strings.Join(we.Breaches, "; ") + "). "
	if mayOverride {
		msg += "Change it, or send override_reason to record why it must go ahead."
	} else {
		msg += "Choose another dog or a shorter time: only the organisation's owner can go beyond the limits, with a reason."
	}
	return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
		"error":        fiber.Map{"code": apperr.EINVALID, "message": msg, "request_id": RequestID(c)},
		"breaches":     we.Breaches,
		"may_override": mayOverride,
	})
}

func (s *Server) apiPeerSupportReturns(c *fiber.Ctx) error {
	return orgRecords(s, c, "returns", s.deps.Store.PeerSupportReturns)
}

func returnYear(c *fiber.Ctx) (int, error) {
	y, err := strconv.Atoi(c.Params("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.Errorf(apperr.EINVALID, "The year in the address must be a year like 2026, not %q", c.Params("year"))
	}
	return y, nil
}

func (s *Server) apiPeerSupportReturn(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	year, err := returnYear(c)
	if err != nil {
		return err
	}
	returns, err := s.deps.Store.PeerSupportReturns(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	for _, r := range returns {
		if r.Year == year {
			return c.JSON(r)
		}
	}
	return apperr.Errorf(apperr.ENOTFOUND, "There is no peer support return for %d.", year)
}

type apiReturnInput struct {
	CoordinatorInPost      *bool `json:"coordinator_in_post"`
	CoordinatorFullTime    *bool `json:"coordinator_full_time"`
	OHClinicianTrained     *bool `json:"oh_clinician_trained"`
	ESTIPLead              *bool `json:"estip_lead"`
	SupervisionInPlace     *bool `json:"supervision_in_place"`
	ConfidentialityInPlace *bool `json:"confidentiality_in_place"`
	PeerSupporters         *int  `json:"peer_supporters"`
	PeerChampions          *int  `json:"peer_champions"`
	PeerCoordinators       *int  `json:"peer_coordinators"`
	TrainedTrainers        *int  `json:"trained_trainers"`
	DemobDefusingTrained   *int  `json:"demob_defusing_trained"`
	TRiMPractitioners      *int  `json:"trim_practitioners"`
	Contacts               *int  `json:"contacts"`
}

// apiSavePeerSupportReturn records or replaces the year's return. Every
// field is required, as on the form, so that nothing is presumed.
func (s *Server) apiSavePeerSupportReturn(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	year, err := returnYear(c)
	if err != nil {
		return err
	}
	var in apiReturnInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var p apiFields
	r := store.PeerSupportReturn{OrganisationID: org.ID, Year: year,
		CoordinatorInPost: p.yes("coordinator_in_post", in.CoordinatorInPost), CoordinatorFullTime: p.yes("coordinator_full_time", in.CoordinatorFullTime),
		OHClinicianTrained: p.yes("oh_clinician_trained", in.OHClinicianTrained), ESTIPLead: p.yes("estip_lead", in.ESTIPLead),
		SupervisionInPlace: p.yes("supervision_in_place", in.SupervisionInPlace), ConfidentialityInPlace: p.yes("confidentiality_in_place", in.ConfidentialityInPlace),
		PeerSupporters: p.count("peer_supporters", in.PeerSupporters), PeerChampions: p.count("peer_champions", in.PeerChampions),
		PeerCoordinators: p.count("peer_coordinators", in.PeerCoordinators), TrainedTrainers: p.count("trained_trainers", in.TrainedTrainers),
		DemobDefusingTrained: p.count("demob_defusing_trained", in.DemobDefusingTrained), TRiMPractitioners: p.count("trim_practitioners", in.TRiMPractitioners),
		Contacts: p.count("contacts", in.Contacts)}
	if r.CoordinatorFullTime && !r.CoordinatorInPost {
		p.bad("coordinator_full_time can only be true when coordinator_in_post is true")
	}
	if err := p.err(); err != nil {
		return err
	}
	saved, err := s.deps.Store.SavePeerSupportReturn(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), r)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

// apiVanVisits lists the van visits of a calendar year (?year=, by default
// this one) with their totals.
func (s *Server) apiVanVisits(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	year, err := queryYear(c, "year", s.deps.Store.Now().Year(), 2000, 2100)
	if err != nil {
		return err
	}
	visits, err := s.deps.Store.VanVisits(c.UserContext(), scopeOf(currentUser(c)), org.ID, year)
	if err != nil {
		return err
	}
	var checks, fatigue, referrals int
	for _, v := range visits {
		checks, fatigue, referrals = checks+v.HealthChecks, fatigue+v.FatigueAssessments, referrals+v.Referrals
	}
	totals := fiber.Map{"visits": len(visits), "health_checks": checks, "fatigue_assessments": fatigue, "referrals": referrals}
	if visits == nil {
		visits = []store.VanVisit{}
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "year": year, "visits": visits, "totals": totals})
}

type apiVanInput struct {
	VisitedOn          *string `json:"visited_on"`
	Location           string  `json:"location"`
	HealthChecks       *int    `json:"health_checks"`
	FatigueAssessments *int    `json:"fatigue_assessments"`
	Referrals          *int    `json:"referrals"`
}

func (s *Server) apiAddVanVisit(c *fiber.Ctx) error {
	org, err := s.provisionOrg(c)
	if err != nil {
		return err
	}
	var in apiVanInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var p apiFields
	v := store.VanVisit{OrganisationID: org.ID, Location: strings.TrimSpace(in.Location),
		HealthChecks: p.count("health_checks", in.HealthChecks), FatigueAssessments: p.count("fatigue_assessments", in.FatigueAssessments), Referrals: p.count("referrals", in.Referrals)}
	if on := p.date("visited_on", in.VisitedOn, true); on != nil {
		v.VisitedOn = *on
	}
	if v.Location == "" {
		p.bad("location is required: where the van went")
	}
	if err := p.err(); err != nil {
		return err
	}
	saved, err := s.deps.Store.AddVanVisit(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), v)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(saved)
}
