package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// A query cut short because its caller went away (or the server is closing)
// is no fault of the query, so nothing is logged as an error; the caller still
// gets the error. The embedded driver reports such a query as "interrupted".
func TestCancelledQueryIsNotLoggedAsAnError(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	s, err := Open(context.Background(), "", t.TempDir(), log)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	var xs []int64
	err = s.db.WithContext(ctx).Raw(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100000000) SELECT x FROM c WHERE x % 1000000 = 0`).Scan(&xs).Error
	if err == nil {
		t.Fatal("the long query finished before it could be cancelled")
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("a cancelled query was logged as an error (%v):\n%s", err, logs.String())
	}

	// The driver's own word for a cancelled query is not logged either,
	// whichever of the two errors the race between them gives.
	logs.Reset()
	quiet := s.db.Logger
	quiet.Trace(ctx, time.Now(), func() (string, int64) { return "SELECT 1", 0 }, errors.New("interrupted (9)"))
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("an interrupted query was logged as an error:\n%s", logs.String())
	}

	// A query that fails on its own is still logged.
	logs.Reset()
	if err := s.db.WithContext(context.Background()).Exec(`SELECT * FROM no_such_table`).Error; err == nil {
		t.Fatal("a query on a missing table succeeded")
	}
	if !strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("a failing query was not logged:\n%s", logs.String())
	}
}
