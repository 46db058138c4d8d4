package mail

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Scan lists every reminder and notice due now, with each person's chosen
// frequency; those already in the sent-log are left out when queued.
type Scan func(ctx context.Context) ([]store.Mail, error)

// DigestDay is the day weekly digests go out.
const DigestDay = time.Monday

// Runner runs the reminder scan and sends what is queued. A background job
// (ScanWorker) runs it every reminder interval; tests and commands run it
// when they choose.
type Runner struct {
	store    *store.Store
	sender   Sender
	scan     Scan
	linkBase string
	log      *slog.Logger
	run      sync.Mutex // one run at a time in this process
}

// NewRunner returns a Runner that sends through sender, with links that
// start with linkBase.
func NewRunner(st *store.Store, sender Sender, scan Scan, linkBase string, log *slog.Logger) *Runner {
	return &Runner{store: st, sender: sender, scan: scan, linkBase: strings.TrimRight(linkBase, "/"), log: log}
}

// Result counts what one run did.
type Result struct {
	Queued, Sent, Failed int
}

// RunOnce scans, queues what is new, and sends what is queued: immediate
// mails now, and each person's weekly digest on DigestDay. A relay that
// fails leaves the mail queued for a later run; the error of the run is
// only for the scan and the database.
func (r *Runner) RunOnce(ctx context.Context) (Result, error) {
	r.run.Lock()
	defer r.run.Unlock()
	var res Result
	mails, err := r.scan(ctx)
	if err != nil {
		return res, err
	}
	if res.Queued, err = r.store.QueueMail(ctx, mails); err != nil {
		return res, err
	}
	if err := r.sendImmediate(ctx, &res); err != nil {
		return res, err
	}
	if r.store.Now().UTC().Weekday() == DigestDay {
		if err := r.sendDigests(ctx, &res); err != nil {
			return res, err
		}
	}
	if res.Queued+res.Sent+res.Failed > 0 {
		r.log.InfoContext(ctx, "reminder scan", "queued", res.Queued, "sent", res.Sent, "failed", res.Failed)
	}
	return res, nil
}

func (r *Runner) sendImmediate(ctx context.Context, res *Result) error {
	for {
		claimed, err := r.store.ClaimImmediateMail(ctx, 100)
		if err != nil || len(claimed) == 0 {
			return err
		}
		for i, m := range claimed {
			err := r.deliver(ctx, m.UserID, claimed[i:i+1], m.Subject, "")
			if err != nil {
				// The relay is down or refusing: leave the rest for the next run
				// rather than wait on it once per mail.
				res.Failed += len(claimed) - i
				return r.failed(ctx, claimed[i:], err)
			}
			res.Sent++
		}
	}
}

func (r *Runner) sendDigests(ctx context.Context, res *Result) error {
	byUser, err := r.store.ClaimDigests(ctx)
	if err != nil {
		return err
	}
	for uid, mails := range byUser {
		subject := "Your weekly summary: " + Plural(len(mails), "reminder", "reminders")
		if err := r.deliver(ctx, uid, mails, subject, "Here is what came up for you this week."); err != nil {
			res.Failed += len(mails)
			if err := r.failed(ctx, mails, err); err != nil {
				return err
			}
			continue
		}
		res.Sent += len(mails)
	}
	return nil
}

// deliver sends mails to the person as one email and marks them sent. A
// person disabled since the mail was made gets nothing.
func (r *Runner) deliver(ctx context.Context, userID int64, mails []store.Mail, subject, intro string) error {
	ids := make([]int64, len(mails))
	for i, m := range mails {
		ids[i] = m.ID
	}
	u, err := r.store.UserByID(ctx, store.AllOrganisations(), userID)
	if apperr.Code(err) == apperr.ENOTFOUND || err == nil && (u.DisabledAt != nil || u.Clash()) {
		return r.store.SkipMail(ctx, ids)
	}
	if err != nil {
		return err
	}
	settings, err := r.SettingsURL(ctx, userID)
	if err != nil {
		return err
	}
	e := Email{Subject: subject, Name: u.DisplayName, Intro: intro, SettingsURL: settings}
	if intro == "" {
		e.Intro = "This is a reminder from the " + service + "."
	}
	for _, m := range mails {
		e.Notices = append(e.Notices, Notice{Title: m.Subject, Body: m.Body, Link: r.linkBase + m.Link})
	}
	msg, err := Render(u.Email, e)
	if err != nil {
		return err
	}
	if err := r.sender.Send(ctx, msg); err != nil {
		return err
	}
	return r.store.MarkMailSent(ctx, ids)
}

// failed records why the mails did not go and when they are tried again.
func (r *Runner) failed(ctx context.Context, mails []store.Mail, sendErr error) error {
	ids := make([]int64, len(mails))
	attempts := 1
	for i, m := range mails {
		ids[i] = m.ID
		attempts = max(attempts, m.Attempts)
	}
	retry := r.store.Now().Add(retryAfter(attempts))
	r.log.WarnContext(ctx, "emails not sent; they stay queued", "emails", len(ids), "retry_at", retry.UTC().Format(time.RFC3339), "err", sendErr)
	return r.store.MarkMailFailed(context.WithoutCancel(ctx), ids, sendErr.Error(), retry)
}

// SettingsURL is the link to the person's email settings page.
func (r *Runner) SettingsURL(ctx context.Context, userID int64) (string, error) {
	token, err := r.store.MailSettingsToken(ctx, userID)
	if err != nil {
		return "", err
	}
	return r.linkBase + "/email-settings/" + token, nil
}

// ScanArgs is the job of one reminder scan, queued every reminder interval
// by the instance that leads the job queue, so it runs once however many
// instances there are.
type ScanArgs struct{}

func (ScanArgs) Kind() string { return "reminder_scan" }

// ScanWorker runs the scan. Emails the relay refuses stay queued in the
// outbox and are tried again with backoff at later scans; a scan that
// cannot read the database fails and River tries it again.
type ScanWorker struct {
	river.WorkerDefaults[ScanArgs]
	Runner *Runner
}

func (w *ScanWorker) Work(ctx context.Context, _ *river.Job[ScanArgs]) error {
	_, err := w.Runner.RunOnce(ctx)
	return err
}
