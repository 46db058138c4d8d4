package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"
)

// Background jobs (package jobs) are kept by River in this database, in its
// own tables, so that any instance can run them and a restart resumes them.

// JobDriver is River's driver for this store's database. Both drivers work
// through database/sql, so jobs can be inserted in the store's transactions.
func (s *Store) JobDriver() riverdriver.Driver[*sql.Tx] {
	if s.dialect == DialectSQLite {
		return riversqlite.New(s.sqlDB)
	}
	return riverdatabasesql.New(s.sqlDB)
}

// migrateJobs creates or updates River's tables. On PostgreSQL, instances
// starting at once take turns under an advisory lock of the schema, as for
// our own migrations.
func (s *Store) migrateJobs(ctx context.Context, schema string) error {
	m, err := rivermigrate.New(s.JobDriver(), nil)
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	if s.dialect == DialectPostgres {
		conn, err := s.sqlDB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migrate job queue: %w", err)
		}
		defer conn.Close()
		h := fnv.New64a()
		h.Write([]byte("toolkit job queue " + schema))
		key := int64(h.Sum64())
		// As long as our own migrations wait for their lock, and no longer.
		wait, cancel := context.WithTimeout(ctx, 5*time.Minute)
		_, err = conn.ExecContext(wait, "SELECT pg_advisory_lock($1)", key)
		cancel()
		if err != nil {
			return fmt.Errorf("migrate job queue: waiting for another instance to finish: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	if len(res.Versions) > 0 {
		s.log.InfoContext(ctx, "job queue tables up to date", "dialect", s.dialect, "applied", len(res.Versions))
	}
	return nil
}

// InJobTx runs fn in a transaction, giving it the transaction both as GORM
// sees it (for the store's rows) and as River does (to insert jobs), so a
// job is queued if and only if its rows are written.
func (s *Store) InJobTx(ctx context.Context, fn func(db *gorm.DB, tx *sql.Tx) error) error {
	return s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		tx, ok := db.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("store: a transaction is %T, not *sql.Tx", db.Statement.ConnPool)
		}
		return fn(db, tx)
	})
}
