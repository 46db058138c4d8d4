package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var policy = &frameworks.WelfarePolicy{MaxMinutesPerDay: 180, MaxMinutesPerWeek: 600, MinRestDaysPerWeek: 2, MutualAidSessionMinutes: 120,
	Standing: frameworks.StandingRules{SOPReviewMonths: 12, RiskAssessmentReviewMonths: 12, ExpiryWarningDays: 60},
	Handlers: frameworks.HandlerRules{TrainingValidMonths: 36, SuitabilityValidMonths: 36}}

func day(d int) *time.Time {
	t := time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// dogAndHandler gives an organisation a scheme in good standing and an
// active, assessed dog with a handler who passes every deployment gate.
func dogAndHandler(t *testing.T, s *store.Store, org store.Organisation, name string) (store.OK9Dog, store.OK9Handler) {
	t.Helper()
	ctx, sc := context.Background(), store.Scope{OrgID: org.ID}
	if _, err := s.SaveOK9Scheme(ctx, actor, sc, goodScheme(org.ID)); err != nil {
		t.Fatal(err)
	}
	dog, err := s.SaveOK9Dog(ctx, actor, sc, store.OK9Dog{OrganisationID: org.ID, CallName: name, Status: store.DogActive, AssessmentPassedOn: day(1), NextWelfareCheckOn: day(28)})
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.SaveOK9Handler(ctx, actor, sc, store.OK9Handler{OrganisationID: org.ID, DisplayName: "PC " + name, PeerSupporterTrainedOn: day(2),
		SuitabilityAssessedOn: day(2), SuitabilityOutcome: store.SuitabilityPassed, DogIDs: []int64{dog.ID}})
	if err != nil {
		t.Fatal(err)
	}
	return dog, h
}

// goodScheme is a scheme in good standing through November 2026.
func goodScheme(orgID int64) store.OK9Scheme {
	nextYear := time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC)
	return store.OK9Scheme{OrganisationID: orgID, SPOC: "Insp Jones", SPOCEmail: "ok9@example.police.uk", SLASignedOn: day(1), SOPReviewedOn: day(1),
		RiskAssessmentReviewedOn: day(1), InsuranceExpiresOn: &nextYear, WelfareScheme: "Blue Cross working dogs", WelfareSchemeExpiresOn: &nextYear}
}

func TestOK9RecordsAndTenancy(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		scA, scB := store.Scope{OrgID: a.ID}, store.Scope{OrgID: b.ID}
		if _, err := s.SaveOK9Dog(ctx, actor, scA, store.OK9Dog{OrganisationID: a.ID, CallName: "Bramble", Status: store.DogActive}); apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "suitability assessment") {
			t.Errorf("active dog without an assessment: %v", err)
		}
		dog, h := dogAndHandler(t, s, a, "Bramble")
		if _, err := s.SaveOK9Dog(ctx, actor, scA, store.OK9Dog{OrganisationID: a.ID, CallName: "Bramble", Status: store.DogTraining}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("second dog of the same name: %v", err)
		}
		// B can neither see nor change A's dogs, nor give its handlers A's dogs.
		if dogs, _ := s.OK9Dogs(ctx, scB, a.ID); len(dogs) != 0 {
			t.Errorf("B sees A's dogs: %+v", dogs)
		}
		if _, err := s.SaveOK9Dog(ctx, actor, scB, store.OK9Dog{ID: dog.ID, OrganisationID: a.ID, CallName: "Stolen", Status: store.DogRetired}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B changed A's dog: %v", err)
		}
		if _, err := s.SaveOK9Dog(ctx, actor, scB, store.OK9Dog{ID: dog.ID, OrganisationID: b.ID, CallName: "Stolen", Status: store.DogRetired}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B changed A's dog through its own organisation: %v", err)
		}
		if _, err := s.SaveOK9Handler(ctx, actor, scB, store.OK9Handler{OrganisationID: b.ID, DisplayName: "PC B", DogIDs: []int64{dog.ID}}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("B's handler given A's dog: %v", err)
		}
		if _, err := s.LogDeployment(ctx, actor, scB, store.OK9Deployment{OrganisationID: b.ID, DeployedOn: *day(10), Kind: "team_visit", HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: 60}, policy); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("B deployed A's dog: %v", err)
		}
		sch, err := s.SaveOK9Scheme(ctx, actor, scA, store.OK9Scheme{OrganisationID: a.ID, SPOC: "Insp Jones", SLASignedOn: day(3)})
		if err != nil || sch.SPOC != "Insp Jones" {
			t.Fatalf("scheme = %+v %v", sch, err)
		}
		if got, _ := s.OK9Scheme(ctx, scA, a.ID); got.SPOC != "Insp Jones" || got.SLASignedOn == nil || !got.SLASignedOn.Equal(*day(3)) {
			t.Errorf("scheme read back = %+v", got)
		}
		if got, _ := s.OK9Scheme(ctx, scB, a.ID); got.SPOC != "" {
			t.Errorf("B read A's scheme: %+v", got)
		}
	})
}

