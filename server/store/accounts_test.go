package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var actor = func() store.Actor { a := store.SystemActor("test"); a.RequestID = "req-1"; return a }()

// provisionContributor is a contributor given provision records, and nothing else.
var provisionContributor = store.Actor{UserID: 5, Role: store.RoleContributor, Sections: []string{store.SectionProvision}, Label: "Casey (Contributor)"}

func twoOrgs(t *testing.T, s *store.Store) (a, b store.Organisation) {
	t.Helper()
	ctx := context.Background()
	var err error
	if a, err = s.CreateOrganisation(ctx, actor, store.Organisation{Slug: "alpha", Name: "Alpha Police", Sector: "police", Nation: "England"}); err != nil {
		t.Fatal(err)
	}
	if b, err = s.CreateOrganisation(ctx, actor, store.Organisation{Slug: "beta", Name: "Beta Fire", Sector: "fire", Nation: "Wales"}); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func person(t *testing.T, s *store.Store, org *store.Organisation, role, email string) store.User {
	t.Helper()
	u := store.User{Email: email, DisplayName: "Person " + email, Role: role}
	if org != nil {
		u.OrganisationID = &org.ID
	}
	if role == store.RoleContributor {
		u.Sections = []string{"area:LEAD"}
	}
	created, err := s.CreateUser(context.Background(), actor, store.AllOrganisations(), u)
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func TestScopesKeepOrganisationsApart(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		bOwner := person(t, s, &b, store.RoleOwner, "owner@beta.example")
		aScope := store.Scope{OrgID: a.ID}

		if _, err := s.Organisation(ctx, aScope, b.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("A read B's organisation: %v", err)
		}
		if _, err := s.UserByID(ctx, aScope, bOwner.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("A read B's person: %v", err)
		}
		if _, err := s.UpdateUserAccess(ctx, actor, aScope, bOwner.ID, store.RoleViewer, nil); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("A changed B's person: %v", err)
		}
		if err := s.SetUserDisabled(ctx, actor, aScope, bOwner.ID, true); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("A disabled B's person: %v", err)
		}
		if err := s.SetWorkforce(ctx, actor, aScope, store.Workforce{OrganisationID: b.ID, Year: 2026, Officers: 1}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("A wrote B's workforce: %v", err)
		}
		if _, err := s.CreateUser(ctx, actor, aScope, store.User{Email: "x@beta.example", DisplayName: "X", Role: store.RoleViewer, OrganisationID: &b.ID}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("A added a person to B: %v", err)
		}
		if _, err := s.CreateUser(ctx, actor, aScope, store.User{Email: "nat@x.example", DisplayName: "X", Role: store.RoleNationalAdmin}); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("an organisation made a national admin: %v", err)
		}
		people, _ := s.ListUsers(ctx, aScope)
		if len(people) != 0 {
			t.Errorf("A's list shows %d people", len(people))
		}
		if got, _ := s.UserByID(ctx, store.AllOrganisations(), bOwner.ID); got.DisabledAt != nil || got.Role != store.RoleOwner {
			t.Errorf("B's owner changed: %+v", got)
		}
		if _, err := s.ListOrganisations(ctx, store.Scope{OrgID: -1}); err != nil {
			t.Fatal(err)
		}
		if orgs, _ := s.ListOrganisations(ctx, store.Scope{OrgID: -1}); len(orgs) != 0 {
			t.Errorf("an empty scope saw %d organisations", len(orgs))
		}
	})
}

