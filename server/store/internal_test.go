package store

import (
	"context"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
)

// WithConnectTimeout is withConnectTimeout, for the tests.
var WithConnectTimeout = withConnectTimeout

// MigrateUpTo applies the migrations up to and including version, for
// tests of what a later migration does to the rows it finds.
func (s *Store) MigrateUpTo(ctx context.Context, version int64) error {
	fsys, err := fs.Sub(migrations, "migrations/"+s.dialect)
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if s.dialect == DialectPostgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.sqlDB, fsys, goose.WithSlog(slog.New(slog.DiscardHandler)))
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// ExecSQL runs a statement on the store's database, for setting up rows
// as an older version of the schema held them.
func (s *Store) ExecSQL(ctx context.Context, query string, args ...any) error {
	return s.db.WithContext(ctx).Exec(query, args...).Error
}
