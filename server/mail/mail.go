// Package mail sends the toolkit's emails: set-password links, reminders of
// what is due and notices of what happened, each in plain text and HTML.
// They go through an SMTP relay (SMTP), or are written to the log when no
// relay is set (Log). Emails carry no health information and no figures
// about people: what is due, when, and a link to it.
//
// The Runner owns the reminder scan: on start and every interval it asks
// what is due, queues what is new in the sent-log (store.QueueMail, which
// makes nothing twice), and sends what is queued; a relay that refuses or
// times out leaves the mail queued for the next run.
package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/bluelight-wellbeing/toolkit/server/config"
)

// Message is one email to one person.
type Message struct {
	To, ToName string
	Subject    string
	Text, HTML string
	// SettingsURL is the person's email settings page, also offered to mail
	// programs as the List-Unsubscribe address.
	SettingsURL string
}

// Sender sends one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends through a relay.
type SMTP struct {
	cfg config.SMTP
	// TLS is the TLS configuration for the relay; nil uses the system's
	// roots and the relay's host name. Tests set it to trust their relay.
	TLS *tls.Config
}

// NewSMTP returns a sender through the relay cfg describes.
func NewSMTP(cfg config.SMTP) *SMTP { return &SMTP{cfg: cfg} }

// Send sends m through the relay, within the timeout and ctx. The error
// names the relay but never the password.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("mail: From address: %w", err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return fmt.Errorf("mail: To address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated") // RFC 3834: no out-of-office replies
	if m.SettingsURL != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.SettingsURL+">")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)

	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	tlsConfig := s.TLS
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	switch s.cfg.Mode {
	case config.SMTPTLS:
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSConfig(tlsConfig))
	case config.SMTPNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithTLSConfig(tlsConfig))
	}
	if s.cfg.User != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if s.cfg.Mode == config.SMTPNone {
			auth = gomail.SMTPAuthPlainNoEnc // the operator chose no encryption for a relay on this machine
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.cfg.User), gomail.WithPassword(s.cfg.Password))
	}
	client, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail: relay %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}
	if s.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.Timeout)
		defer cancel()
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: relay %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}
	return nil
}

// Log writes emails to the log instead of sending them, when no relay is
// set (in development).
type Log struct{ Log *slog.Logger }

// Send logs m: whom it is for, its subject and its plain text.
func (l Log) Send(ctx context.Context, m Message) error {
	l.Log.InfoContext(ctx, "email not sent (no SMTP_HOST): written here instead", "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}

// retryAfter is how long a mail waits after its nth failed attempt: 5
// minutes doubling up to 6 hours.
func retryAfter(attempts int) time.Duration {
	d := 5 * time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}