func TestWelfareLimits(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		sc := store.Scope{OrgID: a.ID}
		dog, h := dogAndHandler(t, s, a, "Bramble")
		dep := func(d, minutes int, override string) store.OK9Deployment {
			return store.OK9Deployment{OrganisationID: a.ID, DeployedOn: *day(d), Kind: "team_visit", HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: minutes, PeopleEngaged: 12, OverrideReason: override}
		}
		if _, err := s.LogDeployment(ctx, actor, sc, dep(10, 120, ""), policy); err != nil {
			t.Fatal(err)
		}
		// A second session the same day would make 3 h 30 min.
		_, err := s.LogDeployment(ctx, actor, sc, dep(10, 90, ""), policy)
		var we *store.WelfareError
		if !errors.As(err, &we) || apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "Bramble: would work 3 h 30 min on 10 November 2026") {
			t.Fatalf("over the daily limit: %v", err)
		}
		// A contributor cannot override; an owner can only with a reason.
		if _, err := s.LogDeployment(ctx, provisionContributor, sc, dep(10, 90, "Major incident"), policy); !errors.As(err, &we) {
			t.Errorf("override without permission: %v", err)
		}
		if _, err := s.LogDeployment(ctx, actor, sc, dep(10, 90, ""), policy); !errors.As(err, &we) {
			t.Errorf("override without a reason: %v", err)
		}
		over, err := s.LogDeployment(ctx, actor, sc, dep(10, 90, "Major incident: no other dog available"), policy)
		if err != nil || over.OverrideReason == "" {
			t.Fatalf("owner override = %+v %v", over, err)
		}
		events, _, err := s.ListAudit(ctx, sc, store.AuditFilter{EntityType: "ok9_deployment"})
		if err != nil || len(events) != 2 || !strings.Contains(events[0].After, "welfare_limits_overridden") {
			t.Errorf("audit of the override = %+v %v", events, err)
		}
		// A reason on a deployment within limits is not kept as an override.
		ok, err := s.LogDeployment(ctx, actor, sc, dep(20, 60, "not needed"), policy)
		if err != nil || ok.OverrideReason != "" {
			t.Errorf("in-limit deployment kept a reason: %+v %v", ok, err)
		}
		// Refused deployments changed nothing.
		log, _ := s.OK9Deployments(ctx, sc, a.ID, *day(1), *day(30))
		if len(log) != 3 {
			t.Errorf("log has %d deployments, want 3", len(log))
		}
		// Retired dogs cannot go out.
		dog.Status = store.DogRetired
		if _, err := s.SaveOK9Dog(ctx, actor, sc, dog); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LogDeployment(ctx, actor, sc, dep(25, 30, ""), policy); apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "retired") {
			t.Errorf("retired dog deployed: %v", err)
		}
	})
}

