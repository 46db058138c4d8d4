package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// PasswordToken is a single-use set-password link, stored by its hash.
type PasswordToken struct {
	Hash      string     `gorm:"primaryKey" json:"-"`
	UserID    int64      `json:"user_id"`
	CreatedBy int64      `json:"created_by"` // 0 for the command line
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at"`
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

// CreatePasswordToken stores a set-password link for a person in scope.
func (s *Store) CreatePasswordToken(ctx context.Context, a Actor, sc Scope, t PasswordToken) error {
	now := s.now()
	if t.Hash == "" {
		return apperr.Errorf(apperr.EINVALID, "The set-password link has no token hash")
	}
	if !dbTime(t.ExpiresAt).After(now) {
		return apperr.Errorf(apperr.EINVALID, "The set-password link's expiry time must be in the future")
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now
	}
	if t.CreatedBy == 0 {
		t.CreatedBy = a.UserID
	}
	t.CreatedAt, t.ExpiresAt, t.UsedAt = dbTime(t.CreatedAt), dbTime(t.ExpiresAt), nil
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := s.userQuery(tx, sc).First(&u, t.UserID).Error; err != nil {
			return notFound(err, "person")
		}
		if err := endPasswordLinks(tx, u.ID); err != nil {
			return err
		}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return s.audit(tx, a, u.orgID(), "password_link.create", "user", strconv.FormatInt(u.ID, 10), nil, t)
	})
}

// endPasswordLinks ends a person's unused set-password links. A new link
// or a new password ends every earlier link, so a link that was handed out
// and forgotten (or intercepted) cannot set the password later.
func endPasswordLinks(tx *gorm.DB, userID int64) error {
	return tx.Where("user_id = ? AND used_at IS NULL", userID).Delete(&PasswordToken{}).Error
}

var errLinkUsed = apperr.Errorf(apperr.EINVALID, "This link has expired or has already been used")

// PasswordTokenByHash returns an unused, unexpired link and its person.
func (s *Store) PasswordTokenByHash(ctx context.Context, hash string) (PasswordToken, User, error) {
	var t PasswordToken
	var u User
	db := s.db.WithContext(ctx)
	if err := db.Where("hash = ? AND used_at IS NULL AND expires_at > ?", hash, s.now()).First(&t).Error; err != nil {
		return PasswordToken{}, User{}, notFound(err, "link")
	}
	if err := db.Where("disabled_at IS NULL").First(&u, t.UserID).Error; err != nil {
		return PasswordToken{}, User{}, notFound(err, "link")
	}
	return t, u, nil
}

// UsePasswordToken sets the person's password through a link, once: the
// link is marked used in the same transaction, their sessions end and their
// API tokens are revoked (a link is how someone else resets a password).
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
		if u.Clash() {
			return errClashPassword
		}
		u.PasswordHash = passwordHash
		if err := tx.Model(&User{ID: u.ID}).Select("password_hash", "updated_at").Updates(&u).Error; err != nil {
			return err
		}
		if err := endAccess(tx, u.ID, now); err != nil {
			return err
		}
		if err := endPasswordLinks(tx, u.ID); err != nil {
			return err
		}
		return s.audit(tx, Actor{UserID: u.ID, Label: u.DisplayName + " (set-password link)"}, u.orgID(), "user.password", "user", strconv.FormatInt(u.ID, 10), nil, nil)
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// CreateAPIToken stores a new token for its owner, who must be an enabled
// account: a disabled person's tokens are revoked and stay so.
func (s *Store) CreateAPIToken(ctx context.Context, a Actor, t APIToken) (APIToken, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || len(t.Name) > 80 {
		return APIToken{}, apperr.Errorf(apperr.EINVALID, "Enter a name for the token of 80 characters or fewer")
	}
	if t.Hash == "" {
		return APIToken{}, apperr.Errorf(apperr.EINVALID, "The API token has no hash")
	}
	t.ID, t.CreatedAt, t.LastUsedAt, t.RevokedAt = 0, s.now(), nil, nil
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("disabled_at IS NULL").First(&u, t.UserID).Error; err != nil {
			return notFound(err, "person")
		}
		if err := tx.Create(&t).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Errorf(apperr.ECONFLICT, "That token already exists: make a new one")
			}
			return err
		}
		return s.audit(tx, a, u.orgID(), "api_token.create", "api_token", strconv.FormatInt(t.ID, 10), nil, t)
	})
	if err != nil {
		return APIToken{}, err
	}
	return t, nil
}

// ListAPITokens lists a person's own tokens, newest first.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var out []APIToken
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// RevokeAPIToken revokes one of the person's own tokens; another person's
// token is not found. Revoking twice changes nothing.
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
		return APIToken{}, User{}, notFound(err, "token")
	}
	if err := db.Where("disabled_at IS NULL").First(&u, t.UserID).Error; err != nil {
		return APIToken{}, User{}, notFound(err, "token")
	}
	now := s.now()
	t.LastUsedAt = &now
	if err := db.Model(&APIToken{ID: t.ID}).UpdateColumn("last_used_at", now).Error; err != nil {
		return APIToken{}, User{}, err
	}
	return t, u, nil
}
