package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestSessionTouchAndHousekeeping(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleViewer, "v@alpha.example")
		for _, sess := range []store.Session{
			{Hash: "idle", UserID: u.ID, CSRFToken: "c1", ExpiresAt: t0.Add(8 * time.Hour)},
			{Hash: "active", UserID: u.ID, CSRFToken: "c2", ExpiresAt: t0.Add(8 * time.Hour)},
			{Hash: "ending", UserID: u.ID, CSRFToken: "c3", ExpiresAt: t0.Add(45 * time.Minute)},
		} {
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		got, owner, err := s.SessionByHash(ctx, "active")
		if err != nil || owner.ID != u.ID || got.CSRFToken != "c2" || !got.CreatedAt.Equal(t0) || !got.LastSeenAt.Equal(t0) {
			t.Fatalf("SessionByHash = %+v %v; want created and last seen at the store clock", got, err)
		}

		clock.add(40 * time.Minute)
		if err := s.TouchSession(ctx, "active"); err != nil {
			t.Fatal(err)
		}
		if err := s.TouchSession(ctx, "ending"); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := s.SessionByHash(ctx, "active"); !got.LastSeenAt.Equal(clock.now) {
			t.Errorf("touched session last seen %v, want %v", got.LastSeenAt, clock.now)
		}

		// At the moment of expiry the session is over.
		clock.now = t0.Add(45 * time.Minute)
		if _, _, err := s.SessionByHash(ctx, "ending"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("session at its expiry time: %v", err)
		}
		// Idle since before t0+15m: "idle". Expired though recently seen: "ending".
		n, err := s.DeleteSessionsIdleSince(ctx, t0.Add(15*time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("DeleteSessionsIdleSince removed %d (%v), want 2", n, err)
		}
		if _, _, err := s.SessionByHash(ctx, "active"); err != nil {
			t.Errorf("active session removed: %v", err)
		}
		if err := s.DeleteSession(ctx, "active"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByHash(ctx, "active"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("deleted session found: %v", err)
		}
	})
}

// SQLite compares times as text, so a time in another zone must be stored
// as UTC or expiry goes wrong by the zone's offset.
func TestSessionExpiryInOtherZones(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleViewer, "v@alpha.example")
		east, west := time.FixedZone("UTC+14", 14*3600), time.FixedZone("UTC-11", -11*3600)
		sessions := []store.Session{
			{Hash: "east", UserID: u.ID, CSRFToken: "c", CreatedAt: t0.In(east), LastSeenAt: t0.In(east), ExpiresAt: t0.Add(30 * time.Minute).In(east)},
			{Hash: "west", UserID: u.ID, CSRFToken: "c", CreatedAt: t0.In(west), LastSeenAt: t0.In(west), ExpiresAt: t0.Add(2 * time.Hour).In(west)},
		}
		for _, sess := range sessions {
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		clock.add(time.Hour)
		if _, _, err := s.SessionByHash(ctx, "east"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("session that ended half an hour ago (given in UTC+14) still works: %v", err)
		}
		if _, _, err := s.SessionByHash(ctx, "west"); err != nil {
			t.Errorf("session with an hour left (given in UTC-11) is over: %v", err)
		}
		if n, err := s.DeleteSessionsIdleSince(ctx, t0.Add(-time.Minute).In(east)); err != nil || n != 1 {
			t.Errorf("housekeeping removed %d (%v), want only the expired one", n, err)
		}
	})
}

func TestNewPasswordEndsSessions(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		useClock(s, t0)
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleOwner, "o@alpha.example")
		other := person(t, s, &a, store.RoleViewer, "v@alpha.example")
		newSession := func(hash string, userID int64) {
			t.Helper()
			if err := s.CreateSession(ctx, store.Session{Hash: hash, UserID: userID, CSRFToken: "c", ExpiresAt: t0.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		newSession("u1", u.ID)
		newSession("u2", u.ID)
		newSession("other", other.ID)
		if err := s.SetPassword(ctx, actor, store.Scope{OrgID: a.ID}, u.ID, "h1"); err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"u1", "u2"} {
			if _, _, err := s.SessionByHash(ctx, h); apperr.Code(err) != apperr.ENOTFOUND {
				t.Errorf("session %s survived a new password: %v", h, err)
			}
		}
		if _, _, err := s.SessionByHash(ctx, "other"); err != nil {
			t.Errorf("someone else's session ended: %v", err)
		}

		newSession("u3", u.ID)
		if err := s.CreatePasswordToken(ctx, actor, store.AllOrganisations(), store.PasswordToken{Hash: "link", UserID: u.ID, ExpiresAt: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordToken(ctx, "link", "h2"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByHash(ctx, "u3"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("session survived a set-password link: %v", err)
		}
	})
}