func TestMutualAid(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b, c := threeOrgs(t, s)
		scA, scB, scC := store.Scope{OrgID: a.ID}, store.Scope{OrgID: b.ID}, store.Scope{OrgID: c.ID}
		bDog, bHandler := dogAndHandler(t, s, b, "Pero")
		cDog, _ := dogAndHandler(t, s, c, "Juno")
		// Juno has already worked three long days that week: not free.
		_, cHandlers := cDog, must(s.OK9Handlers(ctx, scC, c.ID))
		for d := 6; d <= 8; d++ {
			if _, err := s.LogDeployment(ctx, actor, scC, store.OK9Deployment{OrganisationID: c.ID, DeployedOn: *day(d), Kind: "event", HandlerID: cHandlers[0].ID, DogIDs: []int64{cDog.ID}, Minutes: 180}, policy); err != nil {
				t.Fatal(err)
			}
		}
		req, err := s.CreateAidRequest(ctx, actor, scA, store.AidRequest{OrganisationID: a.ID, Incident: "Multiple fatality collision", Location: "Exeter", StartsOn: *day(10), EndsOn: *day(11), DogsNeeded: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AidRequest(ctx, scB, req.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B sees a request it is not party to: %v", err)
		}
		cands, err := s.AidCandidates(ctx, req.ID, policy)
		if err != nil || len(cands) != 2 {
			t.Fatalf("candidates = %+v %v", cands, err)
		}
		for _, cand := range cands {
			switch cand.Dog.ID {
			case bDog.ID:
				if cand.Blocked != "" || cand.Handlers != 1 || cand.Proximity != "elsewhere" {
					t.Errorf("Pero = %+v", cand)
				}
			case cDog.ID:
				if !strings.Contains(cand.Blocked, "welfare limits") || cand.Proximity != "same nation" {
					t.Errorf("Juno = %+v", cand)
				}
			}
		}
		if cands[0].Dog.ID != cDog.ID {
			t.Errorf("nearest first: %+v", cands)
		}
		if _, err := s.OfferAid(ctx, actor, req.ID, a.ID, []int64{bDog.ID}, "", policy); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("offer of another organisation's dog under the requester: %v", err)
		}
		offer, err := s.OfferAid(ctx, actor, req.ID, b.ID, []int64{bDog.ID}, "", policy)
		if err != nil {
			t.Fatal(err)
		}
		// Now B is party to the request, C still is not.
		if _, err := s.AidRequest(ctx, scB, req.ID); err != nil {
			t.Errorf("B cannot see the request it was offered on: %v", err)
		}
		if list, _ := s.AidRequests(ctx, scC); len(list) != 0 {
			t.Errorf("C sees requests: %+v", list)
		}
		// Only the lender decides.
		if _, err := s.DecideAidOffer(ctx, actor, scA, offer.ID, store.AidDecision{Accept: true, HandlerID: bHandler.ID, Minutes: 120}, policy); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("requester decided the lender's offer: %v", err)
		}
		if _, err := s.DecideAidOffer(ctx, actor, scB, offer.ID, store.AidDecision{Accept: false}, policy); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("decline without a reason: %v", err)
		}
		got, err := s.DecideAidOffer(ctx, actor, scB, offer.ID, store.AidDecision{Accept: true, HandlerID: bHandler.ID, Minutes: 120}, policy)
		if err != nil || got.Status != store.OfferAccept {
			t.Fatalf("accept = %+v %v", got, err)
		}
		if _, err := s.DecideAidOffer(ctx, actor, scB, offer.ID, store.AidDecision{Accept: true, HandlerID: bHandler.ID, Minutes: 120}, policy); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("second decision: %v", err)
		}
		req, _ = s.AidRequest(ctx, scA, req.ID)
		if req.Status != store.AidAgreed || req.DogsAccepted() != 1 {
			t.Errorf("request after acceptance = %+v", req)
		}
		// A deployment for each of the two days is in both logs.
		for _, sc := range []store.Scope{scA, scB} {
			log, _ := s.OK9Deployments(ctx, sc, sc.OrgID, *day(1), *day(30))
			if len(log) != 2 || !log[0].DeployedOn.Equal(*day(11)) || !log[1].DeployedOn.Equal(*day(10)) {
				t.Errorf("log of %d = %+v, want the 11th and the 10th", sc.OrgID, log)
			}
			for _, d := range log {
				if d.Kind != "mutual_aid" || d.OrganisationID != b.ID || *d.HostOrganisationID != a.ID || d.Minutes != 120 {
					t.Errorf("log of %d = %+v", sc.OrgID, d)
				}
			}
		}
		if log, _ := s.OK9Deployments(ctx, scC, a.ID, *day(1), *day(30)); len(log) != 0 {
			t.Errorf("C reads A's log: %+v", log)
		}
		steps, err := s.AidTimeline(ctx, scA, req.ID)
		var actions []string
		for _, e := range steps {
			actions = append(actions, e.Action)
		}
		if err != nil || strings.Join(actions, ",") != "ok9.aid.request,ok9.aid.offer,ok9.aid.accepted" {
			t.Errorf("timeline = %v %v", actions, err)
		}
		if err := s.CloseAidRequest(ctx, actor, scB, req.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("lender closed the request: %v", err)
		}
		if err := s.CloseAidRequest(ctx, actor, scA, req.ID); err != nil {
			t.Error(err)
		}
		if _, err := s.OfferAid(ctx, actor, req.ID, c.ID, []int64{cDog.ID}, "", policy); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("offer to a closed request: %v", err)
		}
	})
}

