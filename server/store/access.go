package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Session is a signed-in browser. Only the hash of the cookie's token is
// stored, so a copy of the database cannot be used to sign in.
type Session struct {
	Hash       string `gorm:"primaryKey"`
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// PasswordToken is a single-use set-password link, stored by its hash.
type PasswordToken struct {
	Hash      string `gorm:"primaryKey" json:"-"`
	UserID    int64  `json:"user_id"`
	CreatedBy int64  `json:"created_by"`
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// APIToken lets a person's own systems use the API as them.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Hash       string     `json:"-"`
	Prefix     string     `json:"prefix"` // the token's first characters, to recognise it in lists
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	return s.db.WithContext(ctx).Create(&sess).Error
}

// SessionByHash returns a live session and its person; an expired session,
// or one whose person is disabled, is not found.
func (s *Store) SessionByHash(ctx context.Context, hash string) (Session, User, error) {
	var sess Session
	var u User
	db := s.db.WithContext(ctx)
	if err := db.Where("hash = ? AND expires_at > ?", hash, s.now()).First(&sess).Error; err != nil {
		return sess, u, notFound(err, "session")
	}
	if err := db.Where("disabled_at IS NULL").First(&u, sess.UserID).Error; err != nil {
		return sess, u, notFound(err, "session")
	}
	return sess, u, nil
}

// TouchSession records activity, for the idle time-out.
func (s *Store) TouchSession(ctx context.Context, hash string) error {
	return s.db.WithContext(ctx).Model(&Session{}).Where("hash = ?", hash).Update("last_seen_at", s.now()).Error
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	return s.db.WithContext(ctx).Where("hash = ?", hash).Delete(&Session{}).Error
}

// DeleteSessionsIdleSince removes sessions unused since before, and expired
// ones: housekeeping.
func (s *Store) DeleteSessionsIdleSince(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("last_seen_at < ? OR expires_at <= ?", before.UTC(), s.now()).Delete(&Session{})
	return res.RowsAffected, res.Error
}

// CreatePasswordToken stores a set-password link for a person in scope.
func (s *Store) CreatePasswordToken(ctx context.Context, a Actor, sc Scope, t PasswordToken) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := s.userQuery(tx, sc).First(&u, t.UserID).Error; err != nil {
			return notFound(err, "person")
		}
		t.UsedAt = nil
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return s.audit(tx, a, u.orgID(), "password_link.create", "user", strconv.FormatInt(u.ID, 10), nil, map[string]any{"expires_at": t.ExpiresAt})
	})
}

var errLinkUsed = apperr.Errorf(apperr.EINVALID, "This link has expired or has already been used")

// PasswordTokenByHash returns an unused, unexpired link and its person.
func (s *Store) PasswordTokenByHash(ctx context.Context, hash string) (PasswordToken, User, error) {
	var t PasswordToken
	var u User
	db := s.db.WithContext(ctx)
	if err := db.Where("hash = ? AND used_at IS NULL AND expires_at > ?", hash, s.now()).First(&t).Error; err != nil {
		return t, u, notFound(err, "link")
	}
	if err := db.Where("disabled_at IS NULL").First(&u, t.UserID).Error; err != nil {
		return t, u, notFound(err, "link")
	}
	return t, u, nil
}

// UsePasswordToken sets the person's password through a link, once: the
// link is marked used in the same transaction, and their sessions end.
func (s *Store) UsePasswordToken(ctx context.Context, hash, passwordHash string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now()
		// The conditional update is the lock: of two racing uses, one wins.
		res := tx.Model(&PasswordToken{}).Where("hash = ? AND used_at IS NULL AND expires_at > ?", hash, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errLinkUsed
		}
		var t PasswordToken
		if err := tx.Where("hash = ?", hash).First(&t).Error; err != nil {
			return err
		}
		if err := tx.Where("disabled_at IS NULL").First(&u, t.UserID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errLinkUsed
			}
			return err
		}
		u.PasswordHash = passwordHash
		if err := tx.Model(&User{ID: u.ID}).Select("password_hash", "updated_at").Updates(&u).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return s.audit(tx, Actor{UserID: u.ID, Label: u.DisplayName + " (set-password link)"}, u.orgID(), "user.password", "user", strconv.FormatInt(u.ID, 10), nil, nil)
	})
	return u, err
}

