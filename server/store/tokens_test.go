package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestAPITokenLifecycle(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleOwner, "o@alpha.example")
		other := person(t, s, &a, store.RoleViewer, "v@alpha.example")

		newToken := func(userID int64, name, hash string) store.APIToken {
			t.Helper()
			tok, err := s.CreateAPIToken(ctx, actor, store.APIToken{UserID: userID, Name: name, Hash: hash, Prefix: hash[:4]})
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		first := newToken(u.ID, "first", "hash-first")
		clock.add(time.Minute)
		second := newToken(u.ID, "  second  ", "hash-second")
		newToken(other.ID, "theirs", "hash-theirs")
		if second.Name != "second" || !second.CreatedAt.Equal(clock.now) {
			t.Errorf("created %+v", second)
		}

		list, err := s.ListAPITokens(ctx, u.ID)
		if err != nil || len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
			t.Fatalf("ListAPITokens = %+v %v; want the person's two, newest first", list, err)
		}

		clock.add(time.Hour)
		got, owner, err := s.APITokenByHash(ctx, "hash-first")
		if err != nil || owner.ID != u.ID || got.LastUsedAt == nil || !got.LastUsedAt.Equal(clock.now) {
			t.Fatalf("APITokenByHash = %+v %v", got, err)
		}
		list, _ = s.ListAPITokens(ctx, u.ID)
		if list[1].LastUsedAt == nil || !list[1].LastUsedAt.Equal(clock.now) || list[0].LastUsedAt != nil {
			t.Errorf("last used not recorded: %+v", list)
		}

		// Revoking twice writes one audit event.
		_, before, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{EntityType: "api_token"})
		for range 2 {
			if err := s.RevokeAPIToken(ctx, actor, u.ID, first.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, after, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{EntityType: "api_token"}); after != before+1 {
			t.Errorf("revoking twice wrote %d events", after-before)
		}
		wantCode(t, "revoked token", lookupErr(s, "hash-first"), apperr.ENOTFOUND)
		wantCode(t, "revoke an unknown token", s.RevokeAPIToken(ctx, actor, u.ID, 99999), apperr.ENOTFOUND)

		// Disabling the person revokes every token, for good.
		if err := s.SetUserDisabled(ctx, actor, store.Scope{OrgID: a.ID}, u.ID, true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "disabled person's token", lookupErr(s, "hash-second"), apperr.ENOTFOUND)
		_, err = s.CreateAPIToken(ctx, actor, store.APIToken{UserID: u.ID, Name: "new", Hash: "hash-new"})
		wantCode(t, "token for a disabled person", err, apperr.ENOTFOUND)
		if err := s.SetUserDisabled(ctx, actor, store.Scope{OrgID: a.ID}, u.ID, false); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "token after re-enabling", lookupErr(s, "hash-second"), apperr.ENOTFOUND)
		list, _ = s.ListAPITokens(ctx, u.ID)
		for _, tok := range list {
			if tok.RevokedAt == nil {
				t.Errorf("token %q not revoked", tok.Name)
			}
		}
		if _, _, err := s.APITokenByHash(ctx, "hash-theirs"); err != nil {
			t.Errorf("another person's token stopped working: %v", err)
		}
	})
}

func lookupErr(s *store.Store, hash string) error {
	_, _, err := s.APITokenByHash(context.Background(), hash)
	return err
}

func TestAPITokenValidation(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleViewer, "v@alpha.example")
		for _, tt := range []struct {
			what string
			tok  store.APIToken
			code string
		}{
			{"no name", store.APIToken{UserID: u.ID, Name: "  ", Hash: "h"}, apperr.EINVALID},
			{"long name", store.APIToken{UserID: u.ID, Name: strings.Repeat("n", 81), Hash: "h"}, apperr.EINVALID},
			{"no hash", store.APIToken{UserID: u.ID, Name: "n"}, apperr.EINVALID},
			{"unknown person", store.APIToken{UserID: 99999, Name: "n", Hash: "h"}, apperr.ENOTFOUND},
		} {
			_, err := s.CreateAPIToken(ctx, actor, tt.tok)
			wantCode(t, tt.what, err, tt.code)
		}
		if _, err := s.CreateAPIToken(ctx, actor, store.APIToken{UserID: u.ID, Name: "n", Hash: "dup"}); err != nil {
			t.Fatal(err)
		}
		_, err := s.CreateAPIToken(ctx, actor, store.APIToken{UserID: u.ID, Name: "n", Hash: "dup"})
		wantCode(t, "same hash twice", err, apperr.ECONFLICT)
	})
}

