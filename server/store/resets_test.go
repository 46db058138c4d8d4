package store_test

import (
	"context"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// A password reset, by an operator (SetPassword, the command line's
// `user reset`) or through a link someone else issued (UsePasswordToken),
// shuts out whoever had the old password: sessions end and API tokens are
// revoked.
func TestPasswordResetsRevokeAPITokens(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		useClock(s, t0)
		a, _ := twoOrgs(t, s)
		u := person(t, s, &a, store.RoleViewer, "v@alpha.example")
		live := func(hash string) bool {
			t.Helper()
			_, _, err := s.APITokenByHash(ctx, hash)
			if err != nil && apperr.Code(err) != apperr.ENOTFOUND {
				t.Fatal(err)
			}
			return err == nil
		}
		token := func(hash string) {
			t.Helper()
			if _, err := s.CreateAPIToken(ctx, actor, store.APIToken{UserID: u.ID, Name: hash, Hash: hash, Prefix: hash[:4]}); err != nil {
				t.Fatal(err)
			}
		}

		token("hash-before-operator-reset")
		if err := s.SetPassword(ctx, actor, store.AllOrganisations(), u.ID, "new-hash-1"); err != nil {
			t.Fatal(err)
		}
		if live("hash-before-operator-reset") {
			t.Error("an API token survived an operator's password reset")
		}

		token("hash-before-link-reset")
		if err := s.CreatePasswordToken(ctx, actor, store.AllOrganisations(), store.PasswordToken{Hash: "link-hash", UserID: u.ID, ExpiresAt: t0.Add(48 * 3600e9)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordToken(ctx, "link-hash", "new-hash-2"); err != nil {
			t.Fatal(err)
		}
		if live("hash-before-link-reset") {
			t.Error("an API token survived a password reset through a link")
		}
	})
}
