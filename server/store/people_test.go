package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestNationalAdminRules(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		aScope := store.Scope{OrgID: a.ID}
		nat := person(t, s, nil, store.RoleNationalAdmin, "nat@npws.example")
		owner := person(t, s, &a, store.RoleOwner, "o@alpha.example")

		// An organisation's scope cannot see or touch a national admin.
		_, err := s.UserByID(ctx, aScope, nat.ID)
		wantCode(t, "A reads the national admin", err, apperr.ENOTFOUND)
		_, err = s.UpdateUserAccess(ctx, actor, aScope, nat.ID, store.RoleViewer, nil)
		wantCode(t, "A changes the national admin", err, apperr.ENOTFOUND)
		wantCode(t, "A disables the national admin", s.SetUserDisabled(ctx, actor, aScope, nat.ID, true), apperr.ENOTFOUND)
		wantCode(t, "A sets the national admin's password", s.SetPassword(ctx, actor, aScope, nat.ID, "h"), apperr.ENOTFOUND)
		if people, _ := s.ListUsers(ctx, aScope); len(people) != 1 || people[0].ID != owner.ID {
			t.Errorf("A's list = %+v, want only A's owner", people)
		}

		// Nobody becomes a national admin while belonging to an organisation,
		// and a national admin cannot become an organisation role without one.
		_, err = s.UpdateUserAccess(ctx, actor, aScope, owner.ID, store.RoleNationalAdmin, nil)
		wantCode(t, "A promotes its owner to national admin", err, apperr.EINVALID)
		_, err = s.UpdateUserAccess(ctx, actor, store.AllOrganisations(), owner.ID, store.RoleNationalAdmin, nil)
		wantCode(t, "national promotes an owner with an organisation", err, apperr.EINVALID)
		_, err = s.UpdateUserAccess(ctx, actor, store.AllOrganisations(), nat.ID, store.RoleOwner, nil)
		wantCode(t, "national admin made owner of nothing", err, apperr.EINVALID)
		_, err = s.CreateUser(ctx, actor, aScope, store.User{Email: "n2@x.example", DisplayName: "N2", Role: store.RoleNationalAdmin})
		wantCode(t, "A creates a national admin", err, apperr.EFORBIDDEN)
		if got, _ := s.UserByID(ctx, store.AllOrganisations(), owner.ID); got.Role != store.RoleOwner {
			t.Errorf("owner's role changed to %s", got.Role)
		}

		// The national admin's events belong to no organisation.
		evs, _, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{EntityType: "user"})
		for _, e := range evs {
			if e.EntityID == strconv.FormatInt(nat.ID, 10) && e.OrganisationID != nil {
				t.Errorf("national admin's %s event is in organisation %d", e.Action, *e.OrganisationID)
			}
		}
		if n, err := s.CountUsers(ctx); err != nil || n != 2 {
			t.Errorf("CountUsers = %d %v", n, err)
		}
	})
}

func TestPeopleDetails(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		a, b := twoOrgs(t, s)
		aScope := store.Scope{OrgID: a.ID}
		c, err := s.CreateUser(ctx, actor, aScope, store.User{Email: "  Zoe.Contrib@Alpha.EXAMPLE ", DisplayName: " Zoe ", Role: store.RoleContributor,
			OrganisationID: &a.ID, Sections: []string{"area:LEAD", "risk-register"}})
		if err != nil || c.Email != "zoe.contrib@alpha.example" || c.DisplayName != "Zoe" {
			t.Fatalf("CreateUser = %+v %v", c, err)
		}
		v, err := s.CreateUser(ctx, actor, aScope, store.User{Email: "adam@alpha.example", DisplayName: "Adam", Role: store.RoleViewer,
			OrganisationID: &a.ID, Sections: []string{"area:LEAD"}})
		if err != nil || len(v.Sections) != 0 {
			t.Fatalf("a viewer kept sections: %+v %v", v, err)
		}
		person(t, s, &b, store.RoleOwner, "aaron@beta.example")

		got, err := s.UserByEmail(ctx, "ZOE.contrib@alpha.example ")
		if err != nil || got.ID != c.ID || strings.Join(got.Sections, ",") != "area:LEAD,risk-register" {
			t.Errorf("UserByEmail = %+v %v", got, err)
		}
		_, err = s.UserByEmail(ctx, "nobody@alpha.example")
		wantCode(t, "unknown email", err, apperr.ENOTFOUND)

		people, _ := s.ListUsers(ctx, aScope)
		if len(people) != 2 || people[0].DisplayName != "Adam" || people[1].DisplayName != "Zoe" {
			t.Errorf("ListUsers = %+v, want A's people by name", people)
		}

		// Sections belong to contributors only.
		changed, err := s.UpdateUserAccess(ctx, actor, aScope, c.ID, store.RoleViewer, []string{"area:LEAD"})
		if err != nil || changed.Role != store.RoleViewer || len(changed.Sections) != 0 {
			t.Errorf("to viewer: %+v %v", changed, err)
		}
		changed, err = s.UpdateUserAccess(ctx, actor, aScope, c.ID, store.RoleContributor, nil)
		if err != nil || changed.Sections == nil {
			t.Errorf("contributor with no sections: %+v %v", changed, err)
		}
		_, err = s.UpdateUserAccess(ctx, actor, aScope, c.ID, "admin", nil)
		wantCode(t, "unknown role", err, apperr.EINVALID)
		_, err = s.UpdateUserAccess(ctx, actor, aScope, c.ID, store.RoleContributor, []string{""})
		wantCode(t, "empty section", err, apperr.EINVALID)

		clock.add(time.Hour)
		if err := s.RecordSignIn(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, aScope, c.ID); got.LastSignInAt == nil || !got.LastSignInAt.Equal(clock.now) {
			t.Errorf("last sign-in %v, want %v", got.LastSignInAt, clock.now)
		}

		// Disabling twice keeps the first time.
		if err := s.SetUserDisabled(ctx, actor, aScope, c.ID, true); err != nil {
			t.Fatal(err)
		}
		clock.add(time.Hour)
		if err := s.SetUserDisabled(ctx, actor, aScope, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, aScope, c.ID); got.DisabledAt == nil || !got.DisabledAt.Equal(clock.now.Add(-time.Hour)) {
			t.Errorf("disabled at %v, want the first time", got.DisabledAt)
		}
		if err := s.SetUserDisabled(ctx, actor, aScope, c.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, aScope, c.ID); got.DisabledAt != nil {
			t.Errorf("still disabled after enabling")
		}
	})
}
