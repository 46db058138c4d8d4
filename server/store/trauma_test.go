package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestTraumaReturns: a quarterly TRiM and trauma support return is counts
// only; a count below 0, over the workforce or out of step with another
// (more reviews than assessments, more planning meetings than incidents) is
// refused naming the field, and nothing is saved; a second save of the same
// quarter replaces the first; another organisation cannot write it.
func TestTraumaReturns(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		scA := store.Scope{OrgID: a.ID}
		good := store.TraumaReturn{OrganisationID: a.ID, Year: 2026, Quarter: 3, Incidents: 14, PlanningMeetings: 12, RiskAssessments: 40, Reviews: 31,
			Defusings: 6, Demobilisations: 9, ESTIMs: 2, ReferralsOH: 5, ReferralsPsych: 3, PractitionersTrained: 8, TeamLeadersTrained: 2, ManagersTrained: 1}
		// No workforce yet: the counts cannot be checked, so nothing is saved.
		if _, err := s.SaveTraumaReturn(ctx, actor, scA, good); !fieldIs(err, "year") || !strings.Contains(err.Error(), "workforce for 2026") {
			t.Errorf("without a workforce: %v", err)
		}
		if err := s.SetWorkforce(ctx, actor, scA, store.Workforce{OrganisationID: a.ID, Year: 2025, Officers: 300, Staff: 200}); err != nil {
			t.Fatal(err)
		}
		bad := []struct {
			field  string
			change func(r *store.TraumaReturn)
			says   string
		}{
			{"incidents", func(r *store.TraumaReturn) { r.Incidents = -1 }, "must be 0 or more"},
			{"referrals_psych", func(r *store.TraumaReturn) { r.ReferralsPsych = -3 }, "referrals_psych"},
			{"risk_assessments", func(r *store.TraumaReturn) { r.RiskAssessments = 501 }, "more than the workforce of 500"},
			{"reviews", func(r *store.TraumaReturn) { r.Reviews = 41 }, "cannot be more than the TRiM risk assessments"},
			{"planning_meetings", func(r *store.TraumaReturn) { r.PlanningMeetings = 15 }, "cannot be more than the incidents"},
			{"quarter", func(r *store.TraumaReturn) { r.Quarter = 5 }, "quarter"},
		}
		for _, tc := range bad {
			r := good
			tc.change(&r)
			if _, err := s.SaveTraumaReturn(ctx, actor, scA, r); !fieldIs(err, tc.field) || apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%s: %v, want a refusal of %s saying %q", tc.field, err, tc.field, tc.says)
			}
		}
		if list, _ := s.TraumaReturns(ctx, scA, a.ID); len(list) != 0 {
			t.Fatalf("refused returns saved: %+v", list)
		}
		// The 2025 workforce stands for 2026, the nearest earlier year.
		if _, err := s.SaveTraumaReturn(ctx, actor, scA, good); err != nil {
			t.Fatal(err)
		}
		again := good
		again.Incidents, again.PlanningMeetings = 15, 15
		if _, err := s.SaveTraumaReturn(ctx, actor, scA, again); err != nil {
			t.Fatal(err)
		}
		list, _ := s.TraumaReturns(ctx, scA, a.ID)
		if len(list) != 1 || list[0].Incidents != 15 || list[0].Reviews != 31 || list[0].UpdatedBy != "test" {
			t.Errorf("returns = %+v", list)
		}
		if _, err := s.SaveTraumaReturn(ctx, actor, store.Scope{OrgID: b.ID}, good); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B wrote A's return: %v", err)
		}
		if list, _ := s.TraumaReturns(ctx, store.Scope{OrgID: b.ID}, a.ID); len(list) != 0 {
			t.Errorf("B reads A's returns: %+v", list)
		}
		if _, err := s.SaveTraumaReturn(ctx, store.Actor{Role: store.RoleViewer}, scA, good); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("viewer saved a return: %v", err)
		}
		events, _, _ := s.ListAudit(ctx, scA, store.AuditFilter{EntityType: "trauma_return"})
		if len(events) != 2 || events[0].EntityID != strconv.FormatInt(a.ID, 10)+"/2026/Q3" {
			t.Errorf("audit = %+v", events)
		}
	})
}

func fieldIs(err error, field string) bool {
	var fe *store.FieldError
	return errors.As(err, &fe) && fe.Field == field
}
