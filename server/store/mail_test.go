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

func mailPerson(t *testing.T, s *store.Store, email string) store.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), store.SystemActor("test"), store.AllOrganisations(), store.User{Email: email, DisplayName: "Mail Person", Role: store.RoleNationalAdmin})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The sent-log's key (person, kind, item, due date) makes each reminder
// once, however often it is queued and by however many instances at once.
func TestMailIsQueuedOnceAndClaimedByOneInstance(t *testing.T) {
	storetest.ForEachDialectShared(t, func(t *testing.T, s, other *store.Store) {
		ctx := context.Background()
		u := mailPerson(t, s, "once@npws.example")
		m := store.Mail{UserID: u.ID, Kind: "risk.review_due", Item: "role:1:RL-01", Due: "2027-03-12", Subject: "Due", Body: "Due soon.", Link: "/risk", Frequency: store.MailImmediate}
		var wg sync.WaitGroup
		added := make([]int, 2)
		for i, st := range []*store.Store{s, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := st.QueueMail(ctx, []store.Mail{m, m})
				if err != nil {
					t.Error(err)
				}
				added[i] = n
			}()
		}
		wg.Wait()
		if added[0]+added[1] != 1 {
			t.Fatalf("queued %v times, want once in all", added)
		}
		later := m
		later.Due = "2027-09-12" // the next review is a new reminder
		if n, err := s.QueueMail(ctx, []store.Mail{later}); err != nil || n != 1 {
			t.Fatalf("a new due date queued %d, %v", n, err)
		}

		var claimed [2][]store.Mail
		for i, st := range []*store.Store{s, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := st.ClaimImmediateMail(ctx, 10)
				if err != nil {
					t.Error(err)
				}
				claimed[i] = c
			}()
		}
		wg.Wait()
		if len(claimed[0])+len(claimed[1]) != 2 {
			t.Fatalf("claimed %d and %d, want the two mails once between them", len(claimed[0]), len(claimed[1]))
		}
		if again, _ := s.ClaimImmediateMail(ctx, 10); len(again) != 0 {
			t.Errorf("claimed %d mails twice while held", len(again))
		}
		// An instance that died holding a mail leaves it to another after the lease.
		now := s.Now()
		s.Now = func() time.Time { return now.Add(store.MailLease + time.Second) }
		if again, _ := s.ClaimImmediateMail(ctx, 10); len(again) != 2 || again[0].Attempts != 2 {
			t.Errorf("after the lease: %+v", again)
		}
	})
}

func TestMailFailuresAreKeptAndGivenUp(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mailPerson(t, s, "retry@npws.example")
		now := time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		off := store.Mail{UserID: u.ID, Kind: "ok9.welfare_due", Item: "dog:1", Due: "2027-03-10", Subject: "s", Body: "b", Link: "/", Frequency: store.MailOff}
		m := store.Mail{UserID: u.ID, Kind: "ok9.welfare_due", Item: "dog:2", Due: "2027-03-10", Subject: "s", Body: "b", Link: "/", Frequency: store.MailImmediate}
		if _, err := s.QueueMail(ctx, []store.Mail{off, m}); err != nil {
			t.Fatal(err)
		}
		for i := range store.MailGiveUpAfter {
			c, err := s.ClaimImmediateMail(ctx, 10)
			if err != nil || len(c) != 1 || c[0].Item != "dog:2" {
				t.Fatalf("attempt %d claimed %+v, %v", i+1, c, err)
			}
			if err := s.MarkMailFailed(ctx, []int64{c[0].ID}, "451 try again later", now.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			now = now.Add(2 * time.Minute)
		}
		log, err := s.MailFor(ctx, u.ID)
		if err != nil || len(log) != 2 {
			t.Fatalf("log %+v %v", log, err)
		}
		if log[0].Status != store.MailSkipped || log[1].Status != store.MailFailed || log[1].Attempts != store.MailGiveUpAfter || log[1].LastError != "451 try again later" {
			t.Errorf("log: %+v", log)
		}
		if c, _ := s.ClaimImmediateMail(ctx, 10); len(c) != 0 {
			t.Errorf("a mail given up on was claimed again")
		}
	})
}

