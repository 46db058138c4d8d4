package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// testClock replaces the store's clock with one the test moves by hand.
type testClock struct{ now time.Time }

func useClock(s *store.Store, start time.Time) *testClock {
	c := &testClock{now: start}
	s.Now = func() time.Time { return c.now }
	return c
}

func (c *testClock) add(d time.Duration) { c.now = c.now.Add(d) }

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Distinctive secrets: none may appear anywhere in the trail.
var secrets = []string{"PWHASH-one", "PWHASH-two", "LINKHASH-x", "TOKENHASH-x", "SESSIONHASH-x", "CSRF-x"}

// lastEvent runs change and returns the one audit event it must write.
func lastEvent(t *testing.T, s *store.Store, change func() error) store.AuditEvent {
	t.Helper()
	ctx := context.Background()
	_, before, err := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := change(); err != nil {
		t.Fatal(err)
	}
	evs, after, err := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if after != before+1 {
		t.Fatalf("%d audit events written, want 1", after-before)
	}
	return evs[0]
}

func TestEveryChangeIsAudited(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		useClock(s, t0)
		admin := store.Actor{UserID: 900, Label: "Nat Admin (national_admin)", RequestID: "req-9", IP: "192.0.2.7"}
		national := store.AllOrganisations()
		var org store.Organisation
		var u store.User
		var tok store.APIToken
		orgID := func() *int64 { return &org.ID }

		cases := []struct {
			action, entityType string
			org                func() *int64
			wantBefore         bool
			change             func() error
		}{
			{"organisation.create", "organisation", orgID, false, func() (err error) {
				org, err = s.CreateOrganisation(ctx, admin, store.Organisation{Slug: "gamma", Name: "Gamma Ambulance", Sector: "ambulance", Nation: "Scotland"})
				return err
			}},
			{"organisation.update", "organisation", orgID, true, func() error {
				org.Region = "North"
				_, err := s.UpdateOrganisation(ctx, admin, org)
				return err
			}},
			{"workforce.set", "workforce", orgID, false, func() error {
				return s.SetWorkforce(ctx, admin, national, store.Workforce{OrganisationID: org.ID, Year: 2026, Officers: 10, Staff: 5})
			}},
			{"workforce.set", "workforce", orgID, true, func() error {
				return s.SetWorkforce(ctx, admin, national, store.Workforce{OrganisationID: org.ID, Year: 2026, Officers: 11, Staff: 5})
			}},
			{"user.create", "user", orgID, false, func() (err error) {
				u, err = s.CreateUser(ctx, admin, national, store.User{Email: "c@gamma.example", DisplayName: "Cee", Role: store.RoleContributor,
					OrganisationID: &org.ID, Sections: []string{"area:LEAD"}, PasswordHash: "PWHASH-one"})
				return err
			}},
			{"user.access", "user", orgID, true, func() error {
				_, err := s.UpdateUserAccess(ctx, admin, national, u.ID, store.RoleOwner, nil)
				return err
			}},
			{"user.password", "user", orgID, true, func() error {
				return s.SetPassword(ctx, admin, national, u.ID, "PWHASH-two")
			}},
			{"password_link.create", "user", orgID, false, func() error {
				return s.CreatePasswordToken(ctx, admin, national, store.PasswordToken{Hash: "LINKHASH-x", UserID: u.ID, ExpiresAt: t0.Add(time.Hour)})
			}},
			{"user.password", "user", orgID, false, func() error {
				_, err := s.UsePasswordToken(ctx, "LINKHASH-x", "PWHASH-one")
				return err
			}},
			{"api_token.create", "api_token", orgID, false, func() (err error) {
				tok, err = s.CreateAPIToken(ctx, admin, store.APIToken{UserID: u.ID, Name: "reporting", Hash: "TOKENHASH-x", Prefix: "abcd1234"})
				return err
			}},
			{"api_token.revoke", "api_token", orgID, true, func() error {
				return s.RevokeAPIToken(ctx, admin, u.ID, tok.ID)
			}},
			{"user.disable", "user", orgID, true, func() error {
				if err := s.CreateSession(ctx, store.Session{Hash: "SESSIONHASH-x", UserID: u.ID, CSRFToken: "CSRF-x", ExpiresAt: t0.Add(time.Hour)}); err != nil {
					return err
				}
				return s.SetUserDisabled(ctx, admin, national, u.ID, true)
			}},
			{"user.enable", "user", orgID, true, func() error {
				return s.SetUserDisabled(ctx, admin, national, u.ID, false)
			}},
			{"signin", "user", orgID, false, func() error {
				return s.LogAudit(ctx, admin, &org.ID, "signin", "user", fmt.Sprint(u.ID), nil, nil)
			}},
		}
		for i, c := range cases {
			ev := lastEvent(t, s, c.change)
			name := fmt.Sprintf("event %d (%s)", i, c.action)
			if ev.Action != c.action || ev.EntityType != c.entityType || ev.EntityID == "" {
				t.Errorf("%s: got action %q on %s %q", name, ev.Action, ev.EntityType, ev.EntityID)
			}
			if ev.OrganisationID == nil || *ev.OrganisationID != *c.org() {
				t.Errorf("%s: organisation %v, want %d", name, ev.OrganisationID, *c.org())
			}
			if !ev.At.Equal(t0) {
				t.Errorf("%s: at %v, want the store clock %v", name, ev.At, t0)
			}
			// Only the use of a link has no before: the person sets it themself.
			self := c.action == "user.password" && !c.wantBefore
			switch {
			case self:
				if ev.ActorUserID == nil || *ev.ActorUserID != u.ID || !strings.Contains(ev.ActorLabel, "set-password link") {
					t.Errorf("%s: actor %v %q, want the person themself", name, ev.ActorUserID, ev.ActorLabel)
				}
			case ev.ActorUserID == nil || *ev.ActorUserID != admin.UserID || ev.ActorLabel != admin.Label || ev.RequestID != "req-9" || ev.IP != "192.0.2.7":
				t.Errorf("%s: actor %v %q %q %q", name, ev.ActorUserID, ev.ActorLabel, ev.RequestID, ev.IP)
			}
			if c.wantBefore != (ev.Before != "") {
				t.Errorf("%s: before = %q", name, ev.Before)
			}
			for _, doc := range []string{ev.Before, ev.After} {
				if doc != "" && !json.Valid([]byte(doc)) {
					t.Errorf("%s: not JSON: %s", name, doc)
				}
			}
		}
		trail := auditText(t, s)
		for _, secret := range secrets {
			if strings.Contains(trail, secret) {
				t.Errorf("the audit trail holds the secret %q", secret)
			}
		}
		for _, key := range []string{`"hash"`, `"password_hash"`, `"csrf_token"`, `"Hash"`, `"PasswordHash"`, `"CSRFToken"`} {
			if strings.Contains(trail, key) {
				t.Errorf("the audit trail has a %s field", key)
			}
		}
	})
}