func TestPasswordLinkRules(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		a, b := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleOwner, "o@alpha.example")
		nat := person(t, s, nil, store.RoleNationalAdmin, "nat@npws.example")
		link := func(sc store.Scope, hash string, userID int64, expires time.Time) error {
			return s.CreatePasswordToken(ctx, store.Actor{UserID: 42, Label: "owner"}, sc, store.PasswordToken{Hash: hash, UserID: userID, ExpiresAt: expires})
		}

		wantCode(t, "link for another organisation's person", link(store.Scope{OrgID: b.ID}, "l-b", u.ID, t0.Add(time.Hour)), apperr.ENOTFOUND)
		wantCode(t, "link for a national admin from an organisation", link(store.Scope{OrgID: a.ID}, "l-nat", nat.ID, t0.Add(time.Hour)), apperr.ENOTFOUND)
		wantCode(t, "link expiring now", link(store.AllOrganisations(), "l-now", u.ID, t0), apperr.EINVALID)
		wantCode(t, "link with no hash", link(store.AllOrganisations(), "", u.ID, t0.Add(time.Hour)), apperr.EINVALID)
		for _, h := range []string{"l-b", "l-nat", "l-now"} {
			if _, _, err := s.PasswordTokenByHash(ctx, h); apperr.Code(err) != apperr.ENOTFOUND {
				t.Errorf("refused link %s was stored: %v", h, err)
			}
		}

		if err := link(store.Scope{OrgID: a.ID}, "l-1", u.ID, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, owner, err := s.PasswordTokenByHash(ctx, "l-1")
		if err != nil || owner.ID != u.ID || got.CreatedBy != 42 || !got.CreatedAt.Equal(t0) || got.UsedAt != nil {
			t.Fatalf("PasswordTokenByHash = %+v %v; want made by the actor at the store clock", got, err)
		}

		// A link stops at its expiry time exactly.
		clock.now = t0.Add(time.Hour)
		if _, _, err := s.PasswordTokenByHash(ctx, "l-1"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("link at its expiry time: %v", err)
		}
		_, err = s.UsePasswordToken(ctx, "l-1", "h")
		if apperr.Code(err) != apperr.EINVALID || apperr.Message(err) != "This link has expired or has already been used" {
			t.Errorf("used at its expiry time: %v", err)
		}
		if got, _ := s.UserByID(ctx, store.AllOrganisations(), u.ID); got.PasswordHash != "" {
			t.Errorf("an expired link set the password")
		}

		// A disabled person's link does nothing, and is not spent.
		clock.now = t0
		if err := link(store.AllOrganisations(), "l-2", u.ID, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserDisabled(ctx, actor, store.AllOrganisations(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "disabled person's link", func() error { _, _, err := s.PasswordTokenByHash(ctx, "l-2"); return err }(), apperr.ENOTFOUND)
		_, err = s.UsePasswordToken(ctx, "l-2", "h")
		wantCode(t, "disabled person uses a link", err, apperr.EINVALID)
		if err := s.SetUserDisabled(ctx, actor, store.AllOrganisations(), u.ID, false); err != nil {
			t.Fatal(err)
		}
		if used, err := s.UsePasswordToken(ctx, "l-2", "h2"); err != nil || used.ID != u.ID {
			t.Errorf("link after re-enabling: %v", err)
		}
		if _, _, err := s.PasswordTokenByHash(ctx, "l-2"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("used link still found: %v", err)
		}
	})
}

// Two people racing with one link: exactly one sets the password.
func TestPasswordLinkRace(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleOwner, "o@alpha.example")
		now := s.Now()
		if err := s.CreatePasswordToken(ctx, actor, store.AllOrganisations(), store.PasswordToken{Hash: "race", UserID: u.ID, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, errs[i] = s.UsePasswordToken(ctx, "race", "h")
			})
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch apperr.Code(err) {
			case "":
				wins++
			case apperr.EINVALID:
			default:
				t.Errorf("racing use: %v", err)
			}
		}
		if wins != 1 {
			t.Errorf("%d uses of one link succeeded", wins)
		}
		if evs, _, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{EntityType: "user"}); len(evs) != 3 { // create, link, one use
			t.Errorf("%d user events after the race, want 3", len(evs))
		}
	})
}

// Issuing a link or setting a password ends every earlier link for that
// person, and no one else's.
func TestPasswordLinkEndsEarlierLinks(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		useClock(s, t0)
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleOwner, "o@alpha.example")
		other := person(t, s, &a, store.RoleViewer, "v@alpha.example")
		link := func(hash string, userID int64) {
			t.Helper()
			if err := s.CreatePasswordToken(ctx, actor, store.AllOrganisations(), store.PasswordToken{Hash: hash, UserID: userID, ExpiresAt: t0.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		live := func(hash string) bool {
			_, _, err := s.PasswordTokenByHash(ctx, hash)
			return err == nil
		}
		use := func(hash string) error { _, err := s.UsePasswordToken(ctx, hash, "h-"+hash); return err }

		link("theirs", other.ID)
		link("l-1", u.ID)
		link("l-2", u.ID)
		if live("l-1") || !live("l-2") || !live("theirs") {
			t.Fatalf("after a second link: l-1 %v, l-2 %v, another person's %v; want false, true, true", live("l-1"), live("l-2"), live("theirs"))
		}
		wantCode(t, "the earlier link", use("l-1"), apperr.EINVALID)
		if err := use("l-2"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "the newer link again", use("l-2"), apperr.EINVALID)
		if got, _ := s.UserByID(ctx, store.AllOrganisations(), u.ID); got.PasswordHash != "h-l-2" {
			t.Errorf("password hash %q, want the one set through l-2", got.PasswordHash)
		}

		// A password set another way (the command line) ends the links too.
		link("l-3", u.ID)
		if err := s.SetPassword(ctx, actor, store.AllOrganisations(), u.ID, "h-cli"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a link issued before the password was set", use("l-3"), apperr.EINVALID)
		if !live("theirs") {
			t.Error("another person's link ended")
		}
	})
}
