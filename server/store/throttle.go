package store

import (
	"context"
	"time"
)

// signinFailure is one failed sign-in. Kept in the database, not in memory,
// so that every app instance counts the same attempts.
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

// FailedSignIns counts failures after since, by account and by address.
func (s *Store) FailedSignIns(ctx context.Context, email, ip string, since time.Time) (byAccount, byAddress int64, err error) {
	since = dbTime(since)
	db := s.db.WithContext(ctx)
	if err = db.Model(&signinFailure{}).Where("email = ? AND at > ?", normaliseEmail(email), since).Count(&byAccount).Error; err != nil {
		return 0, 0, err
	}
	if err = db.Model(&signinFailure{}).Where("ip = ? AND at > ?", ip, since).Count(&byAddress).Error; err != nil {
		return 0, 0, err
	}
	return byAccount, byAddress, nil
}

// ClearFailedSignIns forgets an account's failures after a good sign-in.
// Only that account's rows go, so an address that guessed at other
// accounts stays throttled.
func (s *Store) ClearFailedSignIns(ctx context.Context, email string) error {
	return s.db.WithContext(ctx).Where("email = ?", normaliseEmail(email)).Delete(&signinFailure{}).Error
}

// DeleteSignInFailuresBefore forgets failures too old to count: housekeeping.
func (s *Store) DeleteSignInFailuresBefore(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("at < ?", dbTime(before)).Delete(&signinFailure{})
	return res.RowsAffected, res.Error
}
