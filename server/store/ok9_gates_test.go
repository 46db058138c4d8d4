package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var (
	nationalAdmin = store.Actor{UserID: 9, Role: store.RoleNationalAdmin, Label: "Sam (National admin)"}
	owner         = store.Actor{UserID: 7, Role: store.RoleOwner, Label: "Olu (Owner)"}
)

// gateRules are the rules of a gate refusal, or the error itself if it is
// not one.
func gateRules(t *testing.T, err error) string {
	t.Helper()
	var ge *store.GateError
	if !errors.As(err, &ge) || apperr.Code(err) != apperr.EINVALID {
		t.Fatalf("want a gate refusal, got %v", err)
	}
	var out []string
	for _, f := range ge.Failures {
		if f.Fix == "" {
			t.Errorf("rule %q says nothing of what would fix it", f.Rule)
		}
		out = append(out, f.Rule)
	}
	return strings.Join(out, " | ")
}

// TestHandlerDeploymentGates: a handler who is inactive, untrained, out of
// date or not assessed with the dog cannot be deployed; each refusal names
// the rule and the fix; an owner cannot override, a national admin can with
// a reason, recorded in the audit trail; nothing refused is saved.
func TestHandlerDeploymentGates(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		sc := store.Scope{OrgID: a.ID}
		dog, good := dogAndHandler(t, s, a, "Bramble")
		old := time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) // over 36 months before 10 November 2026
		cases := []struct {
			name   string
			change func(h *store.OK9Handler)
			rule   string
			fix    string
		}{
			{"inactive", func(h *store.OK9Handler) { h.Status = store.HandlerInactive }, "The handler must be active", "Record PC Bramble as active"},
			{"untrained", func(h *store.OK9Handler) { h.PeerSupporterTrainedOn = nil }, "trained peer supporter or mental health first aider", "Record the date PC Bramble trained"},
			{"training out of date", func(h *store.OK9Handler) { h.PeerSupporterTrainedOn = &old }, "with training in date (within 36 months)", "last trained on 1 October 2023: record their refresher"},
			{"not assessed", func(h *store.OK9Handler) { h.SuitabilityAssessedOn, h.SuitabilityOutcome = nil, "" }, "passed the OK9 suitability assessment with their dog", "Record the date and outcome of PC Bramble's suitability assessment with Bramble"},
			{"did not pass", func(h *store.OK9Handler) { h.SuitabilityOutcome = store.SuitabilityNotPassed }, "passed the OK9 suitability assessment", "did not pass the assessment on 2 November 2026"},
			{"assessment out of date", func(h *store.OK9Handler) { h.SuitabilityAssessedOn = &old }, "(within 36 months)", "last assessed on 1 October 2023: record a reassessment"},
		}
		logged := 0 // deployments saved so far
		for _, tc := range cases {
			h := good
			tc.change(&h)
			if _, err := s.SaveOK9Handler(ctx, actor, sc, h); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			dep := store.OK9Deployment{OrganisationID: a.ID, DeployedOn: *day(10), Kind: "trim_support", HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: 60}
			_, err := s.LogDeployment(ctx, owner, sc, dep, policy)
			rules := gateRules(t, err)
			if !strings.Contains(rules, tc.rule) || !strings.Contains(err.Error(), tc.fix) {
				t.Errorf("%s: refusal %q, want rule %q and fix %q", tc.name, err, tc.rule, tc.fix)
			}
			// An owner's reason is not enough; a national admin's is.
			dep.GateOverrideReason = "Only handler on duty"
			if _, err := s.LogDeployment(ctx, owner, sc, dep, policy); !errors.As(err, new(*store.GateError)) {
				t.Errorf("%s: owner overrode a gate: %v", tc.name, err)
			}
			if deps, _ := s.OK9Deployments(ctx, sc, a.ID, *day(1), *day(30)); len(deps) != logged {
				t.Fatalf("%s: refused deployment saved: %+v", tc.name, deps)
			}
			if tc.name == "untrained" {
				noReason := dep
				noReason.GateOverrideReason = "  "
				if _, err := s.LogDeployment(ctx, nationalAdmin, store.AllOrganisations(), noReason, policy); !errors.As(err, new(*store.GateError)) {
					t.Errorf("national admin overrode without a reason: %v", err)
				}
				saved, err := s.LogDeployment(ctx, nationalAdmin, store.AllOrganisations(), dep, policy)
				if err != nil || saved.GateOverrideReason != "Only handler on duty" {
					t.Fatalf("national admin override = %+v %v", saved, err)
				}
				events, _, err := s.ListAudit(ctx, sc, store.AuditFilter{EntityType: "ok9_deployment"})
				if err != nil || len(events) != 1 || !strings.Contains(events[0].After, "gates_overridden") ||
					!strings.Contains(events[0].After, "Only handler on duty") || !strings.Contains(events[0].After, "trained peer supporter") {
					t.Errorf("audit of the override = %+v %v", events, err)
				}
				logged++
			}
		}
		// The handler put right goes out; a refresher brings old training back into date.
		h := good
		h.PeerSupporterTrainedOn, h.RefresherTrainedOn = &old, day(5)
		if _, err := s.SaveOK9Handler(ctx, actor, sc, h); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LogDeployment(ctx, owner, sc, store.OK9Deployment{OrganisationID: a.ID, DeployedOn: *day(10), Kind: "trim_support", HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: 60}, policy); err != nil {
			t.Errorf("handler with a refresher: %v", err)
		}
		// A policy without handler rules fails closed.
		bare := *policy
		bare.Handlers.TrainingValidMonths = 0
		_, err := s.LogDeployment(ctx, owner, sc, store.OK9Deployment{OrganisationID: a.ID, DeployedOn: *day(11), Kind: "team_visit", HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: 30}, &bare)
		if rules := gateRules(t, err); !strings.Contains(rules, "sets no handler rules") {
			t.Errorf("policy without handler rules: %q", rules)
		}
	})
}

