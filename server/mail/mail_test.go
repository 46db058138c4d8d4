package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/config"
	"github.com/bluelight-wellbeing/toolkit/server/mail"
	"github.com/bluelight-wellbeing/toolkit/server/mail/mailtest"
)

func message(t *testing.T) mail.Message {
	t.Helper()
	m, err := mail.Render("sam.jones@alpha.example", mail.Email{Subject: "Screening for Firearms officer is due on 3 March 2027", Name: "Sam Jones",
		Intro:       "This is a reminder from the Blue Light Wellbeing Toolkit.",
		Notices:     []mail.Notice{{Title: "Screening for Firearms officer <due>", Body: "Psychological screening for the role is due on 3 March 2027.", Link: "https://wellbeing.example.org/risk/roles/firearms?a=1&b=2"}},
		SettingsURL: "https://wellbeing.example.org/email-settings/abc123"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Each mode reaches a real relay on loopback, signs in, and the message
// arrives with its headers and both parts intact.
func TestSendThroughARealRelay(t *testing.T) {
	for _, mode := range []string{config.SMTPStartTLS, config.SMTPTLS, config.SMTPNone} {
		t.Run(mode, func(t *testing.T) {
			relay := mailtest.Start(t, mode, "toolkit", "relay password 1")
			if err := relay.Sender().Send(context.Background(), message(t)); err != nil {
				t.Fatal(err)
			}
			got := relay.Messages()
			if len(got) != 1 {
				t.Fatalf("%d messages arrived, want 1", len(got))
			}
			m := got[0]
			if m.From != "toolkit@wellbeing.test" || len(m.To) != 1 || m.To[0] != "sam.jones@alpha.example" {
				t.Errorf("envelope from %q to %q", m.From, m.To)
			}
			for h, want := range map[string]string{"Subject": "Screening for Firearms officer is due on 3 March 2027", "From": `"Wellbeing toolkit" <toolkit@wellbeing.test>`,
				"To": `"Sam Jones" <sam.jones@alpha.example>`, "List-Unsubscribe": "<https://wellbeing.example.org/email-settings/abc123>", "Auto-Submitted": "auto-generated"} {
				if got := m.Header.Get(h); got != want {
					t.Errorf("%s: %q, want %q", h, got, want)
				}
			}
			if m.Header.Get("Message-Id") == "" || m.Header.Get("Date") == "" {
				t.Errorf("no Message-ID or Date: %v", m.Header)
			}
			if m.ContentType != "multipart/alternative" {
				t.Errorf("Content-Type %s", m.ContentType)
			}
			for _, want := range []string{"Hello Sam Jones,", "Screening for Firearms officer <due>", "https://wellbeing.example.org/risk/roles/firearms?a=1&b=2", "Choose which emails you receive, and how often: https://wellbeing.example.org/email-settings/abc123"} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("plain text lacks %q:\n%s", want, m.Text)
				}
			}
			for _, want := range []string{"Screening for Firearms officer &lt;due&gt;", `href="https://wellbeing.example.org/risk/roles/firearms?a=1&amp;b=2"`, `href="https://wellbeing.example.org/email-settings/abc123"`, `<html lang="en">`} {
				if !strings.Contains(m.HTML, want) {
					t.Errorf("HTML lacks %q:\n%s", want, m.HTML)
				}
			}
		})
	}
}

func TestRelayFaults(t *testing.T) {
	relay := mailtest.Start(t, config.SMTPStartTLS, "toolkit", "relay password 1")

	t.Run("wrong password", func(t *testing.T) {
		cfg := relay.Config()
		cfg.Password = "not the password"
		s := mail.NewSMTP(cfg)
		s.TLS = relay.ClientTLS
		err := s.Send(context.Background(), message(t))
		if err == nil || strings.Contains(err.Error(), "not the password") || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("error %v: want a refusal naming the relay and not the password", err)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		s := mail.NewSMTP(relay.Config()) // the system's roots do not trust the test relay
		if err := s.Send(context.Background(), message(t)); err == nil {
			t.Error("sent to a relay whose certificate is not trusted")
		}
	})
	t.Run("refused", func(t *testing.T) {
		relay.Refuse(true)
		defer relay.Refuse(false)
		if err := relay.Sender().Send(context.Background(), message(t)); err == nil || !strings.Contains(err.Error(), "451") {
			t.Errorf("error %v, want the relay's 451", err)
		}
	})
	t.Run("times out", func(t *testing.T) {
		cfg := relay.Config()
		cfg.Port, cfg.Timeout = mailtest.Silent(t), 500*time.Millisecond
		start := time.Now()
		err := mail.NewSMTP(cfg).Send(context.Background(), message(t))
		if err == nil {
			t.Fatal("sent to a relay that never answers")
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("gave up after %v, want about the timeout", d)
		}
	})
	if n := len(relay.Messages()); n != 0 {
		t.Errorf("%d messages arrived through faults", n)
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 reminders", 1: "1 reminder", 2: "2 reminders"} {
		if got := mail.Plural(n, "reminder", "reminders"); got != want {
			t.Errorf("Plural(%d) = %q", n, got)
		}
	}
}
