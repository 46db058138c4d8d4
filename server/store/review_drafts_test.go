package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// A draft is kept per role, replaced when saved again, refused to those
// who may not edit the register, in no figure, and gone once the review is
// signed off.
func TestRoleReviewDrafts(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		sc := store.Scope{OrgID: a.ID}
		draft := store.RoleReviewDraft{OrganisationID: a.ID, RoleID: "RL-01", ModelKey: "psych-risk", ModelVersion: "2026.1", Review: `{"headcount":40}`}
		viewer := store.Actor{UserID: 9, Role: store.RoleViewer, Label: "Vic (Viewer)"}
		if _, err := s.SaveRoleReviewDraft(ctx, viewer, sc, draft); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("a viewer saved a draft: %v", err)
		}
		if _, err := s.SaveRoleReviewDraft(ctx, actor, store.Scope{OrgID: b.ID}, draft); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("B saved a draft on A's register: %v", err)
		}
		bad := draft
		bad.Review = "{headcount"
		if _, err := s.SaveRoleReviewDraft(ctx, actor, sc, bad); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("a draft that is not JSON: %v", err)
		}
		before, _ := s.FiguresStamp(ctx)
		if _, err := s.SaveRoleReviewDraft(ctx, actor, sc, draft); err != nil {
			t.Fatal(err)
		}
		draft.Review = `{"headcount":41}`
		saved, err := s.SaveRoleReviewDraft(ctx, actor, sc, draft)
		if err != nil || saved.SavedBy != actor.Label || saved.SavedAt.IsZero() {
			t.Fatalf("saved = %+v %v", saved, err)
		}
		if got, _ := s.FiguresStamp(ctx); got != before {
			t.Errorf("saving a draft moved the figures counter from %d to %d", before, got)
		}
		list, err := s.RoleReviewDrafts(ctx, sc, a.ID)
		if err != nil || len(list) != 1 || list[0].Review != `{"headcount":41}` {
			t.Fatalf("drafts = %+v %v", list, err)
		}
		if reg, _ := s.RoleRegister(ctx, sc, a.ID); len(reg) != 0 {
			t.Errorf("a draft is on the register's figures: %+v", reg)
		}
		if other, _ := s.RoleReviewDrafts(ctx, store.Scope{OrgID: b.ID}, a.ID); len(other) != 0 {
			t.Errorf("B sees A's drafts: %+v", other)
		}
		if _, err := s.SaveRoleAssessment(ctx, actor, sc, roleAssessment(a, "high", s.Now())); err != nil {
			t.Fatal(err)
		}
		if d, err := s.RoleReviewDraftOf(ctx, sc, a.ID, "RL-01"); err != nil || d != nil {
			t.Errorf("the draft outlived its sign-off: %+v %v", d, err)
		}
		events, _, err := s.ListAudit(ctx, sc, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var signed, drafted bool
		for _, e := range events {
			signed = signed || e.Action == "role_assessment.save" && strings.Contains(e.After, `"draft_saved_by":"test"`)
			drafted = drafted || e.Action == "role_review.draft"
		}
		if !signed || !drafted {
			t.Errorf("audit trail: draft %v, sign-off from the draft %v: %+v", drafted, signed, events)
		}
	})
}