// TestHandlerRecordRules: the handler's record refuses what makes no sense
// and keeps what was entered.
func TestHandlerRecordRules(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		sc := store.Scope{OrgID: a.ID}
		bad := map[string]store.OK9Handler{
			"active or inactive":      {OrganisationID: a.ID, Status: "asleep"},
			"passed the suitability":  {OrganisationID: a.ID, SuitabilityAssessedOn: day(2), SuitabilityOutcome: "maybe"},
			"date of the suitability": {OrganisationID: a.ID, SuitabilityOutcome: store.SuitabilityPassed},
			"protected hours":         {OrganisationID: a.ID, ProtectedHoursMonth: -1},
			"first peer support or":   {OrganisationID: a.ID, RefresherTrainedOn: day(3)},
		}
		for want, h := range bad {
			if _, err := s.SaveOK9Handler(ctx, actor, sc, h); apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), want) {
				t.Errorf("%+v: %v, want a refusal about %q", h, err, want)
			}
		}
		if hs, _ := s.OK9Handlers(ctx, sc, a.ID); len(hs) != 0 {
			t.Errorf("refused handlers saved: %+v", hs)
		}
		h, err := s.SaveOK9Handler(ctx, actor, sc, store.OK9Handler{OrganisationID: a.ID, DisplayName: "PS 2207", MHFATrainedOn: day(1), RefresherTrainedOn: day(4),
			SuitabilityAssessedOn: day(2), SuitabilityOutcome: store.SuitabilityPassed, SupervisorAgreedOn: day(3), ProtectedHoursMonth: 8})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.OK9Handlers(ctx, sc, a.ID)
		if len(got) != 1 || got[0].Status != store.HandlerActive || got[0].ProtectedHoursMonth != 8 || !got[0].SupervisorAgreedOn.Equal(*day(3)) ||
			!got[0].RefresherTrainedOn.Equal(*day(4)) || got[0].SuitabilityOutcome != store.SuitabilityPassed || got[0].ID != h.ID {
			t.Errorf("handler read back = %+v", got)
		}
		// The scheme's contact email and welfare scheme.
		if _, err := s.SaveOK9Scheme(ctx, actor, sc, store.OK9Scheme{OrganisationID: a.ID, SPOCEmail: "not an address"}); apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "work email") {
			t.Errorf("bad SPOC email: %v", err)
		}
		if _, err := s.SaveOK9Scheme(ctx, actor, sc, goodScheme(a.ID)); err != nil {
			t.Fatal(err)
		}
		if sch, _ := s.OK9Scheme(ctx, sc, a.ID); sch.SPOCEmail != "ok9@example.police.uk" || sch.WelfareScheme != "Blue Cross working dogs" || sch.WelfareSchemeExpiresOn == nil {
			t.Errorf("scheme read back = %+v", sch)
		}
	})
}

