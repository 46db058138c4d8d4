package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// How often a person receives a category of email.
const (
	MailImmediate = "immediate"
	MailWeekly    = "weekly"
	MailOff       = "off"
)

// MailFrequencies lists the choices, first the default.
var MailFrequencies = []string{MailImmediate, MailWeekly, MailOff}

// Mail statuses: queued to be sent (again, after a failure), sent, skipped
// because the person chose not to receive its category, or failed for good.
const (
	MailQueued  = "queued"
	MailSent    = "sent"
	MailSkipped = "skipped"
	MailFailed  = "failed"
)

// MailCategory is a group of emails a person chooses to receive or not, as
// the email settings page lists them. A mail kind belongs to the category
// named before its first dot ("risk.review_due" is "risk").
type MailCategory struct{ Key, Label, Hint string }

// MailCategories are the choices on the email settings page. Set-password
// links are not among them: they are always sent.
var MailCategories = []MailCategory{
	{"risk", "Role risk reviews and screening", "When a role's risk review or screening is due within 30 days, and when it is overdue."},
	{"ok9", "OK9 wellbeing dogs", "When the scheme's insurance or risk assessment review, or a dog's welfare check, is due within 30 days or overdue."},
	{"annual_return", "The annual self-assessment", "When a cycle opens, when it closes within 14 days, and when the national team returns your assessment."},
	{"mutual_aid", "OK9 mutual aid", "Requests for dogs, offers to lend yours, and answers to your requests."},
}

// CategoryOf is the category of a mail kind.
func CategoryOf(kind string) string {
	cat, _, _ := strings.Cut(kind, ".")
	return cat
}

func knownCategory(key string) bool {
	for _, c := range MailCategories {
		if c.Key == key {
			return true
		}
	}
	return false
}

type mailSetting struct {
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Token     string
	CreatedAt time.Time
}

func (mailSetting) TableName() string { return "mail_settings" }

type mailPreference struct {
	UserID    int64  `gorm:"primaryKey;autoIncrement:false"`
	Kind      string `gorm:"primaryKey"`
	Frequency string
}

func (mailPreference) TableName() string { return "mail_preferences" }

// MailSettingsToken returns the token of the person's email settings link,
// making one the first time. It lets whoever holds it change which emails
// the person receives, and nothing else, so it is kept as it is (every
// email carries it) rather than hashed like tokens that sign in.
func (s *Store) MailSettingsToken(ctx context.Context, userID int64) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	db := s.db.WithContext(ctx)
	row := mailSetting{UserID: userID, Token: hex.EncodeToString(b), CreatedAt: s.now()}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return "", err
	}
	var got mailSetting
	if err := db.Where("user_id = ?", userID).First(&got).Error; err != nil {
		return "", err
	}
	return got.Token, nil
}

// UserByMailToken returns the person whose email settings link carries the
// token. A disabled account, or an invitation that clashes with another
// account, has no settings to change.
func (s *Store) UserByMailToken(ctx context.Context, token string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("id = (SELECT user_id FROM mail_settings WHERE token = ?) AND disabled_at IS NULL AND clash_user_id IS NULL", token).First(&u).Error
	return u, notFound(err, "email settings link")
}

// MailPreferences returns the person's choice for every category; a
// category never chosen is sent at once.
func (s *Store) MailPreferences(ctx context.Context, userID int64) (map[string]string, error) {
	return s.mailPreferences(s.db.WithContext(ctx), []int64{userID}, userID)
}

// AllMailPreferences returns every person's choices, by person, for the
// reminder scan; categories never chosen are missing (sent at once).
func (s *Store) AllMailPreferences(ctx context.Context) (map[int64]map[string]string, error) {
	var rows []mailPreference
	if err := s.db.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[int64]map[string]string{}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]string{}
		}
		out[r.UserID][r.Kind] = r.Frequency
	}
	return out, nil
}

func (s *Store) mailPreferences(db *gorm.DB, ids []int64, userID int64) (map[string]string, error) {
	var rows []mailPreference
	if err := db.Where("user_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range MailCategories {
		out[c.Key] = MailImmediate
	}
	for _, r := range rows {
		if r.UserID == userID && knownCategory(r.Kind) {
			out[r.Kind] = r.Frequency
		}
	}
	return out, nil
}

