package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

func TestUnavailable(t *testing.T) {
	// A real refused connection, as when PostgreSQL is down.
	_, refused := pgconn.Connect(context.Background(), "postgres://postgres@127.0.0.1:1/none?connect_timeout=2")
	if refused == nil {
		t.Fatal("connected to port 1")
	}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"refused connection", refused, true},
		{"wrapped refused connection", fmt.Errorf("load session: %w", refused), true},
		{"server shutting down", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{"a constraint", &pgconn.PgError{Code: "23505", Message: "duplicate key"}, false},
		{"a refused request", apperr.Errorf(apperr.EINVALID, "Enter a name"), false},
		{"any other error", errors.New("template: no such page"), false},
		{"no error", nil, false},
	} {
		if got := store.Unavailable(tc.err); got != tc.want {
			t.Errorf("%s: Unavailable = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestConnectTimeoutAdded(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:p@db:5432/x?sslmode=disable": "postgres://u:p@db:5432/x?connect_timeout=5&sslmode=disable",
		"postgres://u@db/x?connect_timeout=30":     "postgres://u@db/x?connect_timeout=30",
		"postgresql://u@db/x":                      "postgresql://u@db/x?connect_timeout=5",
	} {
		if got := store.WithConnectTimeout(in); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}
