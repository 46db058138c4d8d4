package store

import (
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Roles a person can have.
const (
	RoleNationalAdmin = "national_admin" // NPWS: every organisation
	RoleOwner         = "owner"          // the organisation's SPOC
	RoleContributor   = "contributor"    // edits the sections assigned to them
	RoleViewer        = "viewer"         // reads and downloads; changes nothing
)

// Roles lists every role.
var Roles = []string{RoleNationalAdmin, RoleOwner, RoleContributor, RoleViewer}

// Sectors an organisation belongs to; "fire" is fire and rescue.
var Sectors = []string{"police", "fire", "ambulance", "other"}

// Nations an organisation serves.
var Nations = []string{"England", "Wales", "Scotland", "Northern Ireland", "UK-wide"}

// Scope limits queries to the organisations a caller may see: one
// organisation (OrgID), or every one (AllOrganisations). The zero Scope, like
// any OrgID below 1, sees nothing, so a scope forgotten fails closed.
type Scope struct {
	OrgID int64
	all   bool
}

// AllOrganisations is the scope of national admins, the command line and
// demo data: every organisation.
func AllOrganisations() Scope { return Scope{all: true} }

// national reports whether the scope covers every organisation.
func (sc Scope) national() bool { return sc.all }

// covers reports whether the scope includes organisation orgID.
func (sc Scope) covers(orgID int64) bool { return sc.all || (sc.OrgID > 0 && sc.OrgID == orgID) }

// where limits a query on column (an organisation id) to the scope.
func (sc Scope) where(db *gorm.DB, column string) *gorm.DB {
	switch {
	case sc.all:
		return db
	case sc.OrgID < 1:
		return db.Where("1 = 0")
	}
	return db.Where(column+" = ?", sc.OrgID)
}

// Actor is who makes a change: what they may change (policy.go) and how
// the audit trail names them. Changes no person makes use SystemActor.
type Actor struct {
	UserID    int64    // 0 for the system or the command line
	OrgID     int64    // the actor's organisation, 0 for national
	Role      string   // the person's role; empty may change nothing
	Sections  []string // what a contributor's owner assigned them
	Label     string   // e.g. "Jane Smith (Organisation owner)" or "command line"
	RequestID string
	IP        string
	system    bool // SystemActor: not a person
}

// now is the store clock at the precision both databases keep.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// dbTime brings a caller's time to what the databases keep: UTC, because
// SQLite compares times as text that sorts only within one zone, and
// microseconds, so that both dialects compare the same value.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// audit appends one record to the trail, in the caller's transaction so the
// record and the change stand or fall together.
func (s *Store) audit(tx *gorm.DB, a Actor, orgID *int64, action, entityType, entityID string, before, after any) error {
	ev := AuditEvent{
		At: s.now(), OrganisationID: orgID, ActorLabel: a.Label, Action: action,
		EntityType: entityType, EntityID: entityID, Before: toJSON(before), After: toJSON(after),
		RequestID: a.RequestID, IP: a.IP,
	}
	if a.UserID != 0 {
		id := a.UserID
		ev.ActorUserID = &id
	}
	if ev.ActorLabel == "" {
		ev.ActorLabel = "system"
	}
	if err := tx.Create(&ev).Error; err != nil {
		return err
	}
	if figureNeutral[entityType] {
		return nil
	}
	return markFiguresChanged(tx)
}

// figureNeutral are the records no benchmark figure is drawn from: answers
// and actions (only submitted assessments count, and those cannot be
// changed), people, tokens, the business case's own assumptions and role
// review drafts (no figure counts a draft). Every
// other change moves the "figures" counter.
var figureNeutral = map[string]bool{"response": true, "action": true, "user": true, "api_token": true, "business_case_assumptions": true, "local_role": true, "role_review_draft": true}

// markFiguresChanged moves the counter that cached benchmark figures are
// checked against.
func markFiguresChanged(tx *gorm.DB) error {
	return tx.Exec("UPDATE change_counters SET n = n + 1 WHERE name = 'figures'").Error
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" { // a nil pointer means "none" too
		return ""
	}
	return string(b)
}

// notFound turns GORM's not-found into the product's error.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such %s.", what)
	}
	return err
}