// CreateAPIToken stores a new token for its owner.
func (s *Store) CreateAPIToken(ctx context.Context, a Actor, t APIToken) (APIToken, error) {
	t.ID, t.CreatedAt, t.LastUsedAt, t.RevokedAt = 0, s.now(), nil, nil
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.First(&u, t.UserID).Error; err != nil {
			return notFound(err, "person")
		}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return s.audit(tx, a, u.orgID(), "api_token.create", "api_token", strconv.FormatInt(t.ID, 10), nil, t)
	})
	return t, err
}

// ListAPITokens lists a person's own tokens, newest first.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var out []APIToken
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// RevokeAPIToken revokes one of the person's own tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, a Actor, userID, tokenID int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t APIToken
		if err := tx.Where("user_id = ?", userID).First(&t, tokenID).Error; err != nil {
			return notFound(err, "token")
		}
		if t.RevokedAt != nil {
			return nil
		}
		before := t
		now := s.now()
		t.RevokedAt = &now
		if err := tx.Model(&APIToken{ID: t.ID}).Update("revoked_at", now).Error; err != nil {
			return err
		}
		var u User
		if err := tx.First(&u, userID).Error; err != nil {
			return err
		}
		return s.audit(tx, a, u.orgID(), "api_token.revoke", "api_token", strconv.FormatInt(t.ID, 10), before, t)
	})
}

// APITokenByHash finds a live token and its person, and notes its use.
func (s *Store) APITokenByHash(ctx context.Context, hash string) (APIToken, User, error) {
	var t APIToken
	var u User
	db := s.db.WithContext(ctx)
	if err := db.Where("hash = ? AND revoked_at IS NULL", hash).First(&t).Error; err != nil {
		return t, u, notFound(err, "token")
	}
	if err := db.Where("disabled_at IS NULL").First(&u, t.UserID).Error; err != nil {
		return t, u, notFound(err, "token")
	}
	now := s.now()
	t.LastUsedAt = &now
	err := db.Model(&APIToken{ID: t.ID}).UpdateColumn("last_used_at", now).Error
	return t, u, err
}

// signinFailure is one failed sign-in, kept for throttling.
type signinFailure struct {
	ID    int64
	Email string
	IP    string
	At    time.Time
}

func (signinFailure) TableName() string { return "signin_failures" }

// RecordFailedSignIn counts a failed attempt against the account and the
// address; the email need not belong to an account.
func (s *Store) RecordFailedSignIn(ctx context.Context, email, ip string) error {
	return s.db.WithContext(ctx).Create(&signinFailure{Email: normaliseEmail(email), IP: ip, At: s.now()}).Error
}

// FailedSignIns counts failures since a time, by account and by address.
func (s *Store) FailedSignIns(ctx context.Context, email, ip string, since time.Time) (byAccount, byAddress int64, err error) {
	db := s.db.WithContext(ctx).Model(&signinFailure{})
	since = since.UTC()
	if err = db.Where("email = ? AND at > ?", normaliseEmail(email), since).Count(&byAccount).Error; err != nil {
		return
	}
	err = s.db.WithContext(ctx).Model(&signinFailure{}).Where("ip = ? AND at > ?", ip, since).Count(&byAddress).Error
	return
}

// ClearFailedSignIns forgets an account's failures after a good sign-in.
func (s *Store) ClearFailedSignIns(ctx context.Context, email string) error {
	return s.db.WithContext(ctx).Where("email = ?", normaliseEmail(email)).Delete(&signinFailure{}).Error
}

// DeleteSignInFailuresBefore forgets failures too old to count: housekeeping.
func (s *Store) DeleteSignInFailuresBefore(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("at < ?", before.UTC()).Delete(&signinFailure{})
	return res.RowsAffected, res.Error
}