func TestConflictsAndValidation(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		if _, err := s.CreateOrganisation(ctx, actor, store.Organisation{Slug: "alpha", Name: "Again", Sector: "police", Nation: "England"}); apperr.Code(err) != apperr.ECONFLICT || !strings.Contains(err.Error(), "alpha") {
			t.Errorf("duplicate slug: %v", err)
		}
		person(t, s, &a, store.RoleOwner, "Lead@Alpha.example")
		if _, err := s.CreateUser(ctx, actor, store.AllOrganisations(), store.User{Email: " lead@alpha.EXAMPLE ", DisplayName: "Twin", Role: store.RoleViewer, OrganisationID: &a.ID}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("duplicate email (case and spaces differ): %v", err)
		}
		for _, bad := range []store.User{
			{Email: "not-an-email", DisplayName: "X", Role: store.RoleViewer, OrganisationID: &a.ID},
			{Email: "x@a.example", DisplayName: "", Role: store.RoleViewer, OrganisationID: &a.ID},
			{Email: "x@a.example", DisplayName: "X", Role: "superuser", OrganisationID: &a.ID},
			{Email: "x@a.example", DisplayName: "X", Role: store.RoleViewer},
			{Email: "x@a.example", DisplayName: "X", Role: store.RoleNationalAdmin, OrganisationID: &a.ID},
		} {
			if _, err := s.CreateUser(ctx, actor, store.AllOrganisations(), bad); apperr.Code(err) != apperr.EINVALID {
				t.Errorf("%+v accepted: %v", bad, err)
			}
		}
		if err := s.SetWorkforce(ctx, actor, store.AllOrganisations(), store.Workforce{OrganisationID: a.ID, Year: 2026, Officers: -1}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("negative workforce: %v", err)
		}
	})
}