// threeOrgs is twoOrgs and a third, Gamma, in England.
func threeOrgs(t *testing.T, s *store.Store) (a, b, c store.Organisation) {
	t.Helper()
	a, b = twoOrgs(t, s)
	c, err := s.CreateOrganisation(context.Background(), actor, store.Organisation{Slug: "gamma", Name: "Gamma Ambulance", Sector: "ambulance", Nation: "England"})
	if err != nil {
		t.Fatal(err)
	}
	return a, b, c
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestProvisionIndicators(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		scA := store.Scope{OrgID: a.ID}
		dog, h := dogAndHandler(t, s, a, "Bramble")
		if _, err := s.SaveOK9Handler(ctx, actor, scA, store.OK9Handler{OrganisationID: a.ID, DisplayName: "Untrained"}); err != nil {
			t.Fatal(err)
		}
		for _, d := range []int{3, 10} {
			if _, err := s.LogDeployment(ctx, actor, scA, store.OK9Deployment{OrganisationID: a.ID, DeployedOn: *day(d), Kind: "event", HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: 60}, policy); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SavePeerSupportReturn(ctx, actor, scA, store.PeerSupportReturn{OrganisationID: a.ID, Year: 2026, PeerSupporters: 40, DemobDefusingTrained: 10, CoordinatorInPost: true}); err != nil {
			t.Fatal(err)
		}
		storetest.DeliveredVan(t, s, a.ID, *day(5), "Taunton", store.VanDelivery{HealthChecks: 30, FatigueAssessments: 20, TraumaSupport: 7, WellbeingAdvice: 9})
		counts, err := s.ProvisionCountsFor(ctx, store.AllOrganisations(), 2026)
		if err != nil || len(counts) != 2 {
			t.Fatalf("counts = %+v %v", counts, err)
		}
		ca := counts[a.ID]
		if ca.ActiveDogs != 1 || ca.Handlers != 2 || ca.TrainedHandlers != 1 || ca.Deployments != 2 || ca.VanChecks != 50 || ca.Return == nil || ca.Workforce != nil {
			t.Errorf("A's counts = %+v", ca)
		}
		// Without a workforce figure the rates say why they are missing.
		for _, ind := range ca.Indicators(2026) {
			switch ind.Key {
			case store.IndActiveDogsPer1000, store.IndPeerSupportersPer1000:
				if ind.Value != nil || !strings.Contains(ind.Note, "No workforce figure for 2026") {
					t.Errorf("%s without workforce = %+v", ind.Key, ind)
				}
			case store.IndHandlersPeerTrained:
				if ind.Value == nil || *ind.Value != 50 {
					t.Errorf("share of handlers peer trained = %+v", ind)
				}
			case store.IndDeploymentsPerDog:
				if ind.Value == nil || *ind.Value != 2 {
					t.Errorf("deployments per dog = %+v", ind)
				}
			}
		}
		if err := s.SetWorkforce(ctx, actor, scA, store.Workforce{OrganisationID: a.ID, Year: 2026, Officers: 1500, Staff: 500, Volunteers: 100}); err != nil {
			t.Fatal(err)
		}
		counts, _ = s.ProvisionCountsFor(ctx, scA, 2026)
		if len(counts) != 1 || counts[b.ID] != nil {
			t.Errorf("scoped counts include other organisations: %+v", counts)
		}
		want := map[string]float64{store.IndActiveDogsPer1000: 0.5, store.IndPeerSupportersPer1000: 20, store.IndDemobDefusingPer1000: 5, store.IndVanChecksPer1000: 25}
		for _, ind := range counts[a.ID].Indicators(2026) {
			if w, ok := want[ind.Key]; ok && (ind.Value == nil || *ind.Value != w) {
				t.Errorf("%s = %+v, want %v", ind.Key, ind, w)
			}
		}
		// B has no return: its peer support rates have no records.
		counts, _ = s.ProvisionCountsFor(ctx, store.AllOrganisations(), 2026)
		for _, ind := range counts[b.ID].Indicators(2026) {
			if ind.Key == store.IndPeerSupportersPer1000 && (!ind.NoRecords || !strings.Contains(ind.Note, "no peer support return for calendar year 2026")) {
				t.Errorf("B's peer supporters = %+v", ind)
			}
		}
	})
}

