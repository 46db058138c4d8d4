package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// signinFailure is one sign-in attempt that has not succeeded. Kept in the
// database, not in memory, so that every app instance counts the same
// attempts. An attempt is recorded before its password is checked and
// counts as failed against the account until it succeeds, and against the
// address once it has failed (ReserveSignIn, SignInSucceeded, SignInFailed).
type signinFailure struct {
	ID    int64
	Email string
	IP    string
	At    time.Time
	// Pending: reserved, its password still being checked (SignInFailed
	// ends that). It counts against its account at once, against its
	// address once it has failed, or once it is older than pendingGrace (its
	// instance died mid-check).
	Pending bool
}

func (signinFailure) TableName() string { return "signin_failures" }

// signinAddress is an address an account has signed in from: a familiar
// address, which failures from elsewhere cannot lock out.
type signinAddress struct {
	Email  string `gorm:"primaryKey"`
	IP     string `gorm:"primaryKey"`
	LastAt time.Time
}

func (signinAddress) TableName() string { return "signin_addresses" }

// SignInLimits are the failed sign-ins allowed within Window before further
// attempts are refused unchecked.
type SignInLimits struct {
	Window time.Duration
	// PerAccount holds for every familiar address of the account on its
	// own, and for all its other addresses together.
	PerAccount int64
	// PerAddress holds for one address over every account.
	PerAddress int64
	// PerAddressInFlight is how many attempts from one address may be
	// checked at the same time beyond its failures: people behind one
	// address (an office's NAT) sign in at once, and a guesser's attempts in
	// flight still become failures that stop the address.
	PerAddressInFlight int64
}

// pendingGrace is how long an attempt may be checked before it counts as a
// failure against its address anyway: far beyond the request's deadline.
const pendingGrace = time.Minute

var errSignInRefused = errors.New("sign-in refused: too many failures")

// ReserveSignIn records an attempt to sign in to email from ip before its
// password is checked, and says whether the check may go ahead. The count
// and the record are one step, on every instance sharing the database, so
// parallel attempts cannot all slip under the limits. A refused attempt is
// not recorded: it checked nothing. The attempt counts as failed against
// the account until SignInSucceeded, and against the address from
// SignInFailed (or pendingGrace) on.
func (s *Store) ReserveSignIn(ctx context.Context, email, ip string, lim SignInLimits) (id int64, ok bool, err error) {
	email = normaliseEmail(email)
	now := s.now()
	since := dbTime(now.Add(-lim.Window))
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.dialect == DialectPostgres {
			// Attempts on one account, then from one address, queue here
			// until the one ahead commits. Always in this order, so two
			// attempts never wait on each other. (SQLite has one writer: the
			// insert below is the lock.)
			for _, key := range []string{"signin account " + email, "signin address " + ip} {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", key).Error; err != nil {
					return err
				}
			}
		}
		f := signinFailure{Email: email, IP: ip, At: now, Pending: true}
		if err := tx.Create(&f).Error; err != nil {
			return err
		}
		id = f.ID
		var familiar, byAccount int64
		if err := tx.Model(&signinAddress{}).Where("email = ? AND ip = ?", email, ip).Count(&familiar).Error; err != nil {
			return err
		}
		account := tx.Model(&signinFailure{}).Where("email = ? AND at > ?", email, since)
		if familiar > 0 {
			account = account.Where("ip = ?", ip)
		} else {
			account = account.Where("ip NOT IN (?)", tx.Model(&signinAddress{}).Select("ip").Where("email = ?", email))
		}
		if err := account.Count(&byAccount).Error; err != nil {
			return err
		}
		// From the address: failures (this attempt is not one yet), and
		// every attempt, in flight or failed.
		var failedFromAddress, byAddress int64
		fromAddress := tx.Model(&signinFailure{}).Where("ip = ? AND at > ?", ip, since)
		if err := fromAddress.Count(&byAddress).Error; err != nil {
			return err
		}
		stale := dbTime(now.Add(-pendingGrace))
		if err := tx.Model(&signinFailure{}).Where("ip = ? AND at > ?", ip, since).
			Where("pending = ? OR at < ?", false, stale).Count(&failedFromAddress).Error; err != nil {
			return err
		}
		if byAccount > lim.PerAccount || failedFromAddress >= lim.PerAddress || byAddress > lim.PerAddress+lim.PerAddressInFlight {
			return errSignInRefused // and the record is rolled back
		}
		return nil
	})
	if errors.Is(err, errSignInRefused) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return id, true, nil
}

// SignInSucceeded settles a reserved attempt whose password was right: the
// account's failures from that address are forgotten and the address
// becomes familiar. Failures from other addresses stand, so an attacker
// elsewhere gets no fresh tries from the owner's sign-in.
func (s *Store) SignInSucceeded(ctx context.Context, id int64, email, ip string) error {
	email = normaliseEmail(email)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ? OR (email = ? AND ip = ?)", id, email, ip).Delete(&signinFailure{}).Error; err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "email"}, {Name: "ip"}},
			DoUpdates: clause.AssignmentColumns([]string{"last_at"}),
		}).Create(&signinAddress{Email: email, IP: ip, LastAt: s.now()}).Error
	})
}

// SignInFailed settles a reserved attempt whose password was wrong (or
// whose account cannot sign in): it now counts against its address too.
func (s *Store) SignInFailed(ctx context.Context, id int64) error {
	return s.db.WithContext(ctx).Model(&signinFailure{}).Where("id = ?", id).Update("pending", false).Error
}

// RecordFailedSignIn counts a failed attempt against the account and the
// address, without the limits (for tests and tools); the email need not
// belong to an account.
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

// DeleteSignInFailuresBefore forgets failures too old to count, and
// familiar addresses not signed in from since familiarBefore: housekeeping.
func (s *Store) DeleteSignInFailuresBefore(ctx context.Context, before, familiarBefore time.Time) (int64, error) {
	db := s.db.WithContext(ctx)
	if err := db.Where("last_at < ?", dbTime(familiarBefore)).Delete(&signinAddress{}).Error; err != nil {
		return 0, err
	}
	res := db.Where("at < ?", dbTime(before)).Delete(&signinFailure{})
	return res.RowsAffected, res.Error
}
