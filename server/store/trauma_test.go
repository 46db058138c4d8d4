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

// TestTraumaIndicators: the TRiM indicators of a year are the sum of its
// quarterly returns, each computed here from the returns saved (per 1,000
// of the year's workforce, shares of incidents and of assessments); a
// partly returned year says which quarters it covers; another year's
// returns are left out; an organisation with no return has "no records"
// (no value), not 0; a share with nothing to divide by is "not
// applicable", also without a value.
func TestTraumaIndicators(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		scA := store.Scope{OrgID: a.ID}
		for _, wf := range []store.Workforce{{OrganisationID: a.ID, Year: 2025, Officers: 1000, Staff: 500}, {OrganisationID: a.ID, Year: 2026, Officers: 1300, Staff: 700, Volunteers: 90}} {
			if err := s.SetWorkforce(ctx, actor, scA, wf); err != nil {
				t.Fatal(err)
			}
		}
		returns := []store.TraumaReturn{
			{OrganisationID: a.ID, Year: 2026, Quarter: 1, Incidents: 9, PlanningMeetings: 7, RiskAssessments: 31, Reviews: 22, Defusings: 4, ReferralsOH: 3, ReferralsPsych: 2, PractitionersTrained: 6},
			{OrganisationID: a.ID, Year: 2026, Quarter: 3, Incidents: 11, PlanningMeetings: 10, RiskAssessments: 27, Reviews: 25, Defusings: 5, ReferralsOH: 1, ReferralsPsych: 4, PractitionersTrained: 3},
			// Another year: not in 2026's figures.
			{OrganisationID: a.ID, Year: 2025, Quarter: 4, Incidents: 50, PlanningMeetings: 50, RiskAssessments: 90, Reviews: 90, Defusings: 40, ReferralsOH: 40, PractitionersTrained: 40},
		}
		for _, r := range returns {
			if _, err := s.SaveTraumaReturn(ctx, actor, scA, r); err != nil {
				t.Fatal(err)
			}
		}
		var sum store.TraumaReturn
		for _, r := range returns[:2] {
			for _, f := range store.TraumaFields {
				*f.Value(&sum) += *f.Value(&r)
			}
		}
		workforce := 1300.0 + 700 // volunteers are left out
		want := map[string]float64{
			store.IndTRiMAssessmentsPer1000: float64(sum.RiskAssessments) * 1000 / workforce,
			store.IndTRiMPlanningShare:      float64(sum.PlanningMeetings) * 100 / float64(sum.Incidents),
			store.IndTRiMReviewShare:        float64(sum.Reviews) * 100 / float64(sum.RiskAssessments),
			store.IndDefusingsPer1000:       float64(sum.Defusings) * 1000 / workforce,
			store.IndReferralsPer1000:       float64(sum.ReferralsOH+sum.ReferralsPsych) * 1000 / workforce,
			store.IndTRiMTrainedPer1000:     float64(sum.PractitionersTrained) * 1000 / workforce,
		}
		counts, err := s.ProvisionCountsFor(ctx, store.AllOrganisations(), 2026)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, ind := range counts[a.ID].Indicators(2026) {
			w, ok := want[ind.Key]
			if !ok {
				continue
			}
			seen++
			if ind.Value == nil || *ind.Value != w {
				t.Errorf("%s = %+v, want %v", ind.Key, ind, w)
			}
			if ind.Note != "from returns for Q1 and Q3 only" || ind.Period != "calendar year 2026" {
				t.Errorf("%s period %q note %q, want the calendar year and the quarters covered", ind.Key, ind.Period, ind.Note)
			}
		}
		if seen != len(store.TraumaIndicatorKeys) || len(want) != len(store.TraumaIndicatorKeys) {
			t.Errorf("saw %d TRiM indicators, want %d", seen, len(store.TraumaIndicatorKeys))
		}
		for _, ind := range counts[b.ID].Indicators(2026) {
			if _, ok := want[ind.Key]; ok && (ind.Value != nil || !ind.NoRecords || ind.Note != "no records: no TRiM and trauma support return for calendar year 2026") {
				t.Errorf("B (no return) %s = %+v, want no records", ind.Key, ind)
			}
		}
		// A full year of returns with no incidents: the per-1,000 figures
		// are real zeros, the planning share is not applicable, and there
		// is no partial-year note.
		scB := store.Scope{OrgID: b.ID}
		if err := s.SetWorkforce(ctx, actor, scB, store.Workforce{OrganisationID: b.ID, Year: 2026, Officers: 400, Staff: 100}); err != nil {
			t.Fatal(err)
		}
		for q := 1; q <= 4; q++ {
			if _, err := s.SaveTraumaReturn(ctx, actor, scB, store.TraumaReturn{OrganisationID: b.ID, Year: 2026, Quarter: q, RiskAssessments: q, Reviews: 1}); err != nil {
				t.Fatal(err)
			}
		}
		counts, _ = s.ProvisionCountsFor(ctx, scB, 2026)
		for _, ind := range counts[b.ID].Indicators(2026) {
			switch ind.Key {
			case store.IndTRiMPlanningShare:
				if ind.Value != nil || ind.NoRecords || !strings.HasPrefix(ind.Note, "not applicable: no incidents") {
					t.Errorf("B planning share = %+v, want not applicable", ind)
				}
			case store.IndTRiMReviewShare:
				if want := float64(4) * 100 / float64(1+2+3+4); ind.Value == nil || *ind.Value != want || ind.Note != "" {
					t.Errorf("B review share = %+v, want %v with no note", ind, want)
				}
			case store.IndDefusingsPer1000:
				if ind.Value == nil || *ind.Value != 0 || ind.NoRecords {
					t.Errorf("B defusings = %+v, want a real 0", ind)
				}
			}
		}
	})
}