func TestPeerSupportReturnValidation(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		scA := store.Scope{OrgID: a.ID}
		bad := []store.PeerSupportReturn{
			{OrganisationID: a.ID, Year: 1999},
			{OrganisationID: a.ID, Year: 2026, PeerSupporters: -1},
			{OrganisationID: a.ID, Year: 2026, CoordinatorFullTime: true},
		}
		for _, r := range bad {
			if _, err := s.SavePeerSupportReturn(ctx, actor, scA, r); apperr.Code(err) != apperr.EINVALID {
				t.Errorf("%+v: %v", r, err)
			}
		}
		if _, err := s.SavePeerSupportReturn(ctx, actor, store.Scope{OrgID: b.ID}, store.PeerSupportReturn{OrganisationID: a.ID, Year: 2026}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B wrote A's return: %v", err)
		}
		for _, n := range []int{10, 12} { // the second save replaces the first
			if _, err := s.SavePeerSupportReturn(ctx, actor, scA, store.PeerSupportReturn{OrganisationID: a.ID, Year: 2026, PeerSupporters: n}); err != nil {
				t.Fatal(err)
			}
		}
		list, _ := s.PeerSupportReturns(ctx, scA, a.ID)
		if len(list) != 1 || list[0].PeerSupporters != 12 {
			t.Errorf("returns = %+v", list)
		}
	})
}

