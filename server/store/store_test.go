package store_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestOpenRejectsOtherURLs(t *testing.T) {
	const password = "s3cret-Pa55"
	for _, u := range []string{
		"mysql://app:" + password + "@db:3306/toolkit",
		"app:" + password + "@tcp(db:3306)/toolkit",
		"sqlite:///var/lib/toolkit.db?password=" + password,
	} {
		_, err := store.Open(t.Context(), u, t.TempDir(), nil)
		if err == nil {
			t.Fatalf("Open(%q) succeeded, want an error", u)
		}
		msg := err.Error()
		if strings.Contains(msg, password) {
			t.Errorf("error shows the password: %s", msg)
		}
		if !strings.Contains(msg, "postgres://") || !strings.Contains(msg, "empty") {
			t.Errorf("error does not name the accepted forms: %s", msg)
		}
	}
}

func TestOpenPostgresErrorHidesPassword(t *testing.T) {
	const password = "s3cret-Pa55"
	// Nothing listens on port 1: the connection is refused at once.
	u := "postgres://app:" + password + "@127.0.0.1:1/toolkit?connect_timeout=2&sslmode=disable"
	_, err := store.Open(t.Context(), u, t.TempDir(), nil)
	if err == nil {
		t.Fatal("Open succeeded, want a connection error")
	}
	if strings.Contains(err.Error(), password) {
		t.Errorf("error shows the password: %v", err)
	}
}

func TestOpenSQLiteCreatesPrivateDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "nested")
	s, err := store.Open(t.Context(), "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Dialect() != store.DialectSQLite {
		t.Errorf("Dialect() = %q, want sqlite", s.Dialect())
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("data dir mode = %o, want 700", perm)
	}
	if _, err := os.Stat(filepath.Join(dir, "toolkit.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
	var mode string
	if err := s.DB().Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk int
	if err := s.DB().Raw("PRAGMA foreign_keys").Scan(&fk).Error; err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		// storetest has migrated once already.
		for range 2 {
			if err := s.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		if !s.DB().Migrator().HasTable("framework_editions") {
			t.Error("framework_editions is missing")
		}
		if s.Dialect() == store.DialectPostgres {
			var schema string
			s.DB().Raw("SELECT current_schema()").Scan(&schema)
			if !strings.HasPrefix(schema, "t_") {
				t.Errorf("current_schema() = %q, want a per-test schema t_...", schema)
			}
		}
	})
}

func TestPing(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		if err := s.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRecordEditions(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		t0 := time.Date(2026, 11, 3, 9, 30, 15, 123456000, time.UTC)
		t1 := t0.Add(26 * time.Hour)
		clock := t0
		s.Now = func() time.Time { return clock }

		blwf := store.EditionRecord{Kind: "framework", Key: "blwf", Version: "2024", Title: "Blue Light Wellbeing Framework", Status: "released", SHA256: strings.Repeat("a", 64)}
		hazards := store.EditionRecord{Kind: "matrix", Key: "hazards", Version: "2025", Title: "Hazards", Status: "draft", SHA256: strings.Repeat("b", 64)}
		want := []store.FrameworkEdition{
			{EditionRecord: blwf, FirstLoadedAt: t0, LastLoadedAt: t0},
			{EditionRecord: hazards, FirstLoadedAt: t0, LastLoadedAt: t0},
		}

		// New editions are inserted.
		if err := s.RecordEditions(ctx, []store.EditionRecord{hazards, blwf}); err != nil {
			t.Fatal(err)
		}
		assertEditions(t, s, want)

		// Loading the same files again only moves last_loaded_at.
		clock = t1
		if err := s.RecordEditions(ctx, []store.EditionRecord{blwf, hazards}); err != nil {
			t.Fatal(err)
		}
		want[0].LastLoadedAt, want[1].LastLoadedAt = t1, t1
		assertEditions(t, s, want)

		// A changed released edition is refused, and nothing of the batch is
		// written: not the new edition, not the draft's change.
		clock = t1.Add(time.Hour)
		changed := blwf
		changed.SHA256 = strings.Repeat("c", 64)
		newDraft := hazards
		newDraft.SHA256 = strings.Repeat("d", 64)
		scales := store.EditionRecord{Kind: "scale", Key: "likert", Version: "1", Status: "released", SHA256: strings.Repeat("e", 64)}
		err := s.RecordEditions(ctx, []store.EditionRecord{scales, newDraft, changed})
		if apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("RecordEditions(changed released) = %v, want ECONFLICT", err)
		}
		msg := apperr.Message(err)
		for _, part := range []string{"framework blwf 2024 was released with sha256 aaaaaaaaaaaa", "now has cccccccccccc", "publish it as a new version"} {
			if !strings.Contains(msg, part) {
				t.Errorf("message %q does not contain %q", msg, part)
			}
		}
		assertEditions(t, s, want)

		// A draft may change.
		if err := s.RecordEditions(ctx, []store.EditionRecord{newDraft}); err != nil {
			t.Fatal(err)
		}
		want[1].SHA256, want[1].LastLoadedAt = newDraft.SHA256, clock
		assertEditions(t, s, want)
	})
}

