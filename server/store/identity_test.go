package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestIdentityProviders(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sys := store.SystemActor("test")
		a, _ := s.CreateOrganisation(ctx, sys, store.Organisation{Slug: "alpha", Name: "Alpha", Sector: "police", Nation: "England"})
		b, _ := s.CreateOrganisation(ctx, sys, store.Organisation{Slug: "beta", Name: "Beta", Sector: "fire", Nation: "England"})
		p := store.IdentityProvider{OrganisationID: a.ID, Issuer: "https://login.example/a", ClientID: "app", ClientSecretSealed: "v1:sealed", PasswordSignIn: true, Domains: store.NormaliseDomains("Alpha.example, @alpha.example\nmail.alpha.example")}
		owner := store.Actor{UserID: 1, OrgID: a.ID, Role: store.RoleOwner}
		if _, err := s.SaveIdentityProvider(ctx, owner, p); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("an owner set up sign-in: %v", err)
		}
		saved, err := s.SaveIdentityProvider(ctx, store.Actor{UserID: 2, Role: store.RoleNationalAdmin}, p)
		if err != nil || len(saved.Domains) != 2 || saved.Domains[0] != "alpha.example" || saved.Domains[1] != "mail.alpha.example" {
			t.Fatalf("saved = %+v, %v", saved, err)
		}
		for email, want := range map[string]int64{"jo@ALPHA.example": a.ID, "jo@mail.alpha.example": a.ID, "jo@beta.example": 0, "jo@sub.alpha.example": 0, "nonsense": 0} {
			got, err := s.IdentityProviderForEmail(ctx, email)
			if want == 0 && apperr.Code(err) != apperr.ENOTFOUND || want != 0 && (err != nil || got.OrganisationID != want) {
				t.Errorf("provider for %s = %d, %v", email, got.OrganisationID, err)
			}
		}
		pb := p
		pb.OrganisationID, pb.Domains = b.ID, []string{"beta.example", "mail.alpha.example"}
		if _, err := s.SaveIdentityProvider(ctx, sys, pb); store.ProviderFieldOf(err) != "domains" || apperr.Message(err) != "The domain mail.alpha.example already leads to the sign-in service of Alpha" {
			t.Errorf("a domain of another organisation: %v", err)
		}
		issuers, err := s.IdentityProviderIssuers(ctx)
		if err != nil || len(issuers) != 1 || issuers[0] != p.Issuer {
			t.Errorf("issuers = %v %v", issuers, err)
		}
		if err := s.DeleteIdentityProvider(ctx, sys, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.IdentityProviderForEmail(ctx, "jo@alpha.example"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("domain still leads somewhere: %v", err)
		}
		if _, err := s.SaveIdentityProvider(ctx, sys, pb); err != nil {
			t.Errorf("the domain is free again after removal: %v", err)
		}
	})
}

func TestPendingOIDCSignInIsTakenOnce(t *testing.T) {
	storetest.ForEachDialectShared(t, func(t *testing.T, s, other *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		other.Now = s.Now
		org, _ := s.CreateOrganisation(ctx, store.SystemActor("test"), store.Organisation{Slug: "alpha", Name: "Alpha", Sector: "police", Nation: "England"})
		if err := s.CreateOIDCSignIn(ctx, store.PendingOIDCSignIn{StateHash: "h1", OrganisationID: org.ID, Nonce: "n", Verifier: "v", Next: "/tokens", Held: "supporters=417", HeldUser: 42, HeldPath: "/provision/trauma"}); err != nil {
			t.Fatal(err)
		}
		// Two instances take the same state at once: one gets it.
		var wg sync.WaitGroup
		got := make([]error, 8)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st := s
				if i%2 == 1 {
					st = other
				}
				p, err := st.TakeOIDCSignIn(ctx, "h1")
				if err == nil && (p.Nonce != "n" || p.Verifier != "v" || p.Next != "/tokens" || p.OrganisationID != org.ID || p.Held != "supporters=417" || p.HeldUser != 42 || p.HeldPath != "/provision/trauma") {
					t.Errorf("taken = %+v", p)
				}
				got[i] = err
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range got {
			switch {
			case err == nil:
				ok++
			case apperr.Code(err) != apperr.ENOTFOUND:
				t.Errorf("take: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("the state was taken %d times, want once", ok)
		}
		// One older than ten minutes is gone.
		if err := s.CreateOIDCSignIn(ctx, store.PendingOIDCSignIn{StateHash: "h2", OrganisationID: org.ID, Nonce: "n", Verifier: "v"}); err != nil {
			t.Fatal(err)
		}
		clock.add(store.OIDCSignInLifetime + time.Second)
		if _, err := s.TakeOIDCSignIn(ctx, "h2"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("an expired sign-in was taken: %v", err)
		}

		// A person's held form is kept with their latest pending sign-in
		// only; another person's stays.
		for i, p := range []store.PendingOIDCSignIn{
			{StateHash: "a1", Held: "evidence=first", HeldUser: 7, HeldPath: "/x"},
			{StateHash: "b1", Held: "evidence=theirs", HeldUser: 8, HeldPath: "/x"},
			{StateHash: "a2", Held: "evidence=second", HeldUser: 7, HeldPath: "/x"},
		} {
			p.OrganisationID, p.Nonce, p.Verifier = org.ID, "n", "v"
			if err := s.CreateOIDCSignIn(ctx, p); err != nil {
				t.Fatalf("%d: %v", i, err)
			}
		}
		for hash, want := range map[string]string{"a1": "", "b1": "evidence=theirs", "a2": "evidence=second"} {
			if p, err := s.TakeOIDCSignIn(ctx, hash); err != nil || p.Held != want {
				t.Errorf("%s holds %q (%v), want %q", hash, p.Held, err, want)
			}
		}
		// Housekeeping removes expired ones, held forms and all.
		if err := s.CreateOIDCSignIn(ctx, store.PendingOIDCSignIn{StateHash: "h3", OrganisationID: org.ID, Nonce: "n", Verifier: "v", Held: "evidence=old", HeldUser: 9}); err != nil {
			t.Fatal(err)
		}
		clock.add(store.OIDCSignInLifetime + time.Second)
		if n, err := s.DeleteOIDCSignInsBefore(ctx, s.Now().Add(-store.OIDCSignInLifetime)); err != nil || n != 1 {
			t.Errorf("housekeeping removed %d (%v), want 1", n, err)
		}
	})
}
