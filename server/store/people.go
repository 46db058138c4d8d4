package store

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// User is a person who signs in. National admins belong to no organisation.
type User struct {
	ID             int64      `json:"id"`
	OrganisationID *int64     `json:"organisation_id"`
	Email          string     `json:"email"`
	DisplayName    string     `json:"display_name"`
	Role           string     `json:"role"`
	PasswordHash   string     `json:"-"`
	Sections       []string   `gorm:"serializer:json" json:"sections"` // for contributors, e.g. "area:LEAD"
	DisabledAt     *time.Time `json:"disabled_at"`
	LastSignInAt   *time.Time `json:"-"`
	// ClashUserID marks an invitation whose email already had an account
	// in another organisation (or a national admin's): it can never sign in
	// or set a password, and only national admins are told (Clash).
	ClashUserID *int64    `json:"-"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
}

// clashSuffix keeps an invitation's stored email apart from the account it
// clashes with (emails are unique) and from sign-in, which matches the
// whole address. An address cannot contain '#' after its '@'.
const clashSuffix = "#clash-"

func clashEmail(email string, orgID int64) string {
	return email + clashSuffix + strconv.FormatInt(orgID, 10)
}

// AfterFind shows an invitation's email as it was typed.
func (u *User) AfterFind(*gorm.DB) error {
	if at := strings.LastIndexByte(u.Email, '@'); at >= 0 {
		if i := strings.Index(u.Email[at:], clashSuffix); i >= 0 {
			u.Email = u.Email[:at+i]
		}
	}
	return nil
}

// Clash reports whether u is an invitation whose email belongs to another
// account. Only national admins may be shown it.
func (u User) Clash() bool { return u.ClashUserID != nil }

func (u User) orgID() *int64 { return u.OrganisationID }

func normaliseEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func validateUser(u *User, sc Scope) error {
	u.Email, u.DisplayName = normaliseEmail(u.Email), strings.TrimSpace(u.DisplayName)
	if addr, err := mail.ParseAddress(u.Email); err != nil || addr.Address != u.Email || len(u.Email) > 254 {
		return apperr.Errorf(apperr.EINVALID, "Enter an email address in the correct format, like name@example.org")
	}
	if u.DisplayName == "" || len(u.DisplayName) > 120 {
		return apperr.Errorf(apperr.EINVALID, "Enter a name of 120 characters or fewer")
	}
	return validateAccess(u.Role, u.OrganisationID, u.Sections, sc)
}

// validateAccess holds a role to its organisation rules: national admins
// belong to none and only national scope may make them; everyone else
// belongs to an organisation inside the scope.
func validateAccess(role string, orgID *int64, sections []string, sc Scope) error {
	if !slices.Contains(Roles, role) {
		return apperr.Errorf(apperr.EINVALID, "Choose a role: %s", strings.Join(Roles, ", "))
	}
	if role == RoleNationalAdmin {
		if orgID != nil {
			return apperr.Errorf(apperr.EINVALID, "A national admin does not belong to an organisation")
		}
		if !sc.national() {
			return apperr.Errorf(apperr.EFORBIDDEN, "Only a national admin can make another national admin")
		}
		return nil
	}
	if orgID == nil {
		return apperr.Errorf(apperr.EINVALID, "Choose the person's organisation")
	}
	if !sc.covers(*orgID) {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such organisation.")
	}
	for _, sec := range sections {
		if sec == "" || len(sec) > 60 {
			return apperr.Errorf(apperr.EINVALID, "Section %q is not valid", sec)
		}
	}
	return nil
}

// CreateUser adds a person. A person with no password yet cannot sign in
// until they use a set-password link.
//
// An email address that already has an account outside the scope (another
// organisation's person, or a national admin) is not refused, which would
// tell the caller the account exists: the person is added as an invitation
// that can never sign in or set a password (ClashUserID), exactly as the
// caller sees any other new person, and a national-only audit event asks
// the national team to resolve it. An address already used inside the
// scope is a conflict the caller may be told about.
func (s *Store) CreateUser(ctx context.Context, a Actor, sc Scope, u User) (User, error) {
	if err := validateUser(&u, sc); err != nil {
		return User{}, err
	}
	if u.Role != RoleContributor {
		u.Sections = nil
	}
	if u.Sections == nil {
		u.Sections = []string{}
	}
	u.ID, u.DisabledAt, u.LastSignInAt, u.ClashUserID = 0, nil, nil, nil
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if u.OrganisationID != nil {
			if err := tx.First(&Organisation{}, *u.OrganisationID).Error; err != nil {
				return notFound(err, "organisation")
			}
		}
		var existing User
		err := tx.Where("email = ?", u.Email).Limit(1).Find(&existing).Error
		if err != nil {
			return err
		}
		typed := u.Email
		if existing.ID != 0 {
			if existing.OrganisationID == nil && !sc.national() || existing.OrganisationID != nil && !sc.covers(*existing.OrganisationID) {
				u.ClashUserID, u.Email = &existing.ID, clashEmail(typed, *u.OrganisationID)
			}
		}
		err = tx.Create(&u).Error
		u.Email = typed
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			if sc.national() {
				return apperr.Errorf(apperr.ECONFLICT, "Someone with the email address %s already has an account", u.Email)
			}
			return apperr.Errorf(apperr.ECONFLICT, "Someone in your organisation already has the email address %s", u.Email)
		}
		if err != nil {
			return err
		}
		id := strconv.FormatInt(u.ID, 10)
		if err := s.audit(tx, a, u.orgID(), "user.create", "user", id, nil, u); err != nil {
			return err
		}
		if u.Clash() { // organisation_id NULL: national admins' trail only
			return s.audit(tx, a, nil, "user.email_clash", "user", id, nil, emailClash{
				Invitation: u.ID, ExistingAccount: existing.ID, Organisation: *u.OrganisationID, Email: u.Email,
			})
		}
		return nil
	})
	return u, err
}

// emailClash is the national audit record of an invitation whose email
// already had an account.
type emailClash struct {
	Invitation      int64  `json:"invitation_user_id"`
	ExistingAccount int64  `json:"existing_user_id"`
	Organisation    int64  `json:"inviting_organisation_id"`
	Email           string `json:"email"`
}

// userQuery limits a users query to the scope: an organisation's scope never
// sees national admins.
func (s *Store) userQuery(tx *gorm.DB, sc Scope) *gorm.DB {
	return sc.where(tx, "organisation_id")
}

// UserByID returns one person within the scope.
func (s *Store) UserByID(ctx context.Context, sc Scope, id int64) (User, error) {
	var u User
	err := s.userQuery(s.db.WithContext(ctx), sc).First(&u, id).Error
	return u, notFound(err, "person")
}

// UserByEmail finds a person by email, in every organisation: for sign-in
// and the command line only.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ? AND clash_user_id IS NULL", normaliseEmail(email)).First(&u).Error
	return u, notFound(err, "person")
}

// ListUsers lists the people in scope by name.
func (s *Store) ListUsers(ctx context.Context, sc Scope) ([]User, error) {
	var out []User
	err := s.userQuery(s.db.WithContext(ctx), sc).Order("display_name, id").Find(&out).Error
	return out, err
}

// CountUsers counts every account, to know whether this is a first start.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// changeUser loads a person in scope, applies change, saves the columns
// named and records the audit event, all in one transaction.
func (s *Store) changeUser(ctx context.Context, a Actor, sc Scope, id int64, action string, columns []string, change func(tx *gorm.DB, u *User) error) (User, error) {
	var after User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before User
		if err := s.userQuery(tx, sc).First(&before, id).Error; err != nil {
			return notFound(err, "person")
		}
		after = before
		if err := change(tx, &after); err != nil {
			return err
		}
		if len(columns) > 0 {
			if err := tx.Model(&User{ID: id}).Select(append(columns, "updated_at")).Updates(&after).Error; err != nil {
				return err
			}
		}
		return s.audit(tx, a, after.orgID(), action, "user", strconv.FormatInt(id, 10), before, after)
	})
	return after, err
}

// UpdateUserAccess changes a person's role and sections.
func (s *Store) UpdateUserAccess(ctx context.Context, a Actor, sc Scope, id int64, role string, sections []string) (User, error) {
	return s.changeUser(ctx, a, sc, id, "user.access", []string{"role", "sections"}, func(_ *gorm.DB, u *User) error {
		if role != RoleContributor || sections == nil {
			sections = []string{}
		}
		if err := validateAccess(role, u.OrganisationID, sections, sc); err != nil {
			return err
		}
		u.Role, u.Sections = role, sections
		return nil
	})
}

// SetUserDisabled disables or enables an account. Disabling ends the
// person's sessions and revokes their API tokens at once.
func (s *Store) SetUserDisabled(ctx context.Context, a Actor, sc Scope, id int64, disabled bool) error {
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	_, err := s.changeUser(ctx, a, sc, id, action, []string{"disabled_at"}, func(tx *gorm.DB, u *User) error {
		if !disabled {
			u.DisabledAt = nil
			return nil
		}
		now := s.now()
		if u.DisabledAt == nil { // disabling twice keeps the first time
			u.DisabledAt = &now
		}
		return endAccess(tx, id, now)
	})
	return err
}

// endAccess ends every way a person is signed in: their sessions end and
// their API tokens are revoked. Disabling an account and every password
// reset (by an operator, or through a link someone else issued) do it, so
// that whoever had the old password, or a token made with it, is shut out.
func endAccess(tx *gorm.DB, userID int64, now time.Time) error {
	if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
		return err
	}
	return tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error
}

// SetPassword stores a new password hash (an operator's reset, from the
// command line), ends the person's sessions and revokes their API tokens.
func (s *Store) SetPassword(ctx context.Context, a Actor, sc Scope, userID int64, passwordHash string) error {
	_, err := s.changeUser(ctx, a, sc, userID, "user.password", []string{"password_hash"}, func(tx *gorm.DB, u *User) error {
		if u.Clash() {
			return errClashPassword
		}
		u.PasswordHash = passwordHash
		if err := endAccess(tx, userID, s.now()); err != nil {
			return err
		}
		return endPasswordLinks(tx, userID)
	})
	return err
}

// errClashPassword refuses a password for an invitation whose email already
// has an account: that account is never reachable through it.
var errClashPassword = apperr.Errorf(apperr.ECONFLICT, "This email address already has an account with the toolkit, "+
	"in another organisation, so this link cannot set a password. The national team has been told and will contact you to sort it out.")

// RecordSignIn notes when a person last signed in.
func (s *Store) RecordSignIn(ctx context.Context, userID int64) error {
	return s.db.WithContext(ctx).Model(&User{ID: userID}).UpdateColumn("last_sign_in_at", s.now()).Error
}
