package store

import (
	"context"
	"time"
)

// Session is a signed-in browser. Only the hash of the cookie's token is
// stored, so a copy of the database cannot be used to sign in. Neither the
// hash nor the CSRF token may reach JSON: logs and the audit trail use it.
type Session struct {
	Hash       string    `gorm:"primaryKey" json:"-"`
	UserID     int64     `json:"user_id"`
	CSRFToken  string    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// CreateSession stores a new session. Its times are kept in UTC whatever
// zone the caller used, so that expiry compares correctly on SQLite.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	now := s.now()
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = now
	}
	if sess.LastSeenAt.IsZero() {
		sess.LastSeenAt = now
	}
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = dbTime(sess.CreatedAt), dbTime(sess.LastSeenAt), dbTime(sess.ExpiresAt)
	return s.db.WithContext(ctx).Create(&sess).Error
}

// SessionByHash returns a live session and its person; an expired session,
// or one whose person is disabled, is not found.
func (s *Store) SessionByHash(ctx context.Context, hash string) (Session, User, error) {
	var sess Session
	var u User
	db := s.db.WithContext(ctx)
	if err := db.Where("hash = ? AND expires_at > ?", hash, s.now()).First(&sess).Error; err != nil {
		return Session{}, User{}, notFound(err, "session")
	}
	if err := db.Where("disabled_at IS NULL").First(&u, sess.UserID).Error; err != nil {
		return Session{}, User{}, notFound(err, "session")
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
	res := s.db.WithContext(ctx).Where("last_seen_at < ? OR expires_at <= ?", dbTime(before), s.now()).Delete(&Session{})
	return res.RowsAffected, res.Error
}
