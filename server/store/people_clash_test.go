package store_test

import (
	"context"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// An email address with an account outside the caller's scope is added as
// an invitation that can never sign in or take the account over; inside the
// scope it is a conflict.
func TestEmailOfAnotherOrganisationBecomesAnInvitation(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		useClock(s, t0)
		a, b := twoOrgs(t, s)
		theirs := person(t, s, &b, store.RoleOwner, "lead@borset.example")
		if err := s.SetPassword(ctx, actor, store.AllOrganisations(), theirs.ID, "their-hash"); err != nil {
			t.Fatal(err)
		}
		scopeA := store.Scope{OrgID: a.ID}
		inv, err := s.CreateUser(ctx, actor, scopeA, store.User{OrganisationID: &a.ID, Email: "Lead@Borset.example", DisplayName: "Lee", Role: store.RoleViewer})
		if err != nil {
			t.Fatalf("add with another organisation's email: %v", err)
		}
		if inv.Email != "lead@borset.example" || !inv.Clash() {
			t.Fatalf("invitation = %+v", inv)
		}
		// Organisation A sees it as it typed it, and nothing of B's person.
		list, _ := s.ListUsers(ctx, scopeA)
		if len(list) != 1 || list[0].ID != inv.ID || list[0].Email != "lead@borset.example" || list[0].DisplayName != "Lee" {
			t.Fatalf("A's people = %+v", list)
		}
		// Sign-in and the command line still find B's account only.
		if got, err := s.UserByEmail(ctx, "lead@borset.example"); err != nil || got.ID != theirs.ID {
			t.Fatalf("UserByEmail = %+v %v", got, err)
		}
		// The invitation's link never sets a password.
		if err := s.CreatePasswordToken(ctx, actor, scopeA, store.PasswordToken{Hash: "inv-link", UserID: inv.ID, ExpiresAt: t0.Add(48 * 3600e9)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordToken(ctx, "inv-link", "attacker-hash"); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("using the invitation's link = %v, want a conflict", err)
		}
		if err := s.SetPassword(ctx, actor, store.AllOrganisations(), inv.ID, "attacker-hash"); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("SetPassword on the invitation = %v", err)
		}
		if got, _ := s.UserByID(ctx, store.AllOrganisations(), theirs.ID); got.PasswordHash != "their-hash" || got.OrganisationID == nil || *got.OrganisationID != b.ID {
			t.Fatalf("B's account changed: %+v", got)
		}
		// The national trail records the clash; A's trail does not show it.
		national, _, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{})
		ownTrail, _, _ := s.ListAudit(ctx, scopeA, store.AuditFilter{})
		has := func(evs []store.AuditEvent) bool {
			for _, e := range evs {
				if e.Action == "user.email_clash" {
					return true
				}
			}
			return false
		}
		if !has(national) || has(ownTrail) {
			t.Errorf("clash in the national trail %v, in A's %v", has(national), has(ownTrail))
		}
		// Adding the same address again in A, or one A already has, is a
		// conflict A may be told about; a national admin is told too.
		if _, err := s.CreateUser(ctx, actor, scopeA, store.User{OrganisationID: &a.ID, Email: "lead@borset.example", DisplayName: "Lee", Role: store.RoleViewer}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("second invitation = %v", err)
		}
		if _, err := s.CreateUser(ctx, actor, store.AllOrganisations(), store.User{OrganisationID: &a.ID, Email: "lead@borset.example", DisplayName: "Lee", Role: store.RoleViewer}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("national admin's add = %v", err)
		}
	})
}