func TestSessionsExpireAndEndWithTheAccount(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleViewer, "v@alpha.example")
		now := s.Now()
		if err := s.CreateSession(ctx, store.Session{Hash: "h1", UserID: u.ID, CSRFToken: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, got, err := s.SessionByHash(ctx, "h1"); err != nil || got.ID != u.ID {
			t.Fatalf("live session: %v", err)
		}
		s.Now = func() time.Time { return now.Add(2 * time.Hour) }
		if _, _, err := s.SessionByHash(ctx, "h1"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("expired session found: %v", err)
		}
		s.Now = func() time.Time { return now }
		if err := s.SetUserDisabled(ctx, actor, store.AllOrganisations(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByHash(ctx, "h1"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("disabled person's session found: %v", err)
		}
	})
}

func TestPasswordLinksAreSingleUseAndExpire(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleOwner, "o@alpha.example")
		now := s.Now()
		link := func(h string) {
			t.Helper()
			if err := s.CreatePasswordToken(ctx, actor, store.Scope{OrgID: a.ID}, store.PasswordToken{Hash: h, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		link("link1")
		if _, err := s.UsePasswordToken(ctx, "link1", "hash-one"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordToken(ctx, "link1", "hash-two"); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("second use: %v", err)
		}
		if got, _ := s.UserByID(ctx, store.AllOrganisations(), u.ID); got.PasswordHash != "hash-one" {
			t.Errorf("password hash = %q", got.PasswordHash)
		}
		link("link2") // a newer link would end it: see TestPasswordLinkEndsEarlierLinks
		s.Now = func() time.Time { return now.Add(2 * time.Hour) }
		if _, _, err := s.PasswordTokenByHash(ctx, "link2"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("expired link found: %v", err)
		}
		if _, err := s.UsePasswordToken(ctx, "link2", "hash-three"); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("expired link used: %v", err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleViewer, "v@alpha.example")
		other := person(t, s, &a, store.RoleOwner, "o@alpha.example")
		tok, err := s.CreateAPIToken(ctx, actor, store.APIToken{UserID: u.ID, Name: "reporting", Hash: "th", Prefix: "abcd1234"})
		if err != nil {
			t.Fatal(err)
		}
		got, owner, err := s.APITokenByHash(ctx, "th")
		if err != nil || owner.ID != u.ID || got.LastUsedAt == nil {
			t.Fatalf("lookup: %+v %v", got, err)
		}
		if err := s.RevokeAPIToken(ctx, actor, other.ID, tok.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("someone else revoked the token: %v", err)
		}
		if err := s.RevokeAPIToken(ctx, actor, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.APITokenByHash(ctx, "th"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("revoked token still works: %v", err)
		}
	})
}

func TestAuditTrail(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleContributor, "c@alpha.example")
		if err := s.SetPassword(ctx, actor, store.AllOrganisations(), u.ID, "$argon2id$secret-hash"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUserAccess(ctx, actor, store.Scope{OrgID: a.ID}, u.ID, store.RoleViewer, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateAPIToken(ctx, actor, store.APIToken{UserID: u.ID, Name: "t", Hash: "secret-token-hash", Prefix: "p"}); err != nil {
			t.Fatal(err)
		}
		if err := s.LogAudit(ctx, actor, &b.ID, "signin", "user", "99", nil, nil); err != nil {
			t.Fatal(err)
		}

		events, total, err := s.ListAudit(ctx, store.Scope{OrgID: a.ID}, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		actions := []string{}
		for _, e := range events {
			actions = append(actions, e.Action)
			if strings.Contains(e.Before+e.After, "secret") || strings.Contains(e.Before+e.After, "password_hash") {
				t.Errorf("audit %s holds a secret: %s %s", e.Action, e.Before, e.After)
			}
			if e.OrganisationID == nil || *e.OrganisationID != a.ID {
				t.Errorf("A's trail shows another organisation's event %s", e.Action)
			}
		}
		want := []string{"api_token.create", "user.access", "user.password", "user.create", "organisation.create"}
		if strings.Join(actions, ",") != strings.Join(want, ",") || total != int64(len(want)) {
			t.Errorf("A's trail = %v (total %d), want %v", actions, total, want)
		}
		access := events[1]
		if !strings.Contains(access.Before, `"role":"contributor"`) || !strings.Contains(access.After, `"role":"viewer"`) || access.RequestID != "req-1" {
			t.Errorf("access change before/after: %s -> %s", access.Before, access.After)
		}

		filtered, _, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{EntityType: "organisation"})
		if len(filtered) != 2 {
			t.Errorf("entity filter gave %d events", len(filtered))
		}
		future, _, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{From: s.Now().Add(time.Hour)})
		if len(future) != 0 {
			t.Errorf("date filter gave %d events", len(future))
		}
		var streamed []string
		if err := s.EachAudit(ctx, store.Scope{OrgID: a.ID}, store.AuditFilter{}, func(e store.AuditEvent) error {
			streamed = append(streamed, e.Action)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(streamed) != len(want) || streamed[0] != "organisation.create" {
			t.Errorf("EachAudit = %v, want oldest first", streamed)
		}

		// Append-only in the database itself.
		db := s.DB().WithContext(ctx)
		if err := db.Exec("UPDATE audit_events SET action = 'tampered'").Error; err == nil {
			t.Error("an audit record was updated")
		}
		if err := db.Exec("DELETE FROM audit_events").Error; err == nil {
			t.Error("audit records were deleted")
		}
		if _, n, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{}); n != int64(len(want)+2) {
			t.Errorf("trail has %d records after tampering attempts", n)
		}
	})
}

func TestSignInThrottleCounts(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		start := s.Now()
		for i := range 3 {
			s.Now = func() time.Time { return start.Add(time.Duration(i) * 10 * time.Minute) }
			if err := s.RecordFailedSignIn(ctx, "Who@X.example", "10.0.0.1"); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordFailedSignIn(ctx, "other@x.example", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		byAccount, byAddress, err := s.FailedSignIns(ctx, "who@x.example", "10.0.0.1", start.Add(5*time.Minute))
		if err != nil || byAccount != 2 || byAddress != 3 {
			t.Errorf("counts since +5m = %d by account, %d by address (%v)", byAccount, byAddress, err)
		}
		if err := s.SignInSucceeded(ctx, 0, "WHO@x.example", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := s.FailedSignIns(ctx, "who@x.example", "10.0.0.1", start.Add(-time.Hour)); n != 0 {
			t.Errorf("%d failures left after clearing", n)
		}
	})
}
