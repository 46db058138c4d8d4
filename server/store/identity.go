package store

import (
	"context"
	"errors"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// IdentityProvider is an organisation's OpenID Connect provider, through
// which its people sign in. The client secret is held only sealed
// (encrypted by the server with OIDC_SECRET_KEY); the store never sees it
// in the clear.
type IdentityProvider struct {
	OrganisationID     int64     `gorm:"primaryKey;autoIncrement:false" json:"organisation_id"`
	Issuer             string    `json:"issuer"`
	ClientID           string    `json:"client_id"`
	ClientSecretSealed string    `json:"-"`
	PasswordSignIn     bool      `json:"password_sign_in"` // false: the organisation's people may not use passwords
	Domains            []string  `gorm:"-" json:"domains"` // email domains that lead here, lower case
	CreatedAt          time.Time `json:"-"`
	UpdatedAt          time.Time `json:"-"`
}

type identityProviderDomain struct {
	Domain         string `gorm:"primaryKey"`
	OrganisationID int64
}

func (identityProviderDomain) TableName() string { return "identity_provider_domains" }

// IdentityProviderField is a refused provider setting: which form field,
// and why.
type IdentityProviderField struct {
	Field string
	err   *apperr.Error
}

func (e *IdentityProviderField) Error() string { return e.err.Message }
func (e *IdentityProviderField) Unwrap() error { return e.err }

func badProvider(field, msg string) error {
	return &IdentityProviderField{Field: field, err: apperr.Errorf(apperr.EINVALID, "%s", msg)}
}

// ProviderFieldOf names the form field a refused provider setting is about.
func ProviderFieldOf(err error) string {
	var f *IdentityProviderField
	if errors.As(err, &f) {
		return f.Field
	}
	return ""
}

var reDomain = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// NormaliseDomains reads email domains from text: one a line or separated
// by commas or spaces, with or without a leading "@".
func NormaliseDomains(text string) []string {
	var out []string
	for _, d := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		d = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "@")
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// isLoopbackHost: plain http is allowed only to this machine (development
// and tests); anything else must use https.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validateIdentityProvider(p *IdentityProvider) error {
	p.Issuer, p.ClientID = strings.TrimSpace(p.Issuer), strings.TrimSpace(p.ClientID)
	u, err := url.Parse(p.Issuer)
	switch {
	case p.Issuer == "":
		return badProvider("issuer", "Enter the issuer URL, like https://login.microsoftonline.com/<tenant id>/v2.0")
	case err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return badProvider("issuer", "Enter the issuer URL as a full address with no query, like https://login.microsoftonline.com/<tenant id>/v2.0")
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname())):
		return badProvider("issuer", "The issuer URL must start with https:// (plain http:// only for a provider on this machine)")
	case len(p.Issuer) > 500:
		return badProvider("issuer", "The issuer URL must be 500 characters or fewer")
	case p.ClientID == "" || len(p.ClientID) > 200:
		return badProvider("client_id", "Enter the client ID (application ID) of 200 characters or fewer")
	case p.ClientSecretSealed == "":
		return badProvider("client_secret", "Enter the client secret")
	case len(p.Domains) == 0:
		return badProvider("domains", "Enter at least one email domain, like alphashire.police.uk")
	case len(p.Domains) > 50:
		return badProvider("domains", "Enter 50 email domains or fewer")
	}
	for _, d := range p.Domains {
		if !reDomain.MatchString(d) || len(d) > 253 {
			return badProvider("domains", "\""+d+"\" is not an email domain: enter domains like alphashire.police.uk, one a line")
		}
	}
	return nil
}

// CanConfigureSignIn: only national admins set up an organisation's
// provider, since it decides who can sign in as its people.
func (a Actor) CanConfigureSignIn() bool { return a.system || a.Role == RoleNationalAdmin }