func TestMailPreferencesAndSettingsToken(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mailPerson(t, s, "prefs@npws.example")
		tok, err := s.MailSettingsToken(ctx, u.ID)
		if err != nil || len(tok) != 48 {
			t.Fatalf("token %q %v", tok, err)
		}
		if again, _ := s.MailSettingsToken(ctx, u.ID); again != tok {
			t.Errorf("the token changed: a link in an older email would stop working")
		}
		if got, err := s.UserByMailToken(ctx, tok); err != nil || got.ID != u.ID {
			t.Errorf("UserByMailToken = %v, %v", got.ID, err)
		}
		if _, err := s.UserByMailToken(ctx, strings.Repeat("0", 48)); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("unknown token: %v", err)
		}
		a := store.SystemActor("test")
		if err := s.SaveMailPreferences(ctx, a, u.ID, map[string]string{"risk": store.MailWeekly, "ok9": "hourly"}); apperr.Code(err) != apperr.EINVALID || !strings.Contains(apperr.Message(err), "OK9 wellbeing dogs") {
			t.Errorf("a bad frequency: %v", err)
		}
		if err := s.SaveMailPreferences(ctx, a, u.ID, map[string]string{"payroll": store.MailWeekly}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("an unknown category: %v", err)
		}
		prefs, _ := s.MailPreferences(ctx, u.ID)
		if prefs["risk"] != store.MailImmediate || prefs["ok9"] != store.MailImmediate {
			t.Errorf("refused changes changed the settings: %v", prefs)
		}
		// Reminders still queued follow the new choice.
		queued := []store.Mail{
			{UserID: u.ID, Kind: "risk.review_due", Item: "role:1:RL-01", Due: "2027-03-12", Subject: "s", Body: "b", Link: "/", Frequency: store.MailImmediate},
			{UserID: u.ID, Kind: "ok9.welfare_due", Item: "dog:1", Due: "2027-03-12", Subject: "s", Body: "b", Link: "/", Frequency: store.MailImmediate},
			{UserID: u.ID, Kind: "mutual_aid.offer", Item: "offer:1", Due: "2027-03-12", Subject: "s", Body: "b", Link: "/", Frequency: store.MailImmediate},
		}
		if _, err := s.QueueMail(ctx, queued); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveMailPreferences(ctx, a, u.ID, map[string]string{"risk": store.MailWeekly, "ok9": store.MailOff}); err != nil {
			t.Fatal(err)
		}
		log, _ := s.MailFor(ctx, u.ID)
		if len(log) != 3 || log[0].Frequency != store.MailWeekly || log[0].Status != store.MailQueued || log[1].Status != store.MailSkipped || log[2].Frequency != store.MailImmediate {
			t.Errorf("queued mails after the change: %+v", log)
		}
		if err := s.SaveMailPreferences(ctx, a, u.ID, map[string]string{"risk": store.MailOff}); err != nil {
			t.Fatal(err)
		}
		prefs, _ = s.MailPreferences(ctx, u.ID)
		if prefs["risk"] != store.MailOff || prefs["ok9"] != store.MailOff || prefs["mutual_aid"] != store.MailImmediate {
			t.Errorf("settings %v", prefs)
		}
		events, _, err := s.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{EntityType: "user"})
		n := 0
		for _, ev := range events {
			if ev.Action == "user.mail_preferences" {
				n++
			}
		}
		if err != nil || n != 2 {
			t.Errorf("%d audit events of saved settings, want 2 (%v)", n, err)
		}
		// A disabled account's link stops working.
		if err := s.SetUserDisabled(ctx, a, store.AllOrganisations(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserByMailToken(ctx, tok); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("a disabled person's token: %v", err)
		}
	})
}