// auditText is the whole trail as one string, to search for leaks.
func auditText(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	err := s.EachAudit(context.Background(), store.AllOrganisations(), store.AuditFilter{}, func(e store.AuditEvent) error {
		fmt.Fprintf(&b, "%+v\n", e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFailedChangesWriteNoAudit(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		_, before, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{})
		_, err := s.CreateOrganisation(ctx, actor, store.Organisation{Slug: "alpha", Name: "Again", Sector: "police", Nation: "England"})
		wantCode(t, "duplicate slug", err, apperr.ECONFLICT)
		a.Slug = b.Slug
		_, err = s.UpdateOrganisation(ctx, actor, a)
		wantCode(t, "slug taken on update", err, apperr.ECONFLICT)
		err = s.SetWorkforce(ctx, actor, store.Scope{OrgID: b.ID}, store.Workforce{OrganisationID: a.ID, Year: 2026})
		wantCode(t, "workforce out of scope", err, apperr.ENOTFOUND)
		_, err = s.CreateUser(ctx, actor, store.AllOrganisations(), store.User{Email: "bad", DisplayName: "X", Role: store.RoleViewer, OrganisationID: &a.ID})
		wantCode(t, "bad email", err, apperr.EINVALID)
		_, after, _ := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{})
		if after != before {
			t.Errorf("failed changes wrote %d audit events", after-before)
		}
	})
}

