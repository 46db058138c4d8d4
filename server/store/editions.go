package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"gorm.io/gorm"
)

// StatusReleased marks an edition that is in use and so must never change.
const StatusReleased = "released"

// EditionRecord describes one loaded framework file.
type EditionRecord struct {
	Kind    string
	Key     string
	Version string
	Title   string
	Status  string
	SHA256  string `gorm:"column:sha256"`
}

// FrameworkEdition is a row of framework_editions: an edition the app has
// loaded, with when it was first and last seen.
type FrameworkEdition struct {
	ID            int64
	EditionRecord `gorm:"embedded"`
	FirstLoadedAt time.Time
	LastLoadedAt  time.Time
}

// TableName is fixed by the migrations.
func (FrameworkEdition) TableName() string { return "framework_editions" }

func (r EditionRecord) name() string { return r.Kind + " " + r.Key + " " + r.Version }

// RecordEditions remembers every framework edition the app has loaded, so
// that assessments can trust (key, version) to mean one fixed content. New
// editions are inserted; known ones get last_loaded_at updated, and a draft
// takes its new hash. A released edition whose hash changed is an ECONFLICT
// naming every such edition, and then nothing at all is written.
func (s *Store) RecordEditions(ctx context.Context, eds []EditionRecord) error {
	eds, err := uniqueEditions(eds)
	if err != nil {
		return err
	}
	now := s.Now().UTC().Truncate(time.Microsecond)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Instances starting at the same moment take turns here, so the
		// later one reads what the earlier one wrote instead of clashing
		// with its inserts and refusing to start.
		if err := s.lockForStartUp(tx); err != nil {
			return err
		}
		// The table holds a few dozen rows at most: read it all.
		var rows []FrameworkEdition
		if err := tx.Find(&rows).Error; err != nil {
			return err
		}
		known := make(map[string]FrameworkEdition, len(rows))
		for _, r := range rows {
			known[r.name()] = r
		}

		var conflicts []string
		for _, ed := range eds {
			old, ok := known[ed.name()]
			if ok && old.Status == StatusReleased && old.SHA256 != ed.SHA256 {
				conflicts = append(conflicts, fmt.Sprintf("%s was released with sha256 %s but the file now has %s",
					ed.name(), shortHash(old.SHA256), shortHash(ed.SHA256)))
			}
		}
		if len(conflicts) > 0 {
			return apperr.Errorf(apperr.ECONFLICT, "%s; a released edition must not change: publish it as a new version",
				strings.Join(conflicts, "; "))
		}

		for _, ed := range eds {
			old, ok := known[ed.name()]
			if !ok {
				row := FrameworkEdition{EditionRecord: ed, FirstLoadedAt: now, LastLoadedAt: now}
				if err := tx.Create(&row).Error; err != nil {
					return err
				}
				continue
			}
			// Same hash: title and status are part of the hashed file, so
			// writing them changes nothing. New hash: only a draft gets here.
			err := tx.Model(&FrameworkEdition{}).Where("id = ?", old.ID).Updates(map[string]any{
				"title":          ed.Title,
				"status":         ed.Status,
				"sha256":         ed.SHA256,
				"last_loaded_at": now,
			}).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return apperr.Errorf(apperr.ECONFLICT, "another instance recorded the same framework editions at the same time; try again")
	}
	return err
}

// lockForStartUp makes a start-up transaction wait for any other instance's
// one in progress. PostgreSQL: an advisory lock held to the end of the
// transaction. SQLite: a write as the transaction's first statement takes
// the database's one write lock at once, waiting (busy_timeout) for another
// connection's, rather than upgrading a read lock later, which fails at once.
func (s *Store) lockForStartUp(tx *gorm.DB) error {
	if s.dialect == DialectPostgres {
		return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended('toolkit start-up writes', 0))").Error
	}
	return tx.Exec("UPDATE framework_editions SET id = id WHERE id < 0").Error
}

// uniqueEditions checks the batch and drops exact repeats, so that one
// edition listed twice cannot be inserted twice.
func uniqueEditions(eds []EditionRecord) ([]EditionRecord, error) {
	seen := make(map[string]EditionRecord, len(eds))
	out := make([]EditionRecord, 0, len(eds))
	for i, ed := range eds {
		if ed.Kind == "" || ed.Key == "" || ed.Version == "" || ed.Status == "" || ed.SHA256 == "" {
			return nil, apperr.Errorf(apperr.EINVALID,
				"framework edition %d (%q): kind, key, version, status and sha256 are all required", i+1, ed.name())
		}
		if prev, ok := seen[ed.name()]; ok {
			if prev != ed {
				return nil, apperr.Errorf(apperr.EINVALID, "%s is listed twice with different contents", ed.name())
			}
			continue
		}
		seen[ed.name()] = ed
		out = append(out, ed)
	}
	return out, nil
}

// shortHash keeps messages readable; 12 hex digits still identify a file.
func shortHash(h string) string {
	if len(h) <= 12 {
		return h
	}
	return h[:12] + "..."
}

// Editions lists the recorded editions ordered by kind, key and version.
func (s *Store) Editions(ctx context.Context) ([]FrameworkEdition, error) {
	var rows []FrameworkEdition
	if err := s.db.WithContext(ctx).Order("kind, key, version").Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		// PostgreSQL hands back local time; keep the store's UTC.
		rows[i].FirstLoadedAt = rows[i].FirstLoadedAt.UTC()
		rows[i].LastLoadedAt = rows[i].LastLoadedAt.UTC()
	}
	return rows, nil
}
