package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestSignInThrottleWindow(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		fail := func(email, ip string) {
			t.Helper()
			if err := s.RecordFailedSignIn(ctx, email, ip); err != nil {
				t.Fatal(err)
			}
		}
		fail("jo@alpha.example", "198.51.100.1") // t0
		clock.add(5 * time.Minute)
		fail("JO@alpha.example ", "198.51.100.2") // t0+5m, another address
		fail("sam@alpha.example", "198.51.100.1") // t0+5m, another account
		clock.add(5 * time.Minute)
		fail("ash@alpha.example", "198.51.100.1") // t0+10m
		fail("jo@alpha.example", "198.51.100.1")  // t0+10m

		for _, tt := range []struct {
			name                 string
			since                time.Time
			byAccount, byAddress int64
		}{
			{"everything", t0.Add(-time.Minute), 3, 4},
			{"a failure exactly at since is outside the window", t0, 2, 3},
			{"since in another zone", t0.Add(5 * time.Minute).In(time.FixedZone("UTC+14", 14*3600)), 1, 2},
			{"nothing newer", t0.Add(10 * time.Minute), 0, 0},
		} {
			byAccount, byAddress, err := s.FailedSignIns(ctx, " Jo@Alpha.example", "198.51.100.1", tt.since)
			if err != nil || byAccount != tt.byAccount || byAddress != tt.byAddress {
				t.Errorf("%s: %d by account, %d by address (%v); want %d, %d", tt.name, byAccount, byAddress, err, tt.byAccount, tt.byAddress)
			}
		}

		// A good sign-in forgets that account's failures only.
		if err := s.ClearFailedSignIns(ctx, "jo@alpha.example"); err != nil {
			t.Fatal(err)
		}
		if byAccount, byAddress, _ := s.FailedSignIns(ctx, "jo@alpha.example", "198.51.100.1", t0.Add(-time.Minute)); byAccount != 0 || byAddress != 2 {
			t.Errorf("after clearing: %d by account, %d by address; want 0, 2", byAccount, byAddress)
		}
		if n, err := s.DeleteSignInFailuresBefore(ctx, t0.Add(10*time.Minute)); err != nil || n != 1 {
			t.Errorf("housekeeping removed %d (%v), want the one from t0+5m", n, err)
		}
	})
}
