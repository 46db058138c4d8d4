package store_test

import (
	"context"
	"strconv"
	"sync"
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

		// A good sign-in forgets that account's failures from that address
		// only, so an address that guessed at other accounts, and failures
		// from elsewhere, still count.
		if err := s.SignInSucceeded(ctx, 0, "jo@alpha.example", "198.51.100.1"); err != nil {
			t.Fatal(err)
		}
		if byAccount, byAddress, _ := s.FailedSignIns(ctx, "jo@alpha.example", "198.51.100.1", t0.Add(-time.Minute)); byAccount != 1 || byAddress != 2 {
			t.Errorf("after a good sign-in: %d by account, %d by address; want 1 (from .2), 2", byAccount, byAddress)
		}
		if n, err := s.DeleteSignInFailuresBefore(ctx, t0.Add(10*time.Minute), t0); err != nil || n != 2 {
			t.Errorf("housekeeping removed %d (%v), want the two from t0+5m", n, err)
		}
	})
}

// Parallel attempts on two instances sharing the database: the limits hold
// exactly, and failures from elsewhere do not lock out a familiar address.
func TestSignInReservationsHoldInParallel(t *testing.T) {
	storetest.ForEachDialectShared(t, func(t *testing.T, s, other *store.Store) {
		ctx := context.Background()
		lim := store.SignInLimits{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 20, PerAddressInFlight: 10}
		allowed := func(n int, email, ip func(i int) string) int {
			t.Helper()
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok := 0
			for i := range n {
				st := []*store.Store{s, other}[i%2]
				wg.Go(func() {
					_, allowed, err := st.ReserveSignIn(ctx, email(i), ip(i), lim)
					if err != nil {
						t.Error(err)
					}
					if allowed {
						mu.Lock()
						ok++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			return ok
		}
		same := func(v string) func(int) string { return func(int) string { return v } }
		numbered := func(prefix string) func(int) string {
			return func(i int) string { return prefix + strconv.Itoa(i) }
		}

		// The owner has signed in from 192.0.2.1 before.
		id, ok, err := s.ReserveSignIn(ctx, "owner@alpha.example", "192.0.2.1", lim)
		if err != nil || !ok {
			t.Fatalf("first attempt: %v %v", ok, err)
		}
		if err := s.SignInSucceeded(ctx, id, "owner@alpha.example", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}

		if n := allowed(40, same("owner@alpha.example"), numbered("198.51.100.")); n != 5 {
			t.Errorf("40 parallel attempts on one account from 40 addresses: %d allowed, want 5", n)
		}
		if n := allowed(40, numbered("guess"), same("203.0.113.9")); n != 30 {
			t.Errorf("40 parallel attempts from one address on 40 accounts: %d allowed, want 30 (20 and 10 in flight)", n)
		}
		// The owner's own address is counted on its own.
		if n := allowed(12, same("owner@alpha.example"), same("192.0.2.1")); n != 5 {
			t.Errorf("12 parallel attempts from the familiar address: %d allowed, want 5", n)
		}
		if _, ok, _ := other.ReserveSignIn(ctx, "owner@alpha.example", "198.51.100.99", lim); ok {
			t.Error("an unfamiliar address got a sixth attempt")
		}
	})
}

// People behind one address (an office's NAT) signing in at the same moment
// are not refused for each other's attempts in flight; failed attempts
// still stop the address at its limit, and an attempt whose check never
// ended (its instance died) counts as failed after a minute.
func TestSignInFromOneAddressAtOnce(t *testing.T) {
	storetest.ForEachDialectShared(t, func(t *testing.T, s, other *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		other.Now = s.Now
		lim := store.SignInLimits{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 20, PerAddressInFlight: 100}
		const office = "203.0.113.50"
		ids := make([]int64, 60)
		var wg sync.WaitGroup
		for i := range ids {
			st := []*store.Store{s, other}[i%2]
			wg.Go(func() {
				id, ok, err := st.ReserveSignIn(ctx, "officer"+strconv.Itoa(i)+"@alpha.example", office, lim)
				if err != nil || !ok {
					t.Errorf("officer %d, signing in with 59 others behind one address: allowed %v, %v", i, ok, err)
				}
				ids[i] = id
			})
		}
		wg.Wait()
		// 40 get in; 20 mistype their passwords.
		for i, id := range ids {
			var err error
			if i < 40 {
				err = s.SignInSucceeded(ctx, id, "officer"+strconv.Itoa(i)+"@alpha.example", office)
			} else {
				err = other.SignInFailed(ctx, id)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, ok, _ := s.ReserveSignIn(ctx, "late@alpha.example", office, lim); ok {
			t.Error("an address with 20 failures got another attempt")
		}

		// In flight beyond the allowance: refused.
		const busy = "203.0.113.51"
		for i := range 120 {
			_, ok, err := s.ReserveSignIn(ctx, "crowd"+strconv.Itoa(i)+"@alpha.example", busy, lim)
			if err != nil || !ok {
				t.Fatalf("attempt %d of 120 in flight refused (%v)", i+1, err)
			}
		}
		if _, ok, _ := s.ReserveSignIn(ctx, "crowd120@alpha.example", busy, lim); ok {
			t.Error("a 121st attempt in flight from one address allowed, want at most 20 + 100")
		}

		// An attempt left pending counts as a failure after a minute.
		const lone = "203.0.113.52"
		for i := range 20 {
			if _, ok, err := s.ReserveSignIn(ctx, "lost"+strconv.Itoa(i)+"@alpha.example", lone, lim); err != nil || !ok {
				t.Fatalf("pending attempt %d refused (%v)", i+1, err)
			}
		}
		if _, ok, _ := s.ReserveSignIn(ctx, "next@alpha.example", lone, lim); !ok {
			t.Error("refused while 20 attempts are still being checked")
		}
		clock.add(2 * time.Minute)
		if _, ok, _ := s.ReserveSignIn(ctx, "after@alpha.example", lone, lim); ok {
			t.Error("21 attempts never settled still do not count against the address after two minutes")
		}
	})
}