func TestDeploymentNeedsTheDogsHandler(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		sc := store.Scope{OrgID: a.ID}
		bramble, _ := dogAndHandler(t, s, a, "Bramble")
		_, hazel := dogAndHandler(t, s, a, "Hazel")
		_, err := s.LogDeployment(ctx, actor, sc, store.OK9Deployment{OrganisationID: a.ID, DeployedOn: *day(10), Kind: "team_visit",
			HandlerID: hazel.ID, DogIDs: []int64{bramble.ID}, Minutes: 60}, policy)
		if apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "PC Hazel does not handle Bramble") {
			t.Fatalf("a handler deployed another handler's dog: %v", err)
		}
		if deps, _ := s.OK9Deployments(ctx, sc, a.ID, *day(1), *day(30)); len(deps) != 0 {
			t.Errorf("refused deployment saved: %+v", deps)
		}
	})
}

// TestHandlerNameOptional: a handler saved without a name is known by the
// organisation's next number, and keeps it when changed without a name.
func TestHandlerNameOptional(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		save := func(h store.OK9Handler) store.OK9Handler {
			t.Helper()
			saved, err := s.SaveOK9Handler(ctx, actor, store.AllOrganisations(), h)
			if err != nil {
				t.Fatal(err)
			}
			return saved
		}
		first := save(store.OK9Handler{OrganisationID: a.ID})
		save(store.OK9Handler{OrganisationID: a.ID, DisplayName: "PC 4471"})
		third := save(store.OK9Handler{OrganisationID: a.ID})
		other := save(store.OK9Handler{OrganisationID: b.ID})
		if first.DisplayName != "Handler 1" || third.DisplayName != "Handler 3" || other.DisplayName != "Handler 1" {
			t.Fatalf("numbered %q, %q and B's %q", first.DisplayName, third.DisplayName, other.DisplayName)
		}
		first.DisplayName, first.PeerSupporterTrainedOn = "", day(5)
		if again := save(first); again.DisplayName != "Handler 1" {
			t.Errorf("changed without a name: %q", again.DisplayName)
		}
		if _, err := s.SaveOK9Handler(ctx, actor, store.AllOrganisations(), store.OK9Handler{OrganisationID: a.ID, DisplayName: strings.Repeat("x", 61)}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("61-character name: %v", err)
		}
	})
}