// SaveIdentityProvider creates or replaces an organisation's provider and
// its email domains. A domain that leads to another organisation's
// provider is refused, naming it.
func (s *Store) SaveIdentityProvider(ctx context.Context, a Actor, p IdentityProvider) (IdentityProvider, error) {
	if err := refuseUnless(a.CanConfigureSignIn(), "set up sign-in for an organisation"); err != nil {
		return IdentityProvider{}, err
	}
	if err := validateIdentityProvider(&p); err != nil {
		return IdentityProvider{}, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var org Organisation
		if err := tx.First(&org, p.OrganisationID).Error; err != nil {
			return notFound(err, "organisation")
		}
		var taken []identityProviderDomain
		if err := tx.Where("domain IN ? AND organisation_id <> ?", p.Domains, p.OrganisationID).Find(&taken).Error; err != nil {
			return err
		}
		if len(taken) > 0 {
			var other Organisation
			if err := tx.First(&other, taken[0].OrganisationID).Error; err != nil {
				return err
			}
			return badProvider("domains", "The domain "+taken[0].Domain+" already leads to the sign-in service of "+other.Name)
		}
		var before IdentityProvider
		existed := tx.First(&before, "organisation_id = ?", p.OrganisationID).Error == nil
		if existed {
			before.Domains, _ = domainsOf(tx, p.OrganisationID)
			p.CreatedAt = before.CreatedAt
			if err := tx.Model(&IdentityProvider{}).Where("organisation_id = ?", p.OrganisationID).
				Updates(map[string]any{"issuer": p.Issuer, "client_id": p.ClientID, "client_secret_sealed": p.ClientSecretSealed, "password_sign_in": p.PasswordSignIn, "updated_at": s.now()}).Error; err != nil {
				return err
			}
		} else if err := tx.Create(&p).Error; err != nil {
			return err
		}
		if err := tx.Where("organisation_id = ?", p.OrganisationID).Delete(&identityProviderDomain{}).Error; err != nil {
			return err
		}
		for _, d := range p.Domains {
			if err := tx.Create(&identityProviderDomain{Domain: d, OrganisationID: p.OrganisationID}).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) { // taken in a race since the check
					return badProvider("domains", "The domain "+d+" already leads to another organisation's sign-in service")
				}
				return err
			}
		}
		var beforeAudit any
		if existed {
			beforeAudit = before
		}
		return s.audit(tx, a, &p.OrganisationID, "signin_provider.save", "identity_provider", strconv.FormatInt(p.OrganisationID, 10), beforeAudit, p)
	})
	if err != nil {
		return IdentityProvider{}, err
	}
	return s.IdentityProviderOf(ctx, p.OrganisationID)
}

// DeleteIdentityProvider removes an organisation's provider; its people
// sign in with passwords again.
func (s *Store) DeleteIdentityProvider(ctx context.Context, a Actor, orgID int64) error {
	if err := refuseUnless(a.CanConfigureSignIn(), "set up sign-in for an organisation"); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before IdentityProvider
		if err := tx.First(&before, "organisation_id = ?", orgID).Error; err != nil {
			return notFound(err, "sign-in service")
		}
		before.Domains, _ = domainsOf(tx, orgID)
		if err := tx.Where("organisation_id = ?", orgID).Delete(&identityProviderDomain{}).Error; err != nil {
			return err
		}
		if err := tx.Where("organisation_id = ?", orgID).Delete(&IdentityProvider{}).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &orgID, "signin_provider.delete", "identity_provider", strconv.FormatInt(orgID, 10), before, nil)
	})
}

func domainsOf(db *gorm.DB, orgID int64) ([]string, error) {
	var ds []string
	err := db.Model(&identityProviderDomain{}).Where("organisation_id = ?", orgID).Order("domain").Pluck("domain", &ds).Error
	return ds, err
}

// IdentityProviderOf returns an organisation's provider with its domains.
// Sign-in reads it before anyone is signed in, so it takes no scope; pages
// showing it check the organisation against the person's scope first.
func (s *Store) IdentityProviderOf(ctx context.Context, orgID int64) (IdentityProvider, error) {
	var p IdentityProvider
	db := s.db.WithContext(ctx)
	if err := db.First(&p, "organisation_id = ?", orgID).Error; err != nil {
		return IdentityProvider{}, notFound(err, "sign-in service")
	}
	var err error
	p.Domains, err = domainsOf(db, orgID)
	return p, err
}