// TestStandingGate: a lender whose scheme is not in good standing is listed
// with what it fails and cannot be offered without a national admin's
// reason, which the audit trail keeps.
func TestStandingGate(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b, c := threeOrgs(t, s)
		bDog, _ := dogAndHandler(t, s, b, "Pero")
		cDog, _ := dogAndHandler(t, s, c, "Juno")
		// B's insurance lapsed and its risk assessment is over a year old;
		// C's dog's welfare check is overdue.
		sch := goodScheme(b.ID)
		lapsed, stale := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
		sch.InsuranceExpiresOn, sch.RiskAssessmentReviewedOn = &lapsed, &stale
		if _, err := s.SaveOK9Scheme(ctx, actor, store.AllOrganisations(), sch); err != nil {
			t.Fatal(err)
		}
		cDog.NextWelfareCheckOn = day(5)
		if _, err := s.SaveOK9Dog(ctx, actor, store.AllOrganisations(), cDog); err != nil {
			t.Fatal(err)
		}
		req, err := s.CreateAidRequest(ctx, actor, store.Scope{OrgID: a.ID}, store.AidRequest{OrganisationID: a.ID, Incident: "Flood", Location: "Exeter", StartsOn: *day(10), EndsOn: *day(10), DogsNeeded: 2})
		if err != nil {
			t.Fatal(err)
		}
		cands, err := s.AidCandidates(ctx, req.ID, policy)
		if err != nil || len(cands) != 2 {
			t.Fatalf("candidates = %+v %v", cands, err)
		}
		for _, cand := range cands {
			var rules []string
			for _, f := range cand.Standing {
				rules = append(rules, f.String())
			}
			got := strings.Join(rules, " | ")
			switch cand.Dog.ID {
			case bDog.ID:
				if len(rules) != 2 || !strings.Contains(got, "insurance must be in date: It expired on 31 October 2026") ||
					!strings.Contains(got, "risk assessment must be reviewed at least every 12 months: It was last reviewed on 1 September 2025") {
					t.Errorf("Pero's standing = %s", got)
				}
			case cDog.ID:
				if len(rules) != 1 || !strings.Contains(got, "welfare check must be in date: Juno's welfare check was due on 5 November 2026") {
					t.Errorf("Juno's standing = %s", got)
				}
			}
		}
		_, err = s.OfferAid(ctx, nationalAdmin, req.ID, b.ID, []int64{bDog.ID}, "", policy)
		if rules := gateRules(t, err); !strings.Contains(rules, "insurance") || !strings.Contains(rules, "risk assessment") {
			t.Errorf("offer of a lapsed scheme: %q", rules)
		}
		if r, _ := s.AidRequest(ctx, store.AllOrganisations(), req.ID); len(r.Offers) != 0 {
			t.Fatalf("refused offer saved: %+v", r.Offers)
		}
		o, err := s.OfferAid(ctx, nationalAdmin, req.ID, b.ID, []int64{bDog.ID}, "Insurer confirmed cover by phone; renewal in the post", policy)
		if err != nil || o.OverrideReason == "" {
			t.Fatalf("national admin override = %+v %v", o, err)
		}
		steps, err := s.AidTimeline(ctx, store.AllOrganisations(), req.ID)
		if err != nil || len(steps) != 2 || !strings.Contains(steps[1].After, "gates_overridden") || !strings.Contains(steps[1].After, "Insurer confirmed cover") {
			t.Errorf("audit of the override = %+v %v", steps, err)
		}
		// A scheme in good standing needs no reason.
		cDog.NextWelfareCheckOn = day(25)
		if _, err := s.SaveOK9Dog(ctx, actor, store.AllOrganisations(), cDog); err != nil {
			t.Fatal(err)
		}
		if o, err := s.OfferAid(ctx, nationalAdmin, req.ID, c.ID, []int64{cDog.ID}, "not needed", policy); err != nil || o.OverrideReason != "" {
			t.Errorf("offer in good standing = %+v %v", o, err)
		}
	})
}

// TestMutualAidEveryDay: accepting a three-day request logs each day, and
// the later days count against the welfare limits with the earlier ones.
func TestMutualAidEveryDay(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		scB := store.Scope{OrgID: b.ID}
		dog, h := dogAndHandler(t, s, b, "Pero")
		for _, d := range []int{8, 9} {
			if _, err := s.LogDeployment(ctx, actor, scB, store.OK9Deployment{OrganisationID: b.ID, DeployedOn: *day(d), Kind: "event", HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: 180}, policy); err != nil {
				t.Fatal(err)
			}
		}
		req, err := s.CreateAidRequest(ctx, actor, store.Scope{OrgID: a.ID}, store.AidRequest{OrganisationID: a.ID, Incident: "Flood", Location: "Exeter", StartsOn: *day(10), EndsOn: *day(12), DogsNeeded: 1})
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.OfferAid(ctx, nationalAdmin, req.ID, b.ID, []int64{dog.ID}, "Dog rested after", policy)
		if err != nil {
			t.Fatal(err)
		}
		// 360 minutes already, then 120 a day: the 12th makes 720 in the week.
		_, err = s.DecideAidOffer(ctx, owner, scB, o.ID, store.AidDecision{Accept: true, HandlerID: h.ID, Minutes: 120}, policy)
		var we *store.WelfareError
		if !errors.As(err, &we) || !strings.Contains(err.Error(), "12 h in the seven days") || strings.Contains(err.Error(), "10 November") && !strings.Contains(err.Error(), "12 November") {
			t.Fatalf("three days over the week: %v", err)
		}
		if log, _ := s.OK9Deployments(ctx, scB, b.ID, *day(10), *day(12)); len(log) != 0 {
			t.Fatalf("refused acceptance logged days: %+v", log)
		}
		got, err := s.DecideAidOffer(ctx, owner, scB, o.ID, store.AidDecision{Accept: true, HandlerID: h.ID, Minutes: 120, OverrideReason: "Rest days follow"}, policy)
		if err != nil || got.Status != store.OfferAccept {
			t.Fatalf("accept with an owner's reason = %+v %v", got, err)
		}
		log, _ := s.OK9Deployments(ctx, scB, b.ID, *day(10), *day(12))
		if len(log) != 3 {
			t.Fatalf("logged %d days, want 3: %+v", len(log), log)
		}
		for i, d := range log {
			if !d.DeployedOn.Equal(*day(12 - i)) || d.Minutes != 120 || d.Kind != "mutual_aid" {
				t.Errorf("day %d = %+v", i, d)
			}
		}
	})
}