// Secrets are kept out of JSON by their types, so no caller can leak them
// into the trail, a log line or an API response by accident.
func TestSecretFieldsNeverMarshal(t *testing.T) {
	values := []any{
		store.User{PasswordHash: "PWHASH-one"},
		store.Session{Hash: "SESSIONHASH-x", CSRFToken: "CSRF-x"},
		store.PasswordToken{Hash: "LINKHASH-x"},
		store.APIToken{Hash: "TOKENHASH-x"},
	}
	fields := map[string]bool{"PasswordHash": true, "Hash": true, "CSRFToken": true}
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range secrets {
			if strings.Contains(string(b), secret) {
				t.Errorf("%T marshals its secret: %s", v, b)
			}
		}
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			f := typ.Field(i)
			if fields[f.Name] && f.Tag.Get("json") != "-" {
				t.Errorf("%s.%s lacks json:\"-\"", typ.Name(), f.Name)
			}
		}
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		db := s.DB().WithContext(ctx)
		for _, sql := range []string{
			"UPDATE audit_events SET action = 'tampered'",
			"UPDATE audit_events SET before = '', after = '' WHERE organisation_id = " + fmt.Sprint(a.ID),
			"DELETE FROM audit_events",
			"DELETE FROM audit_events WHERE organisation_id = " + fmt.Sprint(a.ID),
		} {
			err := db.Exec(sql).Error
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want the append-only trigger's error", sql, err)
			}
		}
		evs, n, err := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{})
		if err != nil || n != 2 || evs[0].Action != "organisation.create" {
			t.Errorf("trail after tampering = %d events %v", n, err)
		}
		// Inserts still work: append-only, not read-only.
		if err := s.LogAudit(ctx, actor, nil, "signin", "user", "1", nil, nil); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAuditFiltersAndOrder(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := useClock(s, t0)
		a, b := twoOrgs(t, s) // two events at t0
		jane := store.Actor{UserID: 7, Label: "Jane"}
		log := func(who store.Actor, org *int64, action, entity string) {
			t.Helper()
			clock.add(time.Minute)
			if err := s.LogAudit(ctx, who, org, action, entity, "1", nil, map[string]int{"n": 1}); err != nil {
				t.Fatal(err)
			}
		}
		log(jane, &a.ID, "signin", "user")              // t0+1m
		log(actor, &a.ID, "workforce.set", "workforce") // t0+2m
		log(jane, &b.ID, "signin", "user")              // t0+3m
		log(jane, nil, "cycle.create", "cycle")         // t0+4m, national
		log(jane, &a.ID, "signout", "user")             // t0+5m

		actions := func(sc store.Scope, f store.AuditFilter) string {
			t.Helper()
			evs, total, err := s.ListAudit(ctx, sc, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range evs {
				out = append(out, e.Action)
			}
			return fmt.Sprintf("%d:%s", total, strings.Join(out, ","))
		}
		aScope := store.Scope{OrgID: a.ID}
		for _, tt := range []struct {
			name string
			sc   store.Scope
			f    store.AuditFilter
			want string
		}{
			{"A's trail, newest first", aScope, store.AuditFilter{}, "4:signout,workforce.set,signin,organisation.create"},
			{"national sees all", store.AllOrganisations(), store.AuditFilter{}, "7:signout,cycle.create,signin,workforce.set,signin,organisation.create,organisation.create"},
			{"from inclusive, to exclusive", store.AllOrganisations(), store.AuditFilter{From: t0.Add(2 * time.Minute), To: t0.Add(4 * time.Minute)}, "2:signin,workforce.set"},
			{"from in another zone", aScope, store.AuditFilter{From: t0.Add(5 * time.Minute).In(time.FixedZone("UTC-11", -11*3600))}, "1:signout"},
			{"to in another zone", aScope, store.AuditFilter{To: t0.Add(time.Minute).In(time.FixedZone("UTC+14", 14*3600))}, "1:organisation.create"},
			{"by actor", aScope, store.AuditFilter{ActorUserID: 7}, "2:signout,signin"},
			{"by entity", store.AllOrganisations(), store.AuditFilter{EntityType: "user"}, "3:signout,signin,signin"},
			{"page", aScope, store.AuditFilter{Limit: 2, Offset: 1}, "4:workforce.set,signin"},
			{"page past the end", aScope, store.AuditFilter{Limit: 2, Offset: 10}, "4:"},
			{"scope of an unknown organisation", store.Scope{OrgID: -1}, store.AuditFilter{}, "0:"},
		} {
			if got := actions(tt.sc, tt.f); got != tt.want {
				t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
			}
		}

		var streamed []string
		err := s.EachAudit(ctx, aScope, store.AuditFilter{ActorUserID: 7}, func(e store.AuditEvent) error {
			streamed = append(streamed, e.Action+"@"+e.At.UTC().Format("15:04"))
			return nil
		})
		if err != nil || strings.Join(streamed, ",") != "signin@09:01,signout@09:05" {
			t.Errorf("EachAudit = %v %v, want oldest first", streamed, err)
		}
		stop := errors.New("stop")
		calls := 0
		err = s.EachAudit(ctx, store.AllOrganisations(), store.AuditFilter{}, func(store.AuditEvent) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("EachAudit went on after an error: %d calls, %v", calls, err)
		}
	})
}

func TestAuditPageSize(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// Inserted in one batch: 520 separate transactions would only be slow.
		rows := make([]store.AuditEvent, 520)
		for i := range rows {
			rows[i] = store.AuditEvent{At: t0.Add(time.Duration(i) * time.Second), ActorLabel: "bulk", Action: "signin", EntityType: "user", EntityID: fmt.Sprint(i)}
		}
		if err := s.DB().WithContext(ctx).CreateInBatches(rows, 200).Error; err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ limit, want int }{{0, 50}, {-1, 50}, {10, 10}, {500, 500}, {501, 500}, {10000, 500}} {
			evs, total, err := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{Limit: tt.limit})
			if err != nil || len(evs) != tt.want || total != 520 {
				t.Errorf("Limit %d: %d events of %d (%v), want %d", tt.limit, len(evs), total, err, tt.want)
			}
		}
		n := 0
		err := s.EachAudit(ctx, store.AllOrganisations(), store.AuditFilter{Limit: 5}, func(e store.AuditEvent) error {
			if e.EntityID != fmt.Sprint(n) {
				return fmt.Errorf("event %d is %s", n, e.EntityID)
			}
			n++
			return nil
		})
		if err != nil || n != 520 {
			t.Errorf("EachAudit streamed %d of 520 in order: %v", n, err)
		}
	})
}

// wantCode checks an error's code, and that its message is one to show.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if apperr.Code(err) != code {
		t.Errorf("%s: got %v (%s), want %s", what, err, apperr.Code(err), code)
	} else if apperr.Message(err) == "" {
		t.Errorf("%s: no message", what)
	}
}