// IdentityProviderForEmail returns the provider the email's domain leads
// to, if any (ENOTFOUND otherwise).
func (s *Store) IdentityProviderForEmail(ctx context.Context, email string) (IdentityProvider, error) {
	_, domain, ok := strings.Cut(normaliseEmail(email), "@")
	if !ok || domain == "" {
		return IdentityProvider{}, apperr.Errorf(apperr.ENOTFOUND, "There is no such sign-in service.")
	}
	var d identityProviderDomain
	if err := s.db.WithContext(ctx).First(&d, "domain = ?", domain).Error; err != nil {
		return IdentityProvider{}, notFound(err, "sign-in service")
	}
	return s.IdentityProviderOf(ctx, d.OrganisationID)
}

// PendingOIDCSignIn is a sign-in waiting for the person to come back from
// their provider.
type PendingOIDCSignIn struct {
	StateHash      string `gorm:"primaryKey"`
	OrganisationID int64
	Nonce          string
	Verifier       string
	Next           string
	// Held is a held form's values, url-encoded, for HeldUser to have back
	// after signing in on its page, HeldPath; "" if none.
	Held      string
	HeldUser  int64
	HeldPath  string
	CreatedAt time.Time
}

// TableName is fixed by the migrations.
func (PendingOIDCSignIn) TableName() string { return "oidc_sign_ins" }

// OIDCSignInLifetime is how long a person has at their provider before
// the sign-in must start again.
const OIDCSignInLifetime = 10 * time.Minute

// CreateOIDCSignIn keeps a pending sign-in, and clears out expired ones.
// A held form is kept with one pending sign-in of its person at a time:
// a newer one takes it, so repeated starts cannot pile held text up.
func (s *Store) CreateOIDCSignIn(ctx context.Context, p PendingOIDCSignIn) error {
	if _, err := s.DeleteOIDCSignInsBefore(ctx, s.now().Add(-OIDCSignInLifetime)); err != nil {
		return err
	}
	p.CreatedAt = s.now()
	return s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		if p.Held != "" {
			if err := db.Model(&PendingOIDCSignIn{}).Where("held_user = ? AND held <> ''", p.HeldUser).
				Updates(map[string]any{"held": "", "held_user": 0, "held_path": ""}).Error; err != nil {
				return err
			}
		}
		return db.Create(&p).Error
	})
}

// DeleteOIDCSignInsBefore removes the pending sign-ins started before the
// time, held forms and all, and returns how many: housekeeping.
func (s *Store) DeleteOIDCSignInsBefore(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("created_at < ?", dbTime(before)).Delete(&PendingOIDCSignIn{})
	return res.RowsAffected, res.Error
}

// TakeOIDCSignIn returns the pending sign-in and deletes it, so it can be
// finished once: a second take of the same state, even at the same moment
// on another instance, is ENOTFOUND. An expired one is ENOTFOUND too.
func (s *Store) TakeOIDCSignIn(ctx context.Context, stateHash string) (PendingOIDCSignIn, error) {
	// One statement, so it is atomic on both databases, and SQLite never
	// has to turn a read lock into a write lock (which fails at once when
	// another connection holds one).
	var taken []PendingOIDCSignIn
	if err := s.db.WithContext(ctx).Clauses(clause.Returning{}).Where("state_hash = ?", stateHash).Delete(&taken).Error; err != nil {
		return PendingOIDCSignIn{}, err
	}
	if len(taken) != 1 || s.now().Sub(taken[0].CreatedAt) > OIDCSignInLifetime {
		return PendingOIDCSignIn{}, apperr.Errorf(apperr.ENOTFOUND, "There is no such sign-in in progress.")
	}
	return taken[0], nil
}

// IdentityProviderIssuers lists every configured issuer: the sign-in page
// allows its form to lead to them, and asks for the email first only when
// there is at least one.
func (s *Store) IdentityProviderIssuers(ctx context.Context) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Model(&IdentityProvider{}).Distinct().Order("issuer").Pluck("issuer", &out).Error
	return out, err
}
