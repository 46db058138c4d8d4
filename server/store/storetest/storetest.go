// Package storetest gives tests a fresh, migrated store on each database the
// product supports, so that every query is tested on SQLite and PostgreSQL.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/jackc/pgx/v5"
)

// EnvDatabaseURL names the PostgreSQL server used by tests, for example
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvDatabaseURL = "TEST_DATABASE_URL"

// ForEachDialect runs fn as subtest "sqlite" and subtest "postgres", each on
// a fresh migrated store. The PostgreSQL run is skipped when
// TEST_DATABASE_URL is unset, except under CI=true, where that fails.
func ForEachDialect(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			fn(t, Open(t, dialect))
		})
	}
}

// ForEachDialectShared is ForEachDialect with a second store on the same
// database, as a second app instance would open it.
func ForEachDialectShared(t *testing.T, fn func(t *testing.T, s, other *store.Store)) {
	t.Helper()
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			stores := open(t, dialect, 2)
			fn(t, stores[0], stores[1])
		})
	}
}

// Open returns a fresh migrated store of the given dialect, closed (and for
// PostgreSQL, its schema dropped) when the test ends.
func Open(t testing.TB, dialect string) *store.Store {
	t.Helper()
	return open(t, dialect, 1)[0]
}

// ForEachDialectBare is ForEachDialect on an empty database with no
// migration applied, for tests of what a migration does to the rows it
// finds.
func ForEachDialectBare(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			fn(t, openStores(t, dialect, 1, false)[0])
		})
	}
}

// open returns n stores on one fresh migrated database.
func open(t testing.TB, dialect string, n int) []*store.Store {
	return openStores(t, dialect, n, true)
}

func openStores(t testing.TB, dialect string, n int, migrate bool) []*store.Store {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))

	var databaseURL string
	switch dialect {
	case store.DialectSQLite:
	case store.DialectPostgres:
		databaseURL = postgresSchema(t)
	default:
		t.Fatalf("storetest: unknown dialect %q", dialect)
	}

	dataDir := t.TempDir()
	stores := make([]*store.Store, n)
	for i := range stores {
		s, err := store.Open(ctx, databaseURL, dataDir, log)
		if err != nil {
			t.Fatalf("storetest: open %s store: %v", dialect, err)
		}
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("storetest: close %s store: %v", dialect, err)
			}
		})
		if i == 0 && migrate {
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("storetest: migrate %s store: %v", dialect, err)
			}
		}
		stores[i] = s
	}
	return stores
}

// postgresSchema creates an empty schema for this test alone, so tests can
// run in parallel on one database, and returns a URL that selects it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_DATABASE_URL must be set under CI=true")
		}
		t.Skip("PostgreSQL tests skipped: set TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)

	exec := func(ctx context.Context, sql string) error {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	// Registered before the store's Close, so it runs after it.
	t.Cleanup(func() {
		if err := exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
		}
	})
	u, err := withSearchPath(base, schema)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvDatabaseURL, err)
	}
	return u
}

// withSearchPath adds (or replaces) the search_path parameter, which pgx
// sends to the server as a run-time setting on every connection.
func withSearchPath(databaseURL, schema string) (string, error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		// Not err itself: it repeats the URL, password included.
		return "", errors.New("not a valid URL")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
