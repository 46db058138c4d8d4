package server

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestHousekeepingRemovesOnlyEndedSessions(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, err := st.CreateUser(ctx, store.Actor{}, store.AllOrganisations(), store.User{Email: "a@n.example", DisplayName: "A", Role: store.RoleNationalAdmin})
		if err != nil {
			t.Fatal(err)
		}
		now := st.Now()
		mk := func(hash string, lastSeen time.Time) {
			if err := st.CreateSession(ctx, store.Session{Hash: hash, UserID: u.ID, CSRFToken: "c", CreatedAt: lastSeen, LastSeenAt: lastSeen, ExpiresAt: lastSeen.Add(absoluteTimeout)}); err != nil {
				t.Fatal(err)
			}
		}
		mk("idle", now.Add(-idleTimeout-keepIdleSessionFor-time.Minute))
		mk("recently-idle", now.Add(-idleTimeout-time.Minute))
		mk("live", now.Add(-time.Minute))
		if err := st.RecordFailedSignIn(ctx, "x@y.example", "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		s := &Server{deps: Deps{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
		st.Now = func() time.Time { return now.Add(throttleWindow + time.Minute) }
		s.housekeepOnce(ctx)
		st.Now = func() time.Time { return now }
		if _, _, err := st.SessionByHash(ctx, "live"); err != nil {
			t.Errorf("a live session was removed: %v", err)
		}
		if _, _, err := st.SessionByHash(ctx, "idle"); err == nil {
			t.Error("a session idle for longer than it is kept was kept")
		}
		// Kept for a while, so that a form sent from it can be offered back
		// after signing in again; loadSession signs nobody in with it.
		if _, _, err := st.SessionByHash(ctx, "recently-idle"); err != nil {
			t.Errorf("a session that has just ended while idle was removed: %v", err)
		}
		if n, _, _ := st.FailedSignIns(ctx, "x@y.example", "127.0.0.1", now.Add(-time.Hour)); n != 0 {
			t.Errorf("%d old sign-in failures kept", n)
		}
	})
}