// SaveMailPreferences records the person's choices. An unknown category or
// frequency changes nothing and names the category. Reminders still queued
// follow the new choice at once (never: they are skipped); those sent stay
// sent.
func (s *Store) SaveMailPreferences(ctx context.Context, a Actor, userID int64, prefs map[string]string) error {
	for cat, freq := range prefs {
		if !knownCategory(cat) {
			return apperr.Errorf(apperr.EINVALID, "There is no email category %q", cat)
		}
		valid := false
		for _, f := range MailFrequencies {
			valid = valid || f == freq
		}
		if !valid {
			return apperr.Errorf(apperr.EINVALID, "Choose how often to receive emails about %s", categoryLabel(cat))
		}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.First(&u, userID).Error; err != nil {
			return notFound(err, "person")
		}
		before, err := s.mailPreferences(tx, []int64{userID}, userID)
		if err != nil {
			return err
		}
		for cat, freq := range prefs {
			row := mailPreference{UserID: userID, Kind: cat, Frequency: freq}
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}, {Name: "kind"}}, DoUpdates: clause.AssignmentColumns([]string{"frequency"})}).Create(&row).Error; err != nil {
				return err
			}
			queued := tx.Model(&Mail{}).Where("user_id = ? AND status = ? AND kind LIKE ?", userID, MailQueued, cat+".%")
			change := map[string]any{"frequency": freq}
			if freq == MailOff {
				change["status"] = MailSkipped
			}
			if err := queued.Updates(change).Error; err != nil {
				return err
			}
		}
		after, err := s.mailPreferences(tx, []int64{userID}, userID)
		if err != nil {
			return err
		}
		return s.audit(tx, a, u.OrganisationID, "user.mail_preferences", "user", itoa(userID), before, after)
	})
}

func categoryLabel(key string) string {
	for _, c := range MailCategories {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

// Mail is one reminder or notice for one person: a row of the sent-log,
// which is also the outbox. (UserID, Kind, Item, Due) is unique, so the same
// reminder is never made twice.
type Mail struct {
	ID            int64
	UserID        int64
	Kind          string // e.g. "risk.review_due"; its category is before the dot
	Item          string // what it is about, e.g. "role:12:firearms"
	Due           string // the date it is about, YYYY-MM-DD, or ""
	Subject       string
	Body          string // plain text, one paragraph
	Link          string // path in the app, e.g. "/risk/roles/firearms"
	Frequency     string
	Status        string
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	CreatedAt     time.Time
	SentAt        *time.Time
}

// TableName is fixed by the migrations.
func (Mail) TableName() string { return "mail_log" }

// QueueMail adds the mails that are not in the log yet and returns how many
// were added. A mail whose Frequency is off goes in as skipped, so turning
// the category on later does not send old reminders.
func (s *Store) QueueMail(ctx context.Context, mails []Mail) (int, error) {
	if len(mails) == 0 {
		return 0, nil
	}
	now := s.now()
	added := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, m := range mails {
			m.ID, m.Attempts, m.LastError, m.SentAt = 0, 0, "", nil
			m.Status, m.CreatedAt, m.NextAttemptAt = MailQueued, now, now
			if m.Frequency == MailOff {
				m.Status = MailSkipped
			}
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&m)
			if res.Error != nil {
				return res.Error
			}
			added += int(res.RowsAffected)
		}
		return nil
	})
	return added, err
}

// MailLease is how long a claimed mail is held by the instance sending it:
// if that instance dies, another sends the mail after this.
const MailLease = 10 * time.Minute