// TestMutualAidLendersSeeOnlyTheirOwn: with two lenders offered on one
// request, the requester and the national team see every offer and answer;
// a lender sees the request's facts and only its own offer and steps; a
// lender that declined every offer made to it no longer sees the request.
func TestMutualAidLendersSeeOnlyTheirOwn(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b, c := threeOrgs(t, s)
		scA, scB, scC := store.Scope{OrgID: a.ID}, store.Scope{OrgID: b.ID}, store.Scope{OrgID: c.ID}
		bDog, _ := dogAndHandler(t, s, b, "Pero")
		cDog, _ := dogAndHandler(t, s, c, "Juno")
		req, err := s.CreateAidRequest(ctx, actor, scA, store.AidRequest{OrganisationID: a.ID, Incident: "Flood", Location: "Exeter", StartsOn: *day(10), EndsOn: *day(11), DogsNeeded: 2})
		if err != nil {
			t.Fatal(err)
		}
		bOffer := must(s.OfferAid(ctx, actor, req.ID, b.ID, []int64{bDog.ID}, "", policy))
		cOffer := must(s.OfferAid(ctx, actor, req.ID, c.ID, []int64{cDog.ID}, "", policy))
		if _, err := s.DecideAidOffer(ctx, actor, scC, cOffer.ID, store.AidDecision{DeclineReason: "Juno is unwell"}, policy); err != nil {
			t.Fatal(err)
		}

		offerIDs := func(r store.AidRequest) (ids []int64) {
			for _, o := range r.Offers {
				ids = append(ids, o.ID)
			}
			return ids
		}
		actions := func(sc store.Scope) string {
			steps, err := s.AidTimeline(ctx, sc, req.ID)
			if err != nil {
				return apperr.Code(err)
			}
			var out []string
			for _, e := range steps {
				out = append(out, e.Action)
				if sc == scB && strings.Contains(e.After, "Juno is unwell") {
					t.Errorf("B's timeline carries C's reason: %+v", e)
				}
			}
			return strings.Join(out, ",")
		}
		everything := "ok9.aid.request,ok9.aid.offer,ok9.aid.offer,ok9.aid.declined"
		for name, sc := range map[string]store.Scope{"requester": scA, "national": store.AllOrganisations()} {
			r, err := s.AidRequest(ctx, sc, req.ID)
			if err != nil || !slices.Equal(offerIDs(r), []int64{bOffer.ID, cOffer.ID}) || r.Offers[1].DeclineReason != "Juno is unwell" {
				t.Errorf("the %s sees %+v %v, want both offers and C's answer", name, r, err)
			}
			if got := actions(sc); got != everything {
				t.Errorf("the %s's timeline = %s, want %s", name, got, everything)
			}
		}

		// B, still offered, sees the request and its own offer only.
		r, err := s.AidRequest(ctx, scB, req.ID)
		if err != nil || r.Incident != "Flood" || !slices.Equal(offerIDs(r), []int64{bOffer.ID}) {
			t.Errorf("B sees %+v %v, want the request with B's offer only", r, err)
		}
		list, err := s.AidRequests(ctx, scB)
		if err != nil || len(list) != 1 || !slices.Equal(offerIDs(list[0]), []int64{bOffer.ID}) {
			t.Errorf("B's list = %+v %v, want the request with B's offer only", list, err)
		}
		if got := actions(scB); got != "ok9.aid.request,ok9.aid.offer" {
			t.Errorf("B's timeline = %s, want the request and B's own offer", got)
		}

		// C declined: the request is no longer C's to see.
		if _, err := s.AidRequest(ctx, scC, req.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("C, having declined, reads the request: %v", err)
		}
		if list, err := s.AidRequests(ctx, scC); err != nil || len(list) != 0 {
			t.Errorf("C, having declined, lists %+v %v", list, err)
		}
		if got := actions(scC); got != apperr.ENOTFOUND {
			t.Errorf("C, having declined, reads the timeline: %s", got)
		}
		if got := actions(store.Scope{}); got != apperr.ENOTFOUND {
			t.Errorf("the zero scope reads the timeline: %s", got)
		}
		// Offered again, C sees the request again, with its own offers.
		again := must(s.OfferAid(ctx, actor, req.ID, c.ID, []int64{cDog.ID}, "", policy))
		if r, err := s.AidRequest(ctx, scC, req.ID); err != nil || !slices.Equal(offerIDs(r), []int64{cOffer.ID, again.ID}) {
			t.Errorf("C offered again sees %+v %v, want its own two offers", r, err)
		}
	})
}

