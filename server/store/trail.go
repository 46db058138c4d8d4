package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// AuditEvent is one record of the append-only audit trail.
type AuditEvent struct {
	ID             int64
	At             time.Time
	OrganisationID *int64
	ActorUserID    *int64
	ActorLabel     string
	Action         string // e.g. "user.create", "signin.failed"
	EntityType     string
	EntityID       string
	Before, After  string // JSON, or "" where there is none
	RequestID      string
	IP             string
}

// AuditFilter narrows the trail. Zero values mean no limit.
type AuditFilter struct {
	From, To    time.Time // From inclusive, To exclusive
	ActorUserID int64
	EntityType  string
	Limit       int // default 50, at most 500
	Offset      int
}

// LogAudit records an event that changes no data, such as a sign-in.
func (s *Store) LogAudit(ctx context.Context, a Actor, orgID *int64, action, entityType, entityID string, before, after any) error {
	return s.audit(s.db.WithContext(ctx), a, orgID, action, entityType, entityID, before, after)
}

func (s *Store) auditQuery(ctx context.Context, sc Scope, f AuditFilter) *gorm.DB {
	q := sc.where(s.db.WithContext(ctx).Model(&AuditEvent{}), "organisation_id")
	if !f.From.IsZero() {
		q = q.Where("at >= ?", dbTime(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", dbTime(f.To))
	}
	if f.ActorUserID != 0 {
		q = q.Where("actor_user_id = ?", f.ActorUserID)
	}
	if f.EntityType != "" {
		q = q.Where("entity_type = ?", f.EntityType)
	}
	return q
}

// ListAudit returns one page of the trail in scope, newest first, and how
// many records match in all.
func (s *Store) ListAudit(ctx context.Context, sc Scope, f AuditFilter) ([]AuditEvent, int64, error) {
	var total int64
	if err := s.auditQuery(ctx, sc, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	var out []AuditEvent
	err := s.auditQuery(ctx, sc, f).Order("at DESC, id DESC").Limit(limit).Offset(max(f.Offset, 0)).Find(&out).Error
	return out, total, err
}

// EachAudit streams every matching record, oldest first, without holding
// the whole trail in memory: for CSV export. fn must not use the store: on
// SQLite the open rows hold the only connection.
func (s *Store) EachAudit(ctx context.Context, sc Scope, f AuditFilter, fn func(AuditEvent) error) error {
	rows, err := s.auditQuery(ctx, sc, f).Order("at, id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev AuditEvent
		if err := s.db.ScanRows(rows, &ev); err != nil {
			return err
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return rows.Err()
}
