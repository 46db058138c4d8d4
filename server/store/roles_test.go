package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func roleAssessment(org store.Organisation, band string, now time.Time) store.RoleAssessment {
	return store.RoleAssessment{
		OrganisationID: org.ID, RoleID: "RL-01", ModelKey: "psych-risk", ModelVersion: "2026.1", ModelSHA256: "h",
		Headcount: 40, ExposedHeadcount: 35, PeopleScreened: 30, StructuredInterviews: 6, Referrals: 2,
		OverallBand: band, ReviewedOn: now, NextReviewOn: now.AddDate(0, 0, 90), NextScreeningOn: now.AddDate(0, 0, 182),
		Hazards: []store.HazardRating{{HazardID: "HZ-01", InherentL: 5, InherentS: 4, ResidualL: 4, ResidualS: 3,
			Controls: []store.RoleControl{{ControlID: "CT-01", Status: "in place", LikelihoodReduction: 1, SeverityReduction: 1}}}},
	}
}

func TestRoleAssessmentVersions(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		now := s.Now()
		first, err := s.SaveRoleAssessment(ctx, actor, store.Scope{OrgID: a.ID}, roleAssessment(a, "very-high", now))
		if err != nil || first.Version != 1 || !first.Current {
			t.Fatalf("first = %+v %v", first, err)
		}
		second, err := s.SaveRoleAssessment(ctx, actor, store.Scope{OrgID: a.ID}, roleAssessment(a, "high", now))
		if err != nil || second.Version != 2 {
			t.Fatalf("second = %+v %v", second, err)
		}
		reg, _ := s.RoleRegister(ctx, store.Scope{OrgID: a.ID}, a.ID)
		if len(reg) != 1 || reg[0].Version != 2 || reg[0].OverallBand != "high" {
			t.Errorf("register = %+v", reg)
		}
		hist, err := s.RoleHistory(ctx, store.Scope{OrgID: a.ID}, a.ID, "RL-01")
		if err != nil || len(hist) != 2 || hist[1].Version != 1 || len(hist[1].Hazards) != 1 || len(hist[1].Hazards[0].Controls) != 1 || hist[1].Current {
			t.Fatalf("history = %+v %v", hist, err)
		}
		// Scoped: B cannot read or write A's register.
		if _, err := s.RoleHistory(ctx, store.Scope{OrgID: b.ID}, a.ID, "RL-01"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B read A's role history: %v", err)
		}
		if _, err := s.SaveRoleAssessment(ctx, actor, store.Scope{OrgID: b.ID}, roleAssessment(a, "low", now)); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B wrote A's register: %v", err)
		}
		bad := roleAssessment(a, "low", now)
		bad.PeopleScreened = 41
		if _, err := s.SaveRoleAssessment(ctx, actor, store.Scope{OrgID: a.ID}, bad); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("more screened than in the role: %v", err)
		}
	})
}
