// Package store is the database layer: one constructor over PostgreSQL (for
// production) and an embedded SQLite file (so `go run .` needs nothing else),
// GORM for queries and goose for versioned, forward-only SQL migrations.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names returned by Store.Dialect.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

// DBFileName is the embedded database's file inside the data directory.
const DBFileName = "toolkit.db"

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// Store holds the database connection. Its methods are safe for concurrent use.
//
// SQLite keeps times as text that sorts correctly only in one zone: always
// pass UTC times (as Now does) to queries that compare them.
type Store struct {
	// Now is the store's clock, used for every timestamp it writes (also as
	// GORM's NowFunc); tests replace it to get exact, repeatable times.
	Now func() time.Time

	db      *gorm.DB
	sqlDB   *sql.DB
	dialect string
	log     *slog.Logger
	answers answerCache // levels of submitted assessments, for benchmarks

	frameworks atomic.Pointer[frameworks.Set] // set by UseFrameworks
}

// Open connects to PostgreSQL when databaseURL starts with postgres:// or
// postgresql://, and to the embedded SQLite file dataDir/toolkit.db when
// databaseURL is empty. Errors never contain the URL's password.
func Open(ctx context.Context, databaseURL, dataDir string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Store{Now: func() time.Time { return time.Now().UTC() }, log: log}

	var dialector gorm.Dialector
	switch {
	case databaseURL == "":
		dsn, err := sqliteDSN(dataDir)
		if err != nil {
			return nil, err
		}
		dialector, s.dialect = sqlite.Open(dsn), DialectSQLite
	case hasPrefixFold(databaseURL, "postgres://") || hasPrefixFold(databaseURL, "postgresql://"):
		dialector, s.dialect = postgres.Open(withConnectTimeout(databaseURL)), DialectPostgres
	default:
		return nil, fmt.Errorf("unsupported database URL (%s): use postgres://user:password@host:5432/dbname "+
			"or postgresql://..., or leave it empty for the embedded SQLite database", describeScheme(databaseURL))
	}

	db, err := gorm.Open(dialector, &gorm.Config{
		TranslateError: true,
		// Ping below, with the caller's context, so an unreachable server
		// cannot hang start-up beyond the caller's deadline.
		DisableAutomaticPing: true,
		// GORM's own timestamps (CreatedAt, UpdatedAt) follow the store clock.
		// Microseconds are what PostgreSQL keeps, so both dialects read back
		// exactly what was written.
		NowFunc: func() time.Time { return s.Now().UTC().Truncate(time.Microsecond) },
		// Errors only; parameterized so that values (which may be personal
		// data or secrets) never reach the logs.
		Logger: quietOnCancel{logger.NewSlogLogger(log.With("component", "gorm"), logger.Config{
			LogLevel:                  logger.Error,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true,
		})},
	})
	if err != nil {
		return nil, redact(fmt.Errorf("open %s database: %w", s.dialect, err), databaseURL)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", s.dialect, err)
	}
	if s.dialect == DialectSQLite {
		// SQLite allows one writer; a single connection turns lock contention
		// into queueing in database/sql instead of SQLITE_BUSY errors. It
		// also means code must not use s.DB() while holding a transaction.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(5)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, redact(fmt.Errorf("connect to %s database: %w", s.dialect, err), databaseURL)
	}
	s.db, s.sqlDB = db, sqlDB
	return s, nil
}

// quietOnCancel does not log a query as failed when its context was
// cancelled: the client went away or the server is closing, which is no
// fault of the query, and the caller gets the error to report as it sees fit.
// The context is asked as well as the error, because the embedded driver
// reports a cancelled query as "interrupted" rather than context.Canceled.
type quietOnCancel struct{ logger.Interface }

func (q quietOnCancel) LogMode(level logger.LogLevel) logger.Interface {
	return quietOnCancel{q.Interface.LogMode(level)}
}

// ParamsFilter passes the query's values through the wrapped logger's
// filter, so that a logged query shows placeholders, never values.
func (q quietOnCancel) ParamsFilter(ctx context.Context, sql string, params ...any) (string, []any) {
	if f, ok := q.Interface.(gorm.ParamsFilter); ok {
		return f.ParamsFilter(ctx, sql, params...)
	}
	return sql, params
}

var _ gorm.ParamsFilter = quietOnCancel{}

func (q quietOnCancel) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if errors.Is(err, context.Canceled) || (err != nil && errors.Is(ctx.Err(), context.Canceled)) {
		err = nil
	}
	q.Interface.Trace(ctx, begin, fc, err)
}