func TestRecordEditionsNamesEveryConflict(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		a := store.EditionRecord{Kind: "framework", Key: "blwf", Version: "2024", Status: "released", SHA256: "1111"}
		b := store.EditionRecord{Kind: "matrix", Key: "hazards", Version: "2025", Status: "released", SHA256: "2222"}
		if err := s.RecordEditions(t.Context(), []store.EditionRecord{a, b}); err != nil {
			t.Fatal(err)
		}
		a.SHA256, b.SHA256 = "3333", "4444"
		err := s.RecordEditions(t.Context(), []store.EditionRecord{a, b})
		if apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("got %v, want ECONFLICT", err)
		}
		for _, part := range []string{"framework blwf 2024 was released with sha256 1111 but the file now has 3333", "matrix hazards 2025 was released with sha256 2222 but the file now has 4444"} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("message %q does not contain %q", err, part)
			}
		}
	})
}

func TestRecordEditionsRejectsBadInput(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ok := store.EditionRecord{Kind: "framework", Key: "blwf", Version: "2024", Status: "draft", SHA256: "1111"}
		noKey := ok
		noKey.Key = ""
		twice := ok
		twice.SHA256 = "2222"
		for _, batch := range [][]store.EditionRecord{{ok, noKey}, {ok, twice}} {
			if err := s.RecordEditions(t.Context(), batch); apperr.Code(err) != apperr.EINVALID {
				t.Errorf("RecordEditions(%v) = %v, want EINVALID", batch, err)
			}
		}
		// An exact repeat is harmless.
		if err := s.RecordEditions(t.Context(), []store.EditionRecord{ok, ok}); err != nil {
			t.Fatal(err)
		}
		eds, err := s.Editions(t.Context())
		if err != nil || len(eds) != 1 {
			t.Fatalf("Editions() = %v, %v; want one edition", eds, err)
		}
	})
}

func assertEditions(t *testing.T, s *store.Store, want []store.FrameworkEdition) {
	t.Helper()
	got, err := s.Editions(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Editions() returned %d rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID == 0 {
			t.Errorf("row %d has no id", i)
		}
		if g.EditionRecord != w.EditionRecord ||
			!g.FirstLoadedAt.Equal(w.FirstLoadedAt) || !g.LastLoadedAt.Equal(w.LastLoadedAt) ||
			g.FirstLoadedAt.Location() != time.UTC {
			t.Errorf("row %d = %+v\nwant     %+v", i, g, w)
		}
	}
}

// TestFailedQueryLogsNoValues: a query that fails is logged with
// placeholders, never the values it carried (personal data, token hashes).
func TestFailedQueryLogsNoValues(t *testing.T) {
	var logs bytes.Buffer
	s, err := store.Open(t.Context(), "", t.TempDir(), slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	const secret = "value-that-must-not-be-logged"
	if err := s.DB().Exec("INSERT INTO no_such_table (x) VALUES (?)", secret).Error; err == nil {
		t.Fatal("the query did not fail")
	}
	if !strings.Contains(logs.String(), "no_such_table") {
		t.Fatalf("the failed query was not logged: %s", logs.String())
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the log holds the query's value: %s", logs.String())
	}
}

// TestRecordEditionsFromInstancesStartingTogether: instances that start at
// the same moment on an empty database all record the editions, none is
// refused for a clash with another's insert, and each edition is one row.
func TestRecordEditionsFromInstancesStartingTogether(t *testing.T) {
	storetest.ForEachDialectShared(t, func(t *testing.T, s, other *store.Store) {
		var eds []store.EditionRecord
		for i := range 12 {
			eds = append(eds, store.EditionRecord{Kind: "framework", Key: fmt.Sprintf("k%02d", i), Version: "1", Title: "T", Status: "released", SHA256: strings.Repeat("a", 64)})
		}
		start := make(chan struct{})
		errs := make(chan error, 8)
		var wg sync.WaitGroup
		for i := range 8 {
			st := []*store.Store{s, other}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs <- st.RecordEditions(t.Context(), eds)
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("an instance starting with the others was refused: %v", err)
			}
		}
		var n int64
		if err := s.DB().Model(&store.FrameworkEdition{}).Count(&n).Error; err != nil || n != int64(len(eds)) {
			t.Errorf("%d edition rows (%v), want %d", n, err, len(eds))
		}
	})
}