// claim takes the queued mail for this instance: it moves the next attempt
// past the lease, counting the attempt, only if no one else has.
func (s *Store) claim(db *gorm.DB, ids []int64, now time.Time) ([]Mail, error) {
	var out []Mail
	for _, id := range ids {
		res := db.Model(&Mail{}).Where("id = ? AND status = ? AND next_attempt_at <= ?", id, MailQueued, now).
			Updates(map[string]any{"next_attempt_at": now.Add(MailLease), "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil {
			return out, res.Error
		}
		if res.RowsAffected == 1 {
			var m Mail
			if err := db.First(&m, id).Error; err != nil {
				return out, err
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// ClaimImmediateMail claims up to limit queued mails to be sent now, oldest
// first. Each is held for MailLease; MarkMailSent or MarkMailFailed ends it.
func (s *Store) ClaimImmediateMail(ctx context.Context, limit int) ([]Mail, error) {
	now := s.now()
	db := s.db.WithContext(ctx)
	var ids []int64
	if err := db.Model(&Mail{}).Where("status = ? AND frequency = ? AND next_attempt_at <= ?", MailQueued, MailImmediate, now).
		Order("id").Limit(limit).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	return s.claim(db, ids, now)
}

// DigestGap is the least time between two weekly digests to one person.
const DigestGap = 6 * 24 * time.Hour

// ClaimDigests claims, person by person, the queued weekly mails of those
// who have had no digest for DigestGap. The caller decides the day.
func (s *Store) ClaimDigests(ctx context.Context) (map[int64][]Mail, error) {
	now := s.now()
	db := s.db.WithContext(ctx)
	var users []int64
	if err := db.Model(&Mail{}).Distinct("user_id").Where("status = ? AND frequency = ? AND next_attempt_at <= ?", MailQueued, MailWeekly, now).
		Order("user_id").Pluck("user_id", &users).Error; err != nil {
		return nil, err
	}
	out := map[int64][]Mail{}
	for _, uid := range users {
		var recent int64
		if err := db.Model(&Mail{}).Where("user_id = ? AND frequency = ? AND status = ? AND sent_at > ?", uid, MailWeekly, MailSent, now.Add(-DigestGap)).
			Count(&recent).Error; err != nil {
			return nil, err
		}
		if recent > 0 {
			continue
		}
		var ids []int64
		if err := db.Model(&Mail{}).Where("user_id = ? AND status = ? AND frequency = ? AND next_attempt_at <= ?", uid, MailQueued, MailWeekly, now).
			Order("id").Pluck("id", &ids).Error; err != nil {
			return nil, err
		}
		claimed, err := s.claim(db, ids, now)
		if err != nil {
			return nil, err
		}
		if len(claimed) > 0 {
			out[uid] = claimed
		}
	}
	return out, nil
}

// MarkMailSent records that the mails went.
func (s *Store) MarkMailSent(ctx context.Context, ids []int64) error {
	now := s.now()
	return s.db.WithContext(ctx).Model(&Mail{}).Where("id IN ?", ids).
		Updates(map[string]any{"status": MailSent, "sent_at": now, "last_error": ""}).Error
}

// MailGiveUpAfter is how many attempts a mail gets before it is marked
// failed for good.
const MailGiveUpAfter = 20

// MarkMailFailed records why the mails did not go and when to try again:
// they stay queued until MailGiveUpAfter attempts. The reason must not
// carry secrets (the relay's password is never in it).
func (s *Store) MarkMailFailed(ctx context.Context, ids []int64, reason string, retryAt time.Time) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	db := s.db.WithContext(ctx)
	if err := db.Model(&Mail{}).Where("id IN ? AND status = ?", ids, MailQueued).
		Updates(map[string]any{"last_error": reason, "next_attempt_at": retryAt.UTC()}).Error; err != nil {
		return err
	}
	return db.Model(&Mail{}).Where("id IN ? AND status = ? AND attempts >= ?", ids, MailQueued, MailGiveUpAfter).
		Update("status", MailFailed).Error
}

// MailFor lists the person's mails, oldest first, for tests and support.
func (s *Store) MailFor(ctx context.Context, userID int64) ([]Mail, error) {
	var out []Mail
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&out).Error
	return out, err
}

// ReturnedAssessments lists the audit events of assessments the national
// team returned since the time, oldest first, for the reminder scan.
func (s *Store) ReturnedAssessments(ctx context.Context, since time.Time) ([]AuditEvent, error) {
	var out []AuditEvent
	err := s.db.WithContext(ctx).Where("action = ? AND at >= ?", "assessment.returned", since.UTC()).Order("id").Find(&out).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return out, err
}

// SkipMail marks mails that will not be sent (the person was disabled).
func (s *Store) SkipMail(ctx context.Context, ids []int64) error {
	return s.db.WithContext(ctx).Model(&Mail{}).Where("id IN ?", ids).Update("status", MailSkipped).Error
}