// sqliteDSN creates dataDir (private: the database holds user accounts) and
// returns the driver DSN for the database file in it.
func sqliteDSN(dataDir string) (string, error) {
	if dataDir == "" {
		return "", errors.New("the embedded database needs a data directory: set one, or set a postgres:// database URL")
	}
	// The driver splits the DSN at the first '?'.
	if strings.ContainsAny(dataDir, "?#") {
		return "", fmt.Errorf("data directory %q must not contain '?' or '#'", dataDir)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", fmt.Errorf("create data directory: %w", err)
	}
	// Transactions take the write lock when they begin (_txlock=immediate),
	// so one that reads and then writes waits its turn (busy_timeout)
	// behind another process's writer, such as the job queue's or a
	// command's, instead of failing at once with SQLITE_BUSY.
	return filepath.Join(dataDir, DBFileName) +
		"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_txlock=immediate", nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// describeScheme names the URL's scheme for an error message without
// repeating the rest of the URL, which may hold a password.
func describeScheme(u string) string {
	scheme, _, found := strings.Cut(u, "://")
	if !found || scheme == "" || strings.ContainsAny(scheme, ":@/ ") {
		return "not a URL with a scheme"
	}
	return fmt.Sprintf("scheme %q", scheme)
}

// redact removes the password in databaseURL from err's text. Drivers try
// not to print it, but start-up errors end up in logs, so we make sure.
func redact(err error, databaseURL string) error {
	u, perr := url.Parse(databaseURL)
	if perr != nil || u.User == nil {
		return err
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" {
		return err
	}
	msg := err.Error()
	if !strings.Contains(msg, pw) && !strings.Contains(msg, url.QueryEscape(pw)) {
		return err
	}
	msg = strings.ReplaceAll(msg, pw, "xxxxx")
	msg = strings.ReplaceAll(msg, url.QueryEscape(pw), "xxxxx")
	return errors.New(msg)
}

// Migrate applies pending migrations for the store's dialect and logs what
// it applied. Running it again when nothing is pending is a no-op.
func (s *Store) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations/"+s.dialect)
	if err != nil {
		return err
	}
	// We log the results ourselves, in one line each.
	opts := []goose.ProviderOption{goose.WithSlog(slog.New(slog.DiscardHandler))}
	dialect := goose.DialectSQLite3
	var schema sql.NullString
	if s.dialect == DialectPostgres {
		dialect = goose.DialectPostgres
		// Several instances may start at once: an advisory lock makes them
		// take turns. The lock is per schema, since migrations are, so that
		// test schemas in one database do not queue behind each other.
		if err := s.sqlDB.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if !schema.Valid {
			return errors.New("migrate: no current schema: check the search_path of the database URL")
		}
		h := fnv.New64a()
		h.Write([]byte("toolkit migrations " + schema.String))
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64())), lock.WithLockTimeout(1, 300))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.sqlDB, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		s.log.InfoContext(ctx, "applied migration", "dialect", s.dialect,
			"file", path.Base(r.Source.Path), "duration", r.Duration.Round(time.Millisecond))
	}
	if err != nil {
		return fmt.Errorf("migrate %s database: %w", s.dialect, err)
	}
	version, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	s.log.InfoContext(ctx, "database schema up to date", "dialect", s.dialect, "version", version, "applied", len(results))
	return s.migrateJobs(ctx, schema.String)
}

// Ping checks that the database answers, quickly enough for a readiness probe.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	// A query, not sql.DB.Ping: it proves the database itself answers.
	_, err := s.sqlDB.ExecContext(ctx, "SELECT 1")
	return err
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.sqlDB.Close() }

// DB returns the GORM handle for queries that live outside this package.
// Use db.WithContext(ctx) on it.
func (s *Store) DB() *gorm.DB { return s.db }

// Dialect is DialectPostgres or DialectSQLite, for the rare query that differs.
func (s *Store) Dialect() string { return s.dialect }

// withConnectTimeout bounds how long a new connection may take (5 s unless
// the URL says otherwise), so requests fail with a clear error instead of
// hanging while the database host cannot be reached.
func withConnectTimeout(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil || u.Query().Has("connect_timeout") {
		return databaseURL
	}
	q := u.Query()
	q.Set("connect_timeout", "5")
	u.RawQuery = q.Encode()
	return u.String()
}