// TestProvisionNoRecordsAndRealZeros: a figure with no records behind it
// for its period has no value and says "no records"; a recorded zero (a
// scheme with no dogs, a van visit with no checks) is a real 0; a figure
// that cannot apply (deployments per dog without dogs) is not applicable,
// not "no records". Each figure names its period.
func TestProvisionNoRecordsAndRealZeros(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b, c := threeOrgs(t, s)
		all := store.AllOrganisations()
		for _, o := range []store.Organisation{a, b, c} {
			for _, y := range []int{2025, 2026} {
				if err := s.SetWorkforce(ctx, actor, all, store.Workforce{OrganisationID: o.ID, Year: y, Officers: 2000}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A: a scheme and a dog deployed in 2026, a van visit in 2026.
		// B: a scheme with no dogs, a van visit with no checks in 2026.
		// C: nothing at all.
		dog, h := dogAndHandler(t, s, a, "Bramble")
		if _, err := s.LogDeployment(ctx, actor, all, store.OK9Deployment{OrganisationID: a.ID, DeployedOn: *day(3), Kind: "event", HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: 60}, policy); err != nil {
			t.Fatal(err)
		}
		for _, o := range []store.Organisation{a, b} {
			if _, err := s.SaveOK9Scheme(ctx, actor, all, store.OK9Scheme{OrganisationID: o.ID, SPOC: "Insp Jones"}); err != nil {
				t.Fatal(err)
			}
		}
		storetest.DeliveredVan(t, s, a.ID, *day(5), "Taunton", store.VanDelivery{HealthChecks: 10})
		storetest.DeliveredVan(t, s, b.ID, *day(5), "Exeter", store.VanDelivery{})
		type want struct {
			value     *float64
			noRecords bool
			note      string
		}
		zero, half, five := 0.0, 0.5, 5.0
		one := 1.0
		cases := []struct {
			org  store.Organisation
			year int
			key  string
			want want
		}{
			{a, 2026, store.IndActiveDogsPer1000, want{value: &half}},
			{a, 2026, store.IndDeploymentsPerDog, want{value: &one}},
			{a, 2026, store.IndVanChecksPer1000, want{value: &five}},
			// 2025 has no deployment and no van records: no records, not 0.
			{a, 2025, store.IndDeploymentsPerDog, want{noRecords: true, note: "no records: no OK9 deployments recorded in calendar year 2025"}},
			{a, 2025, store.IndVanChecksPer1000, want{noRecords: true, note: "no records: no wellbeing van visits recorded in calendar year 2025"}},
			// A scheme with no dogs is a real 0 dogs; deployments per dog
			// does not apply.
			{b, 2026, store.IndActiveDogsPer1000, want{value: &zero}},
			{b, 2026, store.IndTrainedHandlersPer1000, want{value: &zero}},
			{b, 2026, store.IndDeploymentsPerDog, want{note: "not applicable: no active OK9 dogs"}},
			{b, 2026, store.IndVanChecksPer1000, want{value: &zero}},
			// No scheme at all: no records.
			{c, 2026, store.IndActiveDogsPer1000, want{noRecords: true, note: "no records: no OK9 scheme"}},
			{c, 2026, store.IndTrainedHandlersPer1000, want{noRecords: true, note: "no records: no OK9 scheme"}},
			{c, 2026, store.IndVanChecksPer1000, want{noRecords: true, note: "no records"}},
		}
		counts := map[int]map[int64]*store.ProvisionCounts{}
		for _, y := range []int{2025, 2026} {
			var err error
			if counts[y], err = s.ProvisionCountsFor(ctx, all, y); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range cases {
			var got *store.Indicator
			for _, ind := range counts[tc.year][tc.org.ID].Indicators(tc.year) {
				if ind.Key == tc.key {
					got = &ind
				}
			}
			name := tc.org.Name + " " + tc.key + " " + strconv.Itoa(tc.year)
			switch {
			case got == nil:
				t.Errorf("%s: no such indicator", name)
			case (got.Value == nil) != (tc.want.value == nil) || (got.Value != nil && *got.Value != *tc.want.value):
				t.Errorf("%s = %+v, want value %v", name, got, tc.want.value)
			case got.NoRecords != tc.want.noRecords || !strings.Contains(got.Note, tc.want.note) || (got.Value != nil && got.Note != ""):
				t.Errorf("%s = %+v, want no records %v and note %q", name, got, tc.want.noRecords, tc.want.note)
			}
		}
		for _, ind := range counts[2025][a.ID].Indicators(2025) {
			switch ind.Key {
			case store.IndActiveDogsPer1000, store.IndTrainedHandlersPer1000, store.IndHandlersPeerTrained:
				if !strings.HasPrefix(ind.Period, "as at ") {
					t.Errorf("%s is counted as it is now, but its period is %q", ind.Key, ind.Period)
				}
			default:
				if ind.Period != "calendar year 2025" {
					t.Errorf("%s period = %q, want calendar year 2025", ind.Key, ind.Period)
				}
			}
		}
	})
}
